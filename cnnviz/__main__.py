"""Command line: python -m cnnviz {predict,evaluate,train} ... (see --help of each)."""

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from cnnviz import checkpoints
from cnnviz.errors import InputError
from cnnviz.model import ModelConfig, build_model
from cnnviz.train import TrainConfig


def predict_command(args: argparse.Namespace) -> int:
    """Print the predicted digit of each file; exit 1 if any file was rejected."""
    from cnnviz.preprocess import preprocess_bytes

    model = load_model(args.model)
    results = []
    for name in args.files:
        try:
            data = read_file(Path(name))
            with torch.no_grad():
                probabilities = torch.softmax(model(preprocess_bytes(data).tensor), dim=1)[0]
            results.append({"file": name, "label": int(probabilities.argmax()), "probabilities": [round(float(p), 6) for p in probabilities]})
        except InputError as error:
            results.append({"file": name, "error": str(error)})
    if args.json:
        print(json.dumps(results))
    else:
        for result in results:
            if "error" in result:
                print(f"{result['file']}: error: {result['error']}")
            else:
                print(f"{result['file']}: {result['label']} ({max(result['probabilities']):.1%})")
    return 1 if any("error" in result for result in results) else 0


def evaluate_command(args: argparse.Namespace) -> int:
    """Print the model's accuracy on the official MNIST test set (evaluation only)."""
    from cnnviz.data import load_mnist_test
    from cnnviz.train import evaluate

    model = load_model(args.model)
    try:
        test_set = load_mnist_test(args.mnist_dir)
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the MNIST test set: {error}") from error
    _, accuracy = evaluate(model, test_set)
    if args.json:
        print(json.dumps({"accuracy": accuracy, "n": len(test_set)}))
    else:
        print(f"accuracy {accuracy:.2%} on {len(test_set):,} digits of {test_set.source}")
    return 0


def train_command(args: argparse.Namespace) -> int:
    """Train a model with the engine, show progress, and save it as safetensors."""
    from tqdm import tqdm

    from cnnviz.data import load_training_digits, split
    from cnnviz.train import BatchEnd, train

    try:
        model_config = ModelConfig(tuple(args.channels), args.kernel_size, args.hidden_units, args.dropout, args.batch_norm)
        config = TrainConfig(
            epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr, optimizer=args.optimizer,
            augment=not args.no_augment, seed=args.seed, max_batches=1 if args.dry_run else args.max_batches,
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    if not 0 <= args.val_fraction < 1:
        raise InputError("--val-fraction must be at least 0 and below 1")
    digits = load_training_digits(args.data)
    train_set, val_set = split(digits, args.val_fraction, config.seed)
    print(f"training on {train_set.source}; validating on {len(val_set):,}", file=sys.stderr)
    model = build_model(model_config, seed=config.seed)
    started = time.perf_counter()
    last_epoch = None
    with tqdm(total=None, unit="batch", file=sys.stderr, dynamic_ncols=True) as bar:
        for event in train(model, train_set, config, val_set):
            if isinstance(event, BatchEnd):
                bar.total = event.total_steps
                bar.set_description(f"epoch {event.epoch}/{config.epochs}")
                bar.set_postfix(loss=f"{event.loss:.3f}", refresh=False)
                bar.update(1)
            else:
                last_epoch = event
                if event.val_accuracy is not None:
                    bar.write(f"epoch {event.epoch}: train loss {event.train_loss:.4f}, validation accuracy {event.val_accuracy:.2%}")
    seconds = time.perf_counter() - started
    metadata = {
        "data": train_set.source,
        "train_config": json.dumps(config.__dict__),
        "val_accuracy": f"{last_epoch.val_accuracy:.4f}" if last_epoch and last_epoch.val_accuracy is not None else "",
        "train_seconds": f"{seconds:.0f}",
    }
    checkpoints.save(model.eval(), args.out, metadata)
    print(f"saved {args.out} after {seconds:.0f} s", file=sys.stderr)
    return 0


def read_file(path: Path) -> bytes:
    """The file's bytes, or InputError with a one-line reason."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("No such file.") from None
    except IsADirectoryError:
        raise InputError("This is a folder, not an image file.") from None
    except OSError as error:
        raise InputError(f"The file cannot be read ({error.strerror}).") from None


def load_model(path: Path | None):
    """The model at path, or the bundled one."""
    return checkpoints.load(path) if path else checkpoints.load_bundled()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m cnnviz", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    predict = commands.add_parser("predict", help="read the digit in image files")
    predict.add_argument("files", nargs="+", metavar="FILE", help="image files (PNG, JPEG, GIF, BMP, WebP, TIFF)")
    predict.add_argument("--model", type=Path, help="safetensors weights (default: the bundled model)")
    predict.add_argument("--json", action="store_true", help="print one JSON list, one object per file")
    predict.set_defaults(run=predict_command)

    evaluate = commands.add_parser("evaluate", help="accuracy on the official MNIST test set")
    evaluate.add_argument("--mnist-dir", type=Path, required=True, help="folder with t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz")
    evaluate.add_argument("--model", type=Path, help="safetensors weights (default: the bundled model)")
    evaluate.add_argument("--json", action="store_true", help='print {"accuracy": ..., "n": ...}')
    evaluate.set_defaults(run=evaluate_command)

    defaults, model_defaults = TrainConfig(), ModelConfig()
    train = commands.add_parser("train", help="train a model and save it as safetensors")
    train.add_argument("--out", type=Path, default=Path("digit_cnn.safetensors"), help="where to save the weights")
    train.add_argument("--data", choices=("auto", "mnist", "sample"), default="auto",
                       help="full MNIST (downloaded once), the offline 5,000-digit sample, or auto: MNIST if reachable")
    train.add_argument("--val-fraction", type=float, default=0.1, help="share of the digits held out for validation")
    train.add_argument("--epochs", type=int, default=defaults.epochs, help="passes over the training digits")
    train.add_argument("--batch-size", type=int, default=defaults.batch_size, help="digits per step")
    train.add_argument("--lr", type=float, default=defaults.learning_rate, help="peak learning rate")
    train.add_argument("--optimizer", choices=("adam", "sgd"), default=defaults.optimizer, help="AdamW or SGD with momentum")
    train.add_argument("--no-augment", action="store_true", help="train without random warps and pen widths")
    train.add_argument("--seed", type=int, default=defaults.seed, help="seed for weights, shuffling and augmentation")
    train.add_argument("--channels", type=int, nargs="+", default=list(model_defaults.conv_channels), help="output channels of each conv block")
    train.add_argument("--kernel-size", type=int, default=model_defaults.kernel_size, help="conv kernel size (odd)")
    train.add_argument("--hidden-units", type=int, default=model_defaults.hidden_units, help="width of the fully connected layer")
    train.add_argument("--dropout", type=float, default=model_defaults.dropout, help="dropout rate before the last layer")
    train.add_argument("--batch-norm", action="store_true", help="add batch normalisation after each conv")
    train.add_argument("--max-batches", type=int, help="stop after this many batches")
    train.add_argument("--dry-run", action="store_true", help="run a single batch, to check the set-up")
    train.set_defaults(run=train_command)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input prints one line and exits non-zero instead of a traceback."""
    args = parse_args(argv)
    try:
        return args.run(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
