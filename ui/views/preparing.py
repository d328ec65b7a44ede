"""Preparing the image: each step from what was given to the 28 x 28 input the network reads."""

import streamlit as st

from cnnviz.reading import preprocess
from cnnviz.reading.preprocess import Step
from cnnviz.viz.inputs import pixelated, square
from ui.markdown import literal
from ui.views.base import Context, View

EXPLANATION = (
    "The network was trained on MNIST: white digits on black, 28 x 28 pixels, centred the same way. "
    "Your image is turned into exactly that, step by step. If a photo is read wrong, the reason is often here."
)
SHADED = 0.04  # from this much variation in the paper's brightness, its shading is said to be taken out


def lighting_words(stroke: float, shading: float) -> str:
    """What evening the lighting did, from its numbers (shading: how much the paper's brightness varied)."""
    if shading >= SHADED:
        done = f"The paper's shading (its brightness varied by {shading:.0%}) is subtracted and the contrast stretched"
    else:
        done = "The lighting is already even, so only the contrast is stretched"
    return f"{done}: ink becomes white. Thickest stroke: about {stroke:.0f} pixels."


def cropped_words(width: int, height: int, zoomed: bool) -> str:
    """What cropping kept, in pixels of the image given."""
    words = f"Everything but the digit is cut away: a box of {width:,} x {height:,} pixels of your image"
    return words + (", read again at full detail because the digit is small." if zoomed else ".")


TITLES = {  # each kind of step (cnnviz.reading.preprocess), named under its picture with its own numbers
    preprocess.GIVEN: "Original",
    preprocess.GRAYSCALE: "Grayscale",
    preprocess.INVERTED: "Inverted",
    preprocess.LIGHTING: "Lighting evened",
    preprocess.CROPPED: "Cropped to the ink",
    preprocess.FITTED: "Fitted into {box} x {box}",
    preprocess.CENTRED: "Centred in {field} x {field}",
    preprocess.NORMALISED: "Normalised tensor",
    preprocess.STORED: "As stored",
}
WORDS = {  # what each did, in a sentence; the steps whose words depend on what they found have a function below
    preprocess.GIVEN: "What you gave: {description}.",
    preprocess.GRAYSCALE: "Colour is dropped: the network sees one brightness value per pixel.",
    preprocess.FITTED: "Scaled so its longer side is {box} pixels, like every MNIST digit.",
    preprocess.CENTRED: "Placed so its centre of mass is the image centre, the way MNIST was made.",
    preprocess.NORMALISED: "Pixels rescaled to mean 0 and spread 1 over MNIST: (x - {mean}) / {std}. "
    "This is the input.",
    preprocess.STORED: "{description}: already white on black, 28 x 28 and centred, as MNIST is.",
}


def inverted_words(inverted: bool) -> str:
    """Whether the colours were flipped, and why."""
    if inverted:
        return "MNIST digits are white ink on black, so a light background is flipped."
    return "The background is already dark, as in MNIST, so nothing is flipped."


FOUND = {preprocess.INVERTED: inverted_words, preprocess.LIGHTING: lighting_words, preprocess.CROPPED: cropped_words}


def step_title(step: Step) -> str:
    """A step's name under its picture."""
    if step.kind == preprocess.INVERTED and not step.facts["inverted"]:
        return "Not inverted"
    return TITLES[step.kind].format(**step.facts)


def step_words(step: Step) -> str:
    """What a step did, in a sentence, with its own numbers."""
    words = FOUND[step.kind](**step.facts) if step.kind in FOUND else WORDS[step.kind].format(**step.facts)
    return words[:1].upper() + words[1:]


def render(ctx: Context, large: bool = False) -> None:
    steps = ctx.prepared.steps
    if large:  # the first, a middle and the last step, whatever the image went through (two steps, or eight)
        picked = [steps[0], steps[len(steps) // 2], steps[-1]] if len(steps) >= 3 else steps
        for column, step in zip(st.columns(len(picked)), picked):
            column.image(
                square(pixelated(step.image, 300)), caption=step_title(step), width="stretch", alt=step_words(step)
            )
        return
    for row in (steps[:4], steps[4:]):
        for column, step in zip(st.columns(4), row):
            column.image(
                square(pixelated(step.image)),
                caption=step_title(step),
                width="stretch",
                clamp=True,
                alt=step_words(step),
            )
            column.caption(literal(step_words(step)))


VIEW = View("preparing", "Preparing the image", lambda ctx: EXPLANATION, render, aliases=("Preparing the image",))
