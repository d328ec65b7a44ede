"""Colour palettes, readable on a washed-out projector; one of them made for colour-blind viewers.

Scales are spelled out as [position, colour] lists: figures skip Plotly's validation (see
viz.figure), which is where named scales would otherwise be resolved.
"""

from dataclasses import dataclass

from plotly.colors import get_colorscale


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
