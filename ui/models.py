"""Models ready to explore: the bundled one (loaded once per server process) and a session's own."""

import hashlib
import uuid
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from cnnviz.network.capture import ActivationCapture
from cnnviz.network.model import Network
from cnnviz.network.naming import learner_name
from cnnviz.training import checkpoints
from cnnviz.viz import filters_figure
from cnnviz.viz.colors import PALETTES

BUNDLED = "Bundled model (trained on MNIST)"
LENET = "LeNet-5, the 1998 design (bundled, trained on MNIST)"
SHARED_KEYS = ("bundled", "lenet5")  # the keys of the bundled models, whose weights never change


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
    return ModelEntry(BUNDLED, SHARED_KEYS[0], ActivationCapture(checkpoints.load_bundled()))


@st.cache_resource(show_spinner="Loading LeNet-5...")
def lenet_model() -> ModelEntry:
    """The bundled LeNet-5, loaded the first time someone picks it, then shared."""
    return ModelEntry(LENET, SHARED_KEYS[1], ActivationCapture(checkpoints.load_bundled(checkpoints.LENET_WEIGHTS)))


def model_entry(name: str, model: Network) -> ModelEntry:
    """A session's own model, under a fresh key."""
    return ModelEntry(name, uuid.uuid4().hex, ActivationCapture(model.eval()))


def image_key(tensor: torch.Tensor) -> str:
    """A short digest of a network input: what is computed from an image is kept per image."""
    return hashlib.sha1(tensor.numpy().tobytes()).hexdigest()[:16]


@st.cache_resource(max_entries=128, show_spinner=False)
def _activations(_entry: ModelEntry, model_key: str, image: str, _tensor: torch.Tensor) -> dict[str, np.ndarray]:
    activations = _entry.capture(_tensor)
    for array in activations.values():
        array.flags.writeable = False  # shared by every session: a view that changed one would change them all
    return activations


def activations_of(entry: ModelEntry, tensor: torch.Tensor) -> dict[str, np.ndarray]:
    """Every layer's output for one image (the forward pass, once per model and image for the whole server)."""
    if entry.model.training:  # dropout at work: every pass differs
        return entry.capture(tensor)
    return _activations(entry, entry.key, image_key(tensor), tensor)


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
