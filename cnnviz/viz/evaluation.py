"""Figures of how a model did on held-out digits: the confusion matrix (clickable) and accuracy per class."""

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from cnnviz.viz.colors import DEFAULT, Palette
from cnnviz.viz.figure import base_layout, make_figure, percent_axis, plain, plain_all

CELL = 40  # pixels: a square per cell of the confusion matrix


def confusion_figure(matrix: np.ndarray, classes: tuple[str, ...], palette: Palette = DEFAULT) -> go.Figure:
    """The confusion matrix (rows: true class, columns: what the model read) as squares that can be clicked.

    Drawn as a scatter of square markers rather than a heatmap: Streamlit reports clicks on scatter
    points, not on heatmap cells. Mistakes are coloured on a log scale, so a single one still shows.
    """
    n = len(classes)
    true, read = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    counts = matrix[true, read].ravel()
    wrong = (true != read).ravel()
    top = max(int(matrix[~np.eye(n, dtype=bool)].max()) if n > 1 else 1, 1)
    shade = np.where(wrong, np.log1p(counts) / np.log1p(top), 0.0)
    colours = sample_colorscale(palette.sequential, [0.15 + 0.85 * s for s in shade], colortype="rgb")
    colours = [c if w and k else ("#f2f2f2" if w else "#d9ead3") for c, w, k in zip(colours, wrong, counts)]
    marker = {"symbol": "square", "size": CELL, "color": colours, "line": {"width": 1, "color": "#fff"}}
    points = {
        "type": "scatter",
        "mode": "markers+text",
        "x": [plain(classes[i]) for i in read.ravel()],
        "y": [plain(classes[i]) for i in true.ravel()],
        "text": [str(k) if k else "" for k in counts],
        "textfont": {"size": 13, "color": ["#fff" if w and s > 0.55 else "#111" for w, s in zip(wrong, shade)]},
        "marker": marker,
        "customdata": counts,
        "hovertemplate": "true %{y}, read %{x}: %{customdata} digits<br>click to see them<extra></extra>",
    }
    side = 80 + CELL * n
    layout = base_layout(
        "Confusion matrix: click a square to see its digits",
        side + 60,
        width=side + 40,
        xaxis={"title": {"text": "what the network read"}, "type": "category", "showgrid": False},
        yaxis={"title": {"text": "true digit"}, "type": "category", "autorange": "reversed", "showgrid": False},
        showlegend=False,
        clickmode="event+select",
        dragmode=False,
    )
    return make_figure([points], layout)


def class_accuracy_figure(per_class: np.ndarray, classes: tuple[str, ...], palette: Palette = DEFAULT) -> go.Figure:
    """Accuracy per true class as bars, the weakest in the highlight colour."""
    weakest = int(np.nanargmin(per_class)) if np.isfinite(per_class).any() else -1
    bars = {
        "type": "bar",
        "x": plain_all(classes),
        "y": per_class,
        "marker": {"color": [palette.highlight if i == weakest else palette.base for i in range(len(classes))]},
        "text": [("100%" if a == 1 else f"{a:.1%}") if np.isfinite(a) else "" for a in per_class],
        "textposition": "outside",
        "cliponaxis": False,  # a 100 % bar's label above the plot, not cut off
        "constraintext": "none",  # and at its own size, not shrunk to the bar's width
        "textfont": {"size": 13},
        "hovertemplate": "%{x}: %{y:.2%} read right<extra></extra>",
    }
    low = float(np.nanmin(per_class)) if np.isfinite(per_class).any() else 0.0
    layout = base_layout(
        "Read right, per true digit",
        360,
        xaxis={"title": {"text": "true digit"}, "type": "category"},
        yaxis=percent_axis("accuracy", [], low=max(0.0, low - 0.05)),
        showlegend=False,
    )
    return make_figure([bars], layout)
