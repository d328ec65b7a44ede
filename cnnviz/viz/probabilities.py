"""The answer: logits and softmax probabilities as two charts (stacked on a phone), the best class highlighted."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.network.model import DIGITS
from cnnviz.viz.colors import DEFAULT, Palette
from cnnviz.viz.figure import base_layout, make_figure, plain_all

PROBABILITY_AXIS = {"title": {"text": "softmax probability"}, "range": [0, 1.15], "tickformat": ".0%"}


def _class_bars(
    values: np.ndarray, predicted: int, hover: str, palette: Palette, classes: tuple[str, ...], **more
) -> dict:
    """A bar per class, the predicted one in the highlight colour."""
    return {
        "type": "bar",
        "x": plain_all(classes),
        "y": values,
        "hovertemplate": hover,
        "marker": {"color": [palette.highlight if i == predicted else palette.base for i in range(len(values))]},
        **more,
    }


def _probability_bars(probabilities: np.ndarray, palette: Palette, classes: tuple[str, ...], **more) -> dict:
    return _class_bars(
        probabilities,
        int(np.argmax(probabilities)),
        "%{x}<br>probability %{y:.2%}<extra></extra>",
        palette,
        classes,
        text=[f"{p:.0%}" if p >= 0.005 else "" for p in probabilities],
        textposition="outside",
        **more,
    )


def _axis_name(classes: tuple[str, ...]) -> str:
    return "digit" if tuple(classes) == DIGITS else "class"


def logits_figure(
    logits: np.ndarray, probabilities: np.ndarray, palette: Palette = DEFAULT, classes: tuple[str, ...] = DIGITS
) -> go.Figure:
    """The logits (raw scores) as bars, the predicted class highlighted; softmax turns them into probabilities."""
    predicted = int(np.argmax(probabilities))
    bars = _class_bars(logits, predicted, "%{x}<br>logit %{y:.3f}<extra></extra>", palette, classes)
    layout = base_layout(
        "Logits: one raw score per class",
        height=400,
        showlegend=False,
        xaxis={"title": {"text": _axis_name(classes)}, "type": "category"},
        yaxis={"title": {"text": "logit (raw score)"}},
    )
    return make_figure([bars], layout)


def probability_bars(
    probabilities: np.ndarray,
    title: str,
    palette: Palette = DEFAULT,
    classes: tuple[str, ...] = DIGITS,
    height: int = 360,
) -> go.Figure:
    """One bar chart of softmax probabilities, the most likely class highlighted."""
    layout = base_layout(
        title,
        height=height,
        showlegend=False,
        xaxis={"title": {"text": _axis_name(classes)}, "type": "category"},
        yaxis=PROBABILITY_AXIS,
    )
    return make_figure([_probability_bars(probabilities, palette, classes)], layout)
