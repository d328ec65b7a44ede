"""Take a network home as plain PyTorch: model.py and its weights, runnable without cnnviz.

`python model.py IMAGE ... --json` prepares each image exactly as the app does (model.py carries the
text of cnnviz.reading.portable, which the app itself reads with), runs the network, judges the answer
by the app's own rule and thresholds (cnnviz.insight.verdict.verdict_kind) and prints the fields of
`python -m cnnviz predict --json`. It needs torch, safetensors, numpy and Pillow.

Nothing that names the network (a file name, a title, a class name) is ever written as code: each
goes into model.py as a Python literal made by repr, so any text stays text.
"""

import ast
import inspect
import io
import zipfile
from pathlib import Path

from cnnviz.insight import verdict
from cnnviz.network.classes import DIGITS, NOT_A_DIGIT
from cnnviz.network.layer import Layer
from cnnviz.network.layers import Shape
from cnnviz.network.model import Network
from cnnviz.network.modules import ResidualBlock
from cnnviz.reading import portable
from cnnviz.saving import write_folder
from cnnviz.training.checkpoints import to_bytes

HEADER = '''"""A network taken home from cnnviz: the network in PyTorch, the app's own image preparation, a command.

    python model.py IMAGE ... [--json]

Each image is prepared exactly as the app prepares it (grayscale, white ink on black, the lighting
evened, cropped to the ink, fitted into 20 x 20 and centred by its centre of mass in 28 x 28), read by
the network, and judged as the app judges it: a digit, unsure between two, or not a digit. --json
prints one JSON list with the fields of `python -m cnnviz predict --json`. Needs torch, safetensors,
numpy and Pillow; the weights are in weights.safetensors beside this file. TITLE says which network.
"""

import argparse
import json
import sys
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps
from safetensors.torch import load_file
from torch import nn
'''

RESIDUAL = "\n\n" + inspect.getsource(ResidualBlock)  # the app's own class, as text

COMMAND = '''

def label_of(index: int, answers: tuple):
    """A class as JSON gives it: a digit as a number for the ten digits, else the class's name."""
    return int(answers[index]) if answers[:10] == DIGITS and answers[index] in DIGITS else answers[index]


def answer(model: nn.Module, image: torch.Tensor) -> dict:
    """What the network says of one prepared image (1, 1, 28, 28), in the fields of cnnviz's predict --json."""
    with torch.no_grad():
        probabilities = torch.softmax(model(image), dim=1)[0].numpy().astype(np.float64)
    if not np.isfinite(probabilities).all():
        raise ValueError(OVERFLOW)
    rejects = CLASSES[-1] == NOT_A_DIGIT  # the last output, "not a digit", is a verdict, not an answer
    answers = CLASSES[:-1] if rejects else CLASSES
    scores = probabilities[:-1] if rejects else probabilities
    shares = scores
    if rejects:  # over the answers alone: for a non-digit, which digit it resembles
        shares = scores / scores.sum() if scores.sum() > 0 else np.full(len(scores), 1 / len(scores))
    result = {"label": label_of(int(shares.argmax()), answers), "probabilities": [round(float(p), 6) for p in shares]}
    if rejects:
        result["not_a_digit"] = round(float(probabilities[-1]), 6)
    if answers != DIGITS:
        result["classes"] = list(answers)
    order = np.argsort(scores)[::-1]
    rejection = float(probabilities[-1]) if rejects else None
    kind = verdict_kind(float(scores[order[0]]), float(scores[order[1]]), rejection)
    result["verdict"] = kind
    if kind == UNSURE:
        pair = [answers[order[0]], answers[order[1]]]
        result["between"] = [int(name) for name in pair] if answers == DIGITS else pair
    return result


def read(model: nn.Module, name: str) -> dict:
    """{"file": name, ...the answer}, or {"file": name, "error": one sentence} for a file that cannot be used."""
    try:
        image = open_image(name)
    except Exception as error:  # noqa: BLE001 - no image, a damaged one, a missing file: one sentence each
        reason = str(error).splitlines()[0][:80] if str(error).strip() else type(error).__name__
        return {"file": name, "error": f"The file cannot be read as an image ({reason})."}
    try:
        return {"file": name, **answer(model, network_input(prepare(image).centred))}
    except NoDigit as error:
        return {"file": name, "error": str(error), "verdict": NOT_A_DIGIT}
    except ValueError as error:
        return {"file": name, "error": str(error)}


def main() -> int:
    parser = argparse.ArgumentParser(description="Read digits with the exported network, as the app reads them.")
    parser.add_argument("images", nargs="+", help="image files (PNG, JPEG, GIF, BMP, WebP or TIFF)")
    parser.add_argument("--json", action="store_true", help="print one JSON list, one object per file")
    args = parser.parse_args()
    model = build()
    model.load_state_dict(load_file(str(Path(__file__).with_name("weights.safetensors"))))
    model.eval()
    results = [read(model, name) for name in args.images]
    if args.json:
        print(json.dumps(results, allow_nan=False))
    for result in [] if args.json else results:
        if "error" in result:
            print(f"{result['file']}: error: {result['error']}")
            continue
        line = f"{result['file']}: {result['label']} ({max(result['probabilities']):.1%})"
        if result["verdict"] != DIGIT:
            line += f", {result['verdict']}"
            if "between" in result:
                line += f" between {' and '.join(map(str, result['between']))}"
        print(line)
    return 1 if any("error" in result for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
'''


