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
from cnnviz.classroom.records import LIFETIME, ClassError
from cnnviz.classroom.runs import run_summary
from cnnviz.network.classes import answers
from cnnviz.training.checkpoints import to_bytes
from cnnviz.viz.classroom import class_answers_figure
from ui import state
from ui.charts import chart
from ui.overview import COMPONENTS

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


def send_picture_to_class(ctx) -> None:
    """A "Send to the class" button under Explore's network, for a student who joined a class."""
    joined = state.student_of()
    if joined is None:
        return
    if st.button("Send this image to the class gallery", icon=":material/send:"):
        pixels = np.clip(np.round(ctx.prepared.pixels * 255), 0, 255).astype(np.uint8).tobytes()
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
