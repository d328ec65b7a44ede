"""Every map: each group of layers (a conv with what follows it, a residual block) large enough to click."""

import streamlit as st

from cnnviz.network.model import Network
from cnnviz.network.naming import capitalised
from cnnviz.viz import feature_maps_figure
from cnnviz.viz.colors import Palette
from cnnviz.viz.feature_maps import layer_scale
from cnnviz.viz.figure import plain
from ui.markdown import layer_label, layer_words
from ui.overview import network_overview
from ui.views.base import Context, View, large_chart


def conv_words(palette: Palette) -> str:
    """What a feature map before its activation shows, in the palette's colours."""
    return (
        "Each map is one filter slid over the input: a pixel's value is the sum of the weights times the pixels "
        f"under them, plus the bias. {palette.words['positive'].capitalize()} means the pattern the filter looks for "
        f"is there; {palette.words['negative']} means its opposite is."
    )


def activation_words(model: Network) -> str:
    """What the network's activation functions do, each once (each function's own words, cnnviz.network.functions)."""
    said = dict.fromkeys(info.spec.words for info in model.layers() if info.spec.per_cell and info.spec.words)
    return " ".join(said)


def pooling_words(model: Network) -> str:
    """What the network's pooling does (max or average, and its window), or that it has none."""
    pools = [info for info in model.layers() if info.spec.pools]
    if not pools:
        return "This network has no pooling: convolutions with a stride larger than 1 make the maps smaller instead."
    return pools[0].spec.words


def explanation(ctx: Context) -> str:
    """The maps view's words: the maps, then what this network's activations and pooling do to them."""
    return f"{conv_words(ctx.palette)} {activation_words(ctx.model)} {pooling_words(ctx.model)}"


def render(ctx: Context, large: bool = False) -> None:
    model, activations = ctx.model, ctx.activations
    if large:  # one layer's maps, as big as the screen allows
        layer = model.layer(ctx.selection.layer)
        signed, bounds = layer_scale(layer.spec, activations[layer.name])
        figure = feature_maps_figure(
            activations[layer.name],
            plain(layer_label(model, layer.name)),
            signed,
            palette=ctx.palette,
            width=800,
            bounds=bounds,
        )
        large_chart(figure, 480, key=f"present_maps_{layer.name}")
        return
    for group in model.groups():
        first = model.layer(group[0])
        channels, height, width = activations[first.name].shape
        named = capitalised(layer_words(model, first.name))
        st.subheader(f"{named} and what follows: {channels} maps of {height} x {width}")
        network_overview(
            ctx,
            key=f"maps_{first.name}",
            only=set(group),
            height=min(640, 80 + 70 * min(channels, 8)),
        )


VIEW = View(
    "maps",
    "Every map",
    explanation,
    render,
    aliases=("Every map",),
)
