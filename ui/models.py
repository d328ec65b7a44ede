"""Models ready to explore: the bundled one (loaded once per server process) and a session's own."""

import uuid
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from cnnviz.network.capture import ActivationCapture
from cnnviz.network.model import Network
from cnnviz.network.naming import learner_name
from cnnviz.training import checkpoints
from cnnviz.viz import filters_figure
from cnnviz.viz.colors import PALETTES

BUNDLED = "Bundled model (trained on MNIST)"
LENET = "LeNet-5, the 1998 design (bundled, trained on MNIST)"


@dataclass(frozen=True)
class ModelEntry:
    """A model ready to explore, with a key that is unique for its weights."""

    name: str
    key: str
    capture: ActivationCapture

    @property
    def model(self) -> Network:
        return self.capture.model


@st.cache_resource(show_spinner="Loading the trained model...")
def bundled_model() -> ModelEntry:
    """The bundled model, loaded once per server process and shared by every session."""
    return ModelEntry(BUNDLED, "bundled", ActivationCapture(checkpoints.load_bundled()))


@st.cache_resource(show_spinner="Loading LeNet-5...")
def lenet_model() -> ModelEntry:
    """The bundled LeNet-5, loaded the first time someone picks it, then shared."""
    return ModelEntry(LENET, "lenet5", ActivationCapture(checkpoints.load_bundled(checkpoints.LENET_WEIGHTS)))


def model_entry(name: str, model: Network) -> ModelEntry:
    """A session's own model, under a fresh key."""
    return ModelEntry(name, uuid.uuid4().hex, ActivationCapture(model.eval()))


@st.cache_resource(max_entries=32, show_spinner=False)
def filter_figures(_entry: ModelEntry, key: str, palette: str) -> dict[str, go.Figure]:
    """Figures of every conv layer's filters; they depend only on the weights (and colours), so they are built once."""
    model = _entry.model
    figures = {}
    for name in model.conv_layers():
        conv = model.layer(name)
        weights = conv.module.weight.detach().numpy()
        size = f"{weights.shape[2]} x {weights.shape[3]}"
        title = f"The filters of {learner_name(model, name)}: {weights.shape[0]} of {size} weights"
        if weights.shape[1] > 1:
            title += f", each across {weights.shape[1]} input channels"
        figures[name] = filters_figure(weights, conv.module.bias.detach().numpy(), title, PALETTES[palette])
    return figures
