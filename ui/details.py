"""Explore's views of one number: the selected cell's arithmetic, its pooling window, softmax, and the last layer."""

import numpy as np
import streamlit as st
import torch

from cnnviz import lessons
from cnnviz.network.arithmetic import class_contributions, conv_pixel, pool_window, softmax_steps, strongest_cell
from cnnviz.network.model import POOL_SIZE, DigitCNN
from cnnviz.viz import feature_maps_figure
from cnnviz.viz.arithmetic import channel_sums_figure, contributions_figure
from cnnviz.viz.browser import Selection
from cnnviz.viz.colors import Palette
from cnnviz.viz.tables import number_table
from ui import widgets
from ui.charts import chart
from ui.markdown import literal

STRONGEST = "strongest_cells"  # session_state: {conv layer: its strongest (channel, row, col)} for this image


def _jump_to_strongest() -> None:
    """When the layer changes, select that layer's strongest cell (the old numbers mean nothing there)."""
    cell = st.session_state.get(STRONGEST, {}).get(st.session_state.get(widgets.LAYER))
    if cell:
        st.session_state[widgets.CHANNEL], st.session_state[widgets.ROW], st.session_state[widgets.COL] = cell


def selected_cell(model: DigitCNN, activations: dict[str, np.ndarray]) -> Selection:
    """The selected cell, from the pickers' keys (or the URL): a strongly active cell until one is chosen.

    Also settles the keys (inside the chosen layer's maps) before the pickers are drawn.
    """
    layers = model.conv_layers()
    strongest = {block.conv: strongest_cell(activations[block.relu]) for block in model.blocks()}
    st.session_state[STRONGEST] = strongest
    layer = st.session_state.get(widgets.LAYER) or st.query_params.get(widgets.LAYER)
    if layer not in layers:
        layer = layers[0]
        if widgets.LAYER in st.session_state:
            st.session_state[widgets.LAYER] = layer
    values = []
    for key, default, top in zip(
        (widgets.CHANNEL, widgets.ROW, widgets.COL), strongest[layer], activations[layer].shape
    ):
        value = st.session_state.get(key)
        if value is None:
            try:
                value = int(st.query_params[key])
            except (KeyError, ValueError):
                value = default
        value = int(min(max(int(value), 0), top - 1))
        if key in st.session_state:
            st.session_state[key] = value
        values.append(value)
    return Selection(layer, *values)


def cell_picker(model: DigitCNN, activations: dict[str, np.ndarray]) -> Selection:
    """Layer, channel, row and column pickers, bound to the URL (call selected_cell first, in the same run)."""
    selection = selected_cell(model, activations)
    for key, value in zip(
        (widgets.LAYER, widgets.CHANNEL, widgets.ROW, widgets.COL),
        (selection.layer, selection.channel, selection.row, selection.col),
    ):
        st.session_state.setdefault(key, value)
    pick_layer, pick_channel, pick_row, pick_col = st.columns(4)
    layer = pick_layer.selectbox(
        "Conv layer", model.conv_layers(), key=widgets.LAYER, bind="query-params", on_change=_jump_to_strongest
    )
    channels, height, width = activations[layer].shape
    channel = pick_channel.number_input("Channel (map)", 0, channels - 1, key=widgets.CHANNEL, bind="query-params")
    row = pick_row.number_input("Row", 0, height - 1, key=widgets.ROW, bind="query-params")
    col = pick_col.number_input("Column", 0, width - 1, key=widgets.COL, bind="query-params")
    return Selection(layer, int(channel), int(row), int(col))


def conv_detail(
    model: DigitCNN, activations: dict[str, np.ndarray], image: torch.Tensor, selection: Selection, palette: Palette
) -> None:
    """The arithmetic of the selected value: input patch, kernel, products, their sum plus bias, ReLU."""
    layer, channel, row, col = selection.layer, selection.channel, selection.row, selection.col
    pixel = conv_pixel(model, activations, image, layer, channel, row, col)
    block = model.block(layer)
    k = pixel.kernel.shape[-1]
    source = (
        "the input image"
        if block.source is None
        else f"all {pixel.patch.shape[0]} maps of pooling layer {block.number - 1}"
    )
    st.markdown(
        f"**Row {row}, column {col} of channel {channel}** reads the {k} x {k} patch "
        f"at rows {pixel.top}..{pixel.top + k - 1}, "
        f"columns {pixel.left}..{pixel.left + k - 1} of {source} (outside the image counts as 0)."
    )
    sums = (
        " + ".join(f"{s:.3f}" for s in pixel.channel_sums)
        if len(pixel.channel_sums) <= 4
        else f"{pixel.products.sum():.3f}"
    )
    sign = "+" if pixel.bias >= 0 else "−"
    lines = [f"### {sums} (sum of products) {sign} {abs(pixel.bias):.3f} (bias) = **{pixel.value:.3f}**"]
    if pixel.norm is not None:
        norm = pixel.norm
        lines.append(
            f"batch norm: ({pixel.value:.3f} − {norm.mean:.3f} mean) / √({norm.var:.3f} variance + {norm.eps:g}) "
            f"× {norm.gamma:.3f} {'+' if norm.beta >= 0 else '−'} {abs(norm.beta):.3f} = **{pixel.normalised:.3f}**"
        )
    lines.append(f"after ReLU: max(0, {pixel.normalised:.3f}) = **{pixel.relu:.3f}**")
    st.markdown("  \n".join(lines))
    st.caption(f"The model itself computed {activations[layer][channel, row, col]:.3f} here: the same number.")
    if pixel.patch.shape[0] == 1:
        shown, label = 0, ""
    else:
        chart(
            channel_sums_figure(
                pixel.channel_sums, pixel.bias, f"What each of the {len(pixel.channel_sums)} input maps adds", palette
            ),
            key="channel_sums",
        )
        order = [int(c) for c in np.argsort(-np.abs(pixel.channel_sums))]
        if st.session_state.get(widgets.INPUT_CHANNEL) not in order:
            st.session_state[widgets.INPUT_CHANNEL] = order[0]  # start with the map that matters most here
        shown = st.selectbox(
            "Show the numbers of input map",
            order,
            key=widgets.INPUT_CHANNEL,
            format_func=lambda c: f"{c} (adds {pixel.channel_sums[c]:+.3f})",
        )
        label = f", input map {shown}"
    grids = st.columns(3)
    for column, values, title in zip(
        grids,
        (pixel.patch[shown], pixel.kernel[shown], pixel.products[shown]),
        ("Input patch", "Kernel (weights)", "Patch × kernel"),
    ):
        column.html(number_table(values, f"{title}{label}", pixel.top, pixel.left, palette=palette))
    if pixel.patch.shape[0] > 1:
        every_map = (
            ("patches", pixel.patch, "The patch in every input map", False, "value"),
            ("products", pixel.products, "Patch × kernel in every input map", True, "product"),
        )
        for column, (key, values, title, signed, value) in zip(st.columns(2), every_map):
            figure = feature_maps_figure(
                values, title, signed, columns=8, palette=palette, width=540, tiles="input map", value=value
            )
            chart(figure, key=key, container=column)


