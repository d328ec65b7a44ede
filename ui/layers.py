"""Explore's larger views of every layer: the learned filters, and each block's maps big enough to click."""

import numpy as np
import streamlit as st
import torch

from cnnviz import lessons
from cnnviz.network.model import DigitCNN
from cnnviz.viz import feature_maps_figure
from cnnviz.viz.browser import Selection
from cnnviz.viz.colors import PALETTES, Palette
from cnnviz.viz.filters import filter_inputs_figure
from ui.charts import chart
from ui.details import selected_cell
from ui.insight import looks_for
from ui.models import ModelEntry, filter_figures
from ui.overview import network_overview


def filters(entry: ModelEntry, palette_name: str, selection: Selection) -> None:
    """Each conv layer's filters and biases, one tab per layer, and what each of its channels looks for."""
    palette = PALETTES[palette_name]
    st.write(lessons.filters(palette))
    blocks = entry.model.blocks()
    for block, tab in zip(blocks, st.tabs([block.title for block in blocks])):
        with tab:
            if block.source is None:
                chart(filter_figures(entry, entry.key, palette_name)[block.conv], key=f"filters_{block.conv}")
            else:
                deep_filters(entry, block.conv, palette_name)
            st.subheader(f"What the channels of {block.title.lower()} look for")
            looks_for(entry, block.conv, selection.channel if selection.layer == block.conv else 0, palette)


def deep_filters(entry: ModelEntry, conv: str, palette_name: str) -> None:
    """A deeper layer's filters: which input maps each reads, one filter's kernels large, then all of them."""
    palette = PALETTES[palette_name]
    st.caption(lessons.FILTERS_DEEP)
    weights = getattr(entry.model, conv).weight.detach().numpy()  # (O, I, k, k)
    reach, one = st.columns(2)
    with reach:
        chart(filter_inputs_figure(weights, "Which input maps each filter reads", palette), key=f"reach_{conv}")
    with one:
        strongest = int(np.abs(weights).sum(axis=(1, 2, 3)).argmax())
        picked = st.number_input("Filter", 0, weights.shape[0] - 1, strongest, key=f"filter_of_{conv}")
        kernels = feature_maps_figure(
            weights[picked],
            f"Filter {picked}: one {weights.shape[2]} x {weights.shape[3]} kernel per input map",
            signed=True,
            palette=palette,
            width=560,
            tiles="input map",
            value="weight",
        )
        chart(kernels, key=f"one_filter_{conv}")
    with st.expander("Every filter's every weight, and the biases"):
        chart(filter_figures(entry, entry.key, palette_name)[conv], key=f"filters_{conv}")


def every_map(model: DigitCNN, activations: dict[str, np.ndarray], image: torch.Tensor, palette: Palette) -> None:
    """Each block's maps before and after ReLU and after pooling, large; a click selects a cell, as in the overview."""
    st.write(f"{lessons.conv(palette)} {lessons.RELU} {lessons.POOLING}")
    selection = selected_cell(model, activations)
    for block in model.blocks():
        channels, height, width = activations[block.conv].shape
        st.subheader(f"{block.title}: {channels} maps of {height} x {width}")
        stages = {block.conv, block.relu, block.pool} | ({block.norm} if block.norm else set())
        network_overview(
            model,
            activations,
            image,
            palette,
            selection,
            key=f"maps_{block.conv}",
            only=stages,
            height=min(640, 80 + 70 * min(channels, 8)),
        )
