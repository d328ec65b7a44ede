"""Explore: one image through the whole network at a glance, then any number taken apart."""

import numpy as np
import streamlit as st

from cnnviz import lessons
from cnnviz.insight.verdict import verdict
from cnnviz.viz.inputs import pixelated, square
from ui import widgets
from ui.charts import answer_charts
from ui.details import cell_picker, class_detail, conv_detail, pool_detail, selected_cell, softmax_detail
from ui.inputs import image_input, image_source
from ui.insight import fooled, why
from ui.internals import compact_page, require_app_entry
from ui.layers import every_map, filters
from ui.learning import learning_step
from ui.markdown import headline, literal
from ui.overview import convolution_player, network_overview
from ui.settings import model_and_palette

require_app_entry()
compact_page()
title, picker, picked, settings = st.columns([3, 4, 3, 2], vertical_alignment="center")
title.title("Explore a CNN")
with settings.popover("Settings", icon=":material/settings:", width="stretch"):
    entry, palette_name, palette = model_and_palette()
model = entry.model
with picker:
    source = image_source()
if source in ("Draw", "Webcam"):  # the canvas or camera beside the network: the picture and its answer on one screen
    side, main = st.columns([1, 3])
    with side:
        chosen = image_input(source)
else:
    with picked:
        chosen = image_input(source)
    main = st.container()
if chosen is None:
    st.stop()
description, prepared = chosen
activations = entry.capture(prepared.tensor)  # one forward pass feeds every view below
probabilities = activations["probabilities"]
predicted = int(np.argmax(probabilities))
selection = selected_cell(model, activations)
with main:
    st.markdown(f"## {headline(verdict(probabilities, model.classes))}")
    network_overview(model, activations, prepared.tensor, palette, selection)
    st.caption(f"{lessons.OVERVIEW} Input: {literal(description)} · model: {literal(entry.name)}")

views = st.tabs(widgets.VIEWS, key=widgets.VIEW, bind="query-params", on_change="rerun")
view = dict(zip(widgets.VIEWS, views))
cell_view = next((view[name] for name in widgets.CELL_VIEWS if view[name].open), None)
if cell_view is not None:
    with cell_view:
        selection = cell_picker(model, activations)
        if view[widgets.CELL_VIEW].open:
            st.write(lessons.ARITHMETIC)
            conv_detail(model, activations, prepared.tensor, selection, palette)
        elif view[widgets.PLAYER_VIEW].open:
            st.write(lessons.PLAYER)
            convolution_player(model, activations, prepared.tensor, palette, selection)
        else:
            st.caption(lessons.POOL_DETAIL)
            pool_detail(model, activations, selection, palette)
if view[widgets.PREPARING_VIEW].open:
    with view[widgets.PREPARING_VIEW]:
        st.write(lessons.PREPROCESSING)
        for row in (prepared.steps[:4], prepared.steps[4:]):
            for column, step in zip(st.columns(4), row):
                column.image(square(pixelated(step.image)), caption=step.title, width="stretch", clamp=True)
                column.caption(step.explanation)
if view[widgets.FILTERS_VIEW].open:
    with view[widgets.FILTERS_VIEW]:
        filters(entry, palette_name, selection)
if view[widgets.MAPS_VIEW].open:
    with view[widgets.MAPS_VIEW]:
        every_map(model, activations, prepared.tensor, palette)
if view[widgets.DECISION_VIEW].open:
    with view[widgets.DECISION_VIEW]:
        st.write(lessons.CLASSIFIER)
        answer_charts(activations[model.head.logits], probabilities, palette, model.classes, key="answer")
        softmax, last = st.columns(2)
        with softmax:
            st.caption(lessons.SOFTMAX_DETAIL)
            softmax_detail(activations[model.head.logits], model.classes)
        with last:
            st.caption(lessons.contributions(palette))
            class_detail(model, activations, predicted, palette)
if view[widgets.WHY_VIEW].open:
    with view[widgets.WHY_VIEW]:
        why(model, prepared, predicted, palette)
if view[widgets.FOOLED_VIEW].open:
    with view[widgets.FOOLED_VIEW]:
        fooled(model, prepared, palette)
if view[widgets.LEARN_VIEW].open:
    with view[widgets.LEARN_VIEW]:
        learning_step(entry, prepared, probabilities, palette)
