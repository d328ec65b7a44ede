"""The view's state in the URL (st.query_params), so a teacher can share a link that opens exactly what they show.

Widgets keep their own keys in session state; a page copies the URL into them once per session
(before drawing them) and writes their values back after each run.
"""

from collections.abc import Callable, Container

import streamlit as st

# query parameter -> widget key
WIDGETS = {
    "source": "source",
    "sample": "sample",
    "layer": "view_layer",
    "channel": "view_channel",
    "row": "view_row",
    "col": "view_col",
    "palette": "palette",
    "stage": "stage",
}
INTEGERS = {"channel", "row", "col", "stage"}


def restore(page: str, allowed: dict[str, Container | Callable[[object], bool]]) -> None:
    """Copy allowed URL parameters into their widget keys, once per session and page; bad values are ignored."""
    flag = f"_url_restored_{page}"
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    for param, accepts in allowed.items():
        if param not in st.query_params:
            continue
        value = st.query_params[param]
        if param in INTEGERS:
            try:
                value = int(value)
            except ValueError:
                continue
        ok = accepts(value) if callable(accepts) else value in accepts
        if ok:
            st.session_state[WIDGETS[param]] = value


def save(*params: str) -> None:
    """Write these parameters' current widget values into the URL (absent widgets drop out of it)."""
    for param in params:
        value = st.session_state.get(WIDGETS[param])
        if value is None:
            if param in st.query_params:
                del st.query_params[param]
        elif st.query_params.get(param) != str(value):
            st.query_params[param] = str(value)
