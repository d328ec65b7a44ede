"""Sandbox: convolution by hand, shifting the digit, and dropout, on the session's current image."""

import numpy as np
import streamlit as st
import torch

from cnnviz.data.mnist import normalize
from cnnviz.errors import InputError
from cnnviz.insight.verdict import percent
from cnnviz.network.arithmetic import dropout_runs, last_dropout, shift_pixels
from cnnviz.network.sandbox import PRESETS, conv_block, output_size_formula, parse_kernel, preset_kernel
from cnnviz.viz import feature_maps_figure
from cnnviz.viz.arithmetic import runs_figure
from cnnviz.viz.feature_maps import map_figure
from cnnviz.viz.figure import plain
from cnnviz.viz.tables import number_table
from ui import state
from ui.charts import chart
from ui.internals import compact_page
from ui.markdown import literal
from ui.pages.sandbox_words import DROPOUT, INTRO, NO_DROPOUT, SHIFT, dropout_story

compact_page()
st.title("Sandbox: convolution by hand")
st.write(INTRO)
description, prepared = state.current_image()
entry = state.current_model()
palette = state.current_palette()
model = entry.model
first = model.conv_layers()[0]  # the first conv layer: the one that reads the image
st.caption(f"Image: {literal(description)} (choose another on the Explore page) · model: {literal(entry.name)}")

left, right = st.columns([2, 3])
with left:
    choice = st.selectbox(
        "Kernel", [*PRESETS, "A learned filter of the first convolution", "Type your own"], key="sandbox_kernel"
    )
    kernel = None
    if choice in PRESETS:
        kernel = preset_kernel(choice, st.select_slider("Kernel size", [3, 5, 7], key="sandbox_size"))
    elif choice == "Type your own":
        typed = st.text_area("Kernel numbers, one row per line", "0 -1 0\n-1 5 -1\n0 -1 0", key="sandbox_typed")
        try:
            kernel = parse_kernel(typed)
        except InputError as error:
            st.error(str(error))
    else:
        weights = model.layer(first).module.weight.detach().numpy()
        kernel = weights[st.number_input("Filter", 0, weights.shape[0] - 1, key="sandbox_filter"), 0]
    stride = st.slider("Stride", 1, 3, 1, key="sandbox_stride")
    padding = st.slider("Padding", 0, 3, 1, key="sandbox_padding")
    dilation = st.slider("Dilation", 1, 3, 1, key="sandbox_dilation")
    relu = st.toggle("ReLU after the convolution", key="sandbox_relu")
    pool = st.toggle("2 x 2 max-pooling after that", key="sandbox_pool")
if kernel is not None:
    with right:
        title = f"Kernel, {kernel.shape[0]} x {kernel.shape[1]}"
        st.html(number_table(kernel, title, palette=palette, width=420, note="rows and columns of the kernel"))
    try:
        block = conv_block(prepared.pixels, kernel, stride, padding, dilation, relu, pool)
    except InputError as error:
        st.error(str(error))
    else:
        st.markdown(
            f"**Output shape** {block.convolved.shape[0]} x {block.convolved.shape[1]}:  "
            f"`{output_size_formula(28, kernel.shape[0], stride, padding, dilation)}`"
        )
        steps = [("Input", prepared.pixels, False), ("After convolution", block.convolved, True)]
        steps += [("After ReLU", block.activated, False)] if block.activated is not None else []
        steps += [("After max-pooling", block.pooled, not relu)] if block.pooled is not None else []
        for column, (title, values, signed) in zip(st.columns(4), steps):
            figure = map_figure(
                values, f"{title}: {values.shape[0]} x {values.shape[1]}", signed=signed, palette=palette
            )
            chart(figure, key=f"sandbox_{title}", container=column)

st.header("Shared weights: move the digit")
st.write(SHIFT)
down, right_by = st.columns(2)
dy = down.slider("Move down (pixels)", -4, 4, 0, key="shift_down")
dx = right_by.slider("Move right (pixels)", -4, 4, 0, key="shift_right")
shifted = shift_pixels(prepared.pixels, dy, dx)
moved = entry.capture(normalize(torch.from_numpy(shifted)[None]))
original = entry.capture(prepared.tensor)
for column, (title, activations) in zip(st.columns(2), (("Where it was", original), ("Moved", moved))):
    label = int(np.argmax(activations["probabilities"]))
    figure = feature_maps_figure(
        activations[model.activated(first)][:8],
        f"{title}: the answer is {plain(model.classes[label])} ({percent(activations['probabilities'][label])})",
        signed=False,
        columns=4,
        palette=palette,
        width=540,
    )
    chart(figure, key=f"shift_{title}", container=column)

st.header("Dropout: training mode vs eval mode")
st.write(DROPOUT)
if last_dropout(model) is None:
    st.info(NO_DROPOUT)
    st.stop()
runs = st.slider("Training-mode runs", 2, 10, 5, key="dropout_runs")
masks, probabilities = dropout_runs(entry.model, original, runs, seed=state.dropout_seed())
if st.button("Run again", key="dropout_again"):
    state.next_dropout_seed()
    st.rerun()
chart(
    runs_figure(
        probabilities,
        original["probabilities"],
        f"{runs} runs with dropout on (dots) vs eval mode (bars)",
        palette=palette,
    ),
    key="dropout_figure",
)
st.caption(literal(dropout_story(probabilities, 1 - float(masks.mean()), masks.shape[1], model.classes)))
