"""Images every session shares: the bundled samples, and preprocessing cached by file content."""

import streamlit as st

from cnnviz.data import samples
from cnnviz.reading.preprocess import Preprocessed, preprocess_bytes


@st.cache_data(max_entries=64, show_spinner=False)  # about 0.3 MB each
def preprocess_cached(data: bytes) -> Preprocessed:
    """Preprocess file bytes once per distinct file (bad files raise InputError and are not cached)."""
    return preprocess_bytes(data)


@st.cache_data(show_spinner=False)
def sample_bytes() -> dict[str, bytes]:
    """The bundled sample images by title, read once."""
    return {sample.title: sample.path.read_bytes() for sample in samples.list_samples()}


def default_sample() -> str:
    """The title of the sample shown first (cnnviz.data.samples.default_sample)."""
    return samples.default_sample().title
