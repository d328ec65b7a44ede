"""The teacher's side of a class: Present's one-line class bar (code, live counts, Ask the class, Reveal, Vote
again, End the class), the reveal under the slide's title, and taking the class back (ui/dashboard.py is the
Class page's view for the teacher: students, gallery, runs).

The class lives on the server: this session holds its code and secret, the browser's cookie holds them across a
reload, and the PIN (shown only in the bar's "Class" menu) takes the class back on another device.
"""

import os
import time
from collections.abc import Callable

import streamlit as st

from cnnviz.classroom.codes import clean_code
from cnnviz.classroom.links import PUBLIC_URL_VARIABLE, join_link, qr_png
from cnnviz.classroom.questions import KINDS, NONE_TO_ASK, Question, make_question
from cnnviz.classroom.records import ClassError, ClassUnavailable, Snapshot, Step
from cnnviz.viz.figure import base_layout, make_figure
from ui import state
from ui.charts import chart
from ui.classroom import TEACHER_COOKIE, class_store, remember, remembered, reveal_chart, say, show_message
from ui.internals import css, switch_page
from ui.markdown import literal
from ui.views import Context

TEACHER_POLL = 1.0  # seconds between the projector's looks at the class (counts, answers, other tabs)
HEARTBEAT = 5.0  # seconds between two "the teacher is here" notes to the class


def running_class() -> tuple[str, str, str] | None:
    """(code, secret, PIN) of the class this session teaches while it runs: kept in the session, or found again
    in the browser's cookie after a reload (no press needed); forgotten once the class has ended.

    Raises ClassUnavailable while the database is away (the class is not forgotten then).
    """
    teaching = state.teaching_class()
    if teaching is None:
        teaching = _from_cookie()
    if teaching is None:
        return None
    if class_store().status(teaching[0]) != "active":
        forget_class()
        return None
    return teaching


def _from_cookie() -> tuple[str, str, str] | None:
    found = remembered(TEACHER_COOKIE, 3)
    if found is None:
        return None
    try:
        mine = class_store().is_teacher(found[0], found[1], session=state.visitor())
    except ClassUnavailable:
        raise
    except ClassError:  # this page has guessed too often
        return None
    if not mine:
        remember(TEACHER_COOKIE, None)  # a class that has ended, or a cookie that was never the teacher's
        return None
    state.set_teaching_class(found)
    st.toast(f"Your class {found[0]} is back.", icon=":material/sync:")
    return found


def forget_class() -> None:
    """This session and browser teach no class any more."""
    state.set_teaching_class(None)
    remember(TEACHER_COOKIE, None)


def teach(code: str, secret: str, pin: str) -> None:
    """This session (and browser, across reloads) teaches the class."""
    state.set_teaching_class((code, secret, pin))
    remember(TEACHER_COOKIE, f"{code}.{secret}.{pin}")


# --- leading a class: Present, the Lesson page ------------------------------------------------


def class_on_present(button_place, ctx: Context, step: Step) -> Snapshot | None:
    """On Present: "Start a class" in button_place while none runs; else the class bar, one line above the slide
    (the join link large under it until hidden), with a menu of questions about the stage. Tells the class the step
    on screen. Returns the class as seen."""
    return lead_class(button_place, lambda seen: step, lambda code, secret: _present_questions(code, secret, ctx))


def lead_class(
    button_place, step_for: Callable[[Snapshot], Step], asking: Callable[[str, str], None]
) -> Snapshot | None:
    """For a page that leads a class: "Start a class" in button_place while none runs; else the class bar, one line
    above the page's own (asking(code, secret) draws its way to ask, the join link large under it until hidden).
    Tells the class step_for(the class as seen), the page's step; returns the class as seen once told."""
    try:
        running = running_class()
    except ClassUnavailable as error:
        st.warning(str(error), icon=":material/cloud_off:")
        return None
    if running is None:
        if button_place.button("Start a class", width="stretch"):
            try:
                started = class_store().start(session=state.visitor())
            except ClassError as error:
                st.warning(str(error))
                return None
            teach(started.code, started.secret, started.pin)
            state.show_join_link(True)
            st.rerun()
        return None
    code, secret, pin = running
    remember(TEACHER_COOKIE, f"{code}.{secret}.{pin}")  # a reloaded tab finds the class again
    try:
        seen = class_store().snapshot(code)
        if _tell_the_class(code, secret, step_for(seen)):
            seen = class_store().snapshot(code)
    except ClassError as error:
        st.warning(str(error), icon=":material/cloud_off:")
        return None
    state.set_drawn_version(seen.version())
    _bar(code, secret, pin, seen, asking)
    show_message()
    if state.showing_join_link():
        _join_link(code)
    return seen


