"""The Explore page's detail panels: one feature-map value, one pooling window, softmax and the last layer."""

import numpy as np
import pandas as pd
import streamlit as st
import torch

from cnnviz import lessons
from cnnviz.arithmetic import class_contributions, conv_pixel, pool_window, softmax_steps
from cnnviz.colors import Palette
from cnnviz.model import DigitCNN
from cnnviz.viz import feature_maps_figure
from cnnviz.viz.arithmetic import channel_sums_figure, clickable_map, contributions_figure, number_grid


def _clamp(key: str, top: int) -> None:
    """Keep a picker's stored value inside 0..top (a URL or another model may have left it outside)."""
    if key in st.session_state:
        st.session_state[key] = int(min(max(int(st.session_state[key]), 0), top))


def _take_clicked_cell() -> None:
    """Callback of the clickable map: the clicked cell becomes the selected row and column."""
    points = st.session_state["pixel_map"].selection.points
    if points:
        st.session_state["view_row"], st.session_state["view_col"] = int(points[0]["y"]), int(points[0]["x"])


def pixel_picker(model: DigitCNN, activations: dict[str, np.ndarray]) -> tuple[str, int, int, int]:
    """Layer, channel, row and column pickers; returns the chosen (layer, channel, row, col)."""
    layers = model.conv_layers()
    if st.session_state.get("view_layer") not in layers:
        st.session_state["view_layer"] = layers[0]
    pick_layer, pick_channel, pick_row, pick_col = st.columns(4)
    layer = pick_layer.selectbox("Layer", layers, key="view_layer", format_func=lambda name: f"conv {model.block(name).title.lower()}")
    channels, height, width = activations[layer].shape
    for key, top in (("view_channel", channels - 1), ("view_row", height - 1), ("view_col", width - 1)):
        _clamp(key, top)
    if "view_row" not in st.session_state or "view_col" not in st.session_state:
        # start where the channel responds most: a number worth explaining
        strongest = np.unravel_index(int(np.argmax(activations[layer][st.session_state.get("view_channel", 0)])), (height, width))
        st.session_state.setdefault("view_row", int(strongest[0]))
        st.session_state.setdefault("view_col", int(strongest[1]))
    channel = pick_channel.number_input("Channel", 0, channels - 1, key="view_channel")
    row = pick_row.number_input("Row", 0, height - 1, key="view_row")
    col = pick_col.number_input("Column", 0, width - 1, key="view_col")
    return layer, int(channel), int(row), int(col)


def conv_detail(model: DigitCNN, activations: dict[str, np.ndarray], image: torch.Tensor,
                layer: str, channel: int, row: int, col: int, palette: Palette) -> None:
    """The clickable map beside the arithmetic of the chosen value."""
    pixel = conv_pixel(model, activations, image, layer, channel, row, col)
    block = model.block(layer)
    number = str(block.number)
    left, right = st.columns([2, 3])
    left.plotly_chart(
        clickable_map(activations[layer][channel], f"Layer {number}, channel {channel}: click a cell", (row, col), True, palette),
        key="pixel_map", on_select=_take_clicked_cell, selection_mode="points",
    )
    with right:
        k = pixel.kernel.shape[-1]
        st.markdown(
            f"**Row {row}, column {col} of channel {channel}** reads the {k} x {k} patch at rows {pixel.top}..{pixel.top + k - 1}, "
            f"columns {pixel.left}..{pixel.left + k - 1} of {'the input image' if number == '1' else f'all {pixel.patch.shape[0]} maps of pooling layer {int(number) - 1}'}"
            " (outside the image counts as 0)."
        )
        sum_text = " + ".join(f"{s:.3f}" for s in pixel.channel_sums) if len(pixel.channel_sums) <= 4 else f"{pixel.products.sum():.3f}"
        sign = "+" if pixel.bias >= 0 else "−"
        st.markdown(
            f"### {sum_text} (sum of products) {sign} {abs(pixel.bias):.3f} (bias) = **{pixel.value:.3f}**  \n"
            f"after ReLU: max(0, {pixel.value:.3f}) = **{pixel.relu:.3f}**"
        )
        st.caption(f"The model itself computed {activations[layer][channel, row, col]:.3f} here: the same number.")
    if pixel.patch.shape[0] == 1:
        grids = st.columns(3)
        for column, values, title, signed in zip(
            grids, (pixel.patch[0], pixel.kernel[0], pixel.products[0]), ("Input patch", "Kernel (weights)", "Patch × kernel"),
            (True, True, True),
        ):
            column.plotly_chart(number_grid(values, title, pixel.top, pixel.left, signed, palette=palette), key=f"grid_{title}")
    else:
        st.plotly_chart(channel_sums_figure(pixel.channel_sums, pixel.bias, f"Sum of patch × kernel for each of the {len(pixel.channel_sums)} input channels", palette), key="channel_sums")
        st.plotly_chart(feature_maps_figure(pixel.products, "Patch × kernel, every input channel (hover for the numbers)", signed=True, palette=palette), key="products")
        shown = st.selectbox("Show the numbers of input channel", range(pixel.patch.shape[0]), key="view_input_channel")
        grids = st.columns(3)
        for column, values, title in zip(grids, (pixel.patch[shown], pixel.kernel[shown], pixel.products[shown]), ("Input patch", "Kernel (weights)", "Patch × kernel")):
            column.plotly_chart(number_grid(values, f"{title}, channel {shown}", pixel.top, pixel.left, palette=palette), key=f"grid_{title}")


