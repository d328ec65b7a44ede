"""One step of learning: the loss, the gradient flowing back layer by layer, and the update w - lr x g."""

import math

import numpy as np
import streamlit as st

from cnnviz.data.mnist import Digits
from cnnviz.lesson import evidence
from cnnviz.network.backprop import RATES, judge
from cnnviz.network.naming import capitalised, learner_name
from cnnviz.viz import feature_maps_figure, filters_figure
from cnnviz.viz.curves import norms_figure, rate_figure
from cnnviz.viz.feature_maps import map_figure
from cnnviz.viz.figure import plain
from ui.charts import chart
from ui.markdown import layer_label, literal
from ui.views.base import Context, View

DEFAULT_RATE = evidence.STEP_RATE
EXPLANATION = (
    "One step of learning, slowly. The forward pass gives a probability for each answer; the loss is "
    "minus the log of the probability of the right one. Backpropagation applies the chain rule from the last layer "
    "back to the first: each layer turns the gradient it receives into a gradient for its own weights and one for "
    "its input. Gradient descent then moves every weight against its gradient: w - learning rate x g."
)
ON_A_COPY = (
    "This step is tried on a copy of the network. The model in use has not changed: the headline, the Mistakes page "
    "and every other student read with the same weights as before."
)
LEARNING_RATE = (
    "The learning rate decides how far one step goes. Too small and the loss hardly moves; too big and the step "
    "overshoots, and what the network knew about other digits is wrecked."
)


def why_this_label(classes: tuple[str, ...], predicted: int, runner_up: int, label: int) -> str:
    """Why the view starts on a label the network did not give (a wrong answer, on purpose); Markdown."""
    named, answer = literal(classes[label]), literal(classes[predicted])
    if label == runner_up and label != predicted:
        return (
            f"It starts on {named}, the network's second choice, not its answer {answer}: telling it the answer it "
            "already gives with near certainty leaves almost nothing to learn. Pick any answer to see the step that "
            "would move it there."
        )
    if label == predicted:
        return f"{named} is the network's own answer: the loss is small, and so is every gradient."
    return f"Telling it the answer is {named}: the step pulls every weight towards that answer."


def step_story(judged: str, loss_before: float, loss_after: float, others_before: float, others_after: float) -> str:
    """One step's verdict (cnnviz.network.backprop.judge) in words, with its numbers."""
    words = {
        "sure": "It is already sure of this answer: the loss is almost zero, so is every gradient, and a step "
        "changes nothing. Pick another answer to see a big correction.",
        "broke": f"Too big: accuracy on other digits fell from {others_before:.0%} to {others_after:.0%}. "
        "The step fitted this one digit and broke what the network knew.",
        "overshot": f"Too big: the step overshot and the loss rose from {loss_before:.3f} to {loss_after:.3f}.",
        "small": f"Too small: the loss went only from {loss_before:.3f} to {loss_after:.3f}.",
        "right": f"About right: the loss fell from {loss_before:.3f} to {loss_after:.3f}"
        + ("." if math.isnan(others_after) else f" and other digits are still {others_after:.0%} right."),
    }
    return words[judged]


def gradient_sizes_story(norms: dict[str, float]) -> str:
    """What the gradient-size chart of one step shows, from its numbers (norms: by the layers' names for learners,
    first layer first): how the gradient fades towards the input."""
    sizes = {name: value for name, value in norms.items() if value > 0}
    if len(sizes) < 2:
        return ""
    first, last = next(iter(sizes)), list(sizes)[-1]
    ratio = sizes[first] / sizes[last]
    if ratio < 0.05:
        return (
            f"The gradient reaching {first} is {ratio:.1%} of the one at {last}: it fades as it flows back through "
            "every layer, so the first layers barely learn (the vanishing gradient that ReLU was adopted to avoid)."
        )
    return f"The gradient at {first} is {ratio:.2g} times the one at {last}: every layer gets a share to learn from."


@st.cache_resource(show_spinner=False)
def other_digits() -> Digits:
    """Held-out digits of the offline sample (never trained on), the same for every session."""
    return evidence.other_digits()


@st.cache_resource(max_entries=16, show_spinner="Taking one step at each learning rate...")
def one_step(_ctx: Context, model_key: str, image_key: str, label: int) -> tuple:
    """(Backward, steps at every rate, accuracy on other digits before), once per model, image and answer."""
    others = other_digits() if _ctx.model.config.is_digits else None
    return evidence.learning_step(_ctx.model, _ctx.prepared.tensor, label, others)


def render(ctx: Context, large: bool = False) -> None:
    found, rate = loss_before_and_after(ctx)
    st.subheader("The gradient flowing back")
    name = gradient_flowing_back(ctx, found)
    update_on_one_filter(ctx, found, name, rate)


