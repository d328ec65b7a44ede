"""Filters: each conv layer's learned weights and biases, and what each of its channels looks for."""

import numpy as np
import streamlit as st

from cnnviz.data.mnist import load_offline_sample, split
from cnnviz.insight import excitation as excite
from cnnviz.network.naming import learner_name
from cnnviz.saving import data_dir
from cnnviz.viz import feature_maps_figure, filters_figure
from cnnviz.viz.colors import Palette
from cnnviz.viz.filters import filter_inputs_figure
from cnnviz.viz.overlays import gray_image, grid_image, stretched
from ui import state
from ui.charts import chart
from ui.markdown import layer_label
from ui.models import SHARED_KEYS, ModelEntry, filter_figures
from ui.views.base import Context, View, large_chart


def explanation(palette: Palette) -> str:
    """What a filter is, in the palette's colours."""
    return (
        "Each filter is a small grid of weights the network learned during training. Sliding it over the image gives "
        f"a feature map: {palette.words['positive']} weights reward bright pixels under them, "
        f"{palette.words['negative']} weights punish them. The bias is added afterwards."
    )


DEEP = (
    "A deeper filter looks at every feature map of the layer before: it has one small kernel per input map and adds "
    "up what they find into a single new map. Left, how strongly each filter reads each input map; right, one "
    "filter's kernels, large."
)
LOOKS_FOR = (
    "What each channel answers to: left, the nine pieces of training digits (the part of the image one cell can "
    "see, its receptive field) where it fired most; right, an image optimised to make it fire everywhere."
)


def _kept_in(key: str):
    """Where a model's patches and dreams are kept on disk: a bundled model's only (a student's: memory only)."""
    return data_dir() / "excitation" if key in SHARED_KEYS else None


@st.cache_resource(max_entries=16, show_spinner="Searching the training digits...")
def strongest(_entry: ModelEntry, key: str, layer: str) -> excite.StrongestPatches:
    """The strongest patches of one conv layer of a model, searched once per model (key: its weights); a bundled
    model's are kept on disk too, so a server searches once, not at every start."""
    return excite.kept_patches(_entry.model, lambda: split(load_offline_sample(), 0.1, 0)[0], layer, _kept_in(key))


@st.cache_resource(max_entries=16, show_spinner="Making an input for each channel...")
def dreamed(_entry: ModelEntry, key: str, layer: str) -> np.ndarray:
    """The dreamed inputs of one conv layer of a model, made once per model (and kept on disk as the patches are)."""
    return stretched(excite.kept_dreams(_entry.model, layer, _kept_in(key)))


def looks_for(ctx: Context, layer: str) -> None:
    """What each channel of a conv layer answers to: its strongest patches and an optimised input; one large.

    The patches are drawn before the dreamed inputs are asked for: on a server's very first start the dreams take
    a second or two more, and the patches are on screen meanwhile."""
    st.caption(LOOKS_FOR)
    patches = strongest(ctx.entry, ctx.entry.key, layer)
    channels = len(patches.patches)
    start = ctx.selection.channel if ctx.selection.layer == layer else 0
    channel = st.number_input("Channel", 0, channels - 1, min(start, channels - 1), key=f"looks_for_{layer}")
    pieces, dream = st.columns([3, 2])
    size = patches.field.size
    pieces.image(
        grid_image(patches.patches[channel], 3, 300),
        caption=f"Channel {channel}: its nine strongest {size} x {size} patches "
        f"(activations from {patches.values[channel, 0]:.2f} down to {patches.values[channel, -1]:.2f})",
        alt=f"Nine pieces of training digits, {size} x {size} pixels each, where channel {channel} fired most",
    )
    every, made = st.columns(2)
    chart(
        feature_maps_figure(
            patches.patches[:, 0], "Every channel's strongest patch", False, palette=ctx.palette, width=540
        ),
        key=f"strongest_{layer}",
        container=every,
    )
    dreams = dreamed(ctx.entry, ctx.entry.key, layer)
    dream.image(
        gray_image(dreams[channel], 200),
        caption=f"An input made to excite channel {channel}",
        alt=f"An image optimised to make channel {channel} fire everywhere",
    )
    chart(
        feature_maps_figure(dreams, "Every channel's made-up input", False, palette=ctx.palette, width=540),
        key=f"dreams_{layer}",
        container=made,
    )


def deep_filters(ctx: Context, conv: str) -> None:
    """A deeper layer's filters: which input maps each reads, one filter's kernels large, then all of them."""
    st.caption(DEEP)
    weights = ctx.model.layer(conv).module.weight.detach().numpy()  # (O, I, k, k)
    reach, one = st.columns(2)
    with reach:
        chart(filter_inputs_figure(weights, "Which input maps each filter reads", ctx.palette), key=f"reach_{conv}")
    with one:
        strongest = int(np.abs(weights).sum(axis=(1, 2, 3)).argmax())
        picked = st.number_input("Filter", 0, weights.shape[0] - 1, strongest, key=f"filter_of_{conv}")
        kernels = feature_maps_figure(
            weights[picked],
            f"Filter {picked}: one {weights.shape[2]} x {weights.shape[3]} kernel per input map",
            signed=True,
            palette=ctx.palette,
            width=560,
            tiles="input map",
            value="weight",
        )
        chart(kernels, key=f"one_filter_{conv}")
    with st.expander("Every filter's every weight, and the biases"):
        chart(filter_figures(ctx.entry, ctx.entry.key, ctx.palette_name)[conv], key=f"filters_{conv}")


def render(ctx: Context, large: bool = False) -> None:
    convs = [ctx.model.layer(name) for name in ctx.model.conv_layers()]
    if large:
        first = convs[0].module
        title = f"The filters of {learner_name(ctx.model, convs[0].name)}"
        figure = filters_figure(first.weight.detach().numpy(), first.bias.detach().numpy(), title, ctx.palette)
        large_chart(figure, key="present_filters")
        return
    titles = [layer_label(ctx.model, conv.name) for conv in convs]
    for conv, tab in zip(convs, st.tabs(titles, key=state.FILTER_TABS, on_change="rerun")):
        if not tab.open:  # a tab's content runs only while it is open: the first open searches one layer, not all
            continue
        with tab:
            if conv.source == "input":
                chart(filter_figures(ctx.entry, ctx.entry.key, ctx.palette_name)[conv.name], key=f"filters_{conv.name}")
            else:
                deep_filters(ctx, conv.name)
            st.subheader(f"What the channels of {learner_name(ctx.model, conv.name)} look for")
            looks_for(ctx, conv.name)


VIEW = View("filters", "Filters", lambda ctx: explanation(ctx.palette), render, aliases=("Filters",))
