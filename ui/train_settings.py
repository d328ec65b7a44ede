"""The Train page's sidebar: the network to build and how to train it, kept across pages and in the URL.

Every setting is a widget bound to a URL parameter (bind="query-params"): switching pages and
coming back keeps it, and a link shares it. Presets set several at once.
"""

from dataclasses import dataclass

import streamlit as st

from cnnviz.data.mnist import SOURCES
from cnnviz.network.model import ModelConfig
from cnnviz.training.engine import OPTIMIZERS, TrainConfig
from ui.images import default_sample, sample_bytes

DATA_CHOICES = {
    "auto": "Full MNIST if it can be downloaded",
    "mnist": "Full MNIST (60,000)",
    "sample": "Offline sample (5,000)",
}
OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD with momentum"}
TRAIN_SIZES = [50, 100, 200, 500, 1000, 2000, "all"]
DEFAULTS = {
    "conv1": 16,
    "conv2": 32,
    "conv3": 0,
    "kernel": 5,
    "dropout": 0.3,
    "batch_norm": False,
    "optimizer": "adam",
    "lr": 0.003,
    "batch": 64,
    "epochs": 15,  # tens of seconds on the offline sample: long enough for a class to watch it learn
    "weight_decay": 0.0001,
    "augment": True,
    "train_size": "all",
    "seed": 0,
    "data": "auto",
    "slow": False,
}
PRESETS = {
    "Overfit on purpose": {"train_size": 100, "augment": False, "dropout": 0.0, "weight_decay": 0.0, "epochs": 40},
    "Regularised": {"train_size": 100, "augment": True, "dropout": 0.5, "weight_decay": 0.001, "epochs": 40},
    "Defaults": DEFAULTS,
}
assert set(OPTIMIZER_NAMES) == set(OPTIMIZERS) and set(DATA_CHOICES) == set(SOURCES)


@dataclass(frozen=True)
class Settings:
    """What the sidebar asks for."""

    model: ModelConfig
    training: TrainConfig
    source: str  # where the digits come from (see cnnviz.data.SOURCES)
    probe: str  # title of the sample digit to watch
    train_size: int | None  # training digits to use (None: all)
    slow_motion: bool  # one batch at a time, slowly enough to watch each


def _preset(name: str) -> None:
    """Button callback: set several settings at once (before their widgets are drawn)."""
    for key, value in PRESETS[name].items():
        st.session_state[f"train_{key}"] = value


def _bound(widget, label: str, *args, key: str, **kwargs):
    """A sidebar widget kept in the URL under its key, starting from its default."""
    return widget(label, *args, key=f"train_{key}", bind="query-params", **kwargs)


def training_settings(locked: bool) -> Settings:
    """The sidebar of settings (disabled while a job trains); returns what they ask for."""
    sidebar = st.sidebar
    for key, value in DEFAULTS.items():  # first visit: every setting at its default
        if f"train_{key}" not in st.session_state and f"train_{key}" not in st.query_params:
            st.session_state[f"train_{key}"] = value
    sidebar.caption(
        "Presets for the overfitting lesson. Overfit on purpose: 100 training digits, 40 epochs, no augmentation, "
        "dropout or weight decay. Regularised: the same 100 digits with all three."
    )
    for name in PRESETS:  # one per row: three side by side would cut their names
        sidebar.button(name, on_click=_preset, args=(name,), disabled=locked, width="stretch", key=f"preset_{name}")
    sidebar.header("Network")
    with sidebar:
        first = _bound(st.select_slider, "Filters in conv layer 1", [4, 8, 16, 32], key="conv1", disabled=locked)
        second = _bound(
            st.select_slider, "Filters in conv layer 2 (0: none)", [0, 8, 16, 32, 64], key="conv2", disabled=locked
        )
        third = _bound(
            st.select_slider,
            "Filters in conv layer 3 (0: none)",
            [0, 8, 16, 32, 64],
            key="conv3",
            disabled=locked or not second,
        )
        kernel = _bound(st.radio, "Kernel size", [3, 5, 7], key="kernel", horizontal=True, disabled=locked)
        dropout = _bound(st.slider, "Dropout rate", 0.0, 0.8, step=0.05, key="dropout", disabled=locked)
        batch_norm = _bound(st.checkbox, "Batch normalisation after each conv", key="batch_norm", disabled=locked)
        st.header("Training")
        optimizer = _bound(
            st.radio,
            "Optimiser",
            list(OPTIMIZER_NAMES),
            key="optimizer",
            horizontal=True,
            format_func=OPTIMIZER_NAMES.get,
            disabled=locked,
        )
        rate = _bound(
            st.select_slider,
            "Learning rate",
            [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1],
            key="lr",
            disabled=locked,
        )
        batch = _bound(st.select_slider, "Batch size", [16, 32, 64, 128, 256], key="batch", disabled=locked)
        epochs = _bound(st.slider, "Epochs", 1, 60, key="epochs", disabled=locked)
        decay = _bound(
            st.select_slider,
            "Weight decay (pull towards zero)",
            [0.0, 0.0001, 0.001, 0.01],
            key="weight_decay",
            disabled=locked,
        )
        augment = _bound(st.checkbox, "Augmentation (random warps and pen widths)", key="augment", disabled=locked)
        slow = _bound(
            st.toggle,
            "Slow motion",
            key="slow",
            disabled=locked,
            help="Two batches a second, each shown as it is learned: the batch, the loss, the filters moving.",
        )
        size = _bound(
            st.select_slider,
            "Training digits",
            TRAIN_SIZES,
            key="train_size",
            disabled=locked,
            help="Fewer digits make overfitting easy to see; validation always uses the same held-out digits.",
        )
        seed = _bound(st.number_input, "Random seed", 0, 1_000_000, key="seed", disabled=locked)
        source = _bound(st.radio, "Data", list(DATA_CHOICES), key="data", disabled=locked, format_func=DATA_CHOICES.get)
        titles = list(sample_bytes())
        probe = st.selectbox(
            "Probe digit to watch",
            titles,
            index=titles.index(default_sample()),
            disabled=locked,
            key="train_probe",
            bind="query-params",
        )
    channels = tuple(c for c in (first, second, third if second else 0) if c)
    model_config = ModelConfig(conv_channels=channels, kernel_size=kernel, dropout=dropout, batch_norm=batch_norm)
    config = TrainConfig(
        epochs=epochs,
        batch_size=batch,
        learning_rate=rate,
        optimizer=optimizer,
        augment=augment,
        weight_decay=decay,
        seed=int(seed),
    )
    return Settings(model_config, config, source, probe, None if size == "all" else int(size), slow)
