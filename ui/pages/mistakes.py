"""The Mistakes page's parts: the evaluation, computed once per model and shared by every session, and the gallery."""

import numpy as np
import streamlit as st

from cnnviz.insight.evaluation import Evaluation, evaluate, held_out_digits
from cnnviz.network.classes import with_article
from cnnviz.reading.preprocess import already_prepared
from cnnviz.viz.overlays import gray_image
from ui import state
from ui.internals import switch_page
from ui.markdown import literal
from ui.models import ModelEntry

GALLERY = 24  # digits shown at a time
EXPLANATION = (
    "The network scored on digits it never trained on. Rows are the true digit, columns what it read: the diagonal "
    "is right, everything else a mistake. Click a cell to see its digits, and open any of them in Explore."
)


@st.cache_resource(max_entries=16, show_spinner="Scoring the model on held-out digits...")
def scored(_entry: ModelEntry, key: str) -> Evaluation:
    """The model (key: its weights) scored on the held-out digits: MNIST's test set if at hand, else the sample's."""
    return evaluate(_entry.model, held_out_digits())


def gallery(result: Evaluation, shown: np.ndarray, answers: tuple[str, ...], most: int = GALLERY, per_row: int = 8):
    """These digits of an evaluation, eight a row, each with its true class and its reading; any opens in Explore."""
    digits = result.digits
    for start in range(0, min(len(shown), most), per_row):
        for column, index in zip(st.columns(per_row), shown[start : start + per_row]):
            index = int(index)
            probabilities = result.probabilities[index]
            label, best = int(digits.labels[index]), int(result.predicted[index])
            column.image(
                gray_image(digits.images[index].numpy() / 255, 112),
                width="stretch",
                alt=f"Test digit {index}: {with_article(answers[label])} the network read as {answers[best]}",
            )
            column.caption(
                f"true {literal(answers[label])} · read {literal(answers[best])} ({probabilities[best]:.0%})"
            )
            if column.button("Explore", key=f"open_{index}", width="stretch"):
                description = f"digit #{index} of {digits.source} (true {answers[label]})"
                state.pick_image(description, already_prepared(digits.images[index].numpy(), description))
                switch_page("pages/explore.py")
