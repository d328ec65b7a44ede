"""How every Plotly chart is shown: our own layout only (no theme on top), no toolbar over the titles."""

import plotly.graph_objects as go
import streamlit as st

CONFIG = {"displayModeBar": False, "displaylogo": False}


def chart(figure: go.Figure, key: str, container=st, **more):
    """Show a figure as cnnviz styles it (dark, large tick labels for projectors); returns what st.plotly_chart does."""
    return container.plotly_chart(figure, key=key, theme=None, config=CONFIG, **more)
