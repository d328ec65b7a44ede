"""Presenter mode's stages: Explore's own views, drawn large, in the order a class meets them.

Each stage is a view (ui.views), a title, and the cell it shows (stages of deeper layers pick their
own); the list is made from the model's layers, so any network (LeNet-5, strided, residual) gets its
stages, and any image (a sample, a drawing, a Mistakes digit) goes through all of them.
"""

from dataclasses import dataclass

from cnnviz import lessons
from cnnviz.network.cells import Selection, default_selection, varied_window
from ui.views import Context, View, cell, decision, filters, maps, network, player, pooling, preparing


@dataclass(frozen=True)
class Stage:
    """One screen of the presentation: a view, drawn large, about one cell."""

    title: str
    view: View
    selection: Selection
    text: str | None = None  # instead of the view's own explanation
    wide: bool = False  # the picture needs the whole width: the words go above it, not beside it


def stages(ctx: Context) -> list[Stage]:
    """The presentation, first to last, for this model and image."""
    model, activations = ctx.model, ctx.activations
    first = default_selection(model, activations)  # the first conv's strongest cell
    out = [
        Stage("The image the network gets", preparing.VIEW, first),
        Stage("The whole network", network.VIEW, first, wide=True),
        Stage("The filters it learned", filters.VIEW, first),
        Stage("How one number is computed", cell.VIEW, first, lessons.ARITHMETIC_SHORT, wide=True),
        Stage("Watch the convolution", player.VIEW, first, lessons.PLAYER_SHORT, wide=True),
    ]
    pools = [info for info in model.layers() if info.spec.pools]
    if pools:
        window = varied_window(model, activations, pools[0].name)  # a real window whose values differ
        out.append(Stage(f"Conv 1: activation and {pools[0].title.lower()}", pooling.VIEW, window))
    for name in model.conv_layers()[1:]:
        info = model.layer(name)
        if info.residual is not None:
            continue
        activated = model.activated(name)
        out.append(
            Stage(
                f"Conv {info.number}: maps of maps",
                maps.VIEW,
                Selection(activated, 0, 0, 0),
                lessons.DEEPER,
            )
        )
    for info in model.layers():
        if info.spec.inner:  # a residual block
            skip = Stage(f"A skip connection ({info.name})", maps.VIEW, Selection(info.name, 0, 0, 0), lessons.RESIDUAL)
            out.append(skip)
    out.append(Stage("The decision", decision.VIEW, first, lessons.decision_short(model)))
    return out
