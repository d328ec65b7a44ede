"""The Class page for the teacher: who is in (numbered, removable, the door lockable), what students sent (the
gallery, shared training runs), each refreshed by a fragment on its own."""

import numpy as np
import streamlit as st

from cnnviz.classroom.records import ClassError, ClassUnavailable
from cnnviz.classroom.runs import run_epochs
from cnnviz.reading.preprocess import already_prepared
from cnnviz.training.checkpoints import from_bytes
from cnnviz.viz.curves import compare_figure
from cnnviz.viz.overlays import gray_image
from ui import state
from ui.charts import chart
from ui.classroom import class_store, show_message
from ui.internals import switch_page
from ui.markdown import literal
from ui.teacher import act, lock_toggle, running_class


def teacher_dashboard() -> bool:
    """Who is in the class, its gallery and shared runs, for its teacher; False if this session teaches none."""
    try:
        running = running_class()
    except ClassUnavailable as error:
        st.warning(str(error), icon=":material/cloud_off:")
        return state.teaching_class() is not None
    if running is None:
        return False
    code, secret, _ = running
    st.markdown(f"**Your class {code}**: who is in, and what students sent. Ask your questions from Present or Lesson.")
    show_message()
    students, gallery, runs = st.tabs(["Students", "Gallery", "Training runs"])
    with students:
        _students(code, secret)
    with gallery:
        _gallery(code, secret)
    with runs:
        _runs(code, secret)
    return True


@st.fragment(run_every=3)
def _students(code: str, secret: str) -> None:
    try:
        class_store().heartbeat(code, secret)
        seen, roster = class_store().snapshot(code), class_store().roster(code, secret)
    except ClassError as error:
        st.warning(str(error))
        return
    lock_toggle(code, secret, seen.locked)
    if not roster:
        st.info("No one has joined yet.")
        return
    st.caption(
        f"{len(roster)} in the class, by their number (the order they joined). Nicknames are unique by their looks: "
        "no two here can be told apart only by letters that look alike. Remove takes out their answers, pictures "
        "and runs too."
    )
    for member in roster:
        name, remove = st.columns([4, 1], vertical_alignment="center")
        name.markdown(f"**#{member.number}** {literal(member.nickname) or '*no nickname*'}")
        remove.button(
            "Remove",
            key=f"remove_{member.number}",
            width="stretch",
            on_click=act,
            args=("remove", code, secret, member.number),
        )


@st.fragment(run_every=5)
def _gallery(code: str, secret: str) -> None:
    try:
        pictures = class_store().gallery(code)
    except ClassError as error:
        st.warning(str(error))
        return
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
            remove.button(
                "Delete",
                key=f"delete_picture_{picture.id}",
                width="stretch",
                on_click=act,
                args=("delete_picture", code, secret, picture.id),
            )


@st.fragment(run_every=5)
def _runs(code: str, secret: str) -> None:
    import pandas as pd  # imported here: only this table needs it

    try:
        shared = class_store().runs(code)
    except ClassError as error:
        st.warning(str(error))
        return
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
    names = [f"{run.nickname or 'anonymous'} #{run.id}" for run in shared]
    named = [(name, run_epochs(run.summary)) for name, run in zip(names, shared[:8])]
    chart(compare_figure([(n, e) for n, e in named if e]), key="class_runs")
    choice = st.selectbox("Open a run's model in Explore", names)
    if st.button("Open in Explore"):
        run = shared[names.index(choice)]
        try:
            model = from_bytes(class_store().run_weights(code, secret, run.id), "a shared run")
        except ClassError as error:
            st.warning(str(error))
            return
        state.add_model(f"Class run: {run.nickname or 'anonymous'} #{run.id}", model)
        switch_page("pages/explore.py")
