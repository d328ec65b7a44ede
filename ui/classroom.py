"""The class together: Present's panel, the Class page, and sending a picture (Explore) or a run (Train) to the class.

The teacher's token stays in the teacher's session (ui.state.TEACHING_CLASS); a student holds only the code
and their own id. Counts and new questions arrive by short polls in fragments, never full-page reruns.
"""

import os

import numpy as np
import streamlit as st

from cnnviz.classroom.codes import clean_code
from cnnviz.classroom.links import PUBLIC_URL_VARIABLE, join_link, qr_png
from cnnviz.classroom.questions import KINDS, make_question
from cnnviz.classroom.records import MAX_NICKNAME, Asked, ClassError
from cnnviz.classroom.runs import run_epochs, run_summary
from cnnviz.network.classes import answers
from cnnviz.reading.preprocess import already_prepared
from cnnviz.training.checkpoints import from_bytes, to_bytes
from cnnviz.viz.classroom import class_answers_figure
from cnnviz.viz.curves import compare_figure
from cnnviz.viz.overlays import gray_image
from ui import state
from ui.charts import chart
from ui.internals import switch_page
from ui.markdown import literal
from ui.views import Context

TEACHER_POLL = 1.0  # seconds between the projector's looks at the count
STUDENT_POLL = 1.5  # seconds between a student's looks for a new question, the reveal or the end
SHOW_LINK = "class_show_link"  # whether the projector shows the join link large (page-only, so kept here)


@st.cache_resource(show_spinner=False)
def class_store() -> "ClassStore":  # noqa: F821 - imported when first needed
    """The server's class database (shared by replicas when CNNVIZ_DATABASE_URL names one)."""
    from cnnviz.classroom.store import ClassStore  # imported here: the database library takes half a second

    return ClassStore()


def _say(error: ClassError) -> None:
    st.session_state["class_message"] = str(error)


def _message() -> None:
    message = st.session_state.pop("class_message", None)
    if message:
        st.warning(message, icon=":material/info:")


# --- the teacher, on Present ---------------------------------------------------------------


def running_class() -> tuple[str, str] | None:
    """(code, token) of the class this session started, while it runs; forgotten once it has ended."""
    started = state.teaching_class()
    if started is None or class_store().status(started[0]) == "active":
        return started
    state.set_teaching_class(None)
    return None


def class_on_present(button_place, ctx: Context) -> None:
    """On Present: "Start a class" in button_place while none runs; the running class's panel above the stage."""
    running = running_class()
    if running is None:
        if button_place.button("Start a class", width="stretch"):
            state.set_teaching_class(class_store().start())
            st.session_state[SHOW_LINK] = True
            st.rerun()
        return
    teacher_panel(*running, ctx)


def teacher_panel(code: str, token: str, ctx: Context) -> None:
    """The running class: the join link (large until hidden), Ask the class, the live count, Reveal, End."""
    store = class_store()
    link = join_link(code, st.context.url, os.environ.get(PUBLIC_URL_VARIABLE))
    with st.container(border=True):
        about, kind, ask, show, end = st.columns([2, 4, 2, 2, 2], vertical_alignment="center")
        about.markdown(f"**Class {code}** · {store.students(code)} joined")
        chosen = kind.selectbox(
            "Question",
            list(KINDS),
            format_func=lambda k: KINDS[k][0],
            key=state.CLASS_KIND,
            label_visibility="collapsed",
        )
        if ask.button("Ask the class", type="primary", width="stretch"):
            question = make_question(chosen, ctx.model, ctx.activations)
            if question is None:
                st.warning("This network has no pooling layer to ask about.")
            else:
                store.ask(code, token, question)
                st.session_state[SHOW_LINK] = False
        showing = st.session_state.get(SHOW_LINK, False)
        if show.button("Hide link" if showing else "Join link", width="stretch"):
            st.session_state[SHOW_LINK] = showing = not showing
        if end.button("End the class", width="stretch"):
            store.end(code, token)
            state.set_teaching_class(None)
            st.rerun()
        if showing:
            qr, words = st.columns([1, 3], vertical_alignment="center")
            qr.image(qr_png(link), width=260, alt=f"QR code of the join link {link}")
            words.markdown(f"# Join: {code}")
            words.markdown(f"### Open {link}")
            words.caption("Or scan the code. No account, no e-mail: a nickname is optional.")
        _live_question(code, token, ctx)


