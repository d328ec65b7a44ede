"""Colour palettes, readable on a washed-out projector; one of them made for colour-blind viewers.

Scales are spelled out as [position, colour] lists: figures skip Plotly's validation (see
viz.figure), which is where named scales would otherwise be resolved.
"""

import functools
from dataclasses import dataclass

import numpy as np
from plotly.colors import get_colorscale, sample_colorscale

SHADES = 256  # colours a scale is worked out at, once, for the pictures and tables drawn here


@dataclass(frozen=True)
class Palette:
    """The colours every figure draws with."""

    diverging: list  # signed values (weights, maps before ReLU), white at zero
    sequential: list  # non-negative values (maps after ReLU and pooling), dark to bright
    highlight: str  # the predicted digit, the kept cell
    base: str  # every other bar
    words: dict  # what the colours are called in explanations: positive, negative, highlight, base
    dropped: str = "#D9D9D9"  # cells max-pooling dropped


PALETTES = {
    # Blue below zero, red above; viridis for activations; Okabe-Ito orange and blue for bars.
    "Red-blue": Palette(
        get_colorscale("RdBu_r"),
        get_colorscale("Viridis"),
        "#E69F00",
        "#0072B2",
        {"positive": "red", "negative": "blue", "highlight": "orange", "base": "blue"},
    ),
    # Purple below zero, orange above, and cividis: told apart by every common form of colour blindness.
    "Colour-blind safe": Palette(
        get_colorscale("PuOr_r"),
        get_colorscale("Cividis"),
        "#D55E00",
        "#56B4E9",
        {"positive": "orange", "negative": "purple", "highlight": "dark orange", "base": "light blue"},
    ),
}
DEFAULT = PALETTES["Red-blue"]
GRAY = get_colorscale("gray")  # images as the network sees them


def on_scale(positions: np.ndarray, scale: list) -> np.ndarray:
    """Positions in [0, 1] (any shape; NaN reads as 0) as RGB bytes on a colour scale: shape + (3,), uint8."""
    table = shades(scale)
    return table[np.round(np.clip(np.nan_to_num(positions), 0, 1) * (len(table) - 1)).astype(np.intp)]


def shades(scale: list, count: int = SHADES) -> np.ndarray:
    """A colour scale as `count` RGB bytes from its low end to its high end (count, 3), worked out once a scale."""
    return _shades(tuple((stop, colour) for stop, colour in scale), count)


@functools.lru_cache(maxsize=32)
def _shades(scale: tuple, count: int) -> np.ndarray:
    colours = sample_colorscale([list(step) for step in scale], list(np.linspace(0, 1, count)), colortype="tuple")
    table = np.array([[round(c * 255) if c <= 1 else round(c) for c in colour] for colour in colours], dtype=np.uint8)
    table.flags.writeable = False
    return table
