"""Explore's "why" views: attributions, what each channel looks for, and how easily the network is fooled."""

import numpy as np
import streamlit as st

from cnnviz import lessons
from cnnviz.data.mnist import load_offline_sample, split
from cnnviz.insight.attribution import METHODS, attribute
from cnnviz.insight.excitation import dreamed_inputs, strongest_patches
from cnnviz.insight.robustness import CHANGES, changed, smallest_fooling_epsilon, sweep
from cnnviz.insight.verdict import verdict
from cnnviz.network.model import DigitCNN
from cnnviz.reading.preprocess import Preprocessed
from cnnviz.viz import feature_maps_figure
from cnnviz.viz.colors import Palette
from cnnviz.viz.curves import sweep_figure
from cnnviz.viz.overlays import attribution_image, gray_image, grid_image, signed_image, stretched
from ui.charts import chart
from ui.markdown import literal
from ui.models import ModelEntry

NEUTRAL = {"rotation": 0.0, "scale": 1.0, "shift": 0.0, "noise": 0.0, "erase": 0.0}  # the unchanged digit


def why(model: DigitCNN, prepared: Preprocessed, predicted: int, palette: Palette) -> None:
    """The four attribution methods side by side, for the predicted class or one the student picks."""
    st.write(lessons.WHY)
    pick, layer_pick = st.columns(2)
    classes = model.classes
    target = pick.selectbox(
        "Explain the score of", range(len(classes)), index=predicted, format_func=lambda i: classes[i], key="why_target"
    )
    layers = model.conv_layers()
    layer = layer_pick.selectbox("Grad-CAM looks at", layers, index=len(layers) - 1, key="why_layer")
    st.caption(lessons.attribution_colours(palette))
    for column, method in zip(st.columns(len(METHODS)), METHODS):
        found = attribute(model, prepared.tensor, method, target, layer if method == "grad-cam" else None)
        column.image(attribution_image(prepared.pixels, found.values, palette), width="stretch")
        column.caption(lessons.METHOD_WORDS[method])


@st.cache_resource(max_entries=16, show_spinner="Searching the training digits...")
def excitation(_entry: ModelEntry, key: str, layer: str) -> tuple:
    """(StrongestPatches, dreamed inputs) of one conv layer of a model, computed once per model (key: its weights)."""
    train, _ = split(load_offline_sample(), 0.1, 0)
    return strongest_patches(_entry.model, train, layer), stretched(dreamed_inputs(_entry.model, layer))


def looks_for(entry: ModelEntry, layer: str, channel: int, palette: Palette) -> None:
    """What each channel of a conv layer answers to: its strongest patches and an optimised input; one large."""
    st.caption(lessons.LOOKS_FOR)
    patches, dreams = excitation(entry, entry.key, layer)
    channels = len(dreams)
    channel = st.number_input("Channel", 0, channels - 1, min(channel, channels - 1), key=f"looks_for_{layer}")
    strongest, dreamed = st.columns([3, 2])
    strongest.image(
        grid_image(patches.patches[channel], 3, 300),
        caption=f"Channel {channel}: its nine strongest {patches.field.size} x {patches.field.size} patches "
        f"(activations {patches.values[channel, 0]:.2f} to {patches.values[channel, -1]:.2f})",
    )
    dreamed.image(gray_image(dreams[channel], 200), caption=f"An input made to excite channel {channel}")
    every, made = st.columns(2)
    chart(
        feature_maps_figure(
            patches.patches[:, 0], "Every channel's strongest patch", False, palette=palette, width=540
        ),
        key=f"strongest_{layer}",
        container=every,
    )
    chart(
        feature_maps_figure(dreams, "Every channel's made-up input", False, palette=palette, width=540),
        key=f"dreams_{layer}",
        container=made,
    )


def fooled(model: DigitCNN, prepared: Preprocessed, palette: Palette) -> None:
    """Sliders that change the digit, the answer across each change's range, and an adversarial example."""
    st.write(lessons.FOOLED)
    label = int(np.argmax(sweep(model, prepared.pixels, "noise", np.zeros(1))[0]))
    choose, amount = st.columns(2)
    change = choose.radio("Change", list(CHANGES), horizontal=True, key="fool_change")
    values, unit = CHANGES[change]
    value = amount.select_slider(
        f"How much ({unit})", [float(v) for v in values], value=NEUTRAL[change], key=f"fool_{change}"
    )
    answers = sweep(model, prepared.pixels, change)
    picture, curve = st.columns([1, 3])
    now = changed(prepared.pixels, change, value)
    now_answer = answers[list(values).index(value)]
    picture.image(gray_image(now, 240), caption=literal(verdict(now_answer, model.classes).words))
    chart(
        sweep_figure(values, answers, value, f"{change} ({unit})", model.classes, palette),
        key="fool_sweep",
        container=curve,
    )
    st.caption(lessons.fooled_story(values, answers, label, NEUTRAL[change], unit))
    st.subheader("A small nudge that fools it")
    st.write(lessons.ADVERSARIAL)
    method = st.radio("Method", ["FGSM (one step)", "PGD (ten steps)"], horizontal=True, key="fool_method")
    found = smallest_fooling_epsilon(model, prepared.pixels, 1 if method.startswith("FGSM") else 10)
    before, nudge, after = st.columns(3)
    before.image(gray_image(prepared.pixels, 240), caption=f"Before: {literal(model.classes[found.label])}")
    nudge.image(
        signed_image(found.perturbation, palette), caption=f"The nudge: no pixel moved more than {found.epsilon:.2f}"
    )
    fooled_words = (
        f"After: {literal(model.classes[found.new_label])} ({found.probabilities.max():.0%})"
        if found.new_label != found.label
        else f"Still {literal(model.classes[found.label])}: nudges up to {found.epsilon:.2f} did not fool it"
    )
    after.image(gray_image(found.pixels, 240), caption=fooled_words)
