"""Command line: python -m cnnviz {predict,explain,evaluate,train,teach} ... (see --help of each).

Over 300 lines because it is one argparse table and one short function per command: the command
line's whole contract in one place.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

from cnnviz import checkpoints
from cnnviz.data import SOURCES
from cnnviz.errors import InputError, NoDigitError
from cnnviz.files import read_limited
from cnnviz.model import DIGITS, ModelConfig
from cnnviz.train import OPTIMIZERS, TrainConfig
from cnnviz.verdict import NOT_A_DIGIT, verdict


def label_of(index: int, classes: tuple[str, ...]):
    """A prediction as JSON gives it: the digit as a number for digit models, else the class name."""
    return int(classes[index]) if classes == DIGITS else classes[index]


def each_image(files: list[str], answer, blank: dict | None = None) -> list[dict]:
    """{"file": name, **answer(preprocessed)} for each image file, or {"file", "error"} for one that cannot be used.

    Args:
        blank: fields a blank image's error also gets (predict: its verdict, "not a digit").
    """
    from cnnviz.decode import MAX_FILE_BYTES
    from cnnviz.preprocess import preprocess_bytes

    results = []
    for name in files:
        try:
            results.append(
                {"file": name, **answer(preprocess_bytes(read_limited(Path(name), MAX_FILE_BYTES, "images")))}
            )
        except NoDigitError as error:
            results.append({"file": name, "error": str(error), **(blank or {})})
        except InputError as error:
            results.append({"file": name, "error": str(error)})
    return results


def report(results: list[dict], as_json: bool, line) -> int:
    """Print the results as one strict JSON list, or a line each (line(result) for the good ones); the exit code."""
    if as_json:
        print(json.dumps(results, allow_nan=False))
    else:
        for result in results:
            print(f"{result['file']}: error: {result['error']}" if "error" in result else line(result))
    return 1 if any("error" in result for result in results) else 0


def refuse_every_file(args: argparse.Namespace, error: InputError, prefix: str = "") -> int:
    """A model that cannot be used: with --json every file gets the reason, so the output is still one list."""
    if not args.json:
        raise error
    print(json.dumps([{"file": name, "error": f"{prefix}{error}"} for name in args.files]))
    return 1


def predict_command(args: argparse.Namespace) -> int:
    """Print the predicted digit (and the verdict) of each file; exit 1 if any file was rejected."""
    try:
        model = load_model(args.model)
    except InputError as error:
        return refuse_every_file(args, error, "the model: ")

    def answer(prepared) -> dict:
        with torch.no_grad():
            probabilities = torch.softmax(model(prepared.tensor), dim=1)[0]
        result = {
            "label": label_of(int(probabilities.argmax()), model.classes),
            "probabilities": [round(float(p), 6) for p in probabilities],
        }
        if not model.config.is_digits:
            result["classes"] = list(model.classes)
        return {**result, **verdict(probabilities.numpy(), model.classes).to_json()}

    def line(result: dict) -> str:
        text = f"{result['file']}: {result['label']} ({max(result['probabilities']):.1%})"
        if result["verdict"] != "digit":
            text += f", {result['verdict']}"
            if "between" in result:
                text += f" between {' and '.join(map(str, result['between']))}"
        return text

    return report(each_image(args.files, answer, blank={"verdict": NOT_A_DIGIT}), args.json, line)


def explain_command(args: argparse.Namespace) -> int:
    """Print which pixels pushed each file's answer (or a chosen class), by one attribution method."""
    from cnnviz.attribution import attribute

    try:
        model = load_model(args.model)
        if args.target is not None and not 0 <= args.target < len(model.classes):
            raise InputError(f"--target must be a class index from 0 to {len(model.classes) - 1}")
        if args.layer is not None and args.layer not in model.conv_layers():
            raise InputError(f"--layer must be one of this model's conv layers: {', '.join(model.conv_layers())}")
    except InputError as error:
        return refuse_every_file(args, error)

    def answer(prepared) -> dict:
        with torch.no_grad():
            predicted = int(model(prepared.tensor).argmax())
        target = predicted if args.target is None else args.target
        found = attribute(model, prepared.tensor, args.method, target, args.layer)
        return {
            "label": label_of(predicted, model.classes),
            "target": label_of(target, model.classes),
            "method": args.method,
            "attribution": [[round(float(v), 6) for v in row] for row in found.values],
        }

    def line(result: dict) -> str:
        values = np.array(result["attribution"])
        row, col = np.unravel_index(np.abs(values).argmax(), values.shape)
        return (
            f"{result['file']}: read {result['label']}; {args.method} for {result['target']}: "
            f"strongest pixel at row {row}, column {col} ({values[row, col]:+.3f})"
        )

    return report(each_image(args.files, answer), args.json, line)


