"""Preparing the image: each step from what was given to the 28 x 28 input the network reads."""

import streamlit as st

from cnnviz import lessons
from cnnviz.viz.inputs import pixelated, square
from ui.views.base import Context, View


def render(ctx: Context, large: bool = False) -> None:
    steps = ctx.prepared.steps
    if large:  # the first, a middle and the last step, whatever the image went through (two steps, or eight)
        picked = [steps[0], steps[len(steps) // 2], steps[-1]] if len(steps) >= 3 else steps
        for column, step in zip(st.columns(len(picked)), picked):
            column.image(square(pixelated(step.image, 300)), caption=step.title, width="stretch", alt=step.explanation)
        return
    for row in (steps[:4], steps[4:]):
        for column, step in zip(st.columns(4), row):
            column.image(
                square(pixelated(step.image)), caption=step.title, width="stretch", clamp=True, alt=step.explanation
            )
            column.caption(step.explanation)


VIEW = View(
    "preparing", "Preparing the image", lambda ctx: lessons.PREPROCESSING, render, aliases=("Preparing the image",)
)
