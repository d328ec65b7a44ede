"""Teach: new classes from a few examples, on the digit network's frozen conv layers, beside learning from scratch."""

import streamlit as st

from cnnviz.training.transfer import READY_MADE, class_names
from ui import state
from ui.internals import compact_page
from ui.markdown import literal
from ui.pages.teach import collect, fill_ready_made, results, show_examples, teach_button
from ui.pages.teach_words import TEACH

compact_page()
st.title("Teach it something new")
st.write(TEACH)
base = state.current_model()
palette = state.current_palette()
named, ready = st.columns([3, 1], vertical_alignment="bottom")
state.start_class_names(", ".join(READY_MADE))  # not value=: the ready-made set sets it
typed = named.text_input("Names of the new classes, separated by commas", key=state.TEACH_NAMES)
ready.button(
    "Use a ready-made set",
    on_click=fill_ready_made,
    key="teach_ready",
    help="Six drawings each of a diamond, a square, a triangle and a house, by made-up writers",
)
try:
    classes = class_names(typed)
except ValueError as error:
    st.error(f"The class names: {error}.")
    st.stop()
st.caption(f"The frozen conv layers come from: {literal(base.name)} (choose another model on Explore).")
adding, gathered = st.columns([1, 2])
with adding:
    collect(classes)
with gathered:
    examples = show_examples(classes)
    if examples is not None:
        teach_button(base, examples)
results(base, palette, classes)
