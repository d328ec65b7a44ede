"""Pooling: the window the selected cell falls in, and what pooling keeps of it (the largest value, or the mean)."""

import streamlit as st

from cnnviz.network.arithmetic import pool_after, pool_window, window_of
from cnnviz.network.capture import max_pool_winners
from cnnviz.network.model import LayerInfo, Network
from cnnviz.viz import feature_maps_figure, pooling_figure
from cnnviz.viz.feature_maps import layer_scale
from ui.markdown import layer_words
from ui.views.base import Context, View, large_chart
from ui.views.cell import show_window


def explanation(pool: LayerInfo | None) -> str:
    """The pooling view's words, for the pooling layer it shows (None: the network has none)."""
    if pool is None:
        return "Pooling makes maps smaller by reducing each window to one number."
    if pool.spec.largest:
        return (
            "Max-pooling keeps the largest number of each window and forgets the rest: the outlined cell won. "
            "The network keeps where a pattern was strongest, not exactly where."
        )
    return (
        "Average pooling replaces each window by the mean of its numbers: nothing is dropped, every value counts a "
        "little."
    )


def no_pooling(model: Network, layer: str) -> str:
    """Why the pooling view has nothing to show for this selection (Markdown)."""
    if not any(info.spec.pools for info in model.layers()):
        return (
            "This network has no pooling layer: its convolutions move their kernel by more than one pixel (a stride), "
            "which makes the maps smaller instead. Watch it in the convolution player."
        )
    return (
        f"No pooling reads the maps of {layer_words(model, layer)}. Click a cell of a layer followed by pooling, or "
        "of a pooling layer."
    )


def how_many(shown: int, total: int) -> str:
    """How many of a layer's maps a picture shows: "8 of its 16 maps", "its 6 maps"."""
    return f"{shown} of its {total} maps" if shown < total else f"its {total} map{'s' if total > 1 else ''}"


def the_pool(ctx: Context):
    """The pooling layer the selection is about: the selected layer, or the pooling its maps go into (or None)."""
    info = ctx.model.layer(ctx.selection.layer)
    return info if info.spec.pools else pool_after(ctx.model, info.name)


def render(ctx: Context, large: bool = False) -> None:
    pool = the_pool(ctx)
    selection = ctx.selection
    if pool is None:
        st.info(no_pooling(ctx.model, selection.layer))
        return
    if pool.name == selection.layer:
        row, col = selection.row, selection.col
    else:
        found = window_of(pool, selection.row, selection.col)
        if found is None:
            height, width = ctx.activations[selection.layer].shape[1:]
            st.info(
                f"Row {selection.row}, column {selection.col} is in the last row or column of a {height} x {width} "
                f"map, which no {pool.spec.size} x {pool.spec.size} window covers: pooling drops it, and "
                f"{layer_words(ctx.model, pool.name, large)} makes maps of {pool.shape.height} x {pool.shape.width}. "
                "Pick another cell."
            )
            return
        row, col = found
    window = pool_window(ctx.activations, pool, selection.channel, row, col)
    if large:
        maps = ctx.activations[pool.source]
        left, right = st.columns([3, 2])
        with left:
            shown = how_many(min(8, len(maps)), len(maps))
            if pool.spec.largest:
                figure = pooling_figure(
                    maps[:8],
                    max_pool_winners(maps, pool.spec.size, pool.spec.step)[:8],
                    f"What {pool.spec.noun} keeps: {shown}",
                    columns=4,
                    palette=ctx.palette,
                    width=640,
                )
            else:
                pooled = ctx.activations[pool.name][:8]
                signed, bounds = layer_scale(ctx.model.layer(pool.source).spec, maps)  # pooling keeps their range
                title = f"After {pool.spec.noun}: {shown}"
                figure = feature_maps_figure(pooled, title, signed, 4, ctx.palette, 640, bounds=bounds)
            large_chart(figure, 440, key="present_pooling")
        with right:
            show_window(window, ctx, large=True)
        return
    show_window(window, ctx, large=False)


VIEW = View(
    "pooling",
    "Pooling",
    lambda ctx: explanation(the_pool(ctx)),
    render,
    aliases=("Max-pooling",),
    about_cell=True,
)
