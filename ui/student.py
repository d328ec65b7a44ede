"""The student's side of a class, on the Class page: join (a nickname is optional), then follow the teacher: the
step on the projector at phone size, the question as a grid of large answer buttons, the reveal, the end.

A reload keeps the seat (the browser's cookie holds the student's id, so they are counted once); a short poll
redraws the page when the class moves on, and sends again an answer given while the database was away.
"""

import numpy as np
import streamlit as st

from cnnviz.classroom.codes import clean_code
from cnnviz.classroom.records import FILE_GONE, MAX_NICKNAME, ROUNDS, Asked, ClassError, ClassUnavailable, Step
from cnnviz.viz.overlays import signed_image
from ui import state
from ui.classroom import STUDENT_COOKIE, class_store, remember, remembered, reveal_chart, say, show_message
from ui.markdown import literal

STUDENT_POLL = 1.0  # seconds between a student's looks for the teacher's next step, question, reveal or end
GONE = {
    "ended": "This class has ended. Thank you!",
    "unknown": "This class is no longer on the server (a class is kept a day at most).",
    "lost": FILE_GONE,
}


def joined_class(link_code: str | None) -> tuple[str, str] | None:
    """(code, student id) of the class this session is in: kept in the session, or found again in the browser's
    cookie after a reload (the same seat: counted once). A link to another class leaves this one."""
    joined = state.student_of()
    if joined is not None and link_code and joined[0] != link_code:
        state.set_student_of(None)
        joined = None
    if joined is None:
        found = remembered(STUDENT_COOKIE, 2)
        if found is not None and link_code in (None, found[0]):
            try:
                me = class_store().member(*found)
            except ClassUnavailable as error:
                st.warning(str(error), icon=":material/cloud_off:")
                return None
            if me is None:
                remember(STUDENT_COOKIE, None)
            else:
                joined = found
                state.set_student_of(joined)
    return joined


def join_form(code: str | None) -> None:
    """Join a class: the code (filled in from the link), an optional nickname, Join."""
    show_message()
    typed = st.text_input("Class code", value=code or "", max_chars=14, placeholder="e.g. K7MX2Q")
    nickname = st.text_input("Nickname (optional, shown to the class)", max_chars=MAX_NICKNAME, key=state.NICKNAME)
    if st.button("Join", type="primary"):
        try:
            me = class_store().join(typed, nickname, session=state.visitor())
        except ClassError as error:
            st.error(str(error), icon=":material/error:")
            return
        state.set_student_of((clean_code(typed), me.id))
        st.rerun()


def student_view(followers: dict) -> None:
    """The class as this student follows it; the poll at the bottom redraws it when the class moves on.

    followers: a page that leads a class ("present", "lesson") -> how a phone draws that page's step."""
    code, student = state.student_of()
    remember(STUDENT_COOKIE, f"{code}.{student}")  # a reloaded page finds the seat again
    try:
        seen = class_store().snapshot(code)
        me = class_store().member(code, student) if seen.status == "active" else None
    except ClassUnavailable as error:
        st.warning(str(error), icon=":material/cloud_off:")
        _poll(code, student, None)
        return
    if seen.status != "active" or me is None:
        st.info(GONE.get(seen.status, "You are no longer in this class: your teacher took you out."))
        state.set_student_of(None)
        remember(STUDENT_COOKIE, None)
        return
    drawn = seen.version()
    st.caption(f"You are in class {code} as {literal(me.name)} (#{me.number}).")
    show_message()
    if not seen.teacher_here:
        st.info("Waiting for the teacher… (their page is not open just now)", icon=":material/hourglass_top:")
    else:
        step, asked = seen.step, seen.showing
        if step is not None:
            st.markdown(f"#### {literal(step.place)}")
        if asked is not None:
            _question(code, student, asked)
        if step is not None:
            _follow(step, followers)
        elif asked is None:
            st.markdown("Wait for your teacher's first question.")
    _poll(code, student, drawn)


