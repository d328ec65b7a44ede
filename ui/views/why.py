"""Why this answer? Four attribution methods by Captum side by side, for any class; Grad-CAM on any conv layer;
and two checks of them: the deletion test and the scrambled network."""

import streamlit as st

from cnnviz import lessons
from cnnviz.insight.attribution import METHODS, Attribution, attribute
from cnnviz.insight.faithfulness import Deletion, Scrambled, cascading_randomisation, deletion
from cnnviz.viz.checks import deletion_figure, scrambling_figure
from cnnviz.viz.overlays import attribution_image, attribution_strip
from ui.markdown import literal
from ui.views.base import Context, View, show


@st.cache_resource(max_entries=64, show_spinner="Asking four attribution methods...")
def attributions(_ctx: Context, model_key: str, image_key: str, target: int, layer: str) -> dict[str, Attribution]:
    """Every method's map for one (model, image, class, Grad-CAM layer): a second look at the same is instant."""
    model, image = _ctx.model, _ctx.prepared.tensor
    return {
        method: attribute(model, image, method, target, layer if method == "grad-cam" else None) for method in METHODS
    }


@st.cache_resource(max_entries=64, show_spinner="Blanking pixels...")
def deletions(_ctx: Context, model_key: str, image_key: str, target: int, layer: str) -> dict[str, Deletion]:
    """The deletion test of every method's map, once per (model, image, class, Grad-CAM layer)."""
    found = attributions(_ctx, model_key, image_key, target, layer)
    return {method: deletion(_ctx.model, _ctx.prepared.tensor, found[method].values, target) for method in METHODS}


@st.cache_resource(max_entries=16, show_spinner="Scrambling the network one layer at a time, asking every method...")
def scrambled(_ctx: Context, model_key: str, image_key: str, target: int, layer: str) -> Scrambled:
    """Every method's map as the learned layers are re-randomised from the top, once per (model, image, class)."""
    return cascading_randomisation(_ctx.model, _ctx.prepared.tensor, target, layer=layer)


def render(ctx: Context, large: bool = False) -> None:
    pick, layer_pick = st.columns(2)
    model, classes = ctx.model, ctx.model.classes
    target = pick.selectbox(
        "Explain the score of",
        range(len(classes)),
        index=ctx.predicted,
        format_func=lambda i: classes[i],
        key="why_target",
    )
    layers = model.conv_layers()
    layer = layer_pick.selectbox(
        "Grad-CAM looks at",
        layers,
        index=len(layers) - 1,
        key="why_layer",
        format_func=lambda name: f"{name} ({model.layer(name).shape.height} x {model.layer(name).shape.width})",
    )
    st.caption(lessons.attribution_colours(ctx.palette))
    found = attributions(ctx, ctx.entry.key, ctx.image_key, target, layer)
    grid = model.layer(layer).shape
    for column, method in zip(st.columns(len(METHODS)), METHODS):
        if found[method].blank:  # a blank square says nothing: say why instead
            reason = lessons.blank_map_words(method, classes[target], layer, found[method].before_rectifying)
            column.info(literal(reason))
        else:
            column.image(
                attribution_image(ctx.prepared.pixels, found[method].values, ctx.palette),
                width="stretch",
                alt=lessons.attribution_alt(method, found[method].values),
            )
        column.caption(lessons.method_words(method, grid.height, grid.width))
    if not st.toggle("Check this explanation", key="why_check"):
        return
    st.write(lessons.CHECK)
    checked = deletions(ctx, ctx.entry.key, ctx.image_key, target, layer)
    by_map = {lessons.METHOD_NAMES[method]: checked[method].by_map for method in METHODS}
    at_random = checked[METHODS[0]].at_random
    show(deletion_figure(checked[METHODS[0]].fractions, by_map, at_random, classes[target]), "why_deletion", large)
    st.caption(literal(lessons.deletion_story(classes[target], by_map, at_random)))
    if not st.toggle("Scramble the network", key="why_scramble", help="Takes a few seconds: every method, 5 times"):
        return
    st.write(lessons.SCRAMBLE)
    steps = scrambled(ctx, ctx.entry.key, ctx.image_key, target, layer)
    labels = ["trained", *(f"down to {name}" for name in steps.steps[1:])]
    similarity = {lessons.METHOD_NAMES[method]: steps.similarity[method] for method in METHODS}
    strength = {lessons.METHOD_NAMES[method]: steps.strength[method] for method in METHODS}
    show(scrambling_figure(labels, similarity), "why_scrambling", large)
    st.caption(literal(lessons.scrambling_story(similarity, strength)))
    for method in METHODS:
        st.image(
            attribution_strip(ctx.prepared.pixels, steps.maps[method], ctx.palette),
            width="stretch",
            caption=f"{lessons.METHOD_NAMES[method]}, left to right: trained, then scrambled {', '.join(labels[1:])}",
            alt=f"{lessons.METHOD_NAMES[method]}'s map on the trained network and after each step of scrambling",
        )


VIEW = View("why", "Why this answer?", lambda ctx: lessons.WHY, render, aliases=("Why this answer?",))
