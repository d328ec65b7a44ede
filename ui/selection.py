"""The selected cell: one accessor for every view, and the pickers that change it (bound to the URL).

A click in the overview (ui.overview), the pickers here, or a link (?layer=conv2&channel=5&row=3&col=4)
all set the same four keys; `current_selection` reads them once per rerun, into a cell this model has.
"""

import numpy as np
import streamlit as st

from cnnviz.network.arithmetic import strongest_cell
from cnnviz.network.cells import Selection, clamp
from cnnviz.network.model import Network
from cnnviz.network.naming import learner_name
from ui import state


def current_selection(model: Network, activations: dict[str, np.ndarray]) -> Selection:
    """The selected cell: from the pickers or the URL, kept inside this model's maps (a strong cell until chosen).

    Also settles the widget keys (a smaller model, another image) before the pickers are drawn, and keeps each
    layer's strongest cell for when the layer picker changes.
    """
    strongest = {layer: strongest_cell(activations[model.activated(layer)]) for layer in model.map_layers()}
    state.keep_strongest_cells(strongest)
    selection = clamp(model, activations, *state.wanted_cell())
    state.settle_cell(selection.layer, selection.channel, selection.row, selection.col)
    return selection


def _jump_to_strongest() -> None:
    """When the layer changes, select that layer's strongest cell (the old numbers mean nothing there)."""
    cell = state.strongest_cell_of(state.selected_layer())
    if cell:
        state.move_in_layer(*cell)


def cell_picker(model: Network, activations: dict[str, np.ndarray], selection: Selection) -> None:
    """Layer, map, row and column pickers, bound to the URL."""
    state.start_cell_at(selection.layer, selection.channel, selection.row, selection.col)
    pickers = st.container(horizontal=True)  # one row; on a phone they wrap onto more rows
    layers = model.map_layers()
    pickers.selectbox(
        "Layer",
        layers,
        key=state.LAYER,
        bind="query-params",
        on_change=_jump_to_strongest,
        help="; ".join(f"{name}: {learner_name(model, name)}" for name in layers),  # the code names, as said
    )  # no format_func: Streamlit would put the formatted label in the URL, and a shared "layer=conv2" would not open
    channels, height, width = activations[selection.layer].shape
    pickers.number_input("Map (channel)", 0, channels - 1, key=state.CHANNEL, bind="query-params")
    pickers.number_input("Row", 0, height - 1, key=state.ROW, bind="query-params")
    pickers.number_input("Column", 0, width - 1, key=state.COL, bind="query-params")
