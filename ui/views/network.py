"""The whole network, large: the overview as Present shows it (on Explore it is always on top, not a tab)."""

from ui.overview import network_overview
from ui.views.base import Context, View

OVERVIEW = (
    "The whole network, left to right: the input, every layer's maps, the dense layers and the answer. Hover or tap "
    "for numbers; click or tap any cell to see how it was computed (or Tab to it and use the arrow keys), or a class "
    "to see what pushed it."
)


def render(ctx: Context, large: bool = False) -> None:
    network_overview(ctx, key="present_overview" if large else "overview", height=440 if large else 400, large=large)


VIEW = View("network", "The whole network", lambda ctx: OVERVIEW, render, tab=False)
