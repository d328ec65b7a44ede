"""Explore's views, one file each, listed here in the order of Explore's tabs; Present draws the same ones large.

A view is a View record (ui.views.base): a stable id used in URLs (?view=cell), a label for its tab,
its short explanation and one render(ctx, large). A new view is one file here and one line below.
"""

import streamlit as st

from ui import state
from ui.views import cell, decision, filters, fooled, inside, learning, maps, network, player, pooling, preparing, why
from ui.views.base import Context, View

VIEWS: tuple[View, ...] = (
    cell.VIEW,
    player.VIEW,
    pooling.VIEW,
    preparing.VIEW,
    filters.VIEW,
    maps.VIEW,
    decision.VIEW,
    why.VIEW,
    fooled.VIEW,
    learning.VIEW,
    inside.VIEW,
    network.VIEW,
)
TABS = tuple(view for view in VIEWS if view.tab)
CELL_VIEWS = tuple(view for view in VIEWS if view.about_cell)
DECISION = decision.VIEW
BY_NAME = {name: view for view in VIEWS for name in (view.id, view.label, *view.aliases)}


def by_id(name: str | None) -> View | None:
    """The view a URL names: by its id, or by a label or old label that links used before ids."""
    return BY_NAME.get(name) if isinstance(name, str) else None


def open_view(view: View) -> None:
    """Make this view the open tab (from a callback, before the tabs are drawn)."""
    state.set_open_tab(view.label)


def explore_tabs() -> list[tuple[View, object]]:
    """Explore's tabs, bound to ?view=<id>; returns the open ones (a tab's content runs only while it is open)."""
    if not state.has_open_tab():  # a first visit: the URL decides (ids, or labels of older links)
        named = by_id(st.query_params.get(state.VIEW))
        if named is not None and named.tab:
            state.set_open_tab(named.label)
    request = state.take_view_request()  # a click on the overview asked for a kind of view
    if request == "decision":
        open_view(DECISION)
    elif request == "cell" and state.open_tab() not in [v.label for v in CELL_VIEWS]:
        open_view(CELL_VIEWS[0])
    containers = st.tabs([view.label for view in TABS], key=state.VIEW_TABS, on_change="rerun")
    shown = by_id(state.open_tab())
    if shown is not None and st.query_params.get(state.VIEW) != shown.id:
        st.query_params[state.VIEW] = shown.id
    return [(view, container) for view, container in zip(TABS, containers) if container.open]


def draw(view: View, ctx: Context, large: bool = False) -> None:
    """A view with its explanation above it."""
    st.write(view.explanation(ctx))
    view.render(ctx, large)