def _live_question(code: str, token: str, ctx: Context) -> None:
    store = class_store()
    asked = store.current(code)
    if asked is None:
        return

    @st.fragment(run_every=None if asked.revealed else TEACHER_POLL)
    def live() -> None:
        now = store.current(code)
        if now is None or now.id != asked.id:
            st.rerun()
        counts = store.tally(now.id)
        count = sum(counts)
        question, row = now.question, st.columns([5, 2, 2], vertical_alignment="center")
        row[0].markdown(f"**{literal(question.prompt)}**")
        row[1].markdown(f"### {count} answer{'' if count == 1 else 's'}")
        if not now.revealed:
            if row[2].button("Reveal", type="primary", width="stretch", key=f"reveal_{now.id}"):
                store.reveal(code, token, now.id)
                st.rerun()
            return
        _reveal(question, counts, ctx)

    live()


def _reveal(question, counts: list[int], ctx: Context) -> None:
    figure, words = st.columns([3, 2], vertical_alignment="center")
    chart(
        class_answers_figure(question.choices, counts, question.correct, ctx.palette),
        key="class_reveal",
        container=figure,
    )
    words.markdown(f"**The network: {literal(question.choices[question.correct])}.** {literal(question.explanation)}")


# --- what a student sends: a picture from Explore, a run from Train -----------------------------


def send_picture_to_class(ctx: Context) -> None:
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


# --- the teacher's gallery and runs, on the Class page ------------------------------------------


def teacher_dashboard() -> bool:
    """The class's gallery and shared runs for the teacher who started it; False if this session started none."""
    running = running_class()
    if running is None:
        return False
    code, token = running
    st.markdown(f"**Your class {code}**: what students sent. (Ask questions from the Present page.)")
    gallery, runs = st.tabs(["Gallery", "Training runs"])
    with gallery:
        _gallery(code, token)
    with runs:
        _runs(code, token)
    return True


@st.fragment(run_every=5)
def _gallery(code: str, token: str) -> None:
    pictures = class_store().gallery(code)
    if not pictures:
        st.info("No pictures yet: students send them from Explore (Draw, Upload or Webcam) once they joined.")
        return
    st.caption(f"{len(pictures)} pictures; those that left the network unsure or not seeing a digit first.")
    for start in range(0, len(pictures), 6):
        for column, picture in zip(st.columns(6), pictures[start : start + 6]):
            pixels = np.frombuffer(picture.pixels, dtype=np.uint8).reshape(28, 28) / 255
            column.image(gray_image(pixels, 140), width="stretch", alt=f"Sent by {picture.nickname or 'a student'}")
            words = {"digit": "", "unsure": " (unsure)", "not a digit": " (not a digit)"}.get(picture.verdict, "")
            column.caption(
                f"{literal(picture.nickname or 'anonymous')}: {literal(picture.answer)} {picture.confidence:.0%}{words}"
            )
            open_it, remove = column.columns(2)
            if open_it.button("Explore", key=f"open_picture_{picture.id}", width="stretch"):
                description = f"from the class gallery ({picture.nickname or 'anonymous'})"
                state.pick_image(
                    description,
                    already_prepared(np.frombuffer(picture.pixels, dtype=np.uint8).reshape(28, 28), description),
                )
                switch_page("pages/explore.py")
            if remove.button("Delete", key=f"delete_picture_{picture.id}", width="stretch"):
                class_store().delete_picture(code, token, picture.id)
                st.rerun(scope="fragment")


