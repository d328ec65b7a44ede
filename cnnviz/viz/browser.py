"""What the overview and the convolution player draw, as plain JSON: every stage of the network for one image.

The browser does the drawing (ui/components/*.js); this module decides what is shown: the stages
in order (one per layer whose output can be seen), each map's numbers (float32, base64), colour
scales, a sentence per stage for screen readers, and the boxes to outline around the selected cell.
"""

import base64

import numpy as np
import torch

from cnnviz.network.arithmetic import layer_input, norm_step, pool_after
from cnnviz.network.capture import PROBABILITIES
from cnnviz.network.cells import Selection, boxes
from cnnviz.network.model import LayerInfo, Network
from cnnviz.viz.colors import Palette, shades
from cnnviz.viz.feature_maps import layer_scale
from cnnviz.viz.figure import symmetric_range

SATURATE = 99.5  # colours span up to this percentile of a stage's values: a few extreme cells must not wash out others
LUT_SIZE = 64  # colours per scale sent to the browser


def encode(values: np.ndarray) -> str:
    """float32 little-endian bytes of an array, base64: compact and exact for the browser."""
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f4").tobytes()).decode("ascii")


def lut(scale: list) -> list[list[int]]:
    """A colour scale as LUT_SIZE [r, g, b] triples, from its low end to its high end."""
    return shades(scale, LUT_SIZE).tolist()


def colours(palette: Palette) -> dict:
    """The colour tables every component draws with."""
    return {
        "diverging": lut(palette.diverging),
        "sequential": lut(palette.sequential),
        "gray": lut([[0, "rgb(0,0,0)"], [1, "rgb(255,255,255)"]]),
        "highlight": palette.highlight,
        "base": palette.base,
    }


def _limit(values: np.ndarray) -> float:
    """The top of a stage's colour scale: the SATURATE percentile of its absolute values."""
    finite = np.abs(values[np.isfinite(values)]).ravel()
    if not finite.size:
        return 1e-6
    # np.percentile's linear interpolation, from a partial sort of the two values around it: 5x faster on big maps
    at = SATURATE / 100 * (finite.size - 1)
    below = int(at)
    above = min(below + 1, finite.size - 1)
    low, high = np.partition(finite, [below, above])[[below, above]]
    return max(float(low + (high - low) * (at - below)), 1e-6)


def describe_maps(title: str, values: np.ndarray) -> str:
    """A stage's maps in one sentence, from the numbers: where the strongest cell is, and how strong."""
    channels = values.shape[0]
    channel, row, col = np.unravel_index(int(np.argmax(values)), values.shape)
    where = f"map {channel}, " if channels > 1 else ""
    active = float((values > 0).mean())
    return (
        f"{title}: {channels} map{'s' if channels > 1 else ''} of {values.shape[1]} x {values.shape[2]}; strongest at "
        f"{where}row {row}, column {col}: {float(values[channel, row, col]):.2f}; {active:.0%} of the cells above zero."
    )


def colour_range(info: LayerInfo, values: np.ndarray) -> tuple[bool, float, float]:
    """(signed, low, high) of a stage's colour scale: the ends its values can reach where the layer has them
    (tanh -1 to 1, sigmoid 0 to 1), else the SATURATE percentile; centred on zero for signed values."""
    low, high = info.spec.bounds
    signed, _ = layer_scale(info.spec, values)
    limit = _limit(values)
    if high is None:
        high = limit
    if low is None or (signed and low > -high):  # a scale reaching below zero is centred on it
        low = -high if signed else 0.0
    return signed, float(low), float(high)


def stages_of(model: Network, activations: dict[str, np.ndarray], image: torch.Tensor) -> list[dict]:
    """Every stage of the network for one image, in order: the input, each layer's maps or units, the answer."""
    stages = [_input_stage(image[0].numpy())]
    scales: dict[str, tuple[bool, float, float]] = {}  # each maps stage's colour scale, by layer name
    layers = model.layers()
    for index, info in enumerate(layers):
        if not info.spec.drawn or info is model.output:
            continue
        values = activations[info.name]
        if info.maps:
            stages.append(_maps_stage(info, values, scales))
            continue
        following = layers[index + 1] if index + 1 < len(layers) else None
        if following is not None and following.spec.per_cell and following.source == info.name:
            continue  # a linear layer's units are drawn once activated, titled after the linear layer
        stages.append(_units_stage(model, info, values))
    stages.append(_answer_stage(model, activations[PROBABILITIES]))
    return stages


