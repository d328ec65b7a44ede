"""Explore: one image through the whole network at a glance, then any number taken apart."""

from dataclasses import replace

import streamlit as st

from ui import state
from ui.guess import guess_first
from ui.inputs import image_input, image_source
from ui.internals import compact_page
from ui.markdown import headline, literal
from ui.models import activations_of
from ui.overview import network_overview
from ui.selection import cell_picker, current_selection
from ui.settings import model_and_palette
from ui.take_home import take_home_row
from ui.views import Context, draw, explore_tabs
from ui.views.network import OVERVIEW
from ui.warm import first_screen_shown


@st.fragment
def the_network(image: Context, main) -> None:
    """The overview and the tabs: a click on a cell, a tab, the player or a picker reruns only this."""
    ctx = replace(image, selection=current_selection(image.model, image.activations))
    with main:
        network_overview(ctx)
    for view, tab in explore_tabs():
        with tab:
            if view.about_cell:
                cell_picker(ctx.model, ctx.activations, ctx.selection)
            draw(view, ctx)


compact_page()
title, picker, picked, settings = st.columns([3, 4, 3, 2], vertical_alignment="center")
title.title("Explore a CNN")
with settings.popover("Settings", icon=":material/settings:", width="stretch"):
    entry, palette_name, palette = model_and_palette()
    st.toggle("Guess first", key=state.GUESS_FIRST, help="Hide the answer and the charts until you have guessed.")
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
activations = activations_of(entry, prepared.tensor)  # one forward pass feeds every view below
selection = current_selection(entry.model, activations)
image = Context(entry, description, prepared, activations, palette, palette_name, selection)
with main:
    if not guess_first(image):
        st.stop()
    st.markdown(f"## {headline(image.verdict)}")
    if image.verdict.kind == "overflow":
        st.stop()
the_network(image, main)  # the overview in main, the tabs below it at full width
with main:
    st.caption(f"{OVERVIEW} Input: {literal(description)} · model: {literal(entry.name)}")
    take_home_row(image)
first_screen_shown()  # the server may now search what later views need, in the background
