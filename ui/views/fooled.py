"""Can it be fooled? The answer across each change's whole range, and the smallest nudge that changes it."""

import numpy as np
import streamlit as st

from cnnviz.insight.robustness import CHANGES, changed, smallest_fooling_epsilon, sweep
from cnnviz.insight.verdict import verdict
from cnnviz.viz.curves import sweep_figure
from cnnviz.viz.overlays import gray_image, signed_image
from ui.charts import chart
from ui.markdown import literal
from ui.views.base import Context, View

NEUTRAL = {"rotation": 0.0, "scale": 1.0, "shift": 0.0, "noise": 0.0, "erase": 0.0}  # the unchanged digit
EXPLANATION = (
    "Change the digit and watch the answer. The chart shows the probability of each digit across the whole range "
    "of the change: where the answer holds, and where it breaks."
)
ADVERSARIAL = (
    "An adversarial example: every pixel nudged a little in the direction that most quickly lowers the network's "
    "confidence (the sign of the gradient). FGSM takes one step; PGD takes several smaller ones and needs less."
)


def fooled_story(
    values: np.ndarray, answers: np.ndarray, label: int, neutral: float, unit: str, classes: tuple[str, ...]
) -> str:
    """Where the answer (label) holds around the unchanged digit (neutral), and how sure it stays, from a sweep's
    answers (len(values), classes): the same numbers the chart beside it draws."""
    read = answers.argmax(axis=1)
    name = classes[label]
    start = end = int(np.argmin(np.abs(values - neutral)))
    if read[start] != label:
        return f"Even unchanged the answer is not {name} here."
    while start > 0 and read[start - 1] == label:
        start -= 1
    while end < len(values) - 1 and read[end + 1] == label:
        end += 1
    held = answers[start : end + 1, label]
    lowest = int(np.argmin(held)) + start
    if start == 0 and end == len(values) - 1:
        text = f"{name} stays the top answer over the whole range ({values[0]:g} to {values[-1]:g} {unit})"
    else:
        text = f"{name} stays the top answer from {values[start]:g} to {values[end]:g} ({unit})"
        outside = [i for i in range(len(values)) if not start <= i <= end]
        nearest = min(outside, key=lambda i: abs(values[i] - neutral))
        text += f"; at {values[nearest]:g} the top answer is {classes[read[nearest]]} ({answers[nearest].max():.0%})"
    if held.min() < 0.5:
        text += (
            f", but how sure it is falls to {held.min():.0%} at {values[lowest]:g}: the answer holds only because "
            "every other class is lower still"
        )
    return text + "."


@st.cache_resource(max_entries=64, show_spinner=False)
def sweeps(_ctx: Context, model_key: str, image_key: str, change: str) -> np.ndarray:
    """The answers across one change's range, once per (model, image, change)."""
    return sweep(_ctx.model, _ctx.prepared.pixels, change)


@st.cache_resource(max_entries=64, show_spinner="Searching for the smallest nudge...")
def nudge(_ctx: Context, model_key: str, image_key: str, steps: int):
    """The smallest adversarial nudge (FGSM: 1 step, PGD: 10), once per (model, image, method)."""
    return smallest_fooling_epsilon(_ctx.model, _ctx.prepared.pixels, steps)


def render(ctx: Context, large: bool = False) -> None:
    classes = ctx.model.classes
    choose, amount = st.columns(2)
    change = choose.radio("Change", list(CHANGES), horizontal=True, key="fool_change")
    values, unit = CHANGES[change]
    value = amount.select_slider(
        f"How much ({unit})", [float(v) for v in values], value=NEUTRAL[change], key=f"fool_{change}"
    )
    answers = sweeps(ctx, ctx.entry.key, ctx.image_key, change)
    label = int(np.argmax(answers[list(values).index(NEUTRAL[change])]))
    picture, curve = st.columns([1, 3])
    now = changed(ctx.prepared.pixels, change, value)
    now_answer = answers[list(values).index(value)]
    picture.image(
        gray_image(now, 240),
        caption=literal(verdict(now_answer, classes).words),
        alt=f"The digit with {change} {value:g} ({unit})",
    )
    chart(
        sweep_figure(values, answers, value, f"{change} ({unit})", classes, ctx.palette),
        key="fool_sweep",
        container=curve,
    )
    st.caption(literal(fooled_story(values, answers, label, NEUTRAL[change], unit, classes)))
    st.subheader("A small nudge that fools it")
    st.write(ADVERSARIAL)
    method = st.radio("Method", ["FGSM (one step)", "PGD (ten steps)"], horizontal=True, key="fool_method")
    found = nudge(ctx, ctx.entry.key, ctx.image_key, 1 if method.startswith("FGSM") else 10)
    before, nudged, after = st.columns(3)
    before.image(
        gray_image(ctx.prepared.pixels, 240),
        caption=f"Before: {literal(classes[found.label])}",
        alt="The digit as the network reads it",
    )
    nudged.image(
        signed_image(found.perturbation, ctx.palette),
        caption=f"The nudge: no pixel moved more than {found.epsilon:.2f}",
        alt="Which pixels were nudged brighter and which darker",
    )
    fooled_words = (
        f"After: {literal(classes[found.new_label])} ({found.probabilities.max():.0%})"
        if found.new_label != found.label
        else f"Still {literal(classes[found.label])}: nudges up to {found.epsilon:.2f} did not fool it"
    )
    after.image(gray_image(found.pixels, 240), caption=fooled_words, alt="The digit after the nudge")


VIEW = View("fooled", "Can it be fooled?", lambda ctx: EXPLANATION, render, aliases=("Can it be fooled?",))
