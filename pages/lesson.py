"""Lesson: a guided tour, one step at a time, each step one live view of your image; predict first, then look."""

import streamlit as st

from ui import state
from ui.classroom import keep_seats
from ui.internals import MAIN, compact_page, css
from ui.markdown import literal
from ui.overview import keys
from ui.pages.lesson import (
    available,
    evidence_for,
    picture_while_predicting,
    predict_first,
    score,
    settle,
    step_menus,
    step_now,
    teacher_notes,
    turn,
    while_predicting,
)
from ui.pages.lesson_class import class_on_lesson, class_predicts
from ui.pages.lesson_files import file_error, lesson_files
from ui.pages.lesson_views import WIDE, show_view
from ui.views import Context

compact_page()
css(f"[data-testid='{MAIN}'] p, [data-testid='{MAIN}'] li {{font-size: 1.15rem; line-height: 1.4;}}")
description, prepared = state.current_image()
entry = state.current_model()
palette = state.current_palette()
ctx = Context(entry, description, prepared, entry.capture(prepared.tensor), palette, state.current_palette_name(), None)
lessons = available()
lesson, number = settle(lessons)
back, forward, notes, files, klass = step_menus(lessons, lesson, number)
with notes:
    st.toggle("Notes", key=state.LESSON_NOTES, help="The teacher's notes: the misconception, a question for the class")
with files:
    lesson_files(lesson, ctx)
file_error()
now = step_now(lesson, number, ctx)
step, total = now.step, now.total
seen = class_on_lesson(klass, now, ctx)  # None while no class runs
st.title(
    f"{now.label} · {literal(step.title)}",
    help=f"Image: {literal(description)} · model: {literal(entry.name)}. Choose the image on the Explore page; "
    "← → or space to move.",
)
if state.showing_notes():
    teacher_notes(step)
wide = step.view in WIDE
words, picture = (st.container(), st.container()) if wide else st.columns([1, 2], gap="large")
with words:
    st.markdown(literal(step.text))
    if seen is None:
        answered = predict_first(now, ctx, narrow=not wide)
        if answered and number == total:
            score(lesson, ctx)
    else:  # the class predicts on its phones; Next never waits for the teacher
        answered = class_predicts(now, seen, ctx, beside=wide)
with picture:
    if answered:
        show_view(step, ctx, evidence_for(ctx, entry.key, ctx.image_key))
    else:
        picture_while_predicting(while_predicting(step), ctx)
waiting = not answered and seen is None
back.button(
    "◀ Previous", on_click=turn, args=("previous", number, total, waiting), disabled=number == 1, width="stretch"
)
forward.button(
    "Next ▶",
    type="primary",
    on_click=turn,
    args=("next", number, total, waiting),
    disabled=waiting or number == total,
    help="Choose your answer first" if waiting else None,
)
keys(lambda key: turn(key, number, total, waiting))
keep_seats()  # the class found again after a reload
