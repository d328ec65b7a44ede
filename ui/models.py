"""The models a session can explore: the bundled one (loaded once per server) and its own."""

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from cnnviz import checkpoints
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
def filter_figures(_entry: ModelEntry, key: str) -> dict[str, go.Figure]:
    """Figures of every conv layer's filters; they depend only on the weights, so they are built once."""
    model = _entry.capture.model
    figures = {}
    for number, name in enumerate(model.conv_layers(), start=1):
        layer = getattr(model, name)
        weights = layer.weight.detach().numpy()
        title = f"Layer {number} filters: {weights.shape[0]} of {weights.shape[2]} x {weights.shape[3]} weights"
        if weights.shape[1] > 1:
            title += f", each across {weights.shape[1]} input channels"
        figures[name] = filters_figure(weights, layer.bias.detach().numpy(), title)
    return figures