def evaluate_command(args: argparse.Namespace) -> int:
    """Print the model's accuracy on the official MNIST test set (evaluation only), with its confusion matrix."""
    from cnnviz.data import load_mnist_test
    from cnnviz.evaluation import evaluate

    model = load_model(args.model)
    if not model.config.is_digits:
        raise InputError("this model names other classes than the ten digits; it cannot be scored on MNIST")
    try:
        test_set = load_mnist_test(args.mnist_dir)
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the MNIST test set: {error}") from error
    scored = evaluate(model, test_set)
    if args.json:
        matrix = scored.confusion.tolist()
        print(json.dumps({"accuracy": scored.accuracy, "n": len(test_set), "confusion_matrix": matrix}))
    else:
        print(f"accuracy {scored.accuracy:.2%} on {len(test_set):,} digits of {test_set.source}")
    return 0


def train_command(args: argparse.Namespace) -> int:
    """Train a model with the engine (on the data recipe), calibrate it, show progress, and save it as safetensors."""
    from tqdm import tqdm

    from cnnviz.calibration import expected_calibration_error, fit_temperature, fold_temperature
    from cnnviz.data import load_training_digits, normalize
    from cnnviz.model import build_model
    from cnnviz.recipe import DataRecipe, training_data
    from cnnviz.train import BatchEnd, EpochEnd, train

    try:
        model_config = ModelConfig(
            conv_channels=tuple(args.channels),
            kernel_size=args.kernel_size,
            hidden_units=args.hidden_units,
            dropout=args.dropout,
            batch_norm=args.batch_norm,
        )
        config = TrainConfig(
            epochs=args.epochs,
            batch_size=args.batch_size,
            learning_rate=args.lr,
            optimizer=args.optimizer,
            augment=not args.no_augment,
            seed=args.seed,
            max_batches=1 if args.dry_run else args.max_batches,
            outlier_weight=args.outlier_weight,
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    if not 0 <= args.val_fraction < 1:
        raise InputError("--val-fraction must be at least 0 and below 1")
    recipe = DataRecipe(
        media_copies=args.media_copies,
        handwriting=args.handwriting,
        not_digits=args.not_digits,
        val_handwriting=args.handwriting * 3 // 20,
        seed=args.seed,
    )
    digits = load_training_digits(args.data)
    if args.dry_run:  # 1 % of everything: the digits, and what the recipe makes from them
        recipe = recipe.scaled(0.01)
        digits = digits.subset(torch.arange(len(digits) // 100), f"1 % of {digits.source}")

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    started = time.perf_counter()
    data = training_data(digits, recipe, args.val_fraction, config.seed, args.workers, log)
    log(f"training on {data.train.source}; validating on {len(data.val):,}; {len(data.outliers):,} non-digits")
    model = build_model(model_config, seed=config.seed)
    last_epoch = None
    with tqdm(total=None, unit="batch", file=sys.stderr, dynamic_ncols=True) as bar:
        for event in train(model, data.train, config, data.val, data.outliers):
            if isinstance(event, BatchEnd):
                bar.total = event.total_steps
                bar.set_description(f"epoch {event.epoch}/{config.epochs}")
                bar.set_postfix(loss=f"{event.loss:.3f}", refresh=False)
                bar.update(1)
            elif isinstance(event, EpochEnd):
                last_epoch = event
                if event.val_accuracy is not None:
                    bar.write(
                        f"epoch {event.epoch}: train loss {event.train_loss:.4f}, "
                        f"validation accuracy {event.val_accuracy:.2%}"
                    )
    model.eval()
    metadata = {"data": data.train.source, "train_config": json.dumps(config.__dict__)}
    if len(data.val) and not args.no_calibrate:
        with torch.no_grad():
            logits = model(normalize(data.val.images))
        before = expected_calibration_error(torch.softmax(logits, 1).numpy(), data.val.labels.numpy())
        temperature = fit_temperature(logits, data.val.labels)
        after = expected_calibration_error(torch.softmax(logits / temperature, 1).numpy(), data.val.labels.numpy())
        fold_temperature(getattr(model, model.head.logits), temperature)
        log(f"calibrated: temperature {temperature:.3f}, expected calibration error {before:.4f} -> {after:.4f}")
        metadata.update(temperature=f"{temperature:.4f}", ece_before=f"{before:.4f}", ece_after=f"{after:.4f}")
    seconds = time.perf_counter() - started
    if last_epoch and last_epoch.val_accuracy is not None:
        metadata["val_accuracy"] = f"{last_epoch.val_accuracy:.4f}"
    metadata["train_seconds"] = f"{seconds:.0f}"
    checkpoints.save(model, args.out, metadata)
    log(f"saved {args.out} after {seconds:.0f} s")
    return 0


def teach_command(args: argparse.Namespace) -> int:
    """Learn new classes from a folder of examples on the frozen conv layers of a base model, and save it."""
    from cnnviz.transfer import fit, read_folder, transfer_model

    started = time.perf_counter()
    try:
        base = load_model(args.base)
        examples, refused = read_folder(args.directory)
    except InputError as error:
        if not args.json:
            raise
        print(json.dumps({"error": str(error)}))
        return 1
    model = fit(transfer_model(base, examples.classes, args.seed), examples, seed=args.seed)
    checkpoints.save(model, args.out, {"cnnviz_classes": json.dumps(list(model.classes))})
    counts = torch.bincount(examples.labels, minlength=len(examples.classes)).tolist()
    result = {
        "out": str(args.out),
        "classes": list(model.classes),
        "examples": dict(zip(model.classes, counts)),
        "frozen": model.conv_layers(),
        "seconds": round(time.perf_counter() - started, 2),
        "refused": refused,
    }
    if args.json:
        print(json.dumps(result, allow_nan=False))
    else:
        taught = ", ".join(f"{name} ({count})" for name, count in result["examples"].items())
        print(f"taught {taught} on the frozen {', '.join(result['frozen'])} in {result['seconds']} s: {args.out}")
        for problem in refused:
            print(f"{problem['file']}: skipped: {problem['error']}")
    return 0


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

    from cnnviz.attribution import METHODS

    explain = commands.add_parser("explain", help="which pixels pushed the answer, by an attribution method")
    explain.add_argument("files", nargs="+", metavar="FILE", help="image files (PNG, JPEG, GIF, BMP, WebP, TIFF)")
    explain.add_argument("--method", choices=METHODS, required=True, help="the attribution method (Captum)")
    explain.add_argument("--target", type=int, help="the class to explain (default: the predicted one)")
    explain.add_argument("--layer", help="grad-cam: the conv layer whose maps are weighed (default: the last)")
    explain.add_argument("--model", type=Path, help="safetensors weights (default: the bundled model)")
    explain.add_argument("--json", action="store_true", help="print one JSON list, one object per file")
    explain.set_defaults(run=explain_command)

    evaluate = commands.add_parser("evaluate", help="accuracy on the official MNIST test set")
    evaluate.add_argument(
        "--mnist-dir",
        type=Path,
        required=True,
        help="folder with t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz",
    )
    evaluate.add_argument("--model", type=Path, help="safetensors weights (default: the bundled model)")
    evaluate.add_argument(
        "--json", action="store_true", help='print {"accuracy": ..., "n": ..., "confusion_matrix": ...}'
    )
    evaluate.set_defaults(run=evaluate_command)

    defaults, model_defaults = TrainConfig(), ModelConfig()
    from cnnviz.recipe import DataRecipe

    recipe = DataRecipe()
    train = commands.add_parser("train", help="train a model and save it as safetensors")
    train.add_argument("--out", type=Path, default=Path("digit_cnn.safetensors"), help="where to save the weights")
    train.add_argument(
        "--data",
        choices=SOURCES,
        default="auto",
        help="full MNIST (downloaded once), the offline 5,000-digit sample, or auto: MNIST if reachable",
    )
    train.add_argument("--val-fraction", type=float, default=0.1, help="share of the digits held out for validation")
    train.add_argument(
        "--media-copies",
        type=int,
        default=recipe.media_copies,
        help="times each training digit is also put on a random medium (marker, pencil, photo, ...)",
    )
    train.add_argument("--handwriting", type=int, default=recipe.handwriting, help="generated digits in many styles")
    train.add_argument(
        "--not-digits",
        type=int,
        default=recipe.not_digits,
        help="letters, shapes, scribbles and patterned pages, trained towards equal odds",
    )
    train.add_argument("--no-calibrate", action="store_true", help="keep the raw confidence (no temperature scaling)")
    train.add_argument("--workers", type=int, default=2, help="processes that make the generated data")
    train.add_argument("--epochs", type=int, default=defaults.epochs, help="passes over the training digits")
    train.add_argument(
        "--outlier-weight",
        type=float,
        default=defaults.outlier_weight,
        help="weight of the non-digits' loss (towards equal odds for every class)",
    )
    train.add_argument("--batch-size", type=int, default=defaults.batch_size, help="digits per step")
    train.add_argument("--lr", type=float, default=defaults.learning_rate, help="peak learning rate")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default=defaults.optimizer, help="AdamW or SGD with momentum")
    train.add_argument("--no-augment", action="store_true", help="train without random warps and pen widths")
    train.add_argument(
        "--seed", type=int, default=defaults.seed, help="seed for weights, shuffling, augmentation and generated data"
    )
    train.add_argument(
        "--channels",
        type=int,
        nargs="+",
        default=list(model_defaults.conv_channels),
        help="output channels of each conv block",
    )
    train.add_argument("--kernel-size", type=int, default=model_defaults.kernel_size, help="conv kernel size (odd)")
    train.add_argument(
        "--hidden-units", type=int, default=model_defaults.hidden_units, help="width of the fully connected layer"
    )
    train.add_argument(
        "--dropout", type=float, default=model_defaults.dropout, help="dropout rate before the last layer"
    )
    train.add_argument("--batch-norm", action="store_true", help="add batch normalisation after each conv")
    train.add_argument("--max-batches", type=int, help="stop after this many batches")
    train.add_argument(
        "--dry-run", action="store_true", help="one batch on 1 %% of the digits and generated data: a set-up check"
    )
    train.set_defaults(run=train_command)

    teach = commands.add_parser("teach", help="learn new classes from a few examples (transfer learning)")
    teach.add_argument("directory", type=Path, metavar="DIR", help="one folder of example images per new class")
    teach.add_argument("--base", type=Path, help="whose conv layers are kept, frozen (default: the bundled model)")
    teach.add_argument("--out", type=Path, default=Path("taught.safetensors"), help="where to save the new model")
    teach.add_argument("--seed", type=int, default=0, help="seed for the new head and the warps of the examples")
    teach.add_argument("--json", action="store_true", help="print one JSON object")
    teach.set_defaults(run=teach_command)
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
