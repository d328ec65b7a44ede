"""What the overview and the convolution player draw, as plain JSON: every stage of the network for one image.

The browser does the drawing (ui/components/*.js); this module decides what is shown: the stages
in order, each map's numbers (float32, base64), colour scales and the selected cell. Layer names
come from the model's own description of its blocks.
"""

import base64
from dataclasses import dataclass

import numpy as np
import torch
from plotly.colors import sample_colorscale

from cnnviz.network.arithmetic import layer_input, norm_step
from cnnviz.network.capture import PROBABILITIES
from cnnviz.network.model import POOL_SIZE, DigitCNN
from cnnviz.viz.colors import Palette
from cnnviz.viz.figure import symmetric_range

SATURATE = (
    99.5  # colours span up to this percentile of a stage's values: a few extreme cells must not wash out the rest
)

LUT_SIZE = 64  # colours per scale sent to the browser


@dataclass(frozen=True)
class Selection:
    """One cell of one conv layer's maps: what the detail views take apart."""

    layer: str  # a conv layer's name, e.g. "conv2"
    channel: int
    row: int
    col: int


def encode(values: np.ndarray) -> str:
    """float32 little-endian bytes of an array, base64: compact and exact for the browser."""
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f4").tobytes()).decode("ascii")


def lut(scale: list) -> list[list[int]]:
    """A colour scale as LUT_SIZE [r, g, b] triples, from its low end to its high end."""
    colours = sample_colorscale(scale, list(np.linspace(0, 1, LUT_SIZE)), colortype="tuple")
    return [[round(channel * 255) if channel <= 1 else round(channel) for channel in colour] for colour in colours]


def _limit(values: np.ndarray) -> float:
    """The top of a stage's colour scale: the SATURATE percentile of its absolute values."""
    return max(float(np.percentile(np.abs(values), SATURATE)), 1e-6)


def _maps(stage_id: str, title: str, operation: str, values: np.ndarray, signed: bool, limit: float, **more) -> dict:
    """A stage of maps (C, H, W) with its colour range."""
    channels, height, width = values.shape
    return {
        "id": stage_id,
        "kind": "maps",
        "title": title,
        "operation": operation,
        "channels": channels,
        "height": height,
        "width": width,
        "signed": signed,
        "low": -limit if signed else 0.0,
        "high": limit,
        "values": encode(values),
        **more,
    }


def overview(
    model: DigitCNN,
    activations: dict[str, np.ndarray],
    image: torch.Tensor,
    palette: Palette,
    selection: Selection | None,
    only: set[str] | None = None,
) -> dict:
    """Every stage of the network for one image, in order, for the overview component (or only the named stages)."""
    pixels = image[0].numpy()  # (1, 28, 28) normalised
    stages = [
        _maps(
            "input",
            "Input",
            f"{pixels.shape[1]} x {pixels.shape[2]} pixels",
            pixels,
            False,
            float(pixels.max()),
            low_value=float(pixels.min()),
            block=None,
        )
    ]
    k = model.config.kernel_size
    for block in model.blocks():
        conv = activations[block.conv]
        channels = conv.shape[0]
        stages.append(
            _maps(
                block.conv,
                f"Conv {block.number}",
                f"{channels} filters {k}x{k}",
                conv,
                True,
                _limit(conv),
                block=block.conv,
                step="conv",
                kernel=k,
                source=block.source or "input",
            )
        )
        if block.norm:
            normed = activations[block.norm]
            stages.append(
                _maps(block.norm, "Norm", "scale, shift", normed, True, _limit(normed), block=block.conv, step="norm")
            )
        relu, pooled = activations[block.relu], activations[block.pool]
        top = _limit(relu)  # ReLU and pooling share one scale: pooling only keeps values
        stages.append(_maps(block.relu, "ReLU", "max(0, x)", relu, False, top, block=block.conv, step="relu"))
        stages.append(
            _maps(
                block.pool,
                f"Pool {block.number}",
                f"max of {POOL_SIZE}x{POOL_SIZE}",
                pooled,
                False,
                top,
                block=block.conv,
                step="pool",
            )
        )
    hidden = activations[model.head.hidden_relu]
    stages.append(
        {
            "id": model.head.hidden_relu,
            "kind": "units",
            "title": "Dense",
            "operation": f"{hidden.size} units",
            "count": int(hidden.size),
            "low": 0.0,
            "high": max(float(hidden.max()), 1e-6),
            "values": encode(hidden),
        }
    )
    probabilities = activations[PROBABILITIES]
    stages.append(
        {
            "id": PROBABILITIES,
            "kind": "bars",
            "title": "Output",
            "operation": "softmax",
            "labels": list(model.classes),
            "values": encode(probabilities),
            "best": int(np.argmax(probabilities)),
        }
    )
    if only is not None:
        stages = [stage for stage in stages if stage["id"] in only]
    chosen = None
    if selection is not None:
        chosen = {"block": selection.layer, "channel": selection.channel, "row": selection.row, "col": selection.col}
    return {
        "stages": stages,
        "selected": chosen,
        "colours": {
            "diverging": lut(palette.diverging),
            "sequential": lut(palette.sequential),
            "gray": lut([[0, "rgb(0,0,0)"], [1, "rgb(255,255,255)"]]),
            "highlight": palette.highlight,
            "base": palette.base,
        },
    }


