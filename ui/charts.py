"""How every Plotly chart is shown: our own layout only (no theme on top), no toolbar over the titles."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz.viz import logits_figure, probability_bars
from cnnviz.viz.colors import Palette
from cnnviz.viz.figure import plain

CONFIG = {"displayModeBar": False, "displaylogo": False}


def chart(figure: go.Figure, key: str, container=st, **more):
    """Show a figure as cnnviz styles it (dark, large tick labels for projectors); returns what st.plotly_chart does."""
    return container.plotly_chart(figure, key=key, theme=None, config=CONFIG, **more)


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
