"""The image this session is looking at, shared by the pages (Explore sets it)."""

import streamlit as st

from cnnviz.preprocess import Preprocessed
from ui.inputs import preprocess_cached, sample_bytes


def current_image() -> tuple[str, Preprocessed]:
    """(description, preprocessed) of the session's last good image, or the default sample."""
    chosen = st.session_state.get("last_good_image")
    if chosen is not None:
        return chosen
    samples = sample_bytes()
    title = st.session_state.get("sample") if st.session_state.get("sample") in samples else next(t for t in samples if t.startswith("3 - photo"))
    return f"sample {title}", preprocess_cached(samples[title])