def player(
    model: DigitCNN, activations: dict[str, np.ndarray], image: torch.Tensor, palette: Palette, selection: Selection
) -> dict:
    """What the convolution player animates for the selected channel: its input maps, kernel, bias and outputs."""
    block = model.block(selection.layer)
    conv = getattr(model, block.conv)
    inputs = layer_input(activations, image, block)  # (C_in, H, W)
    kernel = conv.weight[selection.channel].detach().numpy()  # (C_in, k, k)
    padding = conv.padding[0]
    padded = np.pad(inputs, ((0, 0), (padding, padding), (padding, padding)))
    k = kernel.shape[-1]
    patch = padded[:, selection.row : selection.row + k, selection.col : selection.col + k]
    contribution = (patch * kernel).sum(axis=(1, 2))  # each input channel's share of the selected cell
    norm = None
    if block.norm:
        with torch.no_grad():
            step = norm_step(getattr(model, block.norm), selection.channel)
            norm = [step.scale, step.shift]  # the player shows it as scale * x + shift
    output = activations[block.conv][selection.channel]
    relu = activations[block.relu][selection.channel]
    return {
        "layer": block.conv,
        "title": block.title,
        "channel": selection.channel,
        "row": selection.row,
        "col": selection.col,
        "first": block.source is None,
        "inputs": encode(inputs),
        "in_channels": int(inputs.shape[0]),
        "in_height": int(inputs.shape[1]),
        "in_width": int(inputs.shape[2]),
        "input_limit": float(np.abs(inputs).max()) or 1.0,
        "input_signed": bool(block.source is None),
        "kernel": encode(kernel),
        "k": k,
        "padding": padding,
        "bias": float(conv.bias[selection.channel].detach()),
        "norm": norm,
        "output": encode(output),
        "relu": encode(relu),
        "out_height": int(output.shape[0]),
        "out_width": int(output.shape[1]),
        "output_limit": symmetric_range(output),
        "pooled": encode(activations[block.pool][selection.channel]),
        "pool": POOL_SIZE,
        "channel_order": [int(c) for c in np.argsort(-np.abs(contribution))],
        "contribution": [float(c) for c in contribution],
        "colours": {
            "diverging": lut(palette.diverging),
            "sequential": lut(palette.sequential),
            "gray": lut([[0, "rgb(0,0,0)"], [1, "rgb(255,255,255)"]]),
            "highlight": palette.highlight,
        },
    }
