"""The Train page's sidebar: the network (a preset, or its layer list edited freely) and how to train it.

Every setting but the layer list is a widget bound to a URL parameter (bind="query-params"): switching
pages and coming back keeps it, and a link shares it. The layer list can be long, so it is kept in the
session (state.TRAIN_LAYERS), starting from the chosen preset; each layer's output size shows as you edit.
Presets set several settings at once.
"""

import streamlit as st

from cnnviz.data.mnist import SOURCES
from cnnviz.network.classes import DIGITS
from cnnviz.network.layers import SYNTAX, Architecture, LayerError, parse_layers
from cnnviz.network.presets import PRESET_WORDS, PRESETS
from cnnviz.training.budget import check_budget
from cnnviz.training.engine import OPTIMIZERS, TrainConfig
from cnnviz.training.settings import Settings
from ui import state
from ui.images import default_sample, sample_bytes

DATA_CHOICES = {
    "auto": "Full MNIST if it can be downloaded",
    "mnist": "Full MNIST (60,000)",
    "sample": "Offline sample (5,000)",
}
OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD with momentum"}
TRAIN_SIZES = [50, 100, 200, 500, 1000, 2000, "all"]
DEFAULTS = {
    "arch": "modern",
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
WITHOUT_DROPOUT = PRESETS["modern"].replace(", dropout 0.3", "")
TRAINING_PRESETS = {  # the overfitting lesson: the same network and 100 digits, without and with regularisation
    "Overfit on purpose": (
        {"train_size": 100, "augment": False, "weight_decay": 0.0, "epochs": 40, "arch": "modern"},
        WITHOUT_DROPOUT,
    ),
    "Regularised": (
        {"train_size": 100, "augment": True, "weight_decay": 0.001, "epochs": 40, "arch": "modern"},
        PRESETS["modern"].replace("dropout 0.3", "dropout 0.5"),
    ),
    "Defaults": (DEFAULTS, PRESETS["modern"]),
}
assert set(OPTIMIZER_NAMES) == set(OPTIMIZERS) and set(DATA_CHOICES) == set(SOURCES)


def layer_text(text: str) -> str:
    """A layer list as the editor shows it: one layer a line."""
    return "\n".join(layer.text for layer in parse_layers(text))


def _preset(name: str) -> None:
    """Button callback: set several settings at once (before their widgets are drawn)."""
    settings, layers = TRAINING_PRESETS[name]
    for key, value in settings.items():
        state.set_train_setting(key, value)
    state.set_layer_list(layer_text(layers))


def _architecture_chosen() -> None:
    """The preset picker's callback: its layers replace the list being edited."""
    state.set_layer_list(layer_text(PRESETS[state.train_setting("arch")]))


def _bound(widget, label: str, *args, key: str, **kwargs):
    """A sidebar widget kept in the URL under its key, starting from its default."""
    return widget(label, *args, key=f"{state.TRAIN_PREFIX}{key}", bind="query-params", **kwargs)


def network(locked: bool) -> Architecture | None:
    """The preset picker and the editable layer list, with each layer's output size; the network, if it can be made."""
    arch = _bound(
        st.selectbox,
        "Network",
        list(PRESETS),
        key="arch",
        disabled=locked,
        on_change=_architecture_chosen,
        format_func=lambda name: f"{name}: {PRESET_WORDS[name]}",
    )
    state.start_layer_list(layer_text(PRESETS[arch]))
    state.fill_layer_box()
    st.text_area(
        "Layers, one a line (the output layer, one unit per digit, is added last)",
        key=state.TRAIN_LAYERS_BOX,
        height=230,
        disabled=locked,
        on_change=state.keep_layer_box,
        help=SYNTAX + " for a skip connection",
    )
    try:
        architecture = Architecture(parse_layers(state.layer_list()), DIGITS)
        check_budget(architecture)
    except LayerError as error:
        st.error(f"This network cannot be built: {error}.")
        return None
    import pandas as pd  # imported here: only this table needs it

    shapes = [(layer.name, layer.title, str(shape)) for layer, shape in architecture.shapes()]
    st.dataframe(
        pd.DataFrame(shapes, columns=["layer", "what", "output"]), hide_index=True, width="stretch", height=200
    )
    return architecture


def training_settings(locked: bool) -> Settings:
    """The sidebar of settings (disabled while a job trains); returns what they ask for."""
    sidebar = st.sidebar
    for key, value in DEFAULTS.items():  # first visit: every setting at its default
        if not state.train_setting_given(key):
            state.set_train_setting(key, value)
    sidebar.caption(
        "Presets for the overfitting lesson. Overfit on purpose: 100 training digits, 40 epochs, no augmentation, "
        "dropout or weight decay. Regularised: the same 100 digits with all three."
    )
    for name in TRAINING_PRESETS:  # one per row: three side by side would cut their names
        sidebar.button(name, on_click=_preset, args=(name,), disabled=locked, width="stretch", key=f"preset_{name}")
    sidebar.header("Network")
    with sidebar:
        architecture = network(locked)
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
            key=f"{state.TRAIN_PREFIX}probe",
            bind="query-params",
        )
    config = TrainConfig(
        epochs=epochs,
        batch_size=batch,
        learning_rate=rate,
        optimizer=optimizer,
        augment=augment,
        weight_decay=decay,
        seed=int(seed),
    )
    arch = state.train_setting("arch")
    return Settings(architecture, config, source, probe, None if size == "all" else int(size), slow, arch)