def pool_detail(model: DigitCNN, activations: dict[str, np.ndarray], selection: Selection, palette: Palette) -> None:
    """The pooling window the selected cell belongs to, and what it passed on."""
    block = model.block(selection.layer)
    row, col = selection.row, selection.col
    height, width = activations[block.relu].shape[1:]
    if row // POOL_SIZE >= height // POOL_SIZE or col // POOL_SIZE >= width // POOL_SIZE:
        st.info(
            f"Cell ({row}, {col}) is in the last row or column of a {height} x {width} map, which no 2 x 2 window "
            f"covers: max-pooling drops it, and pooling layer {block.number} is "
            f"{height // POOL_SIZE} x {width // POOL_SIZE}. Pick another cell."
        )
        return
    window = pool_window(activations, block, selection.channel, row // POOL_SIZE, col // POOL_SIZE)
    left, right = st.columns([2, 3])
    left.html(
        number_table(
            window.values,
            "The 2 x 2 window after ReLU",
            window.top,
            window.left,
            signed=False,
            marked=window.kept,
            palette=palette,
            font_size=20,
            width=260,
            largest_cell=110,
        )
    )
    values = ", ".join(f"{v:.3f}" for v in window.values.ravel())
    right.markdown(
        f"Cell ({row}, {col}) falls in the window at rows {window.top}..{window.top + 1}, "
        f"columns {window.left}..{window.left + 1}.  \n"
        f"### max({values}) = **{window.pooled:.3f}**  \n"
        f"It becomes cell ({row // POOL_SIZE}, {col // POOL_SIZE}) of pooling layer {block.number}; "
        "the other three values are dropped."
    )


def softmax_detail(logits: np.ndarray, classes: tuple[str, ...]) -> None:
    """Logits to probabilities, step by step, with a temperature slider."""
    temperature = st.slider("Temperature", 0.1, 5.0, 1.0, 0.1, key=widgets.TEMPERATURE, help=lessons.TEMPERATURE)
    import pandas as pd  # imported here: it takes a fifth of a second, and only this table needs it

    steps = softmax_steps(logits, temperature)
    st.markdown(
        f"Sum of all exponentials: **{steps.total:.4f}**. Each probability is its exponential divided by that sum."
    )
    table = pd.DataFrame(
        {
            "class": list(classes),
            "logit": steps.logits,
            f"logit / {temperature:g} − max": steps.shifted,
            "e^(…)": steps.exps,
            "÷ sum = probability": steps.probabilities,
        }
    )
    st.dataframe(
        table.style.format(
            {
                "logit": "{:.3f}",
                f"logit / {temperature:g} − max": "{:.3f}",
                "e^(…)": "{:.4f}",
                "÷ sum = probability": "{:.2%}",
            }
        ),
        hide_index=True,
        width="stretch",
    )


def class_detail(model: DigitCNN, activations: dict[str, np.ndarray], predicted: int, palette: Palette) -> None:
    """Which hidden units pushed a class's score up and which pushed it down."""
    classes = model.classes
    if st.session_state.get(widgets.DIGIT) not in range(len(classes)):
        st.session_state[widgets.DIGIT] = predicted
    index = st.selectbox(
        "Class" if not model.config.is_digits else "Digit",
        range(len(classes)),
        key=widgets.DIGIT,
        format_func=lambda i: classes[i],
    )
    contributions = class_contributions(model, activations, index)
    st.markdown(
        f"Logit of {literal(classes[index])} = sum of {len(contributions.terms)} (input × weight) terms + bias = "
        f"{contributions.terms.sum():.3f} + {contributions.bias:.3f} = **{contributions.logit:.3f}**"
    )
    chart(contributions_figure(contributions.terms, classes[index], palette=palette), key="contributions")
