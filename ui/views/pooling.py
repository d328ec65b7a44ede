"""Pooling: the window the selected cell falls in, and what pooling keeps of it (the largest value, or the mean)."""

import streamlit as st

from cnnviz import lessons
from cnnviz.network.arithmetic import pool_after, pool_window, window_of
from cnnviz.network.capture import max_pool_winners
from cnnviz.viz import feature_maps_figure, pooling_figure
from cnnviz.viz.feature_maps import layer_scale
from ui.views.base import Context, View, large_chart
from ui.views.cell import show_window


def the_pool(ctx: Context):
    """The pooling layer the selection is about: the selected layer, or the pooling its maps go into (or None)."""
    info = ctx.model.layer(ctx.selection.layer)
    return info if info.spec.pools else pool_after(ctx.model, info.name)


def render(ctx: Context, large: bool = False) -> None:
    pool = the_pool(ctx)
    selection = ctx.selection
    if pool is None:
        st.info(lessons.no_pooling(ctx.model, selection.layer))
        return
    if pool.name == selection.layer:
        row, col = selection.row, selection.col
    else:
        found = window_of(pool, selection.row, selection.col)
        if found is None:
            height, width = ctx.activations[selection.layer].shape[1:]
            st.info(
                f"Cell ({selection.row}, {selection.col}) is in the last row or column of a {height} x {width} map, "
                f"which no {pool.spec.size} x {pool.spec.size} window covers: pooling drops it, and {pool.name} is "
                f"{pool.shape.height} x {pool.shape.width}. Pick another cell."
            )
            return
        row, col = found
    window = pool_window(ctx.activations, pool, selection.channel, row, col)
    if large:
        maps = ctx.activations[pool.source]
        left, right = st.columns([3, 2])
        with left:
            shown = min(8, len(maps))
            if pool.spec.largest:
                figure = pooling_figure(
                    maps[:8],
                    max_pool_winners(maps, pool.spec.size, pool.spec.step)[:8],
                    f"What {pool.title.lower()} keeps ({shown} map{'s' if shown > 1 else ''})",
                    columns=4,
                    palette=ctx.palette,
                    width=640,
                )
            else:
                pooled = ctx.activations[pool.name][:8]
                signed, bounds = layer_scale(ctx.model.layer(pool.source).spec, maps)  # pooling keeps their range
                title = f"After {pool.title.lower()} ({shown} map{'s' if shown > 1 else ''})"
                figure = feature_maps_figure(pooled, title, signed, 4, ctx.palette, 640, bounds=bounds)
            large_chart(figure, 440, key="present_pooling")
        with right:
            show_window(window, ctx, large=True)
        return
    show_window(window, ctx, large=False)


VIEW = View(
    "pooling",
    "Pooling",
    lambda ctx: lessons.pooling_detail(the_pool(ctx)),
    render,
    aliases=("Max-pooling",),
    about_cell=True,
)
