"""Why this answer? Four attribution methods by Captum side by side, for any class; Grad-CAM on any conv layer;
and two checks of them: the deletion test and the scrambled network."""

import numpy as np
import streamlit as st

from cnnviz.insight.attribution import METHODS, Attribution, attribute, blank_map_words
from cnnviz.insight.faithfulness import (
    ALIKE,
    Deletion,
    Scrambled,
    cascading_randomisation,
    clearly_faster,
    deletion,
)
from cnnviz.insight.verdict import percent
from cnnviz.network.naming import capitalised, learner_name
from cnnviz.viz.checks import deletion_figure, scrambling_figure
from cnnviz.viz.colors import Palette
from cnnviz.viz.overlays import attribution_image, attribution_strip
from ui.markdown import layer_label, literal
from ui.views.base import Context, View, show

EXPLANATION = (
    "Which pixels made the network give this score? Four ways of asking, each by Captum, PyTorch's attribution "
    "library. They often disagree: each measures something different."
)
METHOD_NAMES = {
    "saliency": "saliency",
    "integrated-gradients": "integrated gradients",
    "occlusion": "occlusion",
    "grad-cam": "Grad-CAM",
}
METHOD_WORDS = {  # what each attribution method measures, and where it misleads
    "saliency": (
        "Saliency: how fast the score would change if each pixel alone got a little brighter (the gradient). "
        "Misleads: it is about tiny changes, so a pixel that already saturates a filter can look unimportant."
    ),
    "integrated-gradients": (
        "Integrated gradients: the gradient summed along the way from a blank image to this one; the map adds up "
        "to the score's change. Misleads: it depends on the blank baseline chosen."
    ),
    "occlusion": (
        "Occlusion: the score's drop when a 4 x 4 patch is blanked out, slid over the image. Misleads: it is blurred "
        "by the patch size, and a stroke the network can do without looks unimportant."
    ),
    "grad-cam": (
        "Grad-CAM: where in a conv layer's maps the gradient and the activity agree, enlarged to the image. "
        "Misleads: its resolution is the layer's ({height} x {width} here), and it shows only what pushed the score up."
    ),
}
CHECK = (
    "Check it: blank the pixels each map ranks highest, a tenth of the image at a time (blank: no ink, as the "
    "network's background), and watch the answer's probability (the deletion test of Samek et al., 2017). A map "
    "that found what the answer needs makes its line fall faster than blanking as many pixels at random (dashed)."
)
SCRAMBLE = (
    "Scramble the network: replace its learned weights by random ones, from the output layer down, one more layer "
    "at each step, and ask every method again (Adebayo et al., 2018). A method that explains what the network "
    "learned gives another map once the learning is gone; a map that stays alike shows the image more than the "
    "network. The number compares each map with the trained network's, as drawn (Spearman's rank correlation of "
    "their pixels: 1 the same order, 0 unrelated)."
)


def colour_words(palette: Palette) -> str:
    """What the attribution colours mean, in the palette's words."""
    return (
        f"{palette.words['positive'].capitalize()}: pushed the score up. {palette.words['negative'].capitalize()}: "
        "pushed it down. Clear: did not matter. The digit shows through in grey."
    )


def method_words(method: str, height: int, width: int) -> str:
    """What an attribution method measures and where it misleads (Grad-CAM with its layer's real size)."""
    return METHOD_WORDS[method].format(height=height, width=width)