@st.fragment(run_every=5)
def _runs(code: str, token: str) -> None:
    import pandas as pd  # imported here: only this table needs it

    shared = class_store().runs(code)
    if not shared:
        st.info("No runs yet: students send a finished run from the Train page once they joined.")
        return
    rows = []
    for run in shared:
        s = run.summary
        train, val = s.get("train_accuracy"), s.get("val_accuracy")
        rows.append(
            {
                "student": run.nickname or "anonymous",
                "network": s.get("network", ""),
                "epochs": len(s.get("epochs", [])),
                "training accuracy": f"{train:.1%}" if train is not None else "",
                "validation accuracy": f"{val:.1%}" if val is not None else "",
                "gap": f"{train - val:+.1%}" if train is not None and val is not None else "",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    named = [(f"{run.nickname or 'anonymous'} #{run.id}", run_epochs(run.summary)) for run in shared[:8]]
    chart(compare_figure([(n, e) for n, e in named if e]), key="class_runs")
    choice = st.selectbox("Open a run's model in Explore", [f"{r.nickname or 'anonymous'} #{r.id}" for r in shared])
    if st.button("Open in Explore"):
        run = shared[[f"{r.nickname or 'anonymous'} #{r.id}" for r in shared].index(choice)]
        model = from_bytes(class_store().run_weights(code, token, run.id), "a shared run")
        state.add_model(f"Class run: {run.nickname or 'anonymous'} #{run.id}", model)
        switch_page("pages/explore.py")


# --- a student, on the Class page -------------------------------------------------------------


def join_form(code: str | None) -> None:
    """Join a class: the code (filled in from the link), an optional nickname, Join."""
    _message()
    typed = st.text_input("Class code", value=code or "", max_chars=14, placeholder="e.g. K7MX2Q")
    nickname = st.text_input("Nickname (optional, shown to the class)", max_chars=MAX_NICKNAME, key=state.NICKNAME)
    if st.button("Join", type="primary"):
        try:
            student = class_store().join(typed, nickname)
        except ClassError as error:
            st.error(str(error), icon=":material/error:")
            return
        state.set_student_of((clean_code(typed), student))
        st.rerun()


def student_view() -> None:
    """The class's current question with answer buttons, polled; the reveal; the end."""
    code, student = state.student_of()

    @st.fragment(run_every=STUDENT_POLL)
    def live() -> None:
        store = class_store()
        status = store.status(code)
        if status != "active":
            st.info("This class has ended. Thank you!" if status == "ended" else "There is no class with that code.")
            return
        _message()
        asked = store.current(code)
        if asked is None:
            st.markdown(f"### You are in class {code}. Wait for your teacher's first question.")
            return
        _answer_buttons(store, code, student, asked)

    live()


def _answer(code: str, student: str, question_id: int, choice: int) -> None:
    try:
        class_store().answer(code, student, question_id, choice)
    except ClassError as error:
        _say(error)


def _answer_buttons(store, code: str, student: str, asked: Asked) -> None:
    question = asked.question
    mine = store.my_answer(asked.id, student)
    st.subheader(literal(question.prompt))
    if asked.revealed:
        counts = store.tally(asked.id)
        right = question.choices[question.correct]
        if mine is None:
            verdict = "You did not answer."
        elif mine == question.correct:
            verdict = f"You chose {literal(right)}: right!"
        else:
            verdict = f"You chose {literal(question.choices[mine])}; the network did {literal(right)}."
        st.markdown(f"**{verdict}** {literal(question.explanation)}")
        chart(
            class_answers_figure(question.choices, counts, question.correct, state.current_palette()), key="class_mine"
        )
        return
    per_row = 5 if len(question.choices) > 5 else len(question.choices)
    for start in range(0, len(question.choices), per_row):
        for offset, column in enumerate(st.columns(per_row)):
            index = start + offset
            if index >= len(question.choices):
                continue
            if question.pictures:
                picture = np.asarray(question.pictures[index], dtype=np.float32)
                column.image(gray_image(picture, 120), width="stretch", alt=f"{question.choices[index]}'s weights")
            column.button(
                question.choices[index],
                key=f"answer_{asked.id}_{index}",
                type="primary" if mine == index else "secondary",
                width="stretch",
                on_click=_answer,
                args=(code, student, asked.id, index),
            )
    if mine is not None:
        st.caption(f"Your answer: {literal(question.choices[mine])}. You can change it until your teacher reveals.")
