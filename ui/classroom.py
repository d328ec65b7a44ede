"""What every page of a class shares: the store, the seat a browser keeps across reloads, a picture (Explore) or a
run (Train) sent to the class, and the class's answers drawn for a reveal.

The teacher's side is ui/teacher.py (Present's class bar, the Class page's dashboard), the student's ui/student.py.
The class lives on the server: a reloaded, crashed or reopened tab finds it again through a cookie (the
teacher's secret or the student's id, never in a URL), or, on another device, through the teacher's PIN.
"""

import hashlib

import numpy as np
import streamlit as st

from cnnviz.classroom.codes import clean_code
from cnnviz.classroom.records import LIFETIME, ClassError, Step
from cnnviz.classroom.runs import run_summary
from cnnviz.network.classes import answers
from cnnviz.reading.preprocess import Preprocessed, already_prepared
from cnnviz.training.checkpoints import to_bytes
from cnnviz.viz.classroom import class_answers_figure
from cnnviz.viz.overlays import gray_image
from ui import state
from ui.charts import chart
from ui.models import BUNDLED, LENET, bundled_model, lenet_model
from ui.overview import COMPONENTS
from ui.views import Context

TEACHER_COOKIE = "cnnviz_teacher"  # "CODE.secret.PIN"
STUDENT_COOKIE = "cnnviz_student"  # "CODE.student id"


def _close_store(store) -> None:
    store.close()


@st.cache_resource(show_spinner=False, on_release=_close_store)
def class_store() -> "ClassStore":  # noqa: F821 - imported when first needed
    """The server's class database (shared by replicas when CNNVIZ_DATABASE_URL names one), expired on a timer."""
    from cnnviz.classroom.store import ClassStore  # imported here: the database library takes half a second

    store = ClassStore()
    store.keep_tidy()
    return store


@st.cache_resource(show_spinner=False)
def _remember_component():
    return st.components.v2.component("cnnviz.remember", js=(COMPONENTS / "remember.js").read_text())


def remember(name: str, value: str | None) -> None:
    """Keep `value` in this browser's cookie `name` for a class's lifetime (None forgets it): written by
    keep_seats() at the end of the page's run."""
    state.keep_seat(name, value or "")


def keep_seats() -> None:
    """Write the cookies this session wants kept (a reloaded tab finds its class with them): once per run, at the
    end of a class page."""
    for name, value in state.seats().items():
        if value is not None:
            key = f"remember_{name}_{hashlib.sha1(value.encode()).hexdigest()[:8]}"
            _remember_component()(data={"name": name, "value": value, "seconds": LIFETIME}, key=key)


def remembered(name: str, parts: int) -> tuple[str, ...] | None:
    """The cookie's parts ("CODE.x.y"), the code cleaned, if it holds that many; None otherwise."""
    value = state.cookie(name)
    pieces = tuple(value.split(".")) if value and len(value) < 200 else ()
    if len(pieces) != parts or clean_code(pieces[0]) is None:
        return None
    return (clean_code(pieces[0]), *pieces[1:])


def say(error: ClassError) -> None:
    """Keep a refusal (from a button's callback) for the page to show on its next run."""
    state.say_about_class(str(error))


def show_message() -> None:
    """The kept sentence about the class, if any, once."""
    message = state.said_about_class()
    if message:
        st.warning(message, icon=":material/info:")


def input_bytes(prepared: Preprocessed) -> bytes:
    """The network's 28 x 28 input as 0..255 bytes: what a class keeps of an image."""
    return np.clip(np.round(prepared.pixels * 255), 0, 255).astype(np.uint8).tobytes()


def step_context(step: Step) -> Context | None:
    """The teacher's image through the network a step names, for a student's page to draw the step with; None (the
    image and a sentence drawn instead) for a network of the teacher's own, which is not on the student's side."""
    bundled = {BUNDLED: bundled_model, LENET: lenet_model}.get(step.model)
    pixels = np.frombuffer(step.picture, dtype=np.uint8).reshape(28, 28) if step.picture else None
    if bundled is None or pixels is None:
        if pixels is not None:
            st.image(gray_image(pixels / 255, 140), width=140, alt="The teacher's image as the network gets it")
        st.caption("Your teacher uses a network of their own here: follow this step on the projector.")
        return None
    entry = bundled()
    prepared = already_prepared(pixels, "the teacher's image")
    activations = entry.capture(prepared.tensor)
    palette = state.current_palette()
    return Context(entry, "the teacher's image", prepared, activations, palette, state.current_palette_name(), None)


def send_picture_to_class(ctx) -> None:
    """A "Send to the class" button under Explore's network, for a student who joined a class."""
    joined = state.student_of()
    if joined is None:
        return
    if st.button("Send this image to the class gallery", icon=":material/send:"):
        pixels = input_bytes(ctx.prepared)
        best = ctx.best_answer
        try:
            class_store().send_picture(
                joined[0],
                joined[1],
                pixels,
                answers(ctx.model.classes)[best],
                float(ctx.probabilities[best]),
                ctx.verdict.kind,
            )
            st.toast("Sent to the class gallery.", icon=":material/check:")
        except ClassError as error:
            st.warning(str(error))


def send_run_to_class(job, model) -> None:
    """A "Send to the class" button under a finished run on Train, for a student who joined a class."""
    joined = state.student_of()
    if joined is None or job is None:
        return
    if st.button("Send this run to the class", icon=":material/send:"):
        summary = run_summary(job.label or "a network", job.config, job.progress().epochs)
        try:
            class_store().send_run(joined[0], joined[1], summary, to_bytes(model))
            st.toast("Sent to the class.", icon=":material/check:")
        except ClassError as error:
            st.warning(str(error))


def reveal_chart(question, votes: list[list[int]], palette, key: str, container=st, height: int = 360) -> None:
    """The class's answers (each vote) beside the network's, as bars with the network's marked."""
    chart(
        class_answers_figure(question.choices, votes, question.correct, palette, height), key=key, container=container
    )
