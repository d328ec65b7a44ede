"""The Train page's sidebar: the network to build and how to train it."""

import streamlit as st

from cnnviz.model import ModelConfig
from cnnviz.train import TrainConfig
from ui.images import default_sample, sample_bytes

DATA_CHOICES = {
    "auto": "Full MNIST if it can be downloaded",
    "mnist": "Full MNIST (60,000)",
    "sample": "Offline sample (5,000)",
}


def training_settings(locked: bool) -> tuple[ModelConfig, TrainConfig, str, str]:
    """The sidebar of settings; returns (ModelConfig, TrainConfig, data source, probe sample title)."""
    sidebar = st.sidebar
    sidebar.header("Network")
    first = sidebar.select_slider("Filters in conv layer 1", [4, 8, 16, 32], value=16, disabled=locked)
    second = sidebar.select_slider(
        "Filters in conv layer 2 (0: one conv layer only)", [0, 8, 16, 32, 64], value=32, disabled=locked
    )
    kernel = sidebar.radio("Kernel size", [3, 5, 7], index=1, horizontal=True, disabled=locked)
    dropout = sidebar.slider("Dropout rate", 0.0, 0.8, 0.3, 0.05, disabled=locked)
    batch_norm = sidebar.checkbox("Batch normalisation after each conv", disabled=locked)
    sidebar.header("Training")
    optimizer = sidebar.radio("Optimiser", ["Adam", "SGD with momentum"], horizontal=True, disabled=locked)
    rate = sidebar.select_slider(
        "Learning rate", [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1], value=0.003, disabled=locked
    )
    batch = sidebar.select_slider("Batch size", [16, 32, 64, 128, 256], value=64, disabled=locked)
    epochs = sidebar.slider("Epochs", 1, 30, 5, disabled=locked)
    augment = sidebar.checkbox("Augmentation (random warps and pen widths)", value=True, disabled=locked)
    seed = sidebar.number_input("Random seed", 0, 1_000_000, 0, disabled=locked)
    source = sidebar.radio("Data", list(DATA_CHOICES), disabled=locked, format_func=DATA_CHOICES.get)
    titles = list(sample_bytes())
    probe = sidebar.selectbox("Probe digit to watch", titles, index=titles.index(default_sample()), disabled=locked)
    channels = (first, second) if second else (first,)
    model_config = ModelConfig(conv_channels=channels, kernel_size=kernel, dropout=dropout, batch_norm=batch_norm)
    config = TrainConfig(
        epochs=epochs,
        batch_size=batch,
        learning_rate=rate,
        optimizer="adam" if optimizer == "Adam" else "sgd",
        augment=augment,
        seed=int(seed),
    )
    return model_config, config, source, probe
