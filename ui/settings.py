"""Explore's settings: which model to explore (or open one from a file) and the colours."""

import streamlit as st

from cnnviz.errors import InputError
from cnnviz.training import checkpoints
from cnnviz.viz.colors import PALETTES, Palette
from ui import state
from ui.models import ModelEntry


def weights_uploader() -> None:
    """An uploader for safetensors weights; a good file becomes a model of this session."""
    uploaded = st.file_uploader(
        "Open saved weights (.safetensors)",
        key="weights_file",
        help="Weights downloaded from the Train page. Only safetensors files are read; pickled .pt files are refused.",
    )
    if uploaded is None or state.weights_already_opened(uploaded.file_id):
        return
    try:
        model = checkpoints.from_bytes(uploaded.getvalue(), uploaded.name)
    except InputError as error:
        st.error(str(error))
        return
    state.mark_weights_opened(uploaded.file_id)
    state.add_model(f"Opened: {uploaded.name}", model)


def model_and_palette() -> tuple[ModelEntry, str, Palette]:
    """The model picker (with the weights uploader) and the palette choice; returns (model, palette name, palette)."""
    weights_uploader()
    models = state.available_models()
    if state.picked_model() not in models:
        state.pick_model(state.current_model().name)
    name = st.selectbox(
        "Model",
        list(models),
        key=state.MODEL_WIDGET,
        help=(
            "LeNet-5 is the 1998 design (tanh, average pooling): compare it with the modern one. "
            "Models you train on the Train page appear here too."
        ),
    )
    state.choose_model(name)
    palette_name = st.radio(
        "Colours",
        list(PALETTES),
        key=state.PALETTE_WIDGET,
        bind="query-params",
        help="Both are readable with the common forms of colour blindness; the second is made for them.",
    )
    state.choose_palette(palette_name)
    return models[name], palette_name, PALETTES[palette_name]
