"""The input image as the network receives it: 28 x 28 normalised values."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.colors import GRAY
from cnnviz.viz.figure import base_layout, image_axes, make_figure


def input_figure(tensor: np.ndarray, title: str = "Input tensor: 1 x 28 x 28 numbers") -> go.Figure:
    """Heatmap of the normalised input (28, 28); hover shows each pixel's value."""
    heatmap = {
        "type": "heatmap",
        "z": tensor,
        "colorscale": GRAY,
        "colorbar": {"title": {"text": "value"}},
        "hovertemplate": "row %{y}, column %{x}<br>value %{z:.3f}<extra></extra>",
    }
    x, y = image_axes("column", "row")
    x.update(showticklabels=True, dtick=7)
    y.update(showticklabels=True, dtick=7)
    return make_figure([heatmap], base_layout(title, 440, xaxis=x, yaxis=y))


def pixelated(image: np.ndarray, min_side: int = 240) -> np.ndarray:
    """Enlarge a small image by repeating pixels, so the browser shows crisp squares instead of a blur."""
    factor = max(1, min_side // max(1, min(image.shape[:2])))
    factor = min(factor, max(1, 1200 // max(image.shape[:2])))  # never wider than 1200 pixels
    return image.repeat(factor, axis=0).repeat(factor, axis=1)


def square(image: np.ndarray) -> np.ndarray:
    """The image centred on a square of its background colour (black), so tiles of different shapes line up."""
    h, w = image.shape[:2]
    side = max(h, w)
    out = np.zeros((side, side) + image.shape[2:], dtype=image.dtype)
    top, left = (side - h) // 2, (side - w) // 2
    out[top : top + h, left : left + w] = image
    return out
