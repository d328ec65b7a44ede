"""Feature maps of a conv layer, before and after ReLU, and what max-pooling keeps."""

import math

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.colors import DEFAULT, Palette
from cnnviz.viz.figure import base_layout, image_axes, make_figure, value_scale
from cnnviz.viz.tiles import GAP, corner_labels, tile

COLUMNS = 8  # maps per row of the mosaic
MAX_LABELS = 64  # mosaics with more maps than this are not numbered (hover still tells)
UNDER = {
    "orientation": "h",
    "thickness": 12,
    "len": 0.6,
    "x": 1,
    "xanchor": "right",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
}  # colour bars lie along the figure's bottom edge, under the axis title: beside the maps they would be as
# tall as the whole plot, not as the maps
EMPTY = "#F2F2F2"  # windows of zeros in the pooling view
BELOW = 95  # pixels of bottom margin: the axis title, then the colour bar and its tick labels
HOVER = "channel %{customdata[0]}<br>row %{customdata[1]}, column %{customdata[2]}<br>value %{z:.3f}"


def _mosaic_layout(title: str, n: int, h: int, w: int, columns: int, width: int, tiles: str = "channel") -> dict:
    """Image axes for a grid of maps, each numbered in its corner; as tall as the maps need at this width."""
    columns = min(columns, n)
    rows = math.ceil(n / columns)
    x, y = image_axes(f"one tile per {tiles}, numbered in its corner" if n > 1 else "column", "")
    labels = corner_labels(n, columns, h, w) if 1 < n <= MAX_LABELS else []
    height = int(50 + BELOW + 20 + (width - 20) * rows * (h + GAP) / (columns * (w + GAP)))
    margin = {"l": 10, "r": 10, "t": 50, "b": BELOW}
    return base_layout(title, height, xaxis=x, yaxis=y, annotations=labels, margin=margin)


def map_figure(
    values: np.ndarray, title: str, signed: bool, palette: Palette = DEFAULT, height: int = 380
) -> go.Figure:
    """One map (H, W) as square cells, its colour bar underneath so it never outgrows the map."""
    rows, cols = values.shape
    r, c = np.mgrid[0:rows, 0:cols]
    heatmap = {
        "type": "heatmap",
        "z": values,
        "customdata": np.stack([r, c], axis=-1),
        "hovertemplate": "row %{customdata[0]}, column %{customdata[1]}<br>value %{z:.3f}<extra></extra>",
        "colorbar": {**UNDER, "len": 0.8, "title": {"text": "value", "side": "right"}},
        **value_scale(values, signed, palette),
    }
    x, y = image_axes("column", "row")
    layout = base_layout(title, height, xaxis=x, yaxis=y, margin={"l": 10, "r": 10, "t": 50, "b": BELOW})
    return make_figure([heatmap], layout)


def feature_maps_figure(
    maps: np.ndarray,
    title: str,
    signed: bool,
    columns: int = COLUMNS,
    palette: Palette = DEFAULT,
    width: int = 900,
    tiles: str = "channel",
    value: str = "value",
    bounds: tuple[float, float] | None = None,
) -> go.Figure:
    """One heatmap mosaic of all channels (C, H, W); signed maps get a colour scale centred on zero, maps whose
    values have known ends (bounds: tanh's -1 and 1) a scale from one end to the other.

    Args:
        width: about how wide the chart will be drawn, in pixels; its height follows, so the maps fill it.
        tiles, value: what a tile is and what its numbers are, for the labels ("input map", "weight").
    """
    n, h, w = maps.shape
    z, where = tile(maps, columns)
    heatmap = {
        "type": "heatmap",
        "z": z,
        "customdata": where,
        "hovertemplate": HOVER.replace("channel", tiles).replace("value", value) + "<extra></extra>",
        "hoverongaps": False,
        "colorbar": {**UNDER, "title": {"text": value, "side": "right"}},
        **value_scale(z, signed, palette, bounds),
    }
    return make_figure([heatmap], _mosaic_layout(title, n, h, w, columns, width, tiles))


def layer_scale(spec, values: np.ndarray) -> tuple[bool, tuple[float, float] | None]:
    """(signed, bounds) of a layer's maps for feature_maps_figure, as its record says (cnnviz.network.layers):
    centred on zero for a conv's, from -1 to 1 for tanh's, from 0 to 1 for sigmoid's, else from the numbers."""
    low, high = spec.bounds
    signed = spec.centred or (low if low is not None else float(np.nanmin(values))) < 0
    return signed, (low, high) if low is not None and high is not None else None


def pooling_figure(
    maps: np.ndarray,
    winners: np.ndarray,
    title: str,
    columns: int = COLUMNS,
    palette: Palette = DEFAULT,
    width: int = 900,
) -> go.Figure:
    """The maps max-pooling reads (C, H, W): the cell that won each window in colour, the rest grey.

    Windows of zeros (nothing found there) are drawn in the faintest grey: their winner passes on nothing.
    """
    n, h, w = maps.shape
    z, where = tile(maps, columns)
    won, _ = tile(winners.astype(np.float32), columns)
    hh, ww = h // 2 * 2, w // 2 * 2  # an odd last row or column belongs to no window
    window_max = np.zeros_like(maps)
    pooled = maps[:, :hh, :ww].reshape(n, hh // 2, 2, ww // 2, 2).max(axis=(2, 4))
    window_max[:, :hh, :ww] = np.repeat(np.repeat(pooled, 2, axis=1), 2, axis=2)
    live, _ = tile(window_max, columns)
    live = live > 0
    top = max(float(np.nanmax(z)), 1e-6)
    common = {"type": "heatmap", "customdata": where, "zmin": 0, "zmax": top, "hoverongaps": False}
    dropped = {
        **common,
        "z": np.where((won == 0) & live, z, np.nan),
        "showscale": False,
        "colorscale": [[0, palette.dropped], [1, "#8C8C8C"]],
        "hovertemplate": HOVER + "<br>dropped<extra></extra>",
    }
    empty = {  # windows of zeros, in the faintest grey: the tile keeps its shape, and nothing there stands out
        **common,
        "z": np.where(~live & np.isfinite(z), 0.0, np.nan),
        "showscale": False,
        "colorscale": [[0, EMPTY], [1, EMPTY]],
        "hovertemplate": HOVER + "<br>a window of zeros: nothing found here<extra></extra>",
    }
    kept = {
        **common,
        "z": np.where((won == 1) & live, z, np.nan),
        "colorscale": palette.sequential,
        "hovertemplate": HOVER + "<br>kept: largest in its 2 x 2 window<extra></extra>",
        "colorbar": {**UNDER, "title": {"text": "kept value", "side": "right"}},
    }
    return make_figure([dropped, kept, empty], _mosaic_layout(title, n, h, w, columns, width))
