"""Why this answer? Four attribution methods by Captum side by side, for any class; Grad-CAM on any conv layer."""

import numpy as np
import streamlit as st

from cnnviz import lessons
from cnnviz.insight.attribution import METHODS, attribute
from cnnviz.viz.overlays import attribution_image
from ui.views.base import Context, View


@st.cache_resource(max_entries=64, show_spinner="Asking four attribution methods...")
def attributions(_ctx: Context, model_key: str, image_key: str, target: int, layer: str) -> dict[str, np.ndarray]:
    """Every method's map for one (model, image, class, Grad-CAM layer): a second look at the same is instant."""
    model, image = _ctx.model, _ctx.prepared.tensor
    return {
        method: attribute(model, image, method, target, layer if method == "grad-cam" else None).values
        for method in METHODS
    }


def render(ctx: Context, large: bool = False) -> None:
    pick, layer_pick = st.columns(2)
    classes = ctx.model.classes
    target = pick.selectbox(
        "Explain the score of",
        range(len(classes)),
        index=ctx.predicted,
        format_func=lambda i: classes[i],
        key="why_target",
    )
    layers = ctx.model.conv_layers()
    layer = layer_pick.selectbox(
        "Grad-CAM looks at",
        layers,
        index=len(layers) - 1,
        key="why_layer",
        format_func=lambda name: f"{name} ({ctx.model.layer(name).shape.height} x {ctx.model.layer(name).shape.width})",
    )
    st.caption(lessons.attribution_colours(ctx.palette))
    found = attributions(ctx, ctx.entry.key, ctx.image_key, target, layer)
    grid = ctx.model.layer(layer).shape
    for column, method in zip(st.columns(len(METHODS)), METHODS):
        column.image(
            attribution_image(ctx.prepared.pixels, found[method], ctx.palette),
            width="stretch",
            alt=lessons.attribution_alt(method, found[method]),
        )
        column.caption(lessons.method_words(method, grid.height, grid.width))


VIEW = View("why", "Why this answer?", lambda ctx: lessons.WHY, render, aliases=("Why this answer?",))
