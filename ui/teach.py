"""The Teach page's parts: collecting examples of new classes, teaching both networks, trying them out."""

import numpy as np
import streamlit as st
import torch

from cnnviz import lessons
from cnnviz.errors import InputError
from cnnviz.handwriting import symbols_by_many_writers
from cnnviz.preprocess import preprocess_canvas, preprocess_image
from cnnviz.transfer import MAX_EXAMPLES, Examples, check_examples, class_features, lesson
from cnnviz.viz import filters_figure, probability_bars
from cnnviz.viz.curves import curve_figure, features_figure
from cnnviz.viz.overlays import grid_image
from ui import state, widgets
from ui.charts import chart
from ui.images import preprocess_cached
from ui.inputs import UPLOAD_TYPES, drawing_canvas
from ui.internals import switch_page
from ui.jobs import job_registry
from ui.markdown import literal
from ui.models import ModelEntry

READY_MADE = ("diamond", "square", "triangle", "house")  # alike enough that learning from scratch struggles
READY_PER_CLASS = 6


def _canvas(key: str):
    """A drawing canvas like Explore's; the drawing as a network input, or None while it is empty."""
    pixels = drawing_canvas(key)
    return None if pixels is None else preprocess_canvas(pixels)


def fill_ready_made() -> None:
    """Replace the examples with drawings of four shapes by made-up writers (a quick start for a class)."""
    made = symbols_by_many_writers(READY_MADE, READY_PER_CLASS, seed=11)
    st.session_state[widgets.TEACH_NAMES] = ", ".join(READY_MADE)
    examples = state.teaching_examples()
    examples.clear()
    for name, images in made.items():
        examples[name] = [preprocess_image(image).pixels for image in images]
    state.set_taught(None)


def collect(classes: tuple[str, ...]) -> None:
    """Widgets to add a drawing or uploaded pictures to one class."""
    examples = state.teaching_examples()
    adding = st.segmented_control("Add examples of", classes, default=classes[0], required=True, key="teach_adding")
    drawn = _canvas("teach_canvas")
    mine = examples.setdefault(adding, [])
    full = len(mine) >= MAX_EXAMPLES
    if st.button(f"Add this drawing to {adding}", disabled=drawn is None or full, type="primary", key="teach_add"):
        mine.append(drawn.pixels)
        state.set_taught(None)
    st.caption("Draw one example, add it, clear the canvas (its bin) and draw the next.")
    uploads = st.file_uploader(
        f"Or upload pictures of {adding}", type=UPLOAD_TYPES, accept_multiple_files=True, key=f"teach_upload_{adding}"
    )
    if uploads and st.button(f"Add {len(uploads)} uploaded to {adding}", key="teach_add_uploads"):
        for upload in uploads[: MAX_EXAMPLES - len(mine)]:
            try:
                mine.append(preprocess_cached(upload.getvalue()).pixels)
            except InputError as error:  # the same checks as Explore's uploads; the others are still added
                st.error(f"{literal(upload.name)}: {error}")
        state.set_taught(None)


def show_examples(classes: tuple[str, ...]) -> Examples | None:
    """Each class's examples as thumbnails with a clear button; the examples, or None if too few to teach."""
    examples = state.teaching_examples()
    for name in classes:
        mine = examples.get(name, [])
        words, clear = st.columns([4, 1], vertical_alignment="center")
        words.markdown(f"**{literal(name)}**: {len(mine)} example{'s' if len(mine) != 1 else ''}")
        if mine and clear.button("Clear", key=f"teach_clear_{name}", type="tertiary"):
            examples[name] = []
            state.set_taught(None)
            st.rerun()
        if mine:
            st.image(grid_image(np.stack(mine), 10, 60 * min(10, len(mine))))
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
    """Teach both networks when asked, within the server's training cap."""
    if not st.button("Teach both networks", type="primary", key="teach_go", icon=":material/school:"):
        return
    registry = job_registry()
    with registry.short_run() as free:
        if not free:
            st.warning(f"The server is busy: {registry.max_jobs} training runs are going already. Try in a minute.")
            return
        with st.spinner("Teaching both networks (a few seconds)..."):
            state.set_taught(lesson(base.model, examples))


def results(base: ModelEntry, palette) -> None:
    """Both networks' scores, the learning curve, a try-out canvas and why transfer learning works."""
    taught = state.taught()
    if taught is None:
        return
    found, classes = taught.taught, taught.learned.classes
    st.subheader("How they did on examples they never saw")
    transfer, scratch, seconds = st.columns(3)
    transfer.metric("Frozen digit filters + new head", f"{found.transfer_accuracy:.0%}")
    scratch.metric("From scratch", f"{found.scratch_accuracy:.0%}")
    seconds.metric("Both learned in", f"{found.seconds:.1f} s")
    st.write(lessons.teach_story(found.transfer_accuracy, found.scratch_accuracy, len(taught.held_out), taught.curve))
    chart(curve_figure(taught.curve, classes, palette), key="teach_curve")
    left, right = st.columns([1, 2])
    with left:
        st.markdown("**Try them on a new drawing**")
        drawn = _canvas("teach_try")
    with right:
        if drawn is None:
            st.info("Draw something on the canvas on the left to see what each network calls it.")
        else:
            for model, name, key in (
                (found.transfer, "Transfer", "teach_try_transfer"),
                (found.scratch, "From scratch", "teach_try_scratch"),
            ):
                with torch.no_grad():
                    probabilities = model(drawn.tensor).softmax(dim=1)[0].numpy()
                best = int(probabilities.argmax())
                title = f"{name}: {classes[best]} ({probabilities[best]:.0%})"
                chart(probability_bars(probabilities, title, palette, classes, height=300), key=key)
    st.subheader("Why it works")
    st.write(lessons.TEACH_WHY)
    first = found.transfer.blocks()[0].conv
    layer = getattr(found.transfer, first)
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
    means, places = class_features(found.transfer, taught.learned)
    chart(features_figure(means, places, classes, palette), key="teach_features", container=features)
    st.caption(f"Every frozen layer is the model's it was taught on: {literal(base.name)}.")
    if st.button("Explore the transfer model", key="teach_use"):
        state.add_model(f"Taught: {', '.join(classes)}", found.transfer)
        switch_page("pages/explore.py")
