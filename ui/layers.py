"""Explore's larger views of every layer: the learned filters, and each block's maps big enough to click."""

import numpy as np
import streamlit as st
import torch

from cnnviz import lessons
from cnnviz.colors import PALETTES, Palette
from cnnviz.model import DigitCNN
from ui.details import selected_cell
from ui.models import ModelEntry, filter_figures
from ui.overview import network_overview


def filters(entry: ModelEntry, palette_name: str) -> None:
    """Each conv layer's filters and biases, one tab per layer."""
    st.write(lessons.filters(PALETTES[palette_name]))
    blocks = entry.model.blocks()
    for block, tab in zip(blocks, st.tabs([block.title for block in blocks])):
        if block.source is not None:
            tab.caption(lessons.FILTERS_DEEP)
        tab.plotly_chart(filter_figures(entry, entry.key, palette_name)[block.conv], key=f"filters_{block.conv}")


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
