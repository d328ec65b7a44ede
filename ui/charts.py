"""How every Plotly chart is shown: our own layout, a "download as picture" tool, a sentence for screen readers."""

import re

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz.viz import logits_figure, probability_bars
from cnnviz.viz.colors import Palette
from cnnviz.viz.figure import describe, plain


def picture_name(figure: go.Figure) -> str:
    """A file name for a chart's picture, from its title: "cnnviz-conv-1-after-relu"."""
    title = figure.layout.title.text if figure.layout.title and figure.layout.title.text else "chart"
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "chart"
    return f"cnnviz-{slug}"


def chart(figure: go.Figure, key: str, container=st, alt: str | None = None, **more):
    """Show a figure as cnnviz styles it, with Plotly's PNG download (named after the chart) as its only tool and a
    text alternative written from its numbers; returns what st.plotly_chart does."""
    config = {
        "displaylogo": False,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"format": "png", "filename": picture_name(figure), "scale": 2},
    }
    return container.plotly_chart(figure, key=key, theme=None, config=config, alt=alt or describe(figure), **more)


def answer_charts(
    logits: np.ndarray, probabilities: np.ndarray, palette: Palette, classes: tuple[str, ...], key: str, show=chart
) -> None:
    """Logits beside their softmax probabilities, in two columns (which Streamlit stacks on a phone)."""
    best = int(np.argmax(probabilities))
    title = f"Softmax: {plain(classes[best])} gets {probabilities[best]:.1%}"
    left, right = st.columns(2)
    with left:
        show(logits_figure(logits, probabilities, palette, classes), key=f"{key}_logits")
    with right:
        show(probability_bars(probabilities, title, palette, classes, height=400), key=f"{key}_probabilities")
