"""Present: the network one stage at a time, large enough for the back of a classroom; arrow keys page through it."""

import streamlit as st

from ui import state
from ui.classroom import keep_seats
from ui.internals import MAIN, MAIN_BLOCK, SIDEBAR, SIDEBAR_EXPAND, compact_page, css, switch_page
from ui.markdown import literal
from ui.models import activations_of
from ui.overview import keys
from ui.stages import stages, step_of
from ui.teacher import class_on_present, class_question
from ui.views import Context

compact_page()
css(
    f"[data-testid='{SIDEBAR}'], [data-testid='{SIDEBAR_EXPAND}'] {{display: none;}}"
    f" [data-testid='{MAIN}'] p, [data-testid='{MAIN}'] li {{font-size: 1.3rem; line-height: 1.35;}}"
    f" [data-testid='{MAIN_BLOCK}'] {{padding-top: 3.4rem; padding-bottom: 0.5rem;}}"  # every slide fits 1280 x 720
    f" [data-testid='{MAIN_BLOCK}'] h1 {{font-size: 1.9rem; padding: 0.1rem 0;}}"
)
description, prepared = state.current_image()
entry = state.current_model()
activations = activations_of(entry, prepared.tensor)
palette = state.current_palette()
ctx = Context(entry, description, prepared, activations, palette, state.current_palette_name(), None)
show = stages(ctx)
numbers = list(range(1, len(show) + 1))
if not state.has_present_stage() and st.query_params.get(state.STAGE) not in [str(n) for n in numbers]:
    state.set_present_stage(1)  # no stage, or nonsense, in the URL: the first
elif state.present_stage() not in (None, *numbers):
    state.set_present_stage(numbers[-1])  # a smaller model has fewer stages


def turn(step: str | None) -> None:
    """Next or previous stage (from a button or a key)."""
    now = state.present_stage() or 1
    if step == "next":
        state.set_present_stage(min(now + 1, len(show)))
    elif step == "previous":
        state.set_present_stage(max(now - 1, 1))


keys(turn)
back, picker, forward, klass, leave = st.columns([2, 5, 2, 3, 2], vertical_alignment="center")
with picker:  # drawn first: the buttons beside it depend on the stage it shows (from the URL on a first visit)
    number = st.segmented_control(
        "Stage", numbers, required=True, key=state.STAGE, bind="query-params", label_visibility="collapsed"
    )
number = number or 1
back.button("◀ Previous", on_click=turn, args=("previous",), width="stretch", disabled=number == 1)
forward.button("Next ▶", type="primary", on_click=turn, args=("next",), width="stretch", disabled=number == len(show))
if leave.button("Leave", icon=":material/close:", width="stretch"):
    switch_page("pages/explore.py")
stage = show[number - 1]
here = ctx.at(stage.selection)
seen = class_on_present(klass, here, step_of(ctx, number, len(show), stage))
st.title(
    f"{number} / {len(show)} · {stage.title}",
    help=f"Image: {literal(description)} · model: {literal(entry.name)}. "
    "Choose the image on the Explore page; ← → or space to move.",
)
class_question(seen, here)
words = stage.text or stage.view.explanation(here)
if stage.wide:  # the words above a picture that needs the whole width
    st.write(words)
    stage.view.render(here, True)
else:  # the words beside the picture: both fit a 1280 x 720 projector
    text, picture = st.columns([1, 3], gap="large")
    text.write(words)
    with picture:
        stage.view.render(here, True)
keep_seats()  # the class found again after a reload