def pool_detail(model: DigitCNN, activations: dict[str, np.ndarray], layer: str, channel: int, row: int, col: int,
                palette: Palette) -> None:
    """The 2 x 2 pooling window the chosen cell belongs to, and what it passed on."""
    block = model.block(layer)
    number = block.number
    window = pool_window(activations, block, channel, row // 2, col // 2)
    left, right = st.columns([2, 3])
    left.plotly_chart(number_grid(window.values, "The 2 x 2 window after ReLU", window.top, window.left, signed=False,
                                  marked=window.kept, palette=palette, height=320), key="pool_window")
    values = ", ".join(f"{v:.3f}" for v in window.values.ravel())
    right.markdown(
        f"Cell ({row}, {col}) falls in the window at rows {window.top}..{window.top + 1}, columns {window.left}..{window.left + 1}.  \n"
        f"### max({values}) = **{window.pooled:.3f}**  \n"
        f"It becomes cell ({row // 2}, {col // 2}) of pooling layer {number}; the other three values are dropped."
    )


def softmax_detail(logits: np.ndarray) -> None:
    """Logits to probabilities, step by step, with a temperature slider."""
    temperature = st.slider("Temperature", 0.1, 5.0, 1.0, 0.1, key="temperature", help=lessons.TEMPERATURE)
    steps = softmax_steps(logits, temperature)
    st.markdown(f"Sum of all exponentials: **{steps.total:.4f}**. Each probability is its exponential divided by that sum.")
    table = pd.DataFrame({
        "digit": range(len(logits)),
        "logit": steps.logits,
        f"logit / {temperature:g} − max": steps.shifted,
        "e^(…)": steps.exps,
        "÷ sum = probability": steps.probabilities,
    })
    st.dataframe(table.style.format({"logit": "{:.3f}", f"logit / {temperature:g} − max": "{:.3f}", "e^(…)": "{:.4f}",
                                     "÷ sum = probability": "{:.2%}"}), hide_index=True, width="stretch")


def class_detail(model: DigitCNN, activations: dict[str, np.ndarray], predicted: int, palette: Palette) -> None:
    """Which hidden units pushed a digit's score up and which pushed it down."""
    digit = st.selectbox("Digit", range(10), index=predicted, key="view_digit")
    contributions = class_contributions(model, activations, digit)
    st.markdown(
        f"Logit of {digit} = sum of {len(contributions.terms)} (input × weight) terms + bias = "
        f"{contributions.terms.sum():.3f} + {contributions.bias:.3f} = **{contributions.logit:.3f}**"
    )
    st.plotly_chart(contributions_figure(contributions.terms, digit, palette=palette), key="contributions")
