"""The learned filters of a conv layer as one zero-centred heatmap, with each filter's bias below."""

import math

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.colors import DEFAULT, Palette
from cnnviz.viz.figure import base_layout, make_figure, value_scale
from cnnviz.viz.tiles import GAP, corner_labels, tile, tile_centres

HOVER = (
    "filter %{customdata[0]}, input channel %{customdata[1]}<br>"
    "weight [%{customdata[2]}, %{customdata[3]}] = %{z:.3f}<extra></extra>"
)
PLOT_WIDTH = 900  # pixels a chart gets in the wide layout, about
MAX_CELL = 24  # pixels per weight at most
LABELLED_TILE = 40  # filters drawn smaller than this (pixels) are not numbered: the numbers would hide them


def filters_figure(
    weights: np.ndarray,
    biases: np.ndarray,
    title: str,
    palette: Palette = DEFAULT,
    width: int = PLOT_WIDTH,
    columns: int = 8,
) -> go.Figure:
    """Kernels (O, I, k, k) on a colour scale centred on zero, and the O biases as bars.

    First-layer filters (I = 1) wrap `columns` to a row; deeper filters get one column each,
    with one row per input channel they read.

    Args:
        width: about how wide the chart will be drawn, in pixels; its height follows, so the filters fill it.
    """
    out_channels, in_channels, k, _ = weights.shape
    z, customdata, columns, rows = _tiled(weights, columns)
    cell = min(MAX_CELL, (width - 120) / (columns * (k + GAP)))  # 120: the colour bar and margins
    heatmap_height = rows * (k + GAP) * cell

    heatmap = {
        "type": "heatmap",
        "z": z,
        "customdata": customdata,
        "hovertemplate": HOVER,
        "hoverongaps": False,
        **value_scale(z, True, palette),
        "colorbar": {"title": {"text": "weight"}, "len": 0.6, "y": 1, "yanchor": "top"},
    }
    bar_height = 150
    between = 90  # pixels between the filters and the bias bars: the filters' axis title sits there
    plot_height = heatmap_height + bar_height + between
    split = bar_height / plot_height
    x_ticks, y_ticks, x_title, labels = _filter_ticks(out_channels, in_channels, columns, rows, k, cell)
    layout = base_layout(
        title,
        height=int(plot_height + 100),
        showlegend=False,
        xaxis={"title": {"text": x_title}, "showgrid": False, "zeroline": False, "constrain": "domain", **x_ticks},
        yaxis={
            "domain": [split + between / plot_height, 1],
            "title": {"text": "input channel" if in_channels > 1 else ""},
            "autorange": "reversed",
            "showgrid": False,
            "zeroline": False,
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
            "ticks": "",
            **y_ticks,
        },
        annotations=labels,
        xaxis2={"anchor": "y2", "title": {"text": "filter"}, "type": "category"},
        yaxis2={"domain": [0, split], "anchor": "x2", "title": {"text": "bias"}, "zeroline": True},
    )
    return make_figure([heatmap, _bias_bars(biases, palette)], layout)


def _tiled(weights: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Kernels (O, I, k, k) tiled into one grid: z, customdata (filter, input channel, row, column), columns, rows.

    First-layer filters wrap `columns` to a row; a deeper layer's column o is filter o, row i its slice for
    input channel i."""
    out_channels, in_channels, k, _ = weights.shape
    if in_channels == 1:
        z, where = tile(weights[:, 0], columns=columns)
        filter_index, channel = where[..., 0], np.where(where[..., 0] >= 0, 0, -1)
        columns, rows = min(columns, out_channels), math.ceil(out_channels / columns)
    else:  # (I * O, k, k) tiled O per row
        z, where = tile(weights.transpose(1, 0, 2, 3).reshape(-1, k, k), columns=out_channels)
        index = where[..., 0].astype(np.int32)
        filter_index, channel = (
            np.where(index >= 0, index % out_channels, -1),
            np.where(index >= 0, index // out_channels, -1),
        )
        columns, rows = out_channels, in_channels
    customdata = np.stack([filter_index, channel, where[..., 1], where[..., 2]], axis=-1).astype(where.dtype)
    return z, customdata, columns, rows


def _filter_ticks(out_channels: int, in_channels: int, columns: int, rows: int, k: int, cell: float):
    """The filters' axes: (x ticks, y ticks, x title, corner labels); first-layer filters are numbered in their
    corners, as the maps they make are, when drawn large enough."""
    if in_channels == 1:
        labels = corner_labels(out_channels, columns, k, k) if cell * k >= LABELLED_TILE else []
        return {"showticklabels": False}, {"showticklabels": False}, "filters, numbered", labels
    x_ticks = {"tickvals": tile_centres(columns, k), "ticks": "", "ticktext": [str(o) for o in range(out_channels)]}
    y_ticks = {"tickvals": tile_centres(rows, k), "ticktext": [str(i) for i in range(rows)]}
    return x_ticks, y_ticks, "filter (one column each)", []


def _bias_bars(biases: np.ndarray, palette: Palette) -> dict:
    """Each filter's bias as a bar, coloured by its sign."""
    return {
        "type": "bar",
        "x": [str(o) for o in range(len(biases))],
        "y": biases,
        "xaxis": "x2",
        "yaxis": "y2",
        "marker": {"color": [palette.highlight if b >= 0 else palette.base for b in biases]},
        "hovertemplate": "filter %{x}<br>bias %{y:.3f}<extra></extra>",
    }


def filter_inputs_figure(weights: np.ndarray, title: str, palette: Palette = DEFAULT) -> go.Figure:
    """How strongly each filter (O, I, k, k) reads each input map: the sum of its kernel's absolute weights there."""
    reach = np.abs(weights).sum(axis=(2, 3)).T  # (I, O): row i, column o
    heatmap = {
        "type": "heatmap",
        "z": reach,
        "x": [str(o) for o in range(weights.shape[0])],
        "y": [str(i) for i in range(weights.shape[1])],
        "colorscale": palette.sequential,
        "zmin": 0,
        "colorbar": {"title": {"text": "sum of |weights|"}},
        "hovertemplate": "filter %{x} reads input map %{y}<br>sum of |weights| %{z:.2f}<extra></extra>",
    }
    layout = base_layout(
        title,
        height=int(160 + min(24, 700 / weights.shape[0]) * weights.shape[1]),
        xaxis={"title": {"text": "filter"}, "type": "category", "showgrid": False},
        yaxis={"title": {"text": "input map"}, "type": "category", "autorange": "reversed", "showgrid": False},
    )
    return make_figure([heatmap], layout)
