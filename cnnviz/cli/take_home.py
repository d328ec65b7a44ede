"""The commands that take a network home: export (plain PyTorch code and weights), activations (every number
the pages show, as arrays), worksheet (a PDF to multiply and add by hand)."""

import argparse
from pathlib import Path

from cnnviz.cli.arguments import load_model
from cnnviz.reading.decode import MAX_FILE_BYTES
from cnnviz.reading.files import read_limited
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.saving import check_file, write_file
from cnnviz.training import checkpoints


def export_command(args: argparse.Namespace) -> int:
    """Write DIR/model.py and DIR/weights.safetensors for the weights file (an earlier export only with --force)."""
    from cnnviz.training.export import export

    model = checkpoints.load(args.weights)
    code, weights = export(model, args.out, f"{Path(args.weights).stem}", replace=args.force)
    print(f"wrote {code} and {weights}: python {code} IMAGE... [--json]")
    return 0


def _prepared(image: Path):
    return preprocess_bytes(read_limited(Path(image), MAX_FILE_BYTES, "images"))


def activations_command(args: argparse.Namespace) -> int:
    """Save every layer's output for one image as arrays: the input as the network got it, each layer, the answer."""
    from cnnviz.network.capture import every_array, npz_bytes

    check_file(args.out)
    model = load_model(args.model)
    arrays = every_array(model, _prepared(args.image).tensor)
    written = write_file(args.out, npz_bytes(arrays))
    print(f"wrote {written}: {', '.join(arrays)}")
    return 0


def worksheet_command(args: argparse.Namespace) -> int:
    """A worksheet PDF for one image: a real patch and kernel to multiply by hand, a ReLU and a pooling exercise."""
    from cnnviz.network.capture import ActivationCapture
    from cnnviz.viz.worksheet import worksheet_pdf

    check_file(args.out)
    model = load_model(args.model)
    image = _prepared(args.image).tensor
    written = write_file(args.out, worksheet_pdf(model, ActivationCapture(model)(image), image, Path(args.image).name))
    print(f"wrote {written}")
    return 0
