"""The network's answer: logits and their softmax, with the predicted digit highlighted."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.colors import DEFAULT, Palette
from cnnviz.viz.mosaic import base_layout, make_figure

PROBABILITY_AXIS = {"title": {"text": "softmax probability"}, "range": [0, 1.15], "tickformat": ".0%"}


def _digit_bars(values: np.ndarray, predicted: int, hover: str, palette: Palette, **more) -> dict:
    """A bar per digit, the predicted one in orange."""
    return {
        "type": "bar", "x": [str(d) for d in range(len(values))], "y": values, "hovertemplate": hover,
        "marker": {"color": [palette.highlight if d == predicted else palette.base for d in range(len(values))]}, **more,
    }


def _probability_bars(probabilities: np.ndarray, palette: Palette, **more) -> dict:
    return _digit_bars(
        probabilities, int(np.argmax(probabilities)), "digit %{x}<br>probability %{y:.2%}<extra></extra>", palette,
        text=[f"{p:.0%}" if p >= 0.005 else "" for p in probabilities], textposition="outside", **more,
    )


def probabilities_figure(logits: np.ndarray, probabilities: np.ndarray, palette: Palette = DEFAULT) -> go.Figure:
    """Two bar charts side by side: logits (raw scores) and softmax probabilities, the predicted digit in orange."""
    predicted = int(np.argmax(probabilities))
    logit_bars = _digit_bars(logits, predicted, "digit %{x}<br>logit %{y:.3f}<extra></extra>", palette)
    layout = base_layout(
        f"Prediction: {predicted} ({probabilities[predicted]:.1%})",
        height=440,
        showlegend=False,
        xaxis={"domain": [0, 0.44], "title": {"text": "digit"}, "type": "category"},
        yaxis={"title": {"text": "logit (raw score)"}},
        xaxis2={"domain": [0.56, 1], "title": {"text": "digit"}, "type": "category", "anchor": "y2"},
        yaxis2={**PROBABILITY_AXIS, "anchor": "x2"},
    )
    return make_figure([logit_bars, _probability_bars(probabilities, palette, xaxis="x2", yaxis="y2")], layout)


def probability_bars(probabilities: np.ndarray, title: str, palette: Palette = DEFAULT) -> go.Figure:
    """One bar chart of softmax probabilities, the most likely digit in orange."""
    layout = base_layout(title, height=360, showlegend=False, xaxis={"title": {"text": "digit"}, "type": "category"}, yaxis=PROBABILITY_AXIS)
    return make_figure([_probability_bars(probabilities, palette)], layout)
