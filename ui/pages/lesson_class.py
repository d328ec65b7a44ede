"""The Lesson page as a class: the teacher's step told to the phones, each step's question asked with one press,
the projector keeping the step's answer back until the class's reveal, and a phone drawing the step.

As for one student, a step's view (its answer) stays hidden while the class predicts; it is shown once the class's
answers are revealed, or when the teacher shows it without asking. The step's record says which, so the phones
show what the projector shows: "predict image" while the class predicts about the image, "maps conv 2" after.
"""

import streamlit as st

from cnnviz.classroom import records
from cnnviz.classroom.records import Snapshot
from cnnviz.lesson.lesson import LAYER, VIEWS, Step, StepNow
from ui import state
from ui.classroom import input_bytes, step_context
from ui.markdown import literal
from ui.pages.lesson import (
    builtin,
    evidence_for,
    picture_while_predicting,
    predict_first,
    prediction_key,
    while_predicting,
)
from ui.pages.lesson_views import show_view
from ui.teacher import ask_class, class_question, lead_class
from ui.views import Context
from ui.views.base import phone_size

PAGE = "lesson"  # the page's name in a class's step record
PREDICT = "predict"  # a record's view while the class predicts: "predict image", "predict non-digit" or "predict"


def class_on_lesson(button_place, now: StepNow, ctx: Context) -> Snapshot | None:
    """On the Lesson page: "Start a class" in button_place while none runs; else the class bar, whose "Ask the class"
    asks this step's question. Tells the class the step and whether its answer is shown. Returns the class as seen.
    """
    return lead_class(
        button_place,
        lambda seen: class_step(now, ctx, answer_shown(now, ctx, seen)),
        lambda code, secret: _ask_button(code, secret, now),
    )


def answer_shown(now: StepNow, ctx: Context, seen: Snapshot) -> bool:
    """Whether the step's answer (its view) is on the projector: a step that asks nothing, or one whose question the
    class has seen revealed, or the teacher showed without asking (kept for coming back to the step)."""
    if now.question is None:
        return True
    key = prediction_key(now.lesson, now.step, ctx)
    asked = seen.showing
    if asked is not None and asked.revealed and asked.question == now.question:
        state.lesson_shown().add(key)
    return key in state.lesson_shown()


def class_step(now: StepNow, ctx: Context, shown: bool) -> records.Step:
    """The step on screen as a class's record: "N / M", its title, the teacher's image and model, and what it shows
    ("maps conv 2"), or while the class predicts, what students look at meanwhile ("predict image")."""
    step = now.step
    view = (step.view, step.layer) if shown else (PREDICT, while_predicting(step))
    key = f"{now.lesson.name}:{step.id}"
    picture = input_bytes(ctx.prepared)
    return records.Step(
        PAGE, key, now.number, now.total, step.title, picture, ctx.entry.name, " ".join(filter(None, view))
    )


def _ask_button(code: str, secret: str, now: StepNow) -> None:
    question = now.question
    st.button(
        "Ask the class",
        type="primary",
        on_click=ask_class,
        args=(code, secret, question),
        disabled=question is None,  # this step asks nothing
    )


def class_predicts(now: StepNow, seen: Snapshot, ctx: Context, beside: bool) -> bool:
    """In a class, instead of one student's buttons: the question and its choices until it is asked, then as the
    phones have it, then the class's answers beside the network's. True once the step's answer is shown.

    A question of another step the phones still show (asked, and the teacher moved on) is shown too: Reveal and
    Vote again are about it."""
    question, asked = now.question, seen.showing
    if asked is not None:
        class_question(seen, ctx, beside)
        if asked.question == question:
            return answer_shown(now, ctx, seen)
    if question is None:
        return predict_first(now, ctx, narrow=not beside)
    shown = answer_shown(now, ctx, seen)
    st.markdown(f"**Predict first.** {literal(question.prompt)}")
    answer = literal(question.choices[question.correct])
    if shown:
        st.success(f"**The answer: {answer}.** {literal(question.explanation)}", icon=":material/lightbulb:")
        return True
    st.markdown(" · ".join(f"**{literal(choice)}**" for choice in question.choices))
    st.caption(
        "“Ask the class” sends these choices to every phone; Reveal shows here how the class and the network answered."
    )
    st.button("Show the answer", on_click=state.lesson_shown().add, args=(prediction_key(now.lesson, now.step, ctx),))
    return False


def follow_lesson(record: records.Step) -> None:
    """A lesson's step on a student's phone: its words, then what the projector shows, drawn at phone size: the
    picture the class predicts about, or once the answer is shown, the step's view of the teacher's image."""
    ctx = step_context(record)
    if ctx is None:
        return
    name, _, step_id = record.key.partition(":")
    what, _, detail = record.view.partition(" ")
    lesson = builtin().get(name)  # a lesson the teacher opened from a file is only in the teacher's session
    number = lesson.number(step_id) if lesson is not None else None
    if number is not None:
        step = lesson.steps[number - 1]
    elif what in VIEWS:
        layer = detail if LAYER.fullmatch(detail) else None
        step = Step(step_id or "step", record.title, what, VIEWS[what].capitalize() + ".", 1, layer=layer)
    else:
        step = None
    if step is not None:
        st.caption(literal(step.text))
    if what == PREDICT:
        picture_while_predicting(detail, ctx, width=200)
    elif step is not None:
        with phone_size():  # the projector's own picture, its type and height made for a phone
            show_view(step, ctx, evidence_for(ctx, ctx.entry.key, ctx.image_key))
    else:
        st.caption("Follow this step on the projector.")