def _follow(step: Step, followers: dict) -> None:
    follower = followers.get(step.page)
    if follower is not None:
        follower(step)


@st.fragment(run_every=STUDENT_POLL)
def _poll(code: str, student: str, drawn: tuple | None) -> None:
    """Every STUDENT_POLL seconds: send an answer still waiting; redraw the page if the class moved on."""
    _send_pending(code, student)
    try:
        seen = class_store().snapshot(code)
        still_in = seen.status != "active" or class_store().member(code, student) is not None
    except ClassUnavailable as error:
        st.caption(str(error))
        return
    if seen.version() != drawn or not still_in:
        st.rerun()


def _question(code: str, student: str, asked: Asked) -> None:
    question = asked.question
    try:
        mine = class_store().mine(asked.id, student)
        votes = class_store().tally(asked.id) if asked.revealed else []
    except ClassUnavailable as error:
        st.warning(str(error))
        return
    st.markdown(f"**{literal(question.prompt)}**")
    if asked.revealed:
        st.markdown(f"**{_verdict(question, mine)}** {literal(question.explanation)}")
        reveal_chart(question, votes, state.current_palette(), "class_mine", height=300)
        return
    current = mine[asked.round - 1] if len(mine) >= asked.round else None
    if asked.round == 2:
        first = (
            f" The first time you chose {literal(question.choices[mine[0]])}." if mine and mine[0] is not None else ""
        )
        st.caption(f"Second vote: talk it over with your neighbour, then answer again.{first}")
    _answer_grid(code, student, asked, current)
    pending = state.pending_answer()
    if pending is not None and pending[0] == asked.id:
        st.caption(
            f"Your answer {literal(question.choices[pending[1]])} will be sent as soon as the class's database is back."
        )
    elif current is not None:
        st.caption(f"Your answer: {literal(question.choices[current])}. You can change it until your teacher reveals.")


def _verdict(question, mine: list[int | None]) -> str:
    """What the student chose beside what the network did, vote by vote."""
    network = literal(question.choices[question.correct])
    given = [(ROUNDS[n], choice) for n, choice in enumerate(mine) if choice is not None]
    if not given:
        return f"You did not answer; the network: {network}."
    if len(mine) > 1:
        said = ", ".join(f"{vote} {literal(question.choices[choice])}" for vote, choice in given)
        return f"You chose: {said}; the network: {network}."
    choice = given[-1][1]
    if choice == question.correct:
        return f"You chose {network}, as the network did."
    return f"You chose {literal(question.choices[choice])}; the network: {network}."


def _answer_grid(code: str, student: str, asked: Asked, current: int | None) -> None:
    """One large button per choice (a filter's picture above its button), as many to a row as the screen holds."""
    question = asked.question
    with st.container(key="answers", horizontal=True, gap="small"):
        for index, choice in enumerate(question.choices):
            place = st.container(width=150) if question.pictures else st
            if question.pictures:
                weights = np.asarray(question.pictures[index], dtype=np.float32) * 2 - 1  # stored as 0..1, 0.5 zero
                place.image(
                    signed_image(weights, state.current_palette(), 120),
                    width=120,
                    alt=f"{choice}'s weights, positive and negative in two colours",
                )
            place.button(
                choice,
                key=f"answer_{asked.id}_{asked.round}_{index}",
                type="primary" if current == index else "secondary",
                width="stretch" if question.pictures else "content",
                on_click=_answer,
                args=(code, student, asked.id, index),
            )


def _answer(code: str, student: str, question_id: int, choice: int) -> None:
    try:
        class_store().answer(code, student, question_id, choice)
        state.set_pending_answer(None)
    except ClassUnavailable:
        state.set_pending_answer((question_id, choice))
    except ClassError as error:
        say(error)


def _send_pending(code: str, student: str) -> None:
    pending = state.pending_answer()
    if pending is None:
        return
    try:
        class_store().answer(code, student, *pending)
    except ClassUnavailable:
        return
    except ClassError as error:
        say(error)
    state.set_pending_answer(None)
    st.rerun()
