"""The models a session can explore: the bundled one (loaded once per server) and its own."""

import uuid
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from cnnviz import checkpoints
from cnnviz.colors import PALETTES
from cnnviz.errors import InputError
from cnnviz.features import ActivationCapture
from cnnviz.viz import filters_figure

BUNDLED = "Bundled model (trained on MNIST)"
SESSION_MODELS = "session_models"  # session_state key: {name: ModelEntry}


@dataclass(frozen=True)
class ModelEntry:
    """A model ready to explore, with a key that is unique for its weights."""

    name: str
    key: str
    capture: ActivationCapture


@st.cache_resource(show_spinner="Loading the trained model...")
def bundled_model() -> ModelEntry:
    """The bundled model, loaded once per server process and shared by every session."""
    return ModelEntry(BUNDLED, "bundled", ActivationCapture(checkpoints.load_bundled()))


def available_models() -> dict[str, ModelEntry]:
    """The bundled model first, then the models this session trained or uploaded."""
    return {BUNDLED: bundled_model(), **st.session_state.get(SESSION_MODELS, {})}


@st.cache_resource(max_entries=32, show_spinner=False)
def filter_figures(_entry: ModelEntry, key: str, palette: str) -> dict[str, go.Figure]:
    """Figures of every conv layer's filters; they depend only on the weights (and colours), so they are built once."""
    model = _entry.capture.model
    figures = {}
    for number, name in enumerate(model.conv_layers(), start=1):
        layer = getattr(model, name)
        weights = layer.weight.detach().numpy()
        title = f"Layer {number} filters: {weights.shape[0]} of {weights.shape[2]} x {weights.shape[3]} weights"
        if weights.shape[1] > 1:
            title += f", each across {weights.shape[1]} input channels"
        figures[name] = filters_figure(weights, layer.bias.detach().numpy(), title, PALETTES[palette])
    return figures


def add_session_model(model, progress) -> str:
    """Make a trained model selectable on the Explore page of this session, and select it."""
    last = progress.epochs[-1] if progress.epochs else None
    score = f", {last.val_accuracy:.1%} validation accuracy" if last and last.val_accuracy is not None else ""
    channels = "/".join(map(str, model.config.conv_channels))
    name = f"Trained here: {channels} filters, {progress.epoch} epoch{'s' * (progress.epoch != 1)}{score}"
    return add_model(name, model)


def add_model(name: str, model) -> str:
    """Register a model for this session under a unique name; returns the name and selects it."""
    models = st.session_state.setdefault(SESSION_MODELS, {})
    unique, n = name, 2
    while unique in models or unique == BUNDLED:
        unique, n = f"{name} ({n})", n + 1
    models[unique] = ModelEntry(unique, uuid.uuid4().hex, ActivationCapture(model))
    st.session_state["model"] = unique
    return unique


def weights_uploader() -> None:
    """A sidebar uploader for safetensors weights; a good file becomes a model of this session."""
    uploaded = st.sidebar.file_uploader(
        "Open saved weights (.safetensors)", key="weights_file",
        help="Weights downloaded from the Train page. Only safetensors files are read; pickled .pt files are refused.",
    )
    if uploaded is None or st.session_state.get("weights_loaded") == uploaded.file_id:
        return
    try:
        model = checkpoints.from_bytes(uploaded.getvalue(), uploaded.name)
    except InputError as error:
        st.sidebar.error(str(error))
        return
    st.session_state["weights_loaded"] = uploaded.file_id
    add_model(f"Opened: {uploaded.name}", model)
