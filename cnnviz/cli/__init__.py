"""The command line: python -m cnnviz COMMAND ...: predict, explain, evaluate, train, teach, export, activations,
worksheet, lesson-plan.

This module is the argparse table, the whole command line's contract in one place (one small function per
command's arguments); each command is a short function in images.py (files in, answers out), training.py,
take_home.py or plan.py.
"""

import argparse
import json
import sys
from pathlib import Path

from cnnviz.cli.arguments import MAX_GENERATED, decimal, layer_list, whole
from cnnviz.cli.images import explain_command, predict_command
from cnnviz.cli.plan import lesson_plan_command
from cnnviz.cli.take_home import activations_command, export_command, worksheet_command
from cnnviz.cli.training import evaluate_command, teach_command, train_command
from cnnviz.data.mnist import SOURCES
from cnnviz.data.recipe import DataRecipe
from cnnviz.errors import InputError
from cnnviz.network.classes import MAX_CLASSES
from cnnviz.network.layers import SYNTAX
from cnnviz.network.presets import PRESET_WORDS, PRESETS
from cnnviz.training.engine import OPTIMIZERS, TrainConfig

MODEL_HELP = "safetensors weights (default: the bundled model)"
IMAGES_HELP = "image files (PNG, JPEG, GIF, BMP, WebP, TIFF)"


def _predict(commands) -> None:
    predict = commands.add_parser("predict", help="read the digit in image files")
    predict.add_argument("files", nargs="+", metavar="FILE", help=IMAGES_HELP)
    predict.add_argument("--model", type=Path, help=MODEL_HELP)
    predict.add_argument("--json", action="store_true", help="print one JSON list, one object per file")
    predict.set_defaults(run=predict_command)


def _explain(commands) -> None:
    from cnnviz.insight.attribution import METHODS

    explain = commands.add_parser("explain", help="which pixels pushed the answer, by an attribution method")
    explain.add_argument("files", nargs="+", metavar="FILE", help=IMAGES_HELP)
    explain.add_argument("--method", choices=METHODS, required=True, help="the attribution method (Captum)")
    explain.add_argument(
        "--target", type=whole(0, MAX_CLASSES - 1), help="the class to explain (default: the predicted one)"
    )
    explain.add_argument("--layer", help="grad-cam: the conv layer whose maps are weighed (default: the last)")
    explain.add_argument("--model", type=Path, help=MODEL_HELP)
    explain.add_argument(
        "--faithfulness",
        action="store_true",
        help="also the deletion test: the target's probability with the top 0-50 %% of pixels by the map blanked, "
        "and the same blanked at random",
    )
    explain.add_argument("--json", action="store_true", help="print one JSON list, one object per file")
    explain.set_defaults(run=explain_command)


def _evaluate(commands) -> None:
    evaluate = commands.add_parser("evaluate", help="accuracy on the official MNIST test set")
    evaluate.add_argument(
        "--mnist-dir",
        type=Path,
        required=True,
        help="folder with t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz",
    )
    evaluate.add_argument("--model", type=Path, help=MODEL_HELP)
    evaluate.add_argument(
        "--json", action="store_true", help='print {"accuracy": ..., "n": ..., "confusion_matrix": ...}'
    )
    evaluate.set_defaults(run=evaluate_command, json_error=True)


def _training_data(train) -> None:
    """train's data: where the digits come from and the recipe of what is added to them."""
    recipe = DataRecipe()
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
        help="letters, shapes, scribbles and patterned pages, trained as an output of their own: not a digit",
    )
    train.add_argument("--no-calibrate", action="store_true", help="keep the raw confidence (no temperature scaling)")
    train.add_argument("--workers", type=whole(1, 64), default=2, help="processes that make the generated data")