def loss_before_and_after(ctx: Context) -> tuple:
    """The answer to teach and the learning rate, the loss before and after one step: (the step found, the rate)."""
    classes = ctx.model.classes
    pick, rate_pick = st.columns(2)
    runner_up = evidence.second_choice(ctx.probabilities, classes)  # a confident right answer has nothing to learn
    label = pick.selectbox(
        "Teach it that the right answer is",
        range(len(classes)),
        index=runner_up,
        format_func=lambda i: classes[i],
        key="step_label",
    )
    rate = rate_pick.select_slider(
        "Learning rate", RATES, value=DEFAULT_RATE, format_func=lambda r: f"{r:g}", key="step_rate"
    )
    st.markdown(why_this_label(classes, ctx.predicted, runner_up, label))
    found, steps, others_before = one_step(ctx, ctx.entry.key, ctx.image_key, label)
    chosen = steps[RATES.index(rate)]
    loss, after, others = st.columns(3)
    loss.metric(f"Loss now, if the answer is {literal(classes[label])}", f"{found.loss:.3f}")
    after.metric(
        "Loss after one step",
        f"{chosen.loss_after:.3f}",
        f"{chosen.loss_after - found.loss:+.3f}",
        delta_color="inverse",
    )
    if not math.isnan(others_before):  # other digits are measured for digit models only
        others.metric(
            "Other digits right after it",
            f"{chosen.others_accuracy:.0%}",
            f"{(chosen.others_accuracy - others_before) * 100:+.0f} points",
        )
    story = step_story(
        judge(chosen, others_before), found.loss, chosen.loss_after, others_before, chosen.others_accuracy
    )
    st.markdown(f"**{story}**")
    st.info(ON_A_COPY, icon=":material/content_copy:")
    st.caption(LEARNING_RATE)
    chart(rate_figure(steps, others_before, rate, ctx.palette), key="step_rates")
    return found, rate


def gradient_flowing_back(ctx: Context, found) -> str:
    """The gradient's size at every layer and arriving at one conv layer's maps and filters; returns that layer."""
    model = ctx.model
    convs = [model.layer(name) for name in model.conv_layers()]
    norms, layer_pick = st.columns([2, 3])
    by_name = {plain(layer_label(model, name)): size for name, size in found.norms().items()}
    chart(norms_figure(by_name, ctx.palette), key="step_norms", container=norms)
    said = {learner_name(model, name): size for name, size in found.norms().items()}
    norms.caption(gradient_sizes_story(said))
    with layer_pick:
        titles = {conv.name: layer_label(model, conv.name) for conv in convs}
        name = st.selectbox("Layer", list(titles), index=0, format_func=titles.get, key="step_layer")
        chart(
            feature_maps_figure(
                found.output_gradients[name],
                f"{capitalised(learner_name(model, name))}: the gradient arriving at its maps",
                True,
                palette=ctx.palette,
                width=520,
                value="gradient",
            ),
            key="step_arriving",
        )
    chart(
        filters_figure(
            found.weight_gradients[name],
            found.bias_gradients[name],
            f"{capitalised(learner_name(model, name))}: the gradient of every filter",
            ctx.palette,
        ),
        key="step_filter_gradients",
    )
    return name


def update_on_one_filter(ctx: Context, found, name: str, rate: float) -> None:
    """One filter's weights, the change one step makes to them, and the weights after it."""
    weights = ctx.model.layer(name).module.weight.detach().numpy()
    gradient = found.weight_gradients[name]
    st.subheader(f"The update on one filter: w - {rate:g} x g")
    pick_filter, pick_channel = st.columns(2)
    out_channel = pick_filter.number_input(
        "Filter", 0, weights.shape[0] - 1, int(np.abs(gradient).sum(axis=(1, 2, 3)).argmax()), key=f"step_{name}_f"
    )
    strongest_input = int(np.abs(gradient[out_channel]).sum(axis=(1, 2)).argmax())
    in_channel = pick_channel.number_input(
        "Input channel", 0, weights.shape[1] - 1, strongest_input, key=f"step_{name}_c", disabled=weights.shape[1] == 1
    )
    w, g = weights[out_channel, in_channel], gradient[out_channel, in_channel]
    panels = [("w, now", w), (f"- {rate:g} x g, the change", -rate * g), ("w - lr x g, after the step", w - rate * g)]
    for column, (title, values) in zip(st.columns(3), panels):
        chart(map_figure(values, title, True, ctx.palette, height=330), key=f"step_panel_{title[:3]}", container=column)


VIEW = View("learning", "One step of learning", lambda ctx: EXPLANATION, render, aliases=("One step of learning",))
