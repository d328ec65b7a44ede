"""Take a network home as plain PyTorch: a short, readable model.py and its weights, runnable without cnnviz.

`python model.py DIGIT.png ... --json` loads weights.safetensors beside it and prints, for each image,
the class it reads and the probabilities, as `python -m cnnviz predict` does for MNIST-form digits
(28 x 28, white ink on black; other sizes are resized). It needs torch, safetensors, numpy and Pillow.
"""

import io
import zipfile
from pathlib import Path

from cnnviz.network.layers import Activation, BatchNorm, Conv, Dropout, Flatten, Layer, Linear, Pool, Residual, Shape
from cnnviz.network.model import Network
from cnnviz.saving import write_folder
from cnnviz.training.checkpoints import to_bytes

ACTIVATION_CODE = {"relu": "nn.ReLU()", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()", "leaky": "nn.LeakyReLU(0.01)"}

TEMPLATE = '''"""{title}, exported from cnnviz: the network as plain PyTorch, and a command that reads digits.

    python model.py DIGIT.png ... [--json]

Each image is read as an MNIST digit: grayscale, resized to 28 x 28, white ink on black (a digit on
light paper is inverted first), normalised with MNIST's mean and spread. Needs torch, safetensors,
numpy and Pillow; the weights are in weights.safetensors beside this file.
"""

import argparse
import json
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file
from torch import nn

CLASSES = {classes!r}
NOT_A_DIGIT = "not a digit"  # if the last class is this, it is a verdict, not a reading
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
{residual}

def build() -> nn.Sequential:
    """The network, layer by layer: the same names as the weights file's."""
    return nn.Sequential(
        OrderedDict(
            [
{layers}
            ]
        )
    )


def read(path: Path) -> torch.Tensor:
    """One image as the network's input (1, 1, 28, 28)."""
    image = Image.open(path).convert("L").resize((28, 28), Image.Resampling.BILINEAR)
    pixels = np.asarray(image, dtype=np.float32) / 255
    if np.median(pixels) > 0.5:  # dark ink on light paper: MNIST is white on black
        pixels = 1 - pixels
    return torch.from_numpy((pixels - MNIST_MEAN) / MNIST_STD)[None, None]


def main() -> None:
    parser = argparse.ArgumentParser(description="Read digits with the exported network.")
    parser.add_argument("images", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON list")
    args = parser.parse_args()
    model = build()
    model.load_state_dict(load_file(str(Path(__file__).with_name("weights.safetensors"))))
    model.eval()
    answers = CLASSES[:-1] if CLASSES[-1] == NOT_A_DIGIT else CLASSES
    results = []
    for path in args.images:
        with torch.no_grad():
            probabilities = torch.softmax(model(read(path)), dim=1)[0][: len(answers)]
        probabilities = probabilities / probabilities.sum()  # over the answers alone
        best = int(probabilities.argmax())
        label = int(answers[best]) if answers[best].isdigit() else answers[best]
        shares = [round(float(p), 6) for p in probabilities]
        results.append({{"file": str(path), "label": label, "probabilities": shares}})
    if args.json:
        print(json.dumps(results))
    else:
        for result in results:
            print(f"{{result['file']}}: {{result['label']}} ({{max(result['probabilities']):.1%}})")


if __name__ == "__main__":
    main()
'''

RESIDUAL_CODE = '''

class Residual(nn.Module):
    """A skip connection: the block's layers' output plus its input (through a 1x1 conv when shapes differ)."""

    def __init__(self, body: nn.Sequential, shortcut: nn.Module):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x) + self.shortcut(x)
'''


def module_code(layer: Layer, shape: Shape) -> str:
    """One layer's module as Python source (on one line), for an input of this shape; not for residual blocks."""
    if isinstance(layer, Conv):
        settings = f"kernel_size={layer.kernel}, stride={layer.stride}, padding={layer.pad}"
        return f"nn.Conv2d({shape.channels}, {layer.channels}, {settings})"
    if isinstance(layer, Activation):
        return ACTIVATION_CODE[layer.function]
    if isinstance(layer, Pool):
        kind = "nn.MaxPool2d" if layer.mode == "max" else "nn.AvgPool2d"
        return f"{kind}({layer.size}, stride={layer.step})"
    if isinstance(layer, BatchNorm):
        return f"nn.BatchNorm2d({shape.channels})"
    if isinstance(layer, Dropout):
        return f"nn.Dropout({layer.rate:g})"
    if isinstance(layer, Flatten):
        return "nn.Flatten()"
    if isinstance(layer, Linear):
        return f"nn.Linear({shape.size}, {layer.units})"
    raise TypeError(f"no code for {type(layer).__name__}")


def layer_lines(layer: Layer, shape: Shape, indent: str) -> list[str]:
    """The lines of one entry of build()'s list: ("name", module), a residual block over several lines."""
    if not isinstance(layer, Residual):
        return [f'{indent}("{layer.name}", {module_code(layer, shape)}),']
    lines = [f"{indent}(", f'{indent}    "{layer.name}",', f"{indent}    Residual("]
    lines.append(f"{indent}        nn.Sequential(OrderedDict([")
    out = shape
    for inner in layer.body:
        lines += layer_lines(inner, out, indent + "            ")
        out = inner.output(out)
    shortcut = (
        "nn.Identity()"
        if out == shape
        else f"nn.Conv2d({shape.channels}, {out.channels}, 1, stride={shape.height // out.height}, bias=False)"
    )
    lines += [f"{indent}        ])),", f"{indent}        {shortcut},", f"{indent}    ),", f"{indent}),"]
    return lines


def python_code(model: Network, title: str = "A network") -> str:
    """model.py for this network: build() makes it with the same layer names as its weights."""
    architecture = model.config
    lines, shape = [], Shape(1, 28, 28)
    indent = " " * 16
    for layer in architecture.layers:
        lines += layer_lines(layer, shape, indent)
        shape = layer.output(shape)
    output = model.output
    lines.append(f'{indent}("{output.name}", nn.Linear({shape.size}, {output.shape.channels})),  # one per class')
    uses_residual = any(isinstance(layer, Residual) for layer in architecture.layers)
    return TEMPLATE.format(
        title=title,
        classes=tuple(architecture.classes),
        residual=RESIDUAL_CODE if uses_residual else "",
        layers="\n".join(lines),
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
