"""What a lesson step shows: one of Explore's views (drawn large, as Present draws them), or a part of the Train,
Teach or Mistakes pages fed by a real run (cnnviz.lesson.evidence). The lesson files name them (VIEWS)."""

from collections.abc import Callable

import numpy as np
import streamlit as st

from cnnviz.lesson import evidence
from cnnviz.lesson.evidence import Evidence, training_runs
from cnnviz.lesson.lesson import Step, layer_of
from cnnviz.network.arithmetic import pool_after
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
from ui.pages.train_words import augmentation_words, gap_story
from ui.views import Context, by_id, decision

WIDE = {  # views drawn across the whole width, the words above them; the others get the words beside them
    *("player", "cell", "pooling", "network", "decision", "why", "fooled", "learning", "file", "mistakes"),
    *("training-run", "overfitting", "augmentation", "transfer", "design", "not-a-digit"),
}


def selection_for(step: Step, model: Network, activations: dict[str, np.ndarray]) -> Selection:
    """The cell a step's view is about: the strongest cell of the layer it names (the first conv's by default; for
    pooling, the first pooling layer's, wherever the network has it)."""
    layer = layer_of(model, step.layer)
    pools = [info.name for info in model.layers() if info.spec.pools]
    if step.view == "pooling" and step.layer is None and pools and pool_after(model, layer) is None:
        layer = pools[0]
    if layer in model.conv_layers():
        return default_selection(model, activations, layer)
    channel, row, col = np.unravel_index(int(np.argmax(activations[layer])), activations[layer].shape)
    return Selection(layer, int(channel), int(row), int(col))


def _scores(run) -> None:
    """One line for a run: how many of its own digits and of new ones it reads right at the end."""
    st.markdown(
        f"**{run.name}**: {run.train_accuracy:.0%} of its own digits right, {run.val_accuracy:.0%} of new ones "
        f"(a gap of {run.gap * 100:.0f} points)."
    )


def training_run(ctx: Context, ev: Evidence) -> None:
    """The large run as the Train page shows a run: loss per batch, the filters and the probe's answer, the epochs."""
    run = training_runs().large
    st.caption(f"{run.name}: {run.progress.step} steps of 64 digits, from random weights.")
    batches(run.progress)
    scrub(run.progress)


def overfitting(ctx: Context, ev: Evidence) -> None:
    """Both runs' scores; the run on 100 digits epoch by epoch, its own digits against new ones (the Train page's)."""
    runs = training_runs()
    for run in (runs.small, runs.large):
        _scores(run)
    last = runs.small.progress.epochs[-1]
    chart(epochs_figure(runs.small.progress.epochs), key="lesson_epochs")
    st.caption(
        f"{runs.small.name}, epoch by epoch. "
        + gap_story(last.train_loss, last.val_loss, last.train_accuracy, last.val_accuracy, False, runs.small.augment)
    )


def augmentation(ctx: Context, ev: Evidence) -> None:
    """Both runs' scores, and the last batch of the augmented run as stored and as the network saw it."""
    runs = training_runs()
    for run in (runs.augmented, runs.small):
        _scores(run)
    progress = runs.augmented.progress
    if progress.batch_seen is not None:
        chart(augmentation_figure(progress.batch_original, progress.batch_seen), key="lesson_augmentation")
        st.caption(augmentation_words(True))


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
