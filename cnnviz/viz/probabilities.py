"""The network's answer: logits and their softmax, with the predicted digit highlighted."""

import numpy as np
import plotly.graph_objects as go

from cnnviz import colors
from cnnviz.viz.mosaic import base_layout, make_figure


def probabilities_figure(logits: np.ndarray, probabilities: np.ndarray) -> go.Figure:
    """Two bar charts side by side: logits (raw scores) and softmax probabilities, the predicted digit in orange."""
    digits = [str(d) for d in range(len(probabilities))]
    predicted = int(np.argmax(probabilities))
    marker = {"color": [colors.HIGHLIGHT if d == predicted else colors.BASE for d in range(len(digits))]}
    logit_bars = {
        "type": "bar", "x": digits, "y": logits, "marker": marker,
        "hovertemplate": "digit %{x}<br>logit %{y:.3f}<extra></extra>",
    }
    probability_bars = {
        "type": "bar", "x": digits, "y": probabilities, "xaxis": "x2", "yaxis": "y2", "marker": marker,
        "text": [f"{p:.0%}" if p >= 0.005 else "" for p in probabilities], "textposition": "outside",
        "hovertemplate": "digit %{x}<br>probability %{y:.2%}<extra></extra>",
    }
    layout = base_layout(
        f"Prediction: {predicted} ({probabilities[predicted]:.1%})",
        height=440,
        showlegend=False,
        xaxis={"domain": [0, 0.44], "title": {"text": "digit"}, "type": "category"},
        yaxis={"title": {"text": "logit (raw score)"}},
        xaxis2={"domain": [0.56, 1], "title": {"text": "digit"}, "type": "category", "anchor": "y2"},
        yaxis2={"title": {"text": "softmax probability"}, "range": [0, 1.15], "tickformat": ".0%", "anchor": "x2"},
    )
    return make_figure([logit_bars, probability_bars], layout)
