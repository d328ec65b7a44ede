"""Explore: one image through the network, stage by stage."""

import numpy as np
import streamlit as st

from cnnviz import lessons
from cnnviz.colors import PALETTES
from cnnviz.features import max_pool_winners
from cnnviz.viz import feature_maps_figure, input_figure, pooling_figure, probabilities_figure
from cnnviz.viz.inputs import pixelated
from ui import url_state
from ui.details import class_detail, conv_detail, pixel_picker, pool_detail, softmax_detail
from ui.images import sample_bytes
from ui.inputs import SOURCES, image_input
from ui.internals import require_app_entry
from ui.models import filter_figures
from ui.sidebar import model_and_palette

require_app_entry()
url_state.restore("explore", {"source": SOURCES, "sample": sample_bytes(), "palette": PALETTES,
                              "layer": lambda v: v.startswith("conv"),
                              "channel": lambda v: v >= 0, "row": lambda v: v >= 0, "col": lambda v: v >= 0})

st.title("Explore: how a CNN reads a digit")
st.write(lessons.INTRO)

entry, palette_name, palette = model_and_palette()
model = entry.model
model_name = entry.name

chosen = image_input()
if chosen is None:
    st.stop()
description, prepared = chosen
activations = entry.capture(prepared.tensor)  # one forward pass feeds every chart below
probabilities = activations["probabilities"]
predicted = int(np.argmax(probabilities))
st.markdown(f"## The network reads **{predicted}** &nbsp; ({probabilities[predicted]:.1%} sure)")
st.caption(f"Input: {description} · model: {model_name}")

st.header("1 · Preparing the image")
st.write(lessons.PREPROCESSING)
for row in (prepared.steps[:4], prepared.steps[4:]):
    for column, step in zip(st.columns(4), row):
        column.image(pixelated(step.image), caption=step.title, width="stretch", clamp=True)
        column.caption(step.explanation)
left, right = st.columns([3, 2])
left.plotly_chart(input_figure(prepared.tensor[0, 0].numpy()), key="input_tensor")
right.info(lessons.INPUT_TENSOR)

st.header("2 · The learned filters")
st.write(lessons.FILTERS)
blocks = model.blocks()
for block, tab in zip(blocks, st.tabs([block.title for block in blocks])):
    if block.source is not None:
        tab.caption(lessons.FILTERS_DEEP)
    tab.plotly_chart(filter_figures(entry, entry.key, palette_name)[block.conv], key=f"filters_{block.conv}")

st.header("3 · Feature maps, layer by layer")
for block in blocks:
    name, number = block.conv, block.number
    st.subheader(f"{block.title}: {activations[name].shape[0]} maps of {activations[name].shape[1]} x {activations[name].shape[2]}")
    relu, pool = activations[block.relu], activations[block.pool]
    before, after, pooling = st.tabs(["Before ReLU", "After ReLU", "Max-pooling"])
    before.caption(lessons.CONV)
    before.plotly_chart(feature_maps_figure(activations[name], f"Layer {number} before ReLU (conv output)", signed=True, palette=palette), key=f"maps_{name}")
    after.caption(lessons.RELU)
    after.plotly_chart(feature_maps_figure(relu, f"Layer {number} after ReLU", signed=False, palette=palette), key=f"relu_{name}")
    pooling.caption(lessons.POOLING)
    pooling.plotly_chart(pooling_figure(relu, max_pool_winners(relu), f"Layer {number}: what 2 x 2 max-pooling keeps", palette=palette), key=f"winners_{name}")
    pooling.caption(lessons.POOLED)
    pooling.plotly_chart(feature_maps_figure(pool, f"Layer {number} after pooling: {pool.shape[1]} x {pool.shape[2]}", signed=False, palette=palette), key=f"pool_{name}")

st.header("4 · The decision")
st.write(lessons.CLASSIFIER)
logits = activations[model.head.logits]
st.plotly_chart(probabilities_figure(logits, probabilities, palette), key="probabilities")

st.header("5 · How one number is computed")
st.write(lessons.ARITHMETIC)
layer, channel, row, col = pixel_picker(model, activations)
value, window, softmax, last = st.tabs(["A feature-map value", "Its pooling window", "Softmax", "The last layer"])
with value:
    conv_detail(model, activations, prepared.tensor, layer, channel, row, col, palette)
with window:
    st.caption(lessons.POOL_DETAIL)
    pool_detail(model, activations, layer, channel, row, col, palette)
with softmax:
    st.caption(lessons.SOFTMAX_DETAIL)
    softmax_detail(logits)
with last:
    st.caption(lessons.FC_DETAIL)
    class_detail(model, activations, predicted, palette)
url_state.save("source", "sample", "palette", "layer", "channel", "row", "col")
