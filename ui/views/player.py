"""Watch the convolution: the kernel sliding over the input and the output filling in, then the pooling windows."""

from cnnviz.viz import browser
from ui.overview import components
from ui.views.base import Context, View

EXPLANATION = (
    "Press Play and watch the window slide. In a convolution, at every position the kernel multiplies the numbers "
    "under it by its weights, adds them up with the bias, and writes one cell of the output map; in pooling, each "
    "window is reduced to one number. Step goes one cell at a time."
)
SHORT = "Press Play: the window slides, and at each place its products and the bias add up to one cell of the map."


def render(ctx: Context, large: bool = False) -> None:
    """The player component for the selected cell's conv (its own, or the one whose maps it comes from)."""
    data = browser.player(ctx.model, ctx.activations, ctx.prepared.tensor, ctx.palette, ctx.selection)
    data["large"] = large
    components()["player"](key="player_large" if large else "player", data=data)


VIEW = View(
    "player",
    "Watch the convolution",
    lambda ctx: EXPLANATION,
    render,
    aliases=("Watch the convolution",),
    about_cell=True,
)