def _training_steps(train) -> None:
    """train's optimisation: epochs, batch size, learning rate, optimiser, augmentation, seed."""
    defaults = TrainConfig()
    train.add_argument("--epochs", type=whole(1, 1000), default=defaults.epochs, help="passes over the training digits")
    train.add_argument(
        "--outlier-weight",
        type=decimal(0, 100),
        default=defaults.outlier_weight,
        help="weight of the non-digits' loss",
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


def _training_network(train) -> None:
    """train's network: a preset, or any list of layers."""
    network = train.add_mutually_exclusive_group()
    network.add_argument(
        "--arch",
        choices=list(PRESETS),
        default="modern",
        help="a preset network: "
        + "; ".join(f"{name}, {words}" for name, words in PRESET_WORDS.items()).replace("%", "%%"),
    )
    network.add_argument(
        "--layers",
        type=layer_list,
        metavar="SPEC",
        help="the network's layers instead of a preset, separated by commas (the output layer is added): "
        f"{SYNTAX.replace('%', '%%')}; res(...) is a residual block. Example: "
        "'conv 6 5, tanh, avgpool 2, conv 16 5 pad 0, tanh, avgpool 2, flatten, linear 120, tanh, linear 84, tanh'",
    )


def _train(commands) -> None:
    train = commands.add_parser("train", help="train a model and save it as safetensors")
    train.add_argument(
        "--out",
        type=Path,
        help="where to save the weights (default: digit_cnn.safetensors here; a --dry-run saves only with --out)",
    )
    _training_data(train)
    _training_steps(train)
    _training_network(train)
    train.add_argument("--max-batches", type=whole(1, 10**9), help="stop after this many batches")
    train.add_argument(
        "--dry-run", action="store_true", help="one batch on 1 %% of the digits and generated data: a set-up check"
    )
    train.set_defaults(run=train_command)


def _teach(commands) -> None:
    teach = commands.add_parser("teach", help="learn new classes from a few examples (transfer learning)")
    teach.add_argument("directory", type=Path, metavar="DIR", help="one folder of example images per new class")
    teach.add_argument("--base", type=Path, help="whose conv layers are kept, frozen (default: the bundled model)")
    teach.add_argument("--out", type=Path, default=Path("taught.safetensors"), help="where to save the new model")
    teach.add_argument(
        "--seed", type=whole(0, 2**31 - 1), default=0, help="seed for the new head and the warps of the examples"
    )
    teach.add_argument("--json", action="store_true", help="print one JSON object")
    teach.set_defaults(run=teach_command, json_error=True)


def _export(commands) -> None:
    export = commands.add_parser("export", help="a network as plain PyTorch code and its weights, to take home")
    export.add_argument("weights", type=Path, metavar="WEIGHTS", help="a safetensors weights file")
    export.add_argument(
        "--out", type=Path, required=True, help="folder for model.py and weights.safetensors (its parent must exist)"
    )
    export.add_argument("--force", action="store_true", help="replace an earlier export in that folder")
    export.set_defaults(run=export_command)


def _activations(commands) -> None:
    activations = commands.add_parser("activations", help="every layer's output for one image, as arrays (.npz)")
    activations.add_argument("image", type=Path, metavar="IMAGE", help="an image file")
    activations.add_argument("--model", type=Path, help=MODEL_HELP)
    activations.add_argument("--out", type=Path, required=True, help="the .npz file to write")
    activations.set_defaults(run=activations_command)


def _worksheet(commands) -> None:
    worksheet = commands.add_parser("worksheet", help="a worksheet PDF to multiply and add by hand, with answers")
    worksheet.add_argument("image", type=Path, metavar="IMAGE", help="an image file")
    worksheet.add_argument("--model", type=Path, help=MODEL_HELP)
    worksheet.add_argument("--out", type=Path, required=True, help="the .pdf file to write")
    worksheet.set_defaults(run=worksheet_command)


def _lesson_plan(commands) -> None:
    plan = commands.add_parser("lesson-plan", help="a lesson as a teacher's plan (PDF), answered by the network")
    plan.add_argument(
        "--lesson",
        default="reading",
        metavar="NAME",
        help="a built-in lesson (reading: how a network reads a digit; learning: how it learns) or a lesson .toml file",
    )
    plan.add_argument("--image", type=Path, help="the image the questions are answered for (default: a sample)")
    plan.add_argument("--model", type=Path, help=MODEL_HELP)
    plan.add_argument("--out", type=Path, required=True, help="the .pdf file to write")
    plan.set_defaults(run=lesson_plan_command)


COMMANDS = [_predict, _explain, _evaluate, _train, _teach, _export, _activations, _worksheet, _lesson_plan]  # as --help


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m cnnviz",
        description="cnnviz from the command line: read digits, say why, score, train, teach, take a network home.",
    )
    parser.set_defaults(json_error=False)
    commands = parser.add_subparsers(dest="command", required=True)
    for add_command in COMMANDS:
        add_command(commands)
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
