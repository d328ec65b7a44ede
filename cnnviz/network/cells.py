"""One selected cell of one layer's maps, and the cells it is made from and makes: what the views take apart.

A Selection names a cell; `clamp` makes any selection (from a link, a click, a smaller model) one
this model has; `boxes` lists what the overview outlines around it: the cell, the window of the
layer before that it was computed from, and the same cell after batch norm and the activation,
and the pooled cell it ends up in.
"""

from dataclasses import dataclass

import numpy as np

from cnnviz.network.arithmetic import pool_after, strongest_cell, window_of
from cnnviz.network.model import Network


@dataclass(frozen=True)
class Selection:
    """One cell of one layer's maps."""

    layer: str  # a layer whose output is maps, e.g. "conv2", "relu1", "pool1", "res1"
    channel: int
    row: int
    col: int


def default_selection(model: Network, activations: dict[str, np.ndarray], layer: str | None = None) -> Selection:
    """A cell worth taking apart: the strongest one of a layer's maps once activated (the first conv's by default)."""
    layer = layer or model.conv_layers()[0]
    channel, row, col = strongest_cell(activations[model.activated(layer)])
    return Selection(layer, channel, row, col)


def clamp(model: Network, activations: dict[str, np.ndarray], layer, channel, row, col) -> Selection:
    """The nearest cell this model has: an unknown layer becomes the first conv's strongest cell, numbers that
    are missing take that cell's, and the rest are kept inside the layer's maps."""
    if layer not in model.map_layers():
        return default_selection(model, activations)
    default = default_selection(model, activations, layer if layer in model.conv_layers() else None)
    shape = activations[layer].shape
    values = []
    for value, fallback, top in zip((channel, row, col), (default.channel, default.row, default.col), shape):
        try:
            value = int(value)
        except (TypeError, ValueError, OverflowError):
            value = fallback
        values.append(min(max(value, 0), top - 1))
    return Selection(layer, *values)


def from_input(model: Network, row: int, col: int) -> Selection:
    """A click on the input image: the first conv's cell whose kernel is centred nearest that pixel."""
    conv = model.layer(model.conv_layers()[0])
    kernel, stride, padding = conv.spec.window
    to_cell = lambda index, top: min(max((index + padding - kernel // 2) // stride, 0), top - 1)  # noqa: E731
    return Selection(conv.name, 0, to_cell(row, conv.shape.height), to_cell(col, conv.shape.width))


@dataclass(frozen=True)
class Box:
    """A square of cells the overview outlines."""

    stage: str  # a layer name, or "input"
    channel: int  # -1: the same place in every channel of the stage
    row: int  # top-left cell (may lie in the padding, outside the map)
    col: int
    size: int  # cells on a side
    role: str  # "cell" (the selection), "window" (what it was computed from), "linked" (what it became)


def boxes(model: Network, selection: Selection) -> list[Box]:
    """What the overview outlines for a selection, the selected cell first."""
    info = model.layer(selection.layer)
    channel, row, col = selection.channel, selection.row, selection.col
    out = [Box(info.name, channel, row, col, 1, "cell")]
    spec = info.spec
    if spec.inner:  # a residual block: its layers' last output, and its input (all of it through a 1x1 conv)
        out.append(Box(spec.inner[-1].name, channel, row, col, 1, "window"))
        if info.projects:
            stride = info.module.shortcut.stride[0]
            out.append(Box(info.source, -1, row * stride, col * stride, 1, "window"))
        else:
            out.append(Box(info.source, channel, row, col, 1, "window"))
    elif spec.window is not None:  # a conv reads every channel under its kernel; pooling its own channel's window
        size, stride, padding = spec.window
        which = -1 if spec.has_kernel else channel
        out.append(Box(info.source, which, row * stride - padding, col * stride - padding, size, "window"))
    elif info.maps:
        out.append(Box(info.source, channel, row, col, 1, "window"))
    for later in model.chain(info.name):  # the same cell after batch norm and the activation
        out.append(Box(later, channel, row, col, 1, "linked"))
    pool = pool_after(model, info.name)
    if pool is not None:
        pooled = window_of(pool, row, col)
        if pooled is not None:
            out.append(Box(pool.name, channel, pooled[0], pooled[1], 1, "linked"))
    return out


def varied_window(model: Network, activations: dict[str, np.ndarray], pool: str) -> Selection:
    """A cell of a pooling layer whose window is worth working through: the most different values (rounded to two
    places), then the widest spread, so an example never reads mean(1, 1, 1, 1)."""
    info = model.layer(pool)
    size, stride, _ = info.spec.window
    source = activations[info.source]
    best, found = None, Selection(pool, 0, 0, 0)
    for channel in range(info.shape.channels):
        for row in range(info.shape.height):
            for col in range(info.shape.width):
                window = source[channel, row * stride : row * stride + size, col * stride : col * stride + size]
                score = (len(np.unique(np.round(window, 2))), float(np.ptp(window)))
                if best is None or score > best:
                    best, found = score, Selection(pool, channel, row, col)
    return found