def joined(names: list[str]) -> str:
    """a; a and b; a, b and c."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def deletion_story(target: str, by_map: dict[str, np.ndarray], at_random: np.ndarray) -> str:
    """What the deletion curves show, from their numbers: who removes the answer faster than chance."""
    half = ", ".join(f"{name} {percent(curve[-1])}" for name, curve in by_map.items())
    text = (
        f"With half the pixels blanked, the probability of {target} falls from {percent(at_random[0])} to: {half}; "
        f"at random, {percent(at_random[-1])}. "
    )
    faster = [name for name, curve in by_map.items() if clearly_faster(curve, at_random)]
    slower = [name for name in by_map if name not in faster]
    if faster:
        text += f"{capitalised(joined(faster))} found pixels this answer needs (their lines fall faster)"
        text += f"; {joined(slower)} did no better than chance." if slower else "."
    else:
        text += "No map did clearly better than chance here: none of them found what this answer needs."
    return text


def scrambling_story(similarity: dict[str, np.ndarray], strength: dict[str, np.ndarray]) -> str:
    """What the scrambled network's maps show, from the last step's numbers: which methods depend on the learning,
    and which still mark the same pixels once the sign is ignored."""
    last = {name: values[-1] for name, values in similarity.items()}
    changed = [f"{name} ({r:.2f})" for name, r in last.items() if np.isfinite(r) and r < ALIKE]
    changed += [f"{name} (blank)" for name, r in last.items() if not np.isfinite(r)]
    alike = [f"{name} ({r:.2f})" for name, r in last.items() if np.isfinite(r) and r >= ALIKE]
    parts = []
    if changed:
        parts.append(
            f"With every layer scrambled, {joined(changed)} give other maps: "
            f"{'they depend' if len(changed) > 1 else 'it depends'} on what the network learned."
        )
    if alike:
        parts.append(
            f"{capitalised(joined(alike))} still {'look' if len(alike) > 1 else 'looks'} much as before: "
            f"{'they show' if len(alike) > 1 else 'it shows'} the image more than what the network learned."
        )
    marked = [
        f"{name} ({strength[name][-1]:.2f})"
        for name, r in last.items()
        if np.isfinite(r) and r < ALIKE and np.isfinite(strength[name][-1]) and strength[name][-1] >= ALIKE
    ]
    if marked:
        parts.append(
            f"Sign ignored, {joined(marked)} still {'mark' if len(marked) > 1 else 'marks'} the same pixels: where "
            "the ink is counts for any network, and the learning decides which way each pixel pushes."
        )
    return " ".join(parts)


def attribution_alt(method: str, values: np.ndarray) -> str:
    """An attribution map in words for screen readers: where it is strongest, from its numbers."""
    if not np.isfinite(values).all() or not np.abs(values).max() > 0:
        return f"{method}: nothing stands out (every value is 0)."
    row, col = np.unravel_index(int(np.argmax(values)), values.shape)
    low_row, low_col = np.unravel_index(int(np.argmin(values)), values.shape)
    return (
        f"{method}: pushed the score up most at row {row}, column {col} ({values[row, col]:.3g}); "
        f"down most at row {low_row}, column {low_col} ({values[low_row, low_col]:.3g})."
    )


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
        format_func=lambda name: (
            f"{layer_label(model, name)}: {model.layer(name).shape.height} x {model.layer(name).shape.width}"
        ),
    )
    st.caption(colour_words(ctx.palette))
    found = attributions(ctx, ctx.entry.key, ctx.image_key, target, layer)
    grid = model.layer(layer).shape
    for column, method in zip(st.columns(len(METHODS)), METHODS):
        if found[method].blank:  # a blank square says nothing: say why instead
            used = model.activated(layer)  # Grad-CAM weighs the maps after their activation
            maps = f"{learner_name(model, used)} ({used})"
            reason = blank_map_words(method, classes[target], maps, found[method].before_rectifying)
            column.info(literal(reason))
        else:
            column.image(
                attribution_image(ctx.prepared.pixels, found[method].values, ctx.palette),
                width="stretch",
                alt=attribution_alt(method, found[method].values),
            )
        column.caption(method_words(method, grid.height, grid.width))
    if not st.toggle("Check this explanation", key="why_check"):
        return
    st.write(CHECK)
    checked = deletions(ctx, ctx.entry.key, ctx.image_key, target, layer)
    by_map = {METHOD_NAMES[method]: checked[method].by_map for method in METHODS}
    at_random = checked[METHODS[0]].at_random
    show(deletion_figure(checked[METHODS[0]].fractions, by_map, at_random, classes[target]), "why_deletion", large)
    st.caption(literal(deletion_story(classes[target], by_map, at_random)))
    if not st.toggle("Scramble the network", key="why_scramble", help="Takes a few seconds: every method, 5 times"):
        return
    st.write(SCRAMBLE)
    steps = scrambled(ctx, ctx.entry.key, ctx.image_key, target, layer)
    labels = ["trained", *(f"down to {learner_name(model, name)}" for name in steps.steps[1:])]
    similarity = {METHOD_NAMES[method]: steps.similarity[method] for method in METHODS}
    strength = {METHOD_NAMES[method]: steps.strength[method] for method in METHODS}
    show(scrambling_figure(labels, similarity), "why_scrambling", large)
    st.caption(literal(scrambling_story(similarity, strength)))
    for method in METHODS:
        st.image(
            attribution_strip(ctx.prepared.pixels, steps.maps[method], ctx.palette),
            width="stretch",
            caption=f"{capitalised(METHOD_NAMES[method])}, left to right: trained, then scrambled "
            f"{', '.join(labels[1:])}",
            alt=f"{METHOD_NAMES[method]}'s map on the trained network and after each step of scrambling",
        )


VIEW = View("why", "Why this answer?", lambda ctx: EXPLANATION, render, aliases=("Why this answer?",))
