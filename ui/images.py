"""Images every session shares: the bundled samples, and preprocessing cached by file content."""

import streamlit as st

from cnnviz.data import samples
from cnnviz.reading.preprocess import Preprocessed, preprocess_bytes


@st.cache_data(max_entries=64, show_spinner=False)  # about 0.3 MB each
def preprocess_cached(data: bytes) -> Preprocessed:
    """Preprocess file bytes once per distinct file (bad files raise InputError and are not cached)."""
    return preprocess_bytes(data)


@st.cache_resource(show_spinner=False)
def sample_bytes() -> dict[str, bytes]:
    """The bundled sample images by title, read once (shared, not copied: bytes cannot change)."""
    return {sample.title: sample.path.read_bytes() for sample in samples.list_samples()}


@st.cache_resource(show_spinner=False)
def sample_image(title: str) -> Preprocessed:
    """A bundled sample as the network's input, made once per server and shared by every session (read-only)."""
    prepared = preprocess_bytes(sample_bytes()[title])
    for array in (prepared.pixels, *(step.image for step in prepared.steps)):
        array.flags.writeable = False
    return prepared


@st.cache_resource(show_spinner=False)
def default_sample() -> str:
    """The title of the sample shown first (cnnviz.data.samples.default_sample)."""
    return samples.default_sample().title
