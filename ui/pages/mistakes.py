"""The Mistakes page's evaluation, computed once per model and shared by every session that uses it."""

import streamlit as st

from cnnviz.insight.evaluation import Evaluation, evaluate, held_out_digits
from ui.models import ModelEntry

GALLERY = 24  # digits shown at a time


@st.cache_resource(max_entries=16, show_spinner="Scoring the model on held-out digits...")
def scored(_entry: ModelEntry, key: str) -> Evaluation:
    """The model (key: its weights) scored on the held-out digits: MNIST's test set if at hand, else the sample's."""
    return evaluate(_entry.model, held_out_digits())