def _input_stage(pixels: np.ndarray) -> dict:
    """The input stage: the (1, 28, 28) normalised pixels the network got, in gray."""
    return {
        "id": "input",
        "kind": "maps",
        "title": "Input",
        "operation": f"{pixels.shape[1]}x{pixels.shape[2]} pixels",
        "channels": 1,
        "height": pixels.shape[1],
        "width": pixels.shape[2],
        "signed": False,
        "gray": True,
        "low": float(pixels.min()),
        "high": float(pixels.max()),
        "values": encode(pixels),
        "alt": f"The input: the digit as {pixels.shape[1]} x {pixels.shape[2]} pixels, ink bright on black.",
    }


def _maps_stage(info: LayerInfo, values: np.ndarray, scales: dict[str, tuple[bool, float, float]]) -> dict:
    """A layer's maps (channels, height, width); its colour scale is added to scales (pooling keeps its source's)."""
    if info.spec.pools and info.source in scales:  # pooling keeps or averages: the same scale
        signed, low, high = scales[info.source]
    else:
        signed, low, high = colour_range(info, values)
    scales[info.name] = signed, low, high
    channels, height, width = values.shape
    return {
        "id": info.name,
        "kind": "maps",
        "title": info.title,
        "operation": info.spec.operation(info.shape),
        "channels": channels,
        "height": height,
        "width": width,
        "signed": signed,
        "low": low,
        "high": high,
        "values": encode(values),
        "source": info.source,
        "alt": describe_maps(info.title, values),
    }


def _units_stage(model: Network, info: LayerInfo, values: np.ndarray) -> dict:
    """A layer's units (a linear layer's, or its activation's, titled after the linear layer)."""
    title, operation = info.title, "no activation"
    if info.spec.per_cell:
        title, operation = model.layer(info.source).title, info.title
    signed = float(values.min()) < 0
    high = max(float(np.abs(values).max()), 1e-6)
    return {
        "id": info.name,
        "kind": "units",
        "title": title,
        "operation": operation,
        "count": int(values.size),
        "signed": signed,
        "low": -high if signed else 0.0,
        "high": high,
        "values": encode(values),
        "alt": f"{title}: {values.size} units; the strongest is unit {int(np.argmax(values))} at "
        f"{float(values.max()):.2f}, {float((values > 0).mean()):.0%} above zero.",
    }


def _answer_stage(model: Network, probabilities: np.ndarray) -> dict:
    """The softmax's probabilities as bars, the best one marked."""
    return {
        "id": PROBABILITIES,
        "kind": "bars",
        "title": "Output",
        "operation": "softmax",
        "labels": list(model.classes),
        "values": encode(probabilities),
        "best": int(np.argmax(probabilities)),
        "alt": "The answer: "
        + ", ".join(f"{name} {p:.0%}" for name, p in zip(model.classes, probabilities) if p >= 0.005)
        + ".",
    }


def overview(
    model: Network,
    activations: dict[str, np.ndarray],
    image: torch.Tensor,
    palette: Palette,
    selection: Selection | None,
    only: set[str] | None = None,
) -> dict:
    """Every stage of the network for one image, for the overview component (or only the named stages)."""
    stages = stages_of(model, activations, image)
    if only is not None:
        stages = [stage for stage in stages if stage["id"] in only]
    shown = {stage["id"] for stage in stages}
    outlined = selected_cell(model, selection)
    outlined["marks"] = [mark for mark in outlined["marks"] if mark["stage"] in shown]
    return {"stages": stages, **outlined, "colours": colours(palette)}


