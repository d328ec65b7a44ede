"""The commands that train and score: train (a network on the data recipe), teach (new classes), evaluate."""

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from cnnviz.cli.arguments import load_model
from cnnviz.errors import InputError
from cnnviz.network.classes import DIGITS, NOT_A_DIGIT
from cnnviz.network.layers import Architecture, parse_layers
from cnnviz.network.presets import PRESETS
from cnnviz.saving import check_file
from cnnviz.training import checkpoints
from cnnviz.training.engine import TrainConfig


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


DEFAULT_OUT = Path("digit_cnn.safetensors")  # where a training run is saved without --out (a dry run is not)


def train_command(args: argparse.Namespace) -> int:
    """Train a model with the engine (on the data recipe), calibrate it, show progress, and save it as safetensors."""
    from tqdm import tqdm

    from cnnviz.data.mnist import load_training_digits
    from cnnviz.data.recipe import DataRecipe, training_data
    from cnnviz.network.model import build_model
    from cnnviz.training.engine import BatchEnd, EpochEnd, train

    classes = DIGITS + (NOT_A_DIGIT,) if args.not_digits else DIGITS  # non-digits are a class of their own
    try:
        architecture = Architecture(args.layers or parse_layers(PRESETS[args.arch]), classes)
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
    out = args.out or (None if args.dry_run else DEFAULT_OUT)  # a set-up check keeps nothing unless asked
    if out is not None:
        check_file(out)  # before minutes of work, not after
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
    log(f"the network: {' -> '.join(layer.text for layer in architecture.layers)} -> linear {len(classes)}")
    model = build_model(architecture, seed=config.seed)
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
    arch = "layers" if args.layers else args.arch
    metadata = {"data": data.train.source, "train_config": json.dumps(config.__dict__), "arch": arch}
    if args.no_calibrate:
        log("not calibrated (--no-calibrate): the raw confidence is kept")
    else:
        metadata.update(calibrate(model, data.val, log))
    seconds = time.perf_counter() - started
    if last_epoch and last_epoch.val_accuracy is not None:
        metadata["val_accuracy"] = f"{last_epoch.val_accuracy:.4f}"
    metadata["train_seconds"] = f"{seconds:.0f}"
    if out is None:
        log(f"dry run done after {seconds:.0f} s; nothing saved (add --out FILE to keep the model)")
        return 0
    log(f"saved {checkpoints.save(model, out, metadata)} after {seconds:.0f} s")
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
    fold_temperature(model.output.module, temperature)
    log(f"calibrated: temperature {temperature:.3f}, expected calibration error {before:.4f} -> {after:.4f}")
    return {"temperature": f"{temperature:.4f}", "ece_before": f"{before:.4f}", "ece_after": f"{after:.4f}"}


def teach_command(args: argparse.Namespace) -> int:
    """Learn new classes from a folder of examples on the frozen conv layers of a base model, and save it."""
    from cnnviz.training.transfer import fit, read_folder, transfer_model

    started = time.perf_counter()
    check_file(args.out)
    base = load_model(args.base)
    examples, refused = read_folder(args.directory)
    model = fit(transfer_model(base, examples.classes, args.seed), examples, seed=args.seed)
    written = checkpoints.save(model, args.out, {"cnnviz_classes": json.dumps(list(model.classes))})
    counts = torch.bincount(examples.labels, minlength=len(examples.classes)).tolist()
    result = {
        "out": str(written),
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
        print(f"taught {taught} on the frozen {', '.join(result['frozen'])} in {result['seconds']} s: {written}")
        for problem in refused:
            print(f"{problem['file']}: skipped: {problem['error']}")
    return 0
