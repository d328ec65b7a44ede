"""Command line: python -m cnnviz {predict,explain,evaluate,train,teach} ... (see --help of each).

Over 300 lines because it is one argparse table and one short function per command: the command
line's whole contract in one place.
"""

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

from cnnviz.data.mnist import SOURCES
from cnnviz.errors import InputError, NoDigitError
from cnnviz.insight.verdict import OVERFLOW_WORDS, answer_probabilities, probabilities_of, verdict
from cnnviz.network.model import DIGITS, MAX_CHANNELS, MAX_CLASSES, MAX_HIDDEN, MAX_KERNEL, NOT_A_DIGIT, ModelConfig
from cnnviz.reading.files import read_limited
from cnnviz.training import checkpoints
from cnnviz.training.engine import OPTIMIZERS, TrainConfig


def label_of(index: int, classes: tuple[str, ...]):
    """A class as JSON gives it: a digit as a number for digit models, else the class name ("not a digit" too)."""
    return int(classes[index]) if classes[index] in DIGITS and classes[:10] == DIGITS else classes[index]


def each_image(files: list[str], answer, blank: dict | None = None) -> list[dict]:
    """{"file": name, **answer(preprocessed)} for each image file, or {"file", "error"} for one that cannot be used.

    Args:
        blank: fields a blank image's error also gets (predict: its verdict, "not a digit").
    """
    from cnnviz.reading.decode import MAX_FILE_BYTES
    from cnnviz.reading.preprocess import preprocess_bytes

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
        probabilities = probabilities_of(model, prepared.tensor)
        answers = answer_probabilities(probabilities, model.classes)
        result = {
            "label": label_of(int(answers.argmax()), model.config.answers),
            "probabilities": [round(float(p), 6) for p in answers],
        }
        if model.config.rejects:
            result["not_a_digit"] = round(float(probabilities[-1]), 6)
        if not model.config.is_digits:
            result["classes"] = list(model.config.answers)
        return {**result, **verdict(probabilities, model.classes).to_json()}

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
    from cnnviz.insight.attribution import attribute

    try:
        model = load_model(args.model)
        if args.target is not None and not 0 <= args.target < len(model.classes):
            raise InputError(f"--target must be a class index from 0 to {len(model.classes) - 1}")
        if args.layer is not None and args.layer not in model.conv_layers():
            raise InputError(f"--layer must be one of this model's conv layers: {', '.join(model.conv_layers())}")
    except InputError as error:
        return refuse_every_file(args, error)

    def answer(prepared) -> dict:
        predicted = int(answer_probabilities(probabilities_of(model, prepared.tensor), model.classes).argmax())
        target = predicted if args.target is None else args.target
        found = attribute(model, prepared.tensor, args.method, target, args.layer)
        if not np.isfinite(found.values).all():
            raise InputError(OVERFLOW_WORDS)
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
    from cnnviz.data.mnist import load_mnist_test
    from cnnviz.insight.evaluation import evaluate

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

    from cnnviz.data.mnist import load_training_digits
    from cnnviz.data.recipe import DataRecipe, training_data
    from cnnviz.network.model import build_model
    from cnnviz.training.engine import BatchEnd, EpochEnd, train

    try:
        model_config = ModelConfig(
            conv_channels=tuple(args.channels),
            kernel_size=args.kernel_size,
            hidden_units=args.hidden_units,
            dropout=args.dropout,
            batch_norm=args.batch_norm,
            classes=DIGITS + (NOT_A_DIGIT,) if args.not_digits else DIGITS,  # non-digits are a class of their own
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
    writable(args.out)
    recipe = DataRecipe(
        mnist_repeats=args.mnist_repeats,
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
    if args.no_calibrate:
        log("not calibrated (--no-calibrate): the raw confidence is kept")
    else:
        metadata.update(calibrate(model, data.val, log))
    seconds = time.perf_counter() - started
    if last_epoch and last_epoch.val_accuracy is not None:
        metadata["val_accuracy"] = f"{last_epoch.val_accuracy:.4f}"
    metadata["train_seconds"] = f"{seconds:.0f}"
    checkpoints.save(model, args.out, metadata)
    log(f"saved {args.out} after {seconds:.0f} s")
    return 0


CALIBRATE_FROM = 200  # validation digits needed for a temperature that means something ...
CALIBRATE_ABOVE = 0.9  # ... read at least this well: an untrained net's temperature says nothing
TEMPERATURE_RANGE = (0.25, 4.0)  # a fitted temperature outside this is a sign of too little data, not of honesty


def calibrate(model, val, log) -> dict[str, str]:
    """Fit and fold a temperature on the validation digits when that means something; metadata saying what was done."""
    from cnnviz.data.mnist import normalize
    from cnnviz.insight.calibration import expected_calibration_error, fit_temperature, fold_temperature

    if len(val) < CALIBRATE_FROM:
        log(f"not calibrated: {len(val)} validation digits are too few (it takes {CALIBRATE_FROM})")
        return {"calibration": "skipped: too few validation digits"}
    with torch.no_grad():
        logits = model(normalize(val.images))
    labels = val.labels.numpy()
    accuracy = float((logits.argmax(1).numpy() == labels).mean())
    if accuracy < CALIBRATE_ABOVE:
        log(
            f"not calibrated: the model reads only {accuracy:.0%} of the validation digits right, so its confidence "
            "cannot be tuned yet (train longer)"
        )
        return {"calibration": "skipped: the model is not trained enough"}
    before = expected_calibration_error(torch.softmax(logits, 1).numpy(), labels)
    temperature = min(max(fit_temperature(logits, val.labels), TEMPERATURE_RANGE[0]), TEMPERATURE_RANGE[1])
    after = expected_calibration_error(torch.softmax(logits / temperature, 1).numpy(), labels)
    fold_temperature(getattr(model, model.head.logits), temperature)
    log(f"calibrated: temperature {temperature:.3f}, expected calibration error {before:.4f} -> {after:.4f}")
    return {"temperature": f"{temperature:.4f}", "ece_before": f"{before:.4f}", "ece_after": f"{after:.4f}"}


def writable(out: Path) -> None:
    """InputError unless a file can be written at out: checked before minutes of work, not after."""
    out = Path(out)
    if out.is_dir():
        raise InputError(f"--out {out} is a folder: name a file to save the weights in")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--out {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InputError(f"--out {out} cannot be written here (no permission)")


def teach_command(args: argparse.Namespace) -> int:
    """Learn new classes from a folder of examples on the frozen conv layers of a base model, and save it."""
    from cnnviz.training.transfer import fit, read_folder, transfer_model

    started = time.perf_counter()
    writable(args.out)
    base = load_model(args.base)
    examples, refused = read_folder(args.directory)
    model = fit(transfer_model(base, examples.classes, args.seed), examples, seed=args.seed)
    try:
        checkpoints.save(model, args.out, {"cnnviz_classes": json.dumps(list(model.classes))})
    except OSError as error:
        raise InputError(f"--out {args.out} could not be written ({error.strerror or error})") from None
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


MAX_GENERATED = 200_000  # generated items of one kind: about an hour of drawing on 2 cores


def whole(low: int, high: int):
    """An argparse type: a whole number from low to high, refused at parse time with the range."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low:,} to {high:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def decimal(low: float, high: float, low_inclusive: bool = True, high_inclusive: bool = True):
    """An argparse type: a finite decimal number in a range (NaN and infinity refused at parse time)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        above = value > low if not low_inclusive else value >= low
        below = value < high if not high_inclusive else value <= high
        if not (math.isfinite(value) and above and below):
            brackets = f"{'[' if low_inclusive else '('}{low:g}, {high:g}{']' if high_inclusive else ')'}"
            raise argparse.ArgumentTypeError(f"{text} is not a number in {brackets}")
        return value

    parse.__name__ = "number"
    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m cnnviz", description=__doc__)
    parser.set_defaults(json_error=False)
    commands = parser.add_subparsers(dest="command", required=True)

    predict = commands.add_parser("predict", help="read the digit in image files")
    predict.add_argument("files", nargs="+", metavar="FILE", help="image files (PNG, JPEG, GIF, BMP, WebP, TIFF)")
    predict.add_argument("--model", type=Path, help="safetensors weights (default: the bundled model)")
    predict.add_argument("--json", action="store_true", help="print one JSON list, one object per file")
    predict.set_defaults(run=predict_command)

    from cnnviz.insight.attribution import METHODS

    explain = commands.add_parser("explain", help="which pixels pushed the answer, by an attribution method")
    explain.add_argument("files", nargs="+", metavar="FILE", help="image files (PNG, JPEG, GIF, BMP, WebP, TIFF)")
    explain.add_argument("--method", choices=METHODS, required=True, help="the attribution method (Captum)")
    explain.add_argument(
        "--target", type=whole(0, MAX_CLASSES - 1), help="the class to explain (default: the predicted one)"
    )
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
    evaluate.set_defaults(run=evaluate_command, json_error=True)

    defaults, model_defaults = TrainConfig(), ModelConfig()
    from cnnviz.data.recipe import DataRecipe

    recipe = DataRecipe()
    train = commands.add_parser("train", help="train a model and save it as safetensors")
    train.add_argument("--out", type=Path, default=Path("digit_cnn.safetensors"), help="where to save the weights")
    train.add_argument(
        "--data",
        choices=SOURCES,
        default="auto",
        help="full MNIST (downloaded once), the offline 5,000-digit sample, or auto: MNIST if reachable",
    )
    train.add_argument(
        "--val-fraction", type=decimal(0, 0.9), default=0.1, help="share of the digits held out for validation"
    )
    train.add_argument(
        "--mnist-repeats",
        type=whole(1, 10),
        default=recipe.mnist_repeats,
        help="times each training digit appears per epoch as it is",
    )
    train.add_argument(
        "--media-copies",
        type=whole(0, 10),
        default=recipe.media_copies,
        help="times each training digit is also put on a random medium (marker, pencil, photo, ...)",
    )
    train.add_argument(
        "--handwriting",
        type=whole(0, MAX_GENERATED),
        default=recipe.handwriting,
        help="generated digits in many styles",
    )
    train.add_argument(
        "--not-digits",
        type=whole(0, MAX_GENERATED),
        default=recipe.not_digits,
        help="letters, shapes, scribbles and patterned pages, trained towards equal odds",
    )
    train.add_argument("--no-calibrate", action="store_true", help="keep the raw confidence (no temperature scaling)")
    train.add_argument("--workers", type=whole(1, 64), default=2, help="processes that make the generated data")
    train.add_argument("--epochs", type=whole(1, 1000), default=defaults.epochs, help="passes over the training digits")
    train.add_argument(
        "--outlier-weight",
        type=decimal(0, 100),
        default=defaults.outlier_weight,
        help="weight of the non-digits' loss (towards equal odds for every class)",
    )
    train.add_argument("--batch-size", type=whole(1, 4096), default=defaults.batch_size, help="digits per step")
    train.add_argument(
        "--lr", type=decimal(0, 10, low_inclusive=False), default=defaults.learning_rate, help="peak learning rate"
    )
    train.add_argument("--optimizer", choices=OPTIMIZERS, default=defaults.optimizer, help="AdamW or SGD with momentum")
    train.add_argument("--no-augment", action="store_true", help="train without random warps and pen widths")
    train.add_argument(
        "--seed",
        type=whole(0, 2**31 - 1),
        default=defaults.seed,
        help="seed for weights, shuffling, augmentation and generated data",
    )
    train.add_argument(
        "--channels",
        type=whole(1, MAX_CHANNELS),
        nargs="+",
        default=list(model_defaults.conv_channels),
        help="output channels of each conv block",
    )
    train.add_argument(
        "--kernel-size", type=whole(1, MAX_KERNEL), default=model_defaults.kernel_size, help="conv kernel size (odd)"
    )
    train.add_argument(
        "--hidden-units",
        type=whole(1, MAX_HIDDEN),
        default=model_defaults.hidden_units,
        help="width of the fully connected layer",
    )
    train.add_argument(
        "--dropout",
        type=decimal(0, 1, high_inclusive=False),
        default=model_defaults.dropout,
        help="dropout rate before the last layer",
    )
    train.add_argument("--batch-norm", action="store_true", help="add batch normalisation after each conv")
    train.add_argument("--max-batches", type=whole(1, 10**9), help="stop after this many batches")
    train.add_argument(
        "--dry-run", action="store_true", help="one batch on 1 %% of the digits and generated data: a set-up check"
    )
    train.set_defaults(run=train_command)

    teach = commands.add_parser("teach", help="learn new classes from a few examples (transfer learning)")
    teach.add_argument("directory", type=Path, metavar="DIR", help="one folder of example images per new class")
    teach.add_argument("--base", type=Path, help="whose conv layers are kept, frozen (default: the bundled model)")
    teach.add_argument("--out", type=Path, default=Path("taught.safetensors"), help="where to save the new model")
    teach.add_argument(
        "--seed", type=whole(0, 2**31 - 1), default=0, help="seed for the new head and the warps of the examples"
    )
    teach.add_argument("--json", action="store_true", help="print one JSON object")
    teach.set_defaults(run=teach_command, json_error=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input prints one line and exits non-zero instead of a traceback."""
    args = parse_args(argv)
    try:
        return args.run(args)
    except InputError as error:
        if getattr(args, "json", False) and args.json_error:  # --json promises JSON: the error is one object
            print(json.dumps({"error": str(error)}))
        else:
            print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
