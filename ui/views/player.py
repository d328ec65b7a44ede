"""Watch the convolution: the kernel sliding over the input and the output filling in, then the pooling windows."""

from cnnviz import lessons
from cnnviz.viz import browser
from ui.overview import components
from ui.views.base import Context, View


def render(ctx: Context, large: bool = False) -> None:
    """The player component for the selected cell's conv (its own, or the one whose maps it comes from)."""
    data = browser.player(ctx.model, ctx.activations, ctx.prepared.tensor, ctx.palette, ctx.selection)
    data["large"] = large
    components()["player"](key="player_large" if large else "player", data=data)


VIEW = View(
    "player",
    "Watch the convolution",
    lambda ctx: lessons.PLAYER,
    render,
    aliases=("Watch the convolution",),
    about_cell=True,
)
