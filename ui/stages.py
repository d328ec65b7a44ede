"""Presenter mode's stages (Present draws them, a student's phone follows them): Explore's own views, drawn large.

Each stage is a view (ui.views), a title, and the cell it shows (stages of deeper layers pick their
own); the list is made from the model's layers, so any network (LeNet-5, strided, residual) gets its
stages, and any image (a sample, a drawing, a Mistakes digit) goes through all of them.
"""

from dataclasses import dataclass

import streamlit as st

from cnnviz.classroom.records import Step
from cnnviz.network.cells import Selection, default_selection, varied_window
from cnnviz.network.naming import capitalised, learner_name
from ui.classroom import input_bytes, step_context
from ui.views import Context, View, cell, decision, filters, maps, network, player, pooling, preparing
from ui.views.base import phone_size

DEEPER = (
    "A deeper layer's filters read every map of the layer before and add up what they find there, so each of its "
    "maps can respond to a combination of the patterns found below, over a larger part of the image."
)


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
        Stage("How one number is computed", cell.VIEW, first, cell.SHORT, wide=True),
        Stage("Watch the convolution", player.VIEW, first, player.SHORT, wide=True),
    ]
    pools = [info for info in model.layers() if info.spec.pools]
    if pools:
        window = varied_window(model, activations, pools[0].name)  # a real window whose values differ
        out.append(Stage(capitalised(learner_name(model, pools[0].name)), pooling.VIEW, window))
    for name in model.conv_layers()[1:]:
        info = model.layer(name)
        if info.residual is not None:
            continue
        activated = model.activated(name)
        out.append(
            Stage(
                f"{capitalised(learner_name(model, name))}: maps of maps",
                maps.VIEW,
                Selection(activated, 0, 0, 0),
                DEEPER,
            )
        )
    for info in model.layers():
        if info.spec.inner:  # a residual block
            title = f"A skip connection: {learner_name(model, info.name)}"
            out.append(Stage(title, maps.VIEW, Selection(info.name, 0, 0, 0), info.spec.words))
    out.append(Stage("The decision", decision.VIEW, first, decision.short(model)))
    return out


def step_of(ctx: Context, number: int, total: int, stage: Stage) -> Step:
    """The stage on screen as a class's step: students' phones follow it (follow_stage draws it there)."""
    return Step("present", str(number), number, total, stage.title, input_bytes(ctx.prepared), ctx.entry.name)


def follow_stage(step: Step) -> None:
    """A Present stage on a student's phone: the same view of the teacher's image, drawn at phone size.

    The stages are made again from the model and image, as Present made them; a model of the teacher's own
    (trained or opened in their session) is not on the student's side, so only the image is shown then.
    """
    ctx = step_context(step)
    if ctx is None:
        return
    shown = stages(ctx)
    if step.number > len(shown) or shown[step.number - 1].title != step.title:
        st.caption("Follow this step on the projector.")
        return
    stage = shown[step.number - 1]
    here = ctx.at(stage.selection)
    st.caption(stage.text or stage.view.explanation(here))
    with phone_size():  # the projector's own picture, its type and height made for a phone
        stage.view.render(here, True)
