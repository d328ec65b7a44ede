"""What a lesson step shows: one of Explore's views (drawn large, as Present draws them), or a part of the Train,
Teach or Mistakes pages fed by a real run (cnnviz.guided.evidence). The lesson files name them (VIEWS)."""

from collections.abc import Callable

import numpy as np
import streamlit as st
import torch

from cnnviz import lessons
from cnnviz.data.mnist import augment, load_offline_sample
from cnnviz.guided import evidence
from cnnviz.guided.evidence import Evidence, training_runs
from cnnviz.guided.lesson import Step, layer_of
from cnnviz.network.cells import Selection, default_selection
from cnnviz.network.classes import DIGITS
from cnnviz.network.model import Network
from cnnviz.viz.curves import augmentation_figure, epochs_figure
from cnnviz.viz.evaluation import class_accuracy_figure
from cnnviz.viz.overlays import gray_image
from ui.charts import chart
from ui.pages.mistakes import gallery
from ui.pages.teach import show_teaching
from ui.pages.train import batches, scrub
from ui.views import Context, by_id, decision

WIDE = {  # views drawn across the whole width, the words above them; the others get the words beside them
    *("player", "cell", "network", "why", "fooled", "learning", "file", "mistakes"),
    *("training-run", "overfitting", "augmentation", "transfer", "design", "not-a-digit"),
}


def selection_for(step: Step, model: Network, activations: dict[str, np.ndarray]) -> Selection:
    """The cell a step's view is about: the strongest cell of the layer it names (the first conv's by default)."""
    layer = layer_of(model, step.layer)
    if layer in model.conv_layers():
        return default_selection(model, activations, layer)
    channel, row, col = np.unravel_index(int(np.argmax(activations[layer])), activations[layer].shape)
    return Selection(layer, int(channel), int(row), int(col))


def _scores(column, run) -> None:
    column.metric(f"{run.name}: its own digits", f"{run.train_accuracy:.0%}")
    column.metric("New digits", f"{run.val_accuracy:.0%}", f"{-run.gap * 100:+.0f} points", delta_color="off")


def training_run(ctx: Context, ev: Evidence) -> None:
    """The large run as the Train page shows a run: loss per batch, the filters and the probe's answer, the epochs."""
    run = training_runs().large
    st.caption(
        f"{run.name}, {run.progress.step} steps: {run.start_accuracy:.0%} of {training_runs().validation} new digits "
        f"right with its random start, {run.val_accuracy:.0%} at the end."
    )
    batches(run.progress)
    scrub(run.progress)


def overfitting(ctx: Context, ev: Evidence) -> None:
    """The run on 100 digits and the run on 2,000: accuracy per epoch on their own digits and on new ones."""
    runs = training_runs()
    for column, run in zip(st.columns(2), (runs.small, runs.large)):
        with column:
            _scores(st, run)
            chart(epochs_figure(run.progress.epochs), key=f"lesson_epochs_{run.digits}")
            last = run.progress.epochs[-1]
            st.caption(lessons.gap_story(last.train_loss, last.val_loss, last.train_accuracy, last.val_accuracy))


def augmentation(ctx: Context, ev: Evidence) -> None:
    """Twelve training digits as stored and as augmentation shows them, and both runs' scores."""
    runs = training_runs()
    stored = load_offline_sample().images[::417][:12].float() / 255  # (12, 28, 28) in [0, 1]: every digit (sorted)
    seen = augment(stored, torch.Generator().manual_seed(0))
    chart(augmentation_figure(stored.numpy(), seen.numpy()), key="lesson_augmentation")
    st.caption(lessons.augmentation_words(True))
    for column, run in zip(st.columns(2), (runs.augmented, runs.small)):
        _scores(column, run)


def transfer(ctx: Context, ev: Evidence) -> None:
    """The Teach page's result for four shapes taught from one drawing each."""
    show_teaching(None, ev.runs.teaching, ctx.palette)


def mistakes(ctx: Context, ev: Evidence) -> None:
    """The Mistakes page's most confident mistakes (eight)."""
    if not ctx.model.config.is_digits:
        st.info("This model reads its own classes, not digits: there are no held-out digits to score it on.")
        return
    result = ev.runs.evaluation
    st.caption(f"{len(result.mistakes()):,} mistakes among {len(result.labels):,} digits it never trained on.")
    gallery(result, result.mistakes(), ctx.model.config.answers, most=8)


def design(ctx: Context, ev: Evidence) -> None:
    """Today's network and LeNet-5 on the same held-out digits: accuracy, and per digit (the Mistakes page's chart)."""
    for column, found in zip(st.columns(2), evidence.designs()):
        result = found.evaluation
        column.metric(f"{found.name}: {found.weight_layers} layers with weights", f"{result.accuracy:.2%}")
        figure = class_accuracy_figure(result.per_class(), DIGITS, ctx.palette)
        chart(figure, key=f"lesson_design_{found.weight_layers}", container=column)


def not_a_digit(ctx: Context, ev: Evidence) -> None:
    """The decision view, large, for a drawing of a house instead of the current image."""
    prepared, _ = ev.non_digit
    other = Context(
        ctx.entry,
        f"a drawing of a {evidence.NOT_A_DIGIT}",
        prepared,
        ctx.entry.capture(prepared.tensor),
        ctx.palette,
        ctx.palette_name,
        ctx.selection,
    )
    picture, answer = st.columns([1, 3])
    picture.image(gray_image(prepared.pixels, 240), caption="What the network reads", alt=other.description)
    with answer:
        decision.VIEW.render(other, True)


PARTS: dict[str, Callable[[Context, Evidence], None]] = {
    "training-run": training_run,
    "overfitting": overfitting,
    "augmentation": augmentation,
    "transfer": transfer,
    "mistakes": mistakes,
    "design": design,
    "not-a-digit": not_a_digit,
}


def show_view(step: Step, ctx: Context, ev: Evidence) -> None:
    """The one view a step shows, about its own cell."""
    here = ctx.at(selection_for(step, ctx.model, ctx.activations))
    if step.view in PARTS:
        PARTS[step.view](here, ev)
    else:
        by_id(step.view).render(here, True)
