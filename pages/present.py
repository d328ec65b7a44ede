"""Present: the network one stage at a time, large enough for the back of a classroom; arrow keys page through it."""

import streamlit as st

from ui import state, widgets
from ui.internals import MAIN, SIDEBAR, SIDEBAR_EXPAND, compact_page, css, require_app_entry, switch_page
from ui.markdown import literal
from ui.present import keys, stages

require_app_entry()
compact_page()
css(
    f"[data-testid='{SIDEBAR}'], [data-testid='{SIDEBAR_EXPAND}'] {{display: none;}}"
    f" [data-testid='{MAIN}'] p, [data-testid='{MAIN}'] li {{font-size: 1.3rem; line-height: 1.35;}}"
)
description, prepared = state.current_image()
entry = state.current_model()
palette = state.current_palette()
show = stages(entry.model, entry.capture(prepared.tensor), prepared, palette)
numbers = list(range(1, len(show) + 1))
if widgets.STAGE not in st.session_state and st.query_params.get(widgets.STAGE) not in [str(n) for n in numbers]:
    st.session_state[widgets.STAGE] = 1  # no stage, or nonsense, in the URL: the first
elif st.session_state.get(widgets.STAGE) not in (None, *numbers):
    st.session_state[widgets.STAGE] = numbers[-1]  # a smaller model has fewer stages


def turn(step: str | None) -> None:
    """Next or previous stage (from a button or a key)."""
    now = st.session_state.get(widgets.STAGE) or 1
    if step == "next":
        st.session_state[widgets.STAGE] = min(now + 1, len(show))
    elif step == "previous":
        st.session_state[widgets.STAGE] = max(now - 1, 1)


keys(turn)
back, picker, forward, leave = st.columns([2, 6, 2, 2], vertical_alignment="center")
with picker:  # drawn first: the buttons beside it depend on the stage it shows (from the URL on a first visit)
    number = st.segmented_control(
        "Stage", numbers, required=True, key=widgets.STAGE, bind="query-params", label_visibility="collapsed"
    )
number = number or 1
back.button("◀ Previous", on_click=turn, args=("previous",), width="stretch", disabled=number == 1)
forward.button("Next ▶", type="primary", on_click=turn, args=("next",), width="stretch", disabled=number == len(show))
if leave.button("Leave", icon=":material/close:", width="stretch"):
    switch_page("pages/explore.py")
stage = show[number - 1]
st.title(f"{number} / {len(show)} · {stage.title}")
if stage.wide:  # the words above a picture that needs the whole width
    st.write(stage.text)
    stage.show()
else:  # the words beside the picture: both fit a 1280 x 720 projector
    words, picture = st.columns([1, 3], gap="large")
    words.write(stage.text)
    with picture:
        stage.show()
st.caption(
    f"Image: {literal(description)} · model: {literal(entry.name)}. "
    "Choose the image on the Explore page; ← → or space to move."
)
