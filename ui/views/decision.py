"""The decision: the logits, softmax step by step at any temperature, and what pushed one class up or down."""

import numpy as np
import streamlit as st

from cnnviz.network.arithmetic import SoftmaxSteps, class_contributions, softmax_steps
from cnnviz.network.model import Network
from cnnviz.viz.arithmetic import contributions_figure
from cnnviz.viz.colors import Palette
from ui import state
from ui.charts import answer_charts, chart
from ui.markdown import headline, literal
from ui.views.base import Context, View, large_chart

TEMPERATURES = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0)  # far enough to flatten any
CLASSIFIER = (
    "The last maps are flattened into one long list of numbers. Fully connected layers weigh all of them "
    "to give one score per class (the logits); softmax turns the scores into probabilities that add up to 100 %."
)
REJECTS = (
    " Besides the ten digits it has an eleventh output, not a digit, trained on letters, shapes and scribbles: when "
    "it wins, the image is called not a digit, and the other ten still show which digit it looks most like."
)
SHORT = (  # for a projector (Present)
    "The last maps become one long list of numbers; the dense layers weigh them into one score per class (the "
    "logits), and softmax turns the scores into probabilities that add up to 100 %."
)
SOFTMAX = (
    "Softmax raises e to the power of each logit, then divides by the total, so the answers are positive and add "
    "up to 100 %. Subtracting the largest logit first changes nothing but keeps the numbers small."
)
TEMPERATURE = (
    "Dividing the logits by a temperature before softmax: below 1 the network sounds more certain, above 1 less. "
    "The ranking never changes."
)


def explanation(model: Network) -> str:
    """How the network decides, with its own "not a digit" output if it has one."""
    return CLASSIFIER + (REJECTS if model.config.rejects else "")


def short(model: Network) -> str:
    """The decision in a few lines, for a projector."""
    return SHORT + (" An eleventh output, not a digit, wins for letters and shapes." if model.config.rejects else "")


def temperature_story(steps: SoftmaxSteps, classes: tuple[str, ...]) -> str:
    """What the chosen temperature does to this answer, from its numbers (Markdown; class names literal)."""
    order = np.argsort(steps.probabilities)[::-1]
    best, second = steps.probabilities[order[0]], steps.probabilities[order[1]]
    text = (
        f"Sum of all exponentials: **{steps.total:.4f}**; each probability is its exponential divided by that sum. "
        f"At temperature {steps.temperature:g} the top answer, {literal(classes[order[0]])}, gets {best:.1%} and the "
        f"next, {literal(classes[order[1]])}, {second:.1%}."
    )
    if steps.temperature > 1 and best < 0.5:
        text += " The answer has flattened out: raise the temperature further and every class tends to the same share."
    elif steps.temperature > 1:
        text += " Raise the temperature further to see the answer flatten out."
    elif steps.temperature < 1:
        text += " Below 1 the top answer is sharpened towards 100 %."
    return text


def contributions_words(palette: Palette) -> str:
    """How to read the last layer's contributions chart, in the palette's colours."""
    return (
        "The last layer multiplies each of its inputs by a weight and adds them up, one sum per class. "
        f"{palette.words['highlight'].capitalize()} bars pushed the chosen class's score up; "
        f"{palette.words['base']} bars pushed it down."
    )


def softmax_detail(ctx: Context) -> None:
    """Logits to probabilities, step by step, with a temperature slider."""
    temperature = st.select_slider("Temperature", TEMPERATURES, value=1.0, key=state.TEMPERATURE, help=TEMPERATURE)
    import pandas as pd  # imported here: it takes a fifth of a second, and only this table needs it

    steps = softmax_steps(ctx.logits, temperature)
    st.markdown(temperature_story(steps, ctx.model.classes))
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
        f"{contributions.terms.sum():.3f} {'−' if contributions.bias < 0 else '+'} {abs(contributions.bias):.3f} = "
        f"**{contributions.logit:.3f}**"
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
        st.caption(SOFTMAX)
        softmax_detail(ctx)
    with last:
        st.caption(contributions_words(ctx.palette))
        class_detail(ctx)


VIEW = View("decision", "The decision", lambda ctx: explanation(ctx.model), render, aliases=("The decision",))
