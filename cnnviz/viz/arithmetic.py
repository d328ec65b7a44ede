"""Figures that show the arithmetic: per-channel sums, last-layer contributions, dropout runs (grids: tables.py)."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.colors import DEFAULT, Palette
from cnnviz.viz.figure import base_layout, make_figure, percent_axis, plain, plain_all


def channel_sums_figure(sums: np.ndarray, bias: float, title: str, palette: Palette = DEFAULT) -> go.Figure:
    """The products summed per input channel, then the bias, as bars: together they make the value."""
    labels = [f"ch {i}" for i in range(len(sums))] + ["bias"]
    values = list(sums) + [bias]
    bars = {
        "type": "bar",
        "x": labels,
        "y": values,
        "hovertemplate": "%{x}: %{y:.4f}<extra></extra>",
        "marker": {"color": [palette.highlight if v >= 0 else palette.base for v in values]},
    }
    layout = base_layout(
        title,
        320,
        showlegend=False,
        xaxis={"title": {"text": "input channel"}, "type": "category"},
        yaxis={"title": {"text": "sum of products"}, "zeroline": True},
    )
    return make_figure([bars], layout)


def contributions_figure(terms: np.ndarray, digit: int, shown: int = 10, palette: Palette = DEFAULT) -> go.Figure:
    """The hidden units that pushed the digit's score up most (orange) and down most (blue)."""
    order = np.argsort(terms)
    picked = [i for i in order[:shown] if terms[i] < 0] + [i for i in order[-shown:] if terms[i] > 0]
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": [f"unit {i}" for i in picked],
        "x": terms[picked],
        "marker": {"color": [palette.highlight if terms[i] > 0 else palette.base for i in picked]},
        "hovertemplate": "%{y}: %{x:+.3f}<extra></extra>",
    }
    layout = base_layout(
        f"What pushed the score of {plain(digit)} up and down",
        520,
        showlegend=False,
        xaxis={"title": {"text": "input × weight (contribution to the logit)"}, "zeroline": True},
        yaxis={"title": {"text": "hidden unit"}, "type": "category"},
    )
    return make_figure([bars], layout)


def runs_figure(
    probabilities: np.ndarray,
    reference: np.ndarray,
    title: str,
    palette: Palette = DEFAULT,
    classes: tuple[str, ...] | None = None,
) -> go.Figure:
    """Probabilities from several training-mode runs (dots) beside the eval-mode answer (bars)."""
    digits = plain_all(classes) if classes else [str(d) for d in range(probabilities.shape[1])]
    data = [
        {
            "type": "bar",
            "x": digits,
            "y": reference,
            "name": "eval mode (always the same)",
            "marker": {"color": palette.base},
            "opacity": 0.5,
            "hovertemplate": "digit %{x}<br>eval %{y:.2%}<extra></extra>",
        }
    ]
    for run, row in enumerate(probabilities):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": digits,
                "y": row,
                "name": f"training-mode run {run + 1}",
                "marker": {"size": 11, "color": palette.highlight, "opacity": 0.75},
                "showlegend": run == 0,
                "hovertemplate": f"run {run + 1}<br>digit %{{x}}: %{{y:.2%}}<extra></extra>",
            }
        )
    layout = base_layout(
        title,
        400,
        xaxis={"title": {"text": "digit"}, "type": "category"},
        yaxis=percent_axis("probability", low=0.0),
        legend={"x": 0.99, "y": 0.99, "xanchor": "right", "yanchor": "top"},
    )
    return make_figure(data, layout)