def selected_cell(model: Network, selection: Selection | None) -> dict:
    """What the overview outlines, apart from its maps: the selected cell and the boxes around what it reads and
    what it becomes, on every stage (the component draws those of the stages it shows)."""
    if selection is None:
        return {"selected": None, "marks": []}
    selected = {"layer": selection.layer, "channel": selection.channel, "row": selection.row, "col": selection.col}
    return {"selected": selected, "marks": [vars(box) for box in boxes(model, selection)]}


def conv_feeding(model: Network, layer: str) -> LayerInfo:
    """The conv layer a selection is about: the layer itself, or the conv whose maps it comes from."""
    info = model.layer(layer)
    while not info.spec.has_kernel and info.source != "input":
        info = model.layer(info.source)
    return info if info.spec.has_kernel else model.layer(model.conv_layers()[0])


def player(
    model: Network, activations: dict[str, np.ndarray], image: torch.Tensor, palette: Palette, selection: Selection
) -> dict:
    """What the convolution player animates for the selected channel: its input maps, kernel, stride and padding,
    what follows the conv (batch norm, the activation), and the pooling after it (max or mean), if any."""
    conv = conv_feeding(model, selection.layer)
    channel = min(selection.channel, conv.shape.channels - 1)
    inputs = layer_input(activations, image, conv)  # (C_in, H, W)
    kernel = conv.module.weight[channel].detach().numpy()  # (C_in, k, k)
    spec = conv.spec
    row, col = (min(selection.row, conv.shape.height - 1), min(selection.col, conv.shape.width - 1))
    if conv.name != selection.layer and model.layer(selection.layer).spec.pools:
        row, col = row * model.layer(selection.layer).spec.step, col * model.layer(selection.layer).spec.step
        row, col = min(row, conv.shape.height - 1), min(col, conv.shape.width - 1)
    padded = np.pad(inputs, ((0, 0), (spec.pad, spec.pad), (spec.pad, spec.pad)))
    top, left = row * spec.stride, col * spec.stride
    patch = padded[:, top : top + spec.kernel, left : left + spec.kernel]
    contribution = (patch * kernel).sum(axis=(1, 2))  # each input channel's share of the selected cell
    chain = []  # what follows the conv at each cell: its numbers, for the player to read rather than compute
    for name in model.chain(conv.name):
        info = model.layer(name)
        step = {"title": info.title, "values": encode(activations[name][channel])}
        if getattr(info.spec, "function", None) is None:  # batch norm: one scale and shift per channel
            norm = norm_step(info.module, channel)
            step.update(title="batch norm", scale=norm.scale, shift=norm.shift)
        chain.append(step)
    activated = activations[model.activated(conv.name)][channel]
    pool = pool_after(model, conv.name)
    output = activations[conv.name][channel]
    return {
        "layer": conv.name,
        "title": f"Conv {conv.number}",
        "channel": channel,
        "row": row,
        "col": col,
        "first": conv.source == "input",
        "inputs": encode(inputs),
        "in_channels": int(inputs.shape[0]),
        "in_height": int(inputs.shape[1]),
        "in_width": int(inputs.shape[2]),
        "input_limit": float(np.abs(inputs).max()) or 1.0,
        "input_signed": bool(conv.source != "input" and float(inputs.min()) < 0),
        "kernel": encode(kernel),
        "k": spec.kernel,
        "stride": spec.stride,
        "padding": spec.pad,
        "bias": float(conv.module.bias[channel].detach()),
        "chain": chain,
        "output": encode(output),
        "activated": encode(activated),
        "activated_signed": bool(float(activated.min()) < 0),
        "out_height": int(output.shape[0]),
        "out_width": int(output.shape[1]),
        "output_limit": symmetric_range(output),
        "pool": None
        if pool is None
        else {
            "mode": "max" if pool.spec.largest else "avg",
            "size": pool.spec.size,
            "stride": pool.spec.step,
            "height": pool.shape.height,
            "width": pool.shape.width,
            "values": encode(activations[pool.name][channel]),
            "title": pool.title,
        },
        "channel_order": [int(c) for c in np.argsort(-np.abs(contribution))],
        "contribution": [float(c) for c in contribution],
        "colours": colours(palette),
    }