def _tell_the_class(code: str, secret: str, step: Step) -> bool:
    """Publish the step on screen if it changed (True then); say the teacher is here every HEARTBEAT seconds."""
    store, (told, at), now = class_store(), state.published(), time.monotonic()
    if step != told:
        store.publish(code, secret, step)
    if step != told or now - at > HEARTBEAT:
        store.heartbeat(code, secret)
        state.set_published(step, now)
    return step != told


def _bar(code: str, secret: str, pin: str, seen: Snapshot, asking: Callable[[str, str], None]) -> None:
    asked = seen.showing
    open_question = asked is not None and not asked.revealed
    css(
        # One compact line: the slide's title stays in the upper half of a 720-pixel projector.
        ".st-key-class_bar {gap: 0.5rem;}"
        " .st-key-class_bar p {font-size: 1.05rem !important; white-space: nowrap;}"
        " .st-key-class_bar button {min-height: 2.3rem; padding: 0.1rem 0.75rem;}"
        " .st-key-class_question_kind [role='group'] {min-height: 2.3rem;}"
        " .st-key-class_bar .st-key-class_count p {font-size: 1.1rem !important;}"
        " .st-key-class_question_kind input {font-size: 0.95rem;}"
        # An empty chart, out of sight, while students answer: the browser has the chart library ready to reveal.
        " .st-key-charts_ready {position: absolute; width: 1px; height: 1px; overflow: hidden; opacity: 0;}"
    )
    with st.container(key="class_bar", horizontal=True, vertical_alignment="center", gap="small"):
        with st.container(width="content", key="class_status"):
            _live(code, secret, seen.version())
        asking(code, secret)
        if open_question:
            st.button("Reveal", type="primary", on_click=act, args=("reveal", code, secret, asked.id))
            if asked.round == 1:
                st.button("Vote again", on_click=act, args=("vote_again", code, secret, asked.id))
        with st.popover("Class", icon=":material/more_horiz:"):
            _class_menu(code, secret, pin, seen)
        st.button("End the class", on_click=_end, args=(code, secret))


@st.fragment(run_every=TEACHER_POLL)
def _live(code: str, secret: str, drawn: tuple) -> None:
    """The class's code and live counts, looked at every TEACHER_POLL seconds with no one touching the page;
    a change the counts do not show (an answer revealed in another tab, the class ended) redraws the page."""
    try:
        seen = class_store().snapshot(code)
        if seen.version() != drawn:  # ended or moved on in another tab: the whole page follows
            st.rerun()
        if time.monotonic() - state.published()[1] > HEARTBEAT:
            class_store().heartbeat(code, secret)
            state.set_published(state.published()[0], time.monotonic())
    except ClassError as error:
        st.markdown(f"**{code}** · {error}")
        return
    answered = f" · {seen.answered} answered" if seen.showing is not None and not seen.showing.revealed else ""
    st.container(key="class_count").markdown(f"**Class {code}** · {seen.students} joined{answered}")


def _present_questions(code: str, secret: str, ctx: Context) -> None:
    """Present's way to ask: a menu of the kinds of question about the stage on screen, and Ask the class."""
    st.selectbox(
        "Question",
        list(KINDS),
        format_func=lambda k: KINDS[k][0],
        key=state.CLASS_KIND,
        label_visibility="collapsed",
        width=255,
    )
    st.button("Ask the class", type="primary", on_click=_ask, args=(code, secret, ctx))


def _ask(code: str, secret: str, ctx: Context) -> None:
    kind = state.question_kind() or next(iter(KINDS))
    question = make_question(kind, ctx.model, ctx.activations)
    if question is None:
        state.say_about_class(NONE_TO_ASK[kind])
        return
    ask_class(code, secret, question)


