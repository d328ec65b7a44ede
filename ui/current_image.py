"""The image this session is looking at, shared by the pages (Explore sets it)."""

import streamlit as st

from cnnviz.preprocess import Preprocessed
from ui.inputs import default_sample, preprocess_cached, sample_bytes


def current_image() -> tuple[str, Preprocessed]:
    """(description, preprocessed) of the session's last good image, or the default sample."""
    chosen = st.session_state.get("last_good_image")
    if chosen is not None:
        return chosen
    samples = sample_bytes()
    title = st.session_state.get("sample") if st.session_state.get("sample") in samples else default_sample()
    return f"sample {title}", preprocess_cached(samples[title])
