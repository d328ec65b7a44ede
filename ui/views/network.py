"""The whole network, large: the overview as Present shows it (on Explore it is always on top, not a tab)."""

from cnnviz import lessons
from ui.overview import network_overview
from ui.views.base import Context, View


def render(ctx: Context, large: bool = False) -> None:
    network_overview(ctx, key="present_overview" if large else "overview", height=440 if large else 400, large=large)


VIEW = View("network", "The whole network", lambda ctx: lessons.OVERVIEW, render, tab=False)