def ask_class(code: str, secret: str, question: Question) -> None:
    """Ask the class `question` (a callback: a refusal is said on the next run); the join link makes way for it."""
    try:
        class_store().ask(code, secret, question)
    except ClassError as error:
        say(error)
        return
    state.show_join_link(False)


def act(action: str, code: str, secret: str, which: int) -> None:
    """A teacher's button: store.<action>(code, secret, which); a refusal is said on the next run."""
    try:
        getattr(class_store(), action)(code, secret, which)
    except ClassError as error:
        say(error)


def _end(code: str, secret: str) -> None:
    try:
        class_store().end(code, secret)
    except ClassError as error:
        say(error)
        return
    forget_class()


def _class_menu(code: str, secret: str, pin: str, seen: Snapshot) -> None:
    """The class's less frequent controls, out of the projector's way: the join link, the PIN, the door, who is in."""
    showing = state.showing_join_link()
    st.button(
        "Hide the join link" if showing else "Show the join link", on_click=state.show_join_link, args=(not showing,)
    )
    st.markdown(f"**Your teacher PIN: {pin}**")
    st.caption(
        "Keep it to yourself. On another device, open the Class page, choose “I am the teacher”, and type the code "
        f"{code} and this PIN to take the class back. A reload of this tab needs nothing."
    )
    lock_toggle(code, secret, seen.locked)
    if st.button("Who is in: students, gallery, runs", icon=":material/groups:"):
        switch_page("pages/class.py")


def lock_toggle(code: str, secret: str, locked: bool) -> None:
    def flip() -> None:
        try:
            class_store().lock(code, secret, not locked)
        except ClassError as error:
            say(error)

    st.toggle("Closed to new students", value=locked, on_change=flip, key=f"class_lock_{locked}")


def _join_link(code: str) -> None:
    link = join_link(code, st.context.url, os.environ.get(PUBLIC_URL_VARIABLE))
    qr, words = st.columns([1, 3], vertical_alignment="center")
    qr.image(qr_png(link), width=240, alt=f"QR code of the join link {link}")
    words.markdown(f"# Join: {code}")
    words.markdown(f"### Open {link}")
    words.caption(
        "Or scan the code. No account, no e-mail: a nickname is optional. (Teacher: your PIN, to take the class "
        "back on another device, is in the Class menu above; keep it off the projector.)"
    )


def class_question(seen: Snapshot | None, ctx: Context, beside: bool = True) -> None:
    """Under the slide's title: the question the class is answering, or, once revealed, the class's answers (both
    votes after "Vote again") with the network's beside them (under them if not `beside`); gone when the teacher
    moves on."""
    teaching = state.teaching_class()
    asked = None if seen is None else seen.showing
    if teaching is None or asked is None:
        return
    question = asked.question
    if not asked.revealed:
        vote = " Second vote: talk it over with your neighbour first." if asked.round == 2 else ""
        choices = " · ".join(literal(choice) for choice in question.choices)
        st.markdown(f"**Asked:** {literal(question.prompt)} ({choices}).{vote} Answer on your phone.")
        with st.container(key="charts_ready"):
            chart(make_figure([], base_layout("", 10)), key="charts_ready_figure")
        return
    try:
        votes = class_store().tally(asked.id)
    except ClassError as error:
        st.warning(str(error))
        return
    figure, words = st.columns([3, 2], vertical_alignment="center") if beside else (st.container(), st.container())
    reveal_chart(question, votes, ctx.palette, "class_reveal", figure, height=300)
    words.markdown(f"**The network: {literal(question.choices[question.correct])}.** {literal(question.explanation)}")


def take_back_form() -> None:
    """For a teacher on another device (or who cleared their cookies): the class's code and PIN take it back."""
    with st.expander("I am the teacher: take my class back"):
        code = st.text_input("Class code", key=state.TAKE_BACK_CODE, max_chars=14)
        pin = st.text_input("Teacher PIN", key=state.TAKE_BACK_PIN, max_chars=14, type="password")
        if st.button("Take the class back"):
            try:
                secret = class_store().take_back(code, pin, session=state.visitor())
            except ClassError as error:
                st.error(str(error), icon=":material/error:")
                return
            teach(clean_code(code), secret, f"{secret[:4]}-{secret[4:]}")  # the PIN is the secret here
            st.success("The class is yours again: open Present or Lesson, at the top of the page, to go on.")
