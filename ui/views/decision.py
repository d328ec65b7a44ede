"""The decision: the logits, softmax step by step at any temperature, and what pushed one class up or down."""

import streamlit as st

from cnnviz import lessons
from cnnviz.network.arithmetic import class_contributions, softmax_steps
from cnnviz.viz.arithmetic import contributions_figure
from ui import state
from ui.charts import answer_charts, chart
from ui.markdown import headline, literal
from ui.views.base import Context, View, large_chart

TEMPERATURES = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0)  # far enough to flatten any


def softmax_detail(ctx: Context) -> None:
    """Logits to probabilities, step by step, with a temperature slider."""
    temperature = st.select_slider(
        "Temperature", TEMPERATURES, value=1.0, key=state.TEMPERATURE, help=lessons.TEMPERATURE
    )
    import pandas as pd  # imported here: it takes a fifth of a second, and only this table needs it

    steps = softmax_steps(ctx.logits, temperature)
    st.markdown(lessons.temperature_story(steps, ctx.model.classes))
    table = pd.DataFrame(
        {
            "class": list(ctx.model.classes),
            "logit": steps.logits,
            f"logit / {temperature:g} − max": steps.shifted,
            "e^(…)": steps.exps,
            "÷ sum = probability": steps.probabilities,
        }
    )
    formats = {"logit": "{:.3f}", f"logit / {temperature:g} − max": "{:.3f}", "e^(…)": "{:.4f}"}
    st.dataframe(table.style.format({**formats, "÷ sum = probability": "{:.2%}"}), hide_index=True, width="stretch")


def class_detail(ctx: Context) -> None:
    """Which units of the last layer's input pushed a class's score up and which pushed it down."""
    classes = ctx.model.classes
    if state.chosen_class() not in range(len(classes)):
        state.choose_class(ctx.predicted)
    index = st.selectbox(
        "Class" if not ctx.model.config.is_digits else "Digit",
        range(len(classes)),
        key=state.DIGIT,
        format_func=lambda i: classes[i],
    )
    contributions = class_contributions(ctx.model, ctx.activations, index)
    st.markdown(
        f"Logit of {literal(classes[index])} = sum of {len(contributions.terms)} (input × weight) terms + bias = "
        f"{contributions.terms.sum():.3f} + {contributions.bias:.3f} = **{contributions.logit:.3f}**"
    )
    chart(contributions_figure(contributions.terms, classes[index], palette=ctx.palette), key="contributions")


def render(ctx: Context, large: bool = False) -> None:
    if large:
        st.markdown(f"### {headline(ctx.verdict)}")
        answer_charts(
            ctx.logits,
            ctx.probabilities,
            ctx.palette,
            ctx.model.classes,
            key="present_answer",
            show=lambda figure, key: large_chart(figure, 420, key),
        )
        return
    answer_charts(ctx.logits, ctx.probabilities, ctx.palette, ctx.model.classes, key="answer")
    softmax, last = st.columns(2)
    with softmax:
        st.caption(lessons.SOFTMAX_DETAIL)
        softmax_detail(ctx)
    with last:
        st.caption(lessons.contributions(ctx.palette))
        class_detail(ctx)


VIEW = View("decision", "The decision", lambda ctx: lessons.classifier(ctx.model), render, aliases=("The decision",))
