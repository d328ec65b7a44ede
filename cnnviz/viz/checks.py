"""Figures of the checks of an explanation: the deletion curves and the scrambled network's similarities."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.figure import base_layout, make_figure, plain, plain_all

METHOD_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]  # Okabe-Ito
RANDOM_COLOUR = "#555555"
# Under everything, at the foot of the figure: a phone wraps it into rows that must not cover the axis title.
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "yanchor": "bottom"}


def _line(x, y, name: str, colour: str, hover: str, dash: str = "solid") -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "x": list(x),
        "y": [None if not np.isfinite(v) else float(v) for v in y],
        "name": plain(name),
        "line": {"color": colour, "width": 3, "dash": dash},
        "marker": {"size": 9},
        "hovertemplate": hover,
    }


def deletion_figure(fractions, by_map: dict[str, np.ndarray], at_random: np.ndarray, target: str) -> go.Figure:
    """The target's probability as a share of the pixels is blanked: in each map's order ({name: (F,)}) and at
    random (dashed). A map whose line falls faster found pixels the answer needs."""
    x = [round(100 * f) for f in fractions]
    data = [
        _line(x, curve, name, colour, f"{plain(name)}: %{{x}} % blanked<br>probability %{{y:.1%}}<extra></extra>")
        for colour, (name, curve) in zip(METHOD_COLOURS, by_map.items())
    ]
    hover = "at random: %{x} % blanked<br>probability %{y:.1%}<extra></extra>"
    data.append(_line(x, at_random, "at random", RANDOM_COLOUR, hover, dash="dash"))
    layout = base_layout(
        f"Deletion test: probability of {plain(target)}",
        420,
        xaxis={"title": {"text": "pixels blanked (%)"}, "tickvals": x},
        yaxis={"title": {"text": f"probability of {plain(target)}"}, "range": [0, 1.03], "tickformat": ".0%"},
        legend=LEGEND,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
    )
    return make_figure(data, layout)


def scrambling_figure(steps: list[str], similarity: dict[str, np.ndarray]) -> go.Figure:
    """Each method's rank correlation with its map on the trained network, as more and more layers are scrambled
    (steps: the x labels, the trained network first). A gap is a map gone blank: nothing left to compare."""
    x = plain_all(steps)
    data = [
        _line(
            x,
            values,
            name,
            colour,
            f"{plain(name)}<br>%{{x}}<br>rank correlation %{{y:.2f}}<extra></extra>",
        )
        for colour, (name, values) in zip(METHOD_COLOURS, similarity.items())
    ]
    layout = base_layout(
        "Scrambling test: similarity",
        460,
        xaxis={"title": {"text": "scrambled from the output down"}, "type": "category"},
        yaxis={"title": {"text": "rank correlation"}, "range": [-1.05, 1.05], "dtick": 0.5},
        legend=LEGEND,
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 0,
                "y1": 0,
                "line": {"color": RANDOM_COLOUR, "width": 1, "dash": "dot"},
            }
        ],
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
    )
    return make_figure(data, layout)
