"""Every use of Streamlit internals in one place; tests/test_streamlit_internals.py fails if an upgrade breaks one.

- PagesManager.uses_pages_directory: see require_app_entry.
- get_script_run_ctx and Runtime.is_active_session: which browser session runs, and whether it is still open.
- CSS on data-testid attributes: Streamlit's own element names, used to restyle a few elements.
"""

import streamlit as st
from streamlit import runtime
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

# data-testid values of Streamlit's elements that our CSS restyles
SIDEBAR = "stSidebar"
SIDEBAR_EXPAND = "stSidebarCollapsed"  # the control that opens a collapsed sidebar
MAIN = "stMain"
MAIN_BLOCK = "stMainBlockContainer"
HEADER = "stHeader"
CAPTION = "stCaptionContainer"
TEST_IDS = (SIDEBAR, SIDEBAR_EXPAND, MAIN, MAIN_BLOCK, HEADER, CAPTION)


def require_app_entry() -> None:
    """Rerun through navigation.py if Streamlit ran this page file directly.

    Streamlit decides per process whether an app uses the old automatic `pages/` folder: it assumes
    so while a `pages/` folder exists and `st.navigation` has not been called yet. If the first
    visitor of a fresh server opens a page URL directly (a shared link to /train, or a tab that
    reconnects after a restart), Streamlit runs that page file on its own, without navigation.py: no wide
    layout, an automatic menu listing "app", and the thread settings skipped. We switch the
    assumption off and rerun, so navigation.py serves the same URL.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a later Streamlit may drop the old mechanism, and with it the problem
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def session_id() -> str:
    """The id of the browser session running this script ("local" outside a server)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else "local"


def session_is_alive(session: str) -> bool:
    """Whether a browser session is still connected (always True without a server, as in AppTest)."""
    if not runtime.exists():
        return True
    return runtime.get_instance().is_active_session(session)


def css(rules: str) -> None:
    """Add page-wide CSS rules (written against the data-testid names above)."""
    st.html(f"<style>{rules}</style>")


def compact_page() -> None:
    """Less empty space around the page and a smaller title, so the first screen of a projector shows the network."""
    css(
        f"[data-testid='{MAIN_BLOCK}'] {{padding-top: 4.2rem; padding-bottom: 4rem;}}"
        f" @media (min-width: 640px) {{[data-testid='{MAIN_BLOCK}'] {{padding-left: 2.5rem; padding-right: 2.5rem;}}}}"
        f" [data-testid='{CAPTION}'] {{color: #444; font-size: 0.95rem;}}"  # 9.7:1 on white, not Streamlit's pale grey
        f" [data-testid='{MAIN_BLOCK}'] h1 {{font-size: 2.1rem; padding: 0.4rem 0 0.2rem 0;}}"
        f" [data-testid='{MAIN_BLOCK}'] h2 {{font-size: 1.9rem; padding: 0.2rem 0;}}"
    )


def switch_page(page: str) -> None:
    """Go to another page, leaving this page's URL parameters behind.

    Plain st.switch_page clears the query parameters, which Streamlit refuses while any of them
    is bound to a widget (bind="query-params"); replacing them with an empty set is allowed.
    """
    st.switch_page(page, query_params={})


def single_valued_url() -> None:
    """A URL parameter given twice (?row=3&row=5) keeps only its last value, the one the pages use.

    Runs before any widget of the run is drawn: a parameter a widget already holds (bound in an
    earlier run) cannot be set directly, and cannot be repeated either, so it is left alone.
    """
    for key in list(st.query_params):
        values = st.query_params.get_all(key)
        if len(values) > 1:
            try:
                st.query_params[key] = values[-1]
            except StreamlitAPIException:
                pass
