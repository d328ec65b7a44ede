"""The Teach page's parts: collecting examples of new classes, teaching both networks, trying them out."""

import hashlib

import numpy as np
import streamlit as st
import torch

from cnnviz.errors import InputError
from cnnviz.reading.preprocess import preprocess_canvas
from cnnviz.training.progress import State
from cnnviz.training.teaching import TeachingJob
from cnnviz.training.transfer import MAX_EXAMPLES, Examples, check_examples, class_features, ready_made_examples
from cnnviz.viz import filters_figure, probability_bars
from cnnviz.viz.curves import curve_figure, features_figure
from cnnviz.viz.figure import plain
from cnnviz.viz.overlays import grid_image
from ui import state
from ui.charts import chart
from ui.images import preprocess_cached
from ui.inputs import UPLOAD_TYPES, drawing_canvas
from ui.internals import release_upload, switch_page
from ui.jobs import job_registry, waiting_line
from ui.markdown import literal
from ui.models import ModelEntry
from ui.pages.teach_words import WHY, held_back_words, teach_story


def _canvas(key: str):
    """A drawing canvas like Explore's; the drawing as a network input, or None while it is empty."""
    pixels = drawing_canvas(key)
    if pixels is None:
        return None
    try:
        return preprocess_canvas(pixels)
    except InputError:
        return None


def fill_ready_made() -> None:
    """Replace the examples with drawings of four shapes by made-up writers (a quick start for a class)."""
    made = ready_made_examples()
    state.set_class_names(", ".join(made.classes))
    examples = state.teaching_examples()
    examples.clear()
    for label, name in enumerate(made.classes):
        examples[name] = [image.numpy() for image in made.images[made.labels == label]]
    state.set_teaching_job(None)


def collect(classes: tuple[str, ...]) -> None:
    """Widgets to add a drawing or uploaded pictures to one class."""
    examples = state.teaching_examples()
    adding = st.segmented_control("Add examples of", classes, default=classes[0], required=True, key="teach_adding")
    drawn = _canvas("teach_canvas")
    mine = examples.setdefault(adding, [])
    full = len(mine) >= MAX_EXAMPLES
    if st.button(
        f"Add this drawing to {literal(adding)}", disabled=drawn is None or full, type="primary", key="teach_add"
    ):
        mine.append(drawn.pixels)
        state.set_teaching_job(None)
    st.caption("Draw one example, add it, clear the canvas (its bin) and draw the next.")
    uploads = st.file_uploader(
        f"Or upload pictures of {literal(adding)}",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"teach_upload_{state.upload_round()}",
    )
    if uploads and st.button(f"Add {len(uploads)} uploaded to {literal(adding)}", key="teach_add_uploads"):
        for upload in uploads:
            try:
                if len(mine) >= MAX_EXAMPLES:
                    raise InputError(f"{adding} has {MAX_EXAMPLES} examples already, as many as it can take.")
                mine.append(preprocess_cached(upload.getvalue()).pixels)
            except InputError as error:  # the same checks as Explore's uploads; the others are still added
                st.error(f"{literal(upload.name)}: {error}")
            release_upload(upload.file_id)  # read: the server need not hold it any longer
        state.next_upload_round()  # a new, empty uploader: pressing Add again cannot add the same files twice
        state.set_teaching_job(None)


def show_examples(classes: tuple[str, ...]) -> Examples | None:
    """Each class's examples as thumbnails with a clear button; the examples, or None if too few to teach."""
    examples = state.teaching_examples()
    for name in classes:
        mine = examples.get(name, [])
        words, clear = st.columns([4, 1], vertical_alignment="center")
        words.markdown(f"**{literal(name)}**: {len(mine)} example{'s' if len(mine) != 1 else ''}")
        if mine and clear.button("Clear", key=f"teach_clear_{name}", type="tertiary"):
            examples[name] = []
            state.set_teaching_job(None)
            st.rerun()
        if mine:
            st.image(
                grid_image(np.stack(mine[-20:]), 10, 60 * min(10, len(mine))),
                alt=f"The last {min(20, len(mine))} examples of {name}",
            )
    images = [torch.from_numpy(np.asarray(p, dtype=np.float32)) for name in classes for p in examples.get(name, [])]
    labels = [label for label, name in enumerate(classes) for _ in examples.get(name, [])]
    if not images:
        st.info("No examples yet: draw some, upload some, or use the ready-made set.")
        return None
    gathered = Examples(torch.stack(images), torch.tensor(labels, dtype=torch.int64), classes)
    try:
        check_examples(gathered)
    except ValueError as error:
        st.info(f"To teach, {error}.")
        return None
    return gathered


