"""Mistakes: the current model scored on digits it never trained on; click a cell, open a digit in Explore."""

import streamlit as st

from cnnviz.viz.evaluation import class_accuracy_figure, confusion_figure
from cnnviz.viz.figure import plain_all
from ui import state
from ui.charts import chart
from ui.internals import compact_page
from ui.markdown import count, literal
from ui.pages.mistakes import EXPLANATION, gallery, scored

compact_page()
st.title("Mistakes: where the network goes wrong")
st.write(EXPLANATION)
entry = state.current_model()
model = entry.model
if not model.config.is_digits:
    st.info("This model reads its own classes, not digits: there are no held-out digits to score it on.")
    st.stop()
result = scored(entry, entry.key)
answers = model.config.answers  # the digits (a "not a digit" output is a verdict, never a reading)
digits = result.digits
matrix = result.confusion
wrong = int(matrix.sum() - matrix.trace())
st.caption(f"Model: {literal(entry.name)} · digits: {literal(digits.source)}")
right, total, mistakes = st.columns(3)
right.metric("Read right", f"{result.accuracy:.2%}")
total.metric("Digits", f"{len(digits):,}")
mistakes.metric("Mistakes", f"{wrong:,}")

left, side = st.columns([3, 2])
with left:
    event = chart(
        confusion_figure(matrix, answers, state.current_palette()),
        key="confusion",
        on_select="rerun",
        selection_mode="points",
    )
with side:
    chart(class_accuracy_figure(result.per_class(), answers, state.current_palette()), key="per_class")

points = (event.selection.points if event and event.selection else []) or []
if points:
    names = plain_all(answers)  # as the chart names them
    true, read = names.index(str(points[0]["y"])), names.index(str(points[0]["x"]))
    shown = result.cell(true, read)
    st.subheader(f"True {literal(answers[true])}, read {literal(answers[read])}: {count(len(shown), 'digit')}")
else:
    shown = result.mistakes()
    st.subheader("Its most confident mistakes")
if not len(shown):
    st.info("No digits here.")
gallery(result, shown, answers)
