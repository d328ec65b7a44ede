"""The overview and the convolution player: two small browser components (ui/components/*.js) fed by cnnviz.viz.browser.

A click in the overview selects a cell: the callback writes it into the widget keys of the
layer/channel/row/column pickers (which are bound to the URL), so every view follows.
"""

from pathlib import Path

import numpy as np
import streamlit as st
import torch

from cnnviz.network.model import DigitCNN
from cnnviz.viz import browser
from cnnviz.viz.browser import Selection
from cnnviz.viz.colors import Palette
from ui import state, widgets

COMPONENTS = Path(__file__).resolve().parent / "components"
MAX_CELL = 4096  # no map has more channels, rows or columns than this (the selection is clamped to the map later)
OVERVIEW_HEIGHT = 400  # pixels: fits a 1280 x 720 projector with the title, the image source and the answer above


@st.cache_resource
def components() -> dict:
    """Register the browser components once per server process (their code never changes while it runs)."""
    read = lambda name: (COMPONENTS / name).read_text()
    return {
        "overview": st.components.v2.component("cnnviz.overview", js=read("overview.js"), css=read("overview.css")),
        "player": st.components.v2.component("cnnviz.player", js=read("player.js"), css=read("player.css")),
        "keys": st.components.v2.component("cnnviz.keys", js=read("keys.js")),
    }


def _whole(value, top: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < top


def valid_click(clicked, model: DigitCNN) -> bool:
    """Whether an overview's click report names a class or a cell of this model (the browser may send anything)."""
    if not isinstance(clicked, dict):
        return False
    if clicked.get("kind") == "class":
        return _whole(clicked.get("index"), len(model.classes))
    return (
        clicked.get("kind") == "cell"
        and clicked.get("block") in model.conv_layers()
        and all(_whole(clicked.get(name), MAX_CELL) for name in ("channel", "row", "col"))
        and clicked.get("step", "conv") in ("conv", "norm", "relu", "pool")
    )


def _take_click(key: str) -> None:
    """Callback of an overview: a clicked cell becomes the selection; a clicked class opens the last layer."""
    value = st.session_state.get(key)
    clicked = value.get("clicked") if isinstance(value, dict) else None
    if not valid_click(clicked, state.current_model().model):
        return
    if clicked["kind"] == "class":
        st.session_state[widgets.DIGIT] = int(clicked["index"])
        st.session_state[widgets.VIEW] = widgets.DECISION_VIEW
        return
    st.session_state[widgets.LAYER] = clicked["block"]
    st.session_state[widgets.CHANNEL] = int(clicked["channel"])
    st.session_state[widgets.ROW] = int(clicked["row"])
    st.session_state[widgets.COL] = int(clicked["col"])
    if clicked.get("step") == "pool":
        st.session_state[widgets.VIEW] = widgets.POOLING_VIEW
    elif st.session_state.get(widgets.VIEW) not in widgets.CELL_VIEWS:
        st.session_state[widgets.VIEW] = widgets.CELL_VIEWS[0]


def network_overview(
    model: DigitCNN,
    activations: dict[str, np.ndarray],
    image: torch.Tensor,
    palette: Palette,
    selection: Selection | None,
    key: str = "overview",
    only: set[str] | None = None,
    height: int = OVERVIEW_HEIGHT,
) -> None:
    """Every stage of the network side by side (or only some, larger); clicking a cell or a class selects it."""
    data = browser.overview(model, activations, image, palette, selection, only)
    data["height"] = height
    components()["overview"](key=key, data=data, on_clicked_change=lambda: _take_click(key))


def convolution_player(
    model: DigitCNN, activations: dict[str, np.ndarray], image: torch.Tensor, palette: Palette, selection: Selection
) -> None:
    """The kernel sliding over the input, filling the output map cell by cell, and pooling windows; in the browser."""
    data = browser.player(model, activations, image, palette, selection)
    components()["player"](key="player", data=data)
