"""Make every page run through app.py, even on a server's very first visit.

Streamlit decides per process whether an app uses the old automatic `pages/` folder: it assumes
so while a `pages/` folder exists and `st.navigation` has not been called yet. If the first
visitor of a fresh server opens a page URL directly (a shared link to /train, or a tab that
reconnects after a restart), Streamlit runs that page file on its own, without app.py: no wide
layout, an automatic menu listing "app", and the thread settings skipped. We switch the
assumption off and rerun, so app.py's navigation serves the same URL.
"""

import streamlit as st


def require_app_entry() -> None:
    """Rerun through app.py if Streamlit ran this page file directly (the first-visit case above)."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a later Streamlit may drop the old mechanism, and with it the problem
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()
