"""One step of learning: the loss, the gradient flowing back layer by layer, and the update w - lr x g."""

import math

import numpy as np
import streamlit as st

from cnnviz import lessons
from cnnviz.data.mnist import Digits
from cnnviz.guided import evidence
from cnnviz.network.backprop import RATES, judge
from cnnviz.viz import feature_maps_figure, filters_figure
from cnnviz.viz.curves import norms_figure, rate_figure
from cnnviz.viz.feature_maps import map_figure
from ui.charts import chart
from ui.markdown import literal
from ui.views.base import Context, View

DEFAULT_RATE = evidence.STEP_RATE


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
    model, classes = ctx.model, ctx.model.classes
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
    st.markdown(lessons.why_this_label(classes, ctx.predicted, runner_up, label))
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
    story = lessons.step_story(
        judge(chosen, others_before), found.loss, chosen.loss_after, others_before, chosen.others_accuracy
    )
    st.markdown(f"**{story}**")
    st.info(lessons.ON_A_COPY, icon=":material/content_copy:")
    st.caption(lessons.LEARNING_RATE)
    chart(rate_figure(steps, others_before, rate, ctx.palette), key="step_rates")

    st.subheader("The gradient flowing back")
    convs = [model.layer(name) for name in model.conv_layers()]
    norms, layer_pick = st.columns([2, 3])
    chart(norms_figure(found.norms(), ctx.palette), key="step_norms", container=norms)
    norms.caption(lessons.gradient_sizes_story(found.norms()))
    with layer_pick:
        titles = {conv.name: f"Conv {conv.number} ({conv.name})" for conv in convs}
        name = st.selectbox("Layer", list(titles), index=0, format_func=titles.get, key="step_layer")
        conv = model.layer(name)
        chart(
            feature_maps_figure(
                found.output_gradients[name],
                f"Conv {conv.number}: the gradient arriving at its maps",
                True,
                palette=ctx.palette,
                width=520,
                value="gradient",
            ),
            key="step_arriving",
        )
    weights = conv.module.weight.detach().numpy()
    gradient = found.weight_gradients[name]
    chart(
        filters_figure(
            gradient, found.bias_gradients[name], f"Conv {conv.number}: the gradient of every filter", ctx.palette
        ),
        key="step_filter_gradients",
    )
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


VIEW = View(
    "learning", "One step of learning", lambda ctx: lessons.LEARNING_STEP, render, aliases=("One step of learning",)
)