def _body(module) -> str:
    """A module's text after its docstring and imports: what model.py carries of it."""
    source = inspect.getsource(module)
    tree = ast.parse(source)
    start = max(node.end_lineno for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)))
    return "\n".join(source.splitlines()[start:]).strip("\n")


def layer_lines(layer: Layer, shape: Shape, indent: str) -> list[str]:
    """The lines of one entry of build()'s list: (name, module), a residual block over several lines."""
    if not layer.inner:
        return [f"{indent}({layer.name!r}, {layer.code(shape)}),"]
    lines = [f"{indent}(", f"{indent}    {layer.name!r},", f"{indent}    ResidualBlock("]
    lines.append(f"{indent}        nn.Sequential(OrderedDict([")
    out = shape
    for inner in layer.inner:
        lines += layer_lines(inner, out, indent + "            ")
        out = inner.output(out)
    shortcut = layer.shortcut_code(shape)
    lines += [f"{indent}        ])),", f"{indent}        {shortcut},", f"{indent}    ),", f"{indent}),"]
    return lines


def network_code(model: Network) -> str:
    """build(): the network with the same layer names as its weights."""
    lines, shape, indent = [], Shape(1, 28, 28), " " * 16
    for layer in model.config.layers:
        lines += layer_lines(layer, shape, indent)
        shape = layer.output(shape)
    output = model.output
    lines.append(f"{indent}({output.name!r}, nn.Linear({shape.size}, {output.shape.channels})),  # one per class")
    uses_residual = any(layer.inner for layer in model.config.layers)
    return (RESIDUAL if uses_residual else "") + (
        '\n\ndef build() -> nn.Sequential:\n    """The network, layer by layer, named as in the weights file."""\n'
        "    return nn.Sequential(\n        OrderedDict(\n            [\n"
        + "\n".join(lines)
        + "\n            ]\n        )\n    )\n"
    )


def python_code(model: Network, title: str = "A network") -> str:
    """model.py for this network; every name in it (title, classes, layers) a literal, never code."""
    settings = [
        f"TITLE = {str(title)!r}  # which network this is, as cnnviz named it",
        f"CLASSES = {tuple(model.classes)!r}  # the outputs, in order",
        f"DIGITS, NOT_A_DIGIT = {DIGITS!r}, {NOT_A_DIGIT!r}",
        f"DIGIT, UNSURE = {verdict.DIGIT!r}, {verdict.UNSURE!r}  # the kinds of verdict, with NOT_A_DIGIT",
        f"SURE, MARGIN, TWO_WAY, LEANING = {verdict.SURE!r}, {verdict.MARGIN!r}, {verdict.TWO_WAY!r}, "
        f"{verdict.LEANING!r}  # the verdict's thresholds, as the app's",
        f"OVERFLOW = {verdict.OVERFLOW_WORDS!r}",
        "Image.MAX_IMAGE_PIXELS = 40_000_000  # Pillow refuses images twice as large as this outright",
    ]
    return "\n".join(
        [
            HEADER,
            *settings,
            "\n\n# --- how the app prepares an image (cnnviz/reading/portable.py) " + "-" * 35 + "\n",
            _body(portable),
            "\n\n# --- the network " + "-" * 82,
            network_code(model),
            "\n# --- the verdict, as the app gives it (cnnviz/insight/verdict.py) " + "-" * 33 + "\n\n",
            inspect.getsource(verdict.verdict_kind),
            COMMAND,
        ]
    )


def export(model: Network, folder: Path, title: str = "A network", replace: bool = False) -> tuple[Path, Path]:
    """Write folder/model.py and folder/weights.safetensors, both or neither (see cnnviz.saving.write_folder);
    an earlier export there is replaced only when asked. Returns their absolute paths."""
    files = {"model.py": python_code(model, title).encode("utf-8"), "weights.safetensors": to_bytes(model)}
    code, weights = write_folder(folder, files, replace)
    return code, weights


def export_zip(model: Network, title: str = "A network trained in cnnviz") -> bytes:
    """The same two files in a zip, for a download button."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cnnviz-model/model.py", python_code(model, title))
        archive.writestr("cnnviz-model/weights.safetensors", to_bytes(model))
    return out.getvalue()
