"""Every map: each group of layers (a conv with what follows it, a residual block) large enough to click."""

import streamlit as st

from cnnviz import lessons
from cnnviz.viz import feature_maps_figure
from cnnviz.viz.feature_maps import layer_scale
from ui.overview import network_overview
from ui.views.base import Context, View, large_chart


def render(ctx: Context, large: bool = False) -> None:
    model, activations = ctx.model, ctx.activations
    if large:  # one layer's maps, as big as the screen allows
        layer = model.layer(ctx.selection.layer)
        signed, bounds = layer_scale(layer.spec, activations[layer.name])
        figure = feature_maps_figure(
            activations[layer.name],
            f"{layer.title} ({layer.name})",
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
        st.subheader(f"{first.title} ({first.name}) and what follows: {channels} maps of {height} x {width}")
        network_overview(
            ctx,
            key=f"maps_{first.name}",
            only=set(group),
            height=min(640, 80 + 70 * min(channels, 8)),
        )


VIEW = View(
    "maps",
    "Every map",
    lambda ctx: (
        f"{lessons.conv(ctx.palette)} {lessons.activations_words(ctx.model)} {lessons.pooling_words(ctx.model)}"
    ),
    render,
    aliases=("Every map",),
)
