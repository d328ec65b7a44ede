"""Feature maps of a conv layer, before and after ReLU, and what max-pooling keeps."""

import math

import numpy as np
import plotly.graph_objects as go

from cnnviz.colors import DEFAULT, Palette
from cnnviz.viz.figure import base_layout, image_axes, make_figure, value_scale
from cnnviz.viz.tiles import tile, tile_centres

COLUMNS = 8  # maps per row of the mosaic
HOVER = "channel %{customdata[0]}<br>row %{customdata[1]}, column %{customdata[2]}<br>value %{z:.3f}"


def _mosaic_layout(title: str, n: int, h: int, w: int, columns: int) -> dict:
    """Image axes with ticks naming the channels: channel = row label + column label."""
    columns = min(columns, n)
    rows = math.ceil(n / columns)
    x, y = image_axes("channel = row label + column label", "")
    x.update(
        showticklabels=True, ticks="", tickvals=tile_centres(columns, w), ticktext=[f"+{c}" for c in range(columns)]
    )
    y.update(
        showticklabels=True,
        ticks="",
        tickvals=tile_centres(rows, h),
        ticktext=[f"ch {r * columns}" for r in range(rows)],
    )
    height = int(150 + rows * max(80, 26 * h / columns * 8 / 7))
    return base_layout(title, height, xaxis=x, yaxis=y)


def feature_maps_figure(
    maps: np.ndarray, title: str, signed: bool, columns: int = COLUMNS, palette: Palette = DEFAULT
) -> go.Figure:
    """One heatmap mosaic of all channels (C, H, W); signed maps get a colour scale centred on zero."""
    n, h, w = maps.shape
    z, where = tile(maps, columns)
    heatmap = {
        "type": "heatmap",
        "z": z,
        "customdata": where,
        "hovertemplate": HOVER + "<extra></extra>",
        "hoverongaps": False,
        "colorbar": {"title": {"text": "value"}},
        **value_scale(z, signed, palette),
    }
    return make_figure([heatmap], _mosaic_layout(title, n, h, w, columns))


def pooling_figure(
    maps: np.ndarray, winners: np.ndarray, title: str, columns: int = COLUMNS, palette: Palette = DEFAULT
) -> go.Figure:
    """The maps max-pooling reads (C, H, W): the cell that won each window in colour, the rest grey."""
    n, h, w = maps.shape
    z, where = tile(maps, columns)
    won, _ = tile(winners.astype(np.float32), columns)
    top = max(float(np.nanmax(z)), 1e-6)
    common = {"type": "heatmap", "customdata": where, "zmin": 0, "zmax": top, "hoverongaps": False}
    dropped = {
        **common,
        "z": np.where(won == 0, z, np.nan),
        "showscale": False,
        "colorscale": [[0, palette.dropped], [1, "#8C8C8C"]],
        "hovertemplate": HOVER + "<br>dropped<extra></extra>",
    }
    kept = {
        **common,
        "z": np.where(won == 1, z, np.nan),
        "colorscale": palette.sequential,
        "hovertemplate": HOVER + "<br>kept: largest in its 2 x 2 window<extra></extra>",
        "colorbar": {"title": {"text": "kept value"}},
    }
    return make_figure([dropped, kept], _mosaic_layout(title, n, h, w, columns))
