"""The browser-drawn parts (ui/components/*.js), fed by cnnviz.viz.browser: the overview, the player, presenter keys.

A click in the overview (or Enter on its selected cell) selects a cell: the callback writes it into the
keys of the cell pickers (ui.selection, bound to the URL), so every view follows; arrow keys move it.
"""

import re
from pathlib import Path

import streamlit as st

from cnnviz.network.cells import from_input
from cnnviz.network.model import Network
from cnnviz.viz import browser
from ui import maps, state

COMPONENTS = Path(__file__).resolve().parent / "components"
MAX_CELL = 4096  # no map has more channels, rows or columns than this (the selection is clamped to the map later)
OVERVIEW_HEIGHT = 400  # pixels: fits a 1280 x 720 projector with the title, the image source and the answer above


@st.cache_resource
def components() -> dict:
    """Register the browser components once per server process (their code never changes while it runs)."""
    read = lambda name: (COMPONENTS / name).read_text()  # noqa: E731
    return {
        "overview": st.components.v2.component("cnnviz.overview", js=read("overview.js"), css=read("overview.css")),
        "player": st.components.v2.component("cnnviz.player", js=read("player.js"), css=read("player.css")),
        "keys": st.components.v2.component("cnnviz.keys", js=read("keys.js")),
    }


def _whole(value, top: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < top


def valid_click(clicked, model: Network) -> bool:
    """Whether an overview's click report names a class or a cell of this model (the browser may send anything)."""
    if not isinstance(clicked, dict):
        return False
    if clicked.get("kind") == "class":
        return _whole(clicked.get("index"), len(model.classes))
    return (
        clicked.get("kind") == "cell"
        and clicked.get("block") in ("input", *model.map_layers())
        and all(_whole(clicked.get(name), MAX_CELL) for name in ("channel", "row", "col"))
        and isinstance(clicked.get("open", True), bool)
    )


def _take_click(key: str) -> None:
    """Callback of an overview: a clicked cell becomes the selection (and opens its arithmetic); a clicked class
    opens the decision view on that class. Which tab that is, Explore's tabs decide (ui.views.explore_tabs)."""
    clicked = state.overview_click(key)
    model = state.current_model().model
    if not valid_click(clicked, model):
        return
    if clicked["kind"] == "class":
        state.choose_class(int(clicked["index"]))
        state.request_view("decision")
        return
    layer, channel, row, col = clicked["block"], clicked["channel"], clicked["row"], clicked["col"]
    if layer == "input":
        layer, channel, row, col = vars(from_input(model, row, col)).values()
    state.select_cell(layer, int(channel), int(row), int(col))
    if clicked.get("open", True):
        state.request_view("cell")


def picture_name(ctx) -> str:
    """The overview picture's file name: the model and the image it shows."""
    words = f"cnnviz-overview-{ctx.entry.name}-{ctx.description}".lower()
    return re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:80] + ".png"


def network_overview(
    ctx, key: str = "overview", only: set[str] | None = None, height: int = OVERVIEW_HEIGHT, large: bool = False
) -> None:
    """Every stage of the network side by side (or only some, larger); clicking a cell or a class selects it.

    The maps themselves are fetched by the browser once per model and image (ui.maps); a rerun sends only what
    may have changed: the selection, the colours, the size."""
    build = lambda: browser.stages_of(ctx.model, ctx.activations, ctx.prepared.tensor)  # noqa: E731
    data = browser.selected_cell(ctx.model, ctx.selection)
    data.update(
        maps=maps.publish(ctx.entry.key, ctx.image_key, build),
        only=None if only is None else sorted(only),
        colours=browser.colours(ctx.palette),
        height=height,
        large=large,
        filename=picture_name(ctx),
    )
    components()["overview"](key=key, data=data, on_clicked_change=lambda: _take_click(key))


def keys(on_key) -> None:
    """Arrow keys, space and page keys page through presenter mode (a small browser component listens for them)."""
    components()["keys"](
        key=state.PRESENT_KEYS,
        on_key_change=lambda: on_key(state.key_pressed()),
    )