def teach_button(base: ModelEntry, examples: Examples) -> None:
    """Teach both networks when asked: a background job, in line with the server's training runs."""
    if st.button("Teach both networks", type="primary", key="teach_go", icon=":material/school:"):
        job = job_registry().start(state.job_owner(), lambda: TeachingJob(base.model, examples), kind="teach")
        state.set_teaching_job(job, examples.classes)


def current_teaching(classes: tuple[str, ...]) -> TeachingJob | None:
    """The session's teaching for these class names; one for other names (renamed since) is forgotten."""
    kept = state.teaching_job()
    if kept is None:
        return None
    job, taught_for = kept
    if taught_for != classes:
        state.set_teaching_job(None)
        return None
    return job


def results(base: ModelEntry, palette, classes: tuple[str, ...]) -> None:
    """The teaching as it goes: both networks' scores as each arrives, the learning curve, a try-out, why."""
    job = current_teaching(classes)
    if job is None:
        return
    running = job.progress().active

    @st.fragment(run_every=0.5 if running else None)
    def live() -> None:
        taught = job.progress()
        show_teaching(job, taught, palette)
        if running and not taught.active:
            st.rerun()  # finished: the whole page, with the try-out canvas and the "why"

    live()
    taught = job.progress()
    if taught.state == State.FINISHED or (taught.transfer is not None and taught.scratch is not None):
        try_them(taught, palette, classes)
        why_it_works(base, taught, palette)


def show_teaching(job: TeachingJob | None, taught, palette) -> None:
    """Progress, the two scores (each as soon as it is known), the story and the learning curve (job: None for a
    teaching already done, as the Lesson page shows one)."""
    line = waiting_line(job) if job is not None else None
    if line:
        st.info(line)
        return
    if taught.state == State.FAILED:
        st.error(taught.message)
        return
    if taught.active:
        st.progress(taught.step / max(1, taught.total_steps), text=taught.message or "Drawing the learning curve...")
    elif taught.message:
        st.caption(taught.message)
    st.subheader("How they did on examples they never saw")
    st.caption(held_back_words(taught.learned, taught.held_out))
    transfer, scratch = st.columns(2)
    for column, label, accuracy, seconds in (
        (transfer, "Frozen digit filters + new head", taught.transfer_accuracy, taught.transfer_seconds),
        (scratch, "From scratch", taught.scratch_accuracy, taught.scratch_seconds),
    ):
        if accuracy is None:
            column.metric(label, "…", help="Still learning")
        else:
            column.metric(label, f"{accuracy:.0%}", f"learned in {seconds:.1f} s", delta_color="off")
    if taught.transfer_accuracy is not None and taught.scratch_accuracy is not None:
        st.write(teach_story(taught.transfer_accuracy, taught.scratch_accuracy, len(taught.held_out), taught.curve))
    if taught.curve:
        chart(curve_figure(taught.curve, taught.learned.classes, palette), key="teach_curve")


def try_them(taught, palette, classes: tuple[str, ...]) -> None:
    """Both networks on a new drawing."""
    left, right = st.columns([1, 2])
    with left:
        st.markdown("**Try them on a new drawing**")
        names = hashlib.sha1("|".join(classes).encode()).hexdigest()[:8]
        drawn = _canvas(f"teach_try_{names}")  # a fresh canvas for each set of names
    with right:
        if drawn is None:
            st.info("Draw something on the canvas on the left to see what each network calls it.")
            return
        for model, name, key in (
            (taught.transfer, "Transfer", "teach_try_transfer"),
            (taught.scratch, "From scratch", "teach_try_scratch"),
        ):
            with torch.no_grad():
                probabilities = model(drawn.tensor).softmax(dim=1)[0].numpy()
            best = int(probabilities.argmax())
            title = f"{name}: {plain(classes[best])} ({probabilities[best]:.0%})"
            chart(probability_bars(probabilities, title, palette, classes, height=300), key=key)


def why_it_works(base: ModelEntry, taught, palette) -> None:
    """The frozen filters and the features the new head reads; the transfer model to explore."""
    st.subheader("Why it works")
    st.write(WHY)
    layer = taught.transfer.layer(taught.transfer.conv_layers()[0]).module
    filters, features = st.columns([2, 3])
    chart(
        filters_figure(
            layer.weight.detach().numpy(),
            layer.bias.detach().numpy(),
            "The frozen first-layer filters (from the digit model)",
            palette,
            width=480,
        ),
        key="teach_filters",
        container=filters,
    )
    means, places = class_features(taught.transfer, taught.learned)
    chart(features_figure(means, places, taught.learned.classes, palette), key="teach_features", container=features)
    st.caption(f"Every frozen layer is the model's it was taught on: {literal(base.name)}.")
    if st.button("Explore the transfer model", key="teach_use"):
        state.add_model(f"Taught: {', '.join(taught.learned.classes)}", taught.transfer)
        switch_page("pages/explore.py")
