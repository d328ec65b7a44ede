"""Every use of Streamlit internals in one place; tests/test_streamlit_internals.py fails if an upgrade breaks one.

- PagesManager.uses_pages_directory: see serve_every_page_through_navigation.
- get_script_run_ctx and Runtime.is_active_session: which browser session runs, and whether it is still open.
- CSS on data-testid attributes: Streamlit's own element names, used to restyle a few elements.
- QueryParams.set_initial_query_params_from_current: see clean_url.
- MemoryUploadedFileManager (file_storage, add_file, remove_file, remove_session_files): see bound_uploads.
- AppSession.handle_backmsg and the BackMsg/WidgetState protos: see guard_widget_states.
"""

import json
import math

import streamlit as st
from streamlit import runtime
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

# data-testid values of Streamlit's elements that our CSS restyles
SIDEBAR = "stSidebar"
SIDEBAR_EXPAND = "stExpandSidebarButton"  # the control that opens a collapsed sidebar
MAIN = "stMain"
MAIN_BLOCK = "stMainBlockContainer"
HEADER = "stHeader"
CAPTION = "stCaptionContainer"
TEST_IDS = (SIDEBAR, SIDEBAR_EXPAND, MAIN, MAIN_BLOCK, HEADER, CAPTION)


def serve_every_page_through_navigation() -> None:
    """Tell Streamlit, once at start-up, that navigation.py lists the pages (not the old automatic `pages/` folder).

    Streamlit decides per process whether an app uses the old automatic `pages/` folder: it assumes so
    while a `pages/` folder exists and `st.navigation` has not been called yet. If the first visitor of a
    fresh server opened a page URL directly (a shared link to /train, or a tab that reconnects after a
    restart), Streamlit would run that page file on its own, without navigation.py: no wide layout, an
    automatic menu listing "app", and the thread settings skipped.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a later Streamlit may drop the old mechanism, and with it the problem
        return
    PagesManager.uses_pages_directory = False


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
        # Captions in #444 at full opacity (9.7:1 on white): Streamlit draws them at 60 %, 3.2:1, below WCAG AA.
        f" [data-testid='{CAPTION}'] {{font-size: 0.95rem; opacity: 1;}}"
        f" [data-testid='{CAPTION}'], [data-testid='{CAPTION}'] p {{color: #444 !important;}}"
        # A disabled widget's label (Train's settings while it learns) stays readable: #5c5c5c, 6.5:1.
        " [data-testid='stElementContainer']:has([disabled], [aria-disabled='true'])"
        " [data-testid='stWidgetLabel'] p {color: #5c5c5c !important;}"
        f" [data-testid='{MAIN_BLOCK}'] h1 {{font-size: 2.1rem; padding: 0.4rem 0 0.2rem 0;}}"
        f" [data-testid='{MAIN_BLOCK}'] h2 {{font-size: 1.9rem; padding: 0.2rem 0;}}"
    )


def phone_page() -> None:
    """A page students open on phones: answer buttons at least 48 px high and wide enough to hit, in a grid."""
    css(
        ".st-key-answers {gap: 0.5rem;}"
        " .st-key-answers button {min-height: 3rem; min-width: 4.5rem;}"
        " .st-key-answers button p {font-size: 1.25rem;}"
        " .st-key-answers button div, .st-key-answers button p {white-space: normal !important;}"  # long ones wrap
        " .st-key-answers [data-testid='stImage'] img {image-rendering: pixelated;}"
    )


def switch_page(page: str) -> None:
    """Go to another page, leaving this page's URL parameters behind.

    Plain st.switch_page clears the query parameters, which Streamlit refuses while any of them
    is bound to a widget (bind="query-params"); replacing them with an empty set is allowed.
    """
    st.switch_page(page, query_params={})


MAX_URL_VALUE = 64  # characters: every value the app puts in its URL is far shorter
MAX_URL_NUMBER = 1e9  # larger numbers in the URL are nonsense for every setting the URL holds


def clean_url() -> list[str]:
    """Make the URL safe for the widgets bound to it, before any of them reads it; returns what was ignored.

    Streamlit parses a bound widget's URL value itself, and a value such as row=inf, channel=1e309 or
    a number 200,000 digits long raises inside Streamlit (an OverflowError box) before our code can
    check it. So every value is looked at first: one that is empty, too long, not finite or absurdly
    large is removed (with a note for the page). A parameter given twice keeps its last value.
    A parameter a widget already holds (bound in an earlier run) cannot be changed: it was checked then.
    """
    ignored = []
    for key in list(st.query_params):
        values = st.query_params.get_all(key)
        value = values[-1] if values else ""
        try:
            if not usable_url_value(value):
                del st.query_params[key]
                ignored.append(f"{key}={value[:20]}{'…' if len(value) > 20 else ''}")
            elif len(values) > 1:
                st.query_params[key] = value
        except StreamlitAPIException:
            pass
    if ignored:  # widgets are seeded from the URL as the run began: make that copy forget the removed values too
        from streamlit.runtime.state.session_state_proxy import get_session_state

        with get_session_state().query_params() as params:
            params.set_initial_query_params_from_current()
    return ignored


def usable_url_value(value: str) -> bool:
    """Whether a URL value is worth handing to a widget: short, not empty, and if a number, a finite, sane one."""
    if not value.strip() or len(value) > MAX_URL_VALUE:
        return False
    try:
        number = float(value)
    except ValueError:
        return True
    return math.isfinite(number) and abs(number) <= MAX_URL_NUMBER


# --- uploads ----------------------------------------------------------------------------------

MAX_UPLOADS_PER_SESSION = 24 * 2**20  # bytes one browser session may hold in uploaded files (three 8 MB files)
MAX_UPLOADS_IN_ALL = 512 * 2**20  # bytes all sessions together may hold


def _uploads():
    """Streamlit's store of uploaded files, if it is the in-memory one (it is, under `streamlit run`)."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    if not runtime.exists():
        return None
    manager = runtime.get_instance().uploaded_file_mgr
    return manager if isinstance(manager, MemoryUploadedFileManager) else None


def bound_uploads() -> None:
    """Cap what uploads may hold: per session and in all, the oldest files giving way to the newest.

    Streamlit's upload route stores any file sent for a live session, with no total: a script could
    send 60 files of 8 MB in two seconds. Its store keeps files in the order they came, so dropping
    the front of a session's files drops its oldest. Called once per server process.
    """
    manager = _uploads()
    if manager is None or getattr(manager, "cnnviz_bounded", False):
        return
    add_file = manager.add_file

    def bounded_add_file(session_id, file) -> None:
        add_file(session_id, file)
        sessions = manager.file_storage
        mine = sessions.get(session_id, {})
        while len(mine) > 1 and sum(len(f.data) for f in list(mine.values())) > MAX_UPLOADS_PER_SESSION:
            manager.remove_file(session_id, next(iter(mine)))
        while sum(len(f.data) for files in list(sessions.values()) for f in list(files.values())) > MAX_UPLOADS_IN_ALL:
            oldest = next((s for s, files in list(sessions.items()) if files and s != session_id), None)
            if oldest is None:
                break
            manager.remove_file(oldest, next(iter(sessions[oldest])))

    manager.add_file = bounded_add_file
    manager.cnnviz_bounded = True


def forget_closed_sessions_uploads() -> int:
    """Drop the uploads of sessions whose tab has closed; returns how many sessions had some.

    Streamlit keeps a closed tab's session for a while in case it reconnects, uploads and all; the
    images a session needs are already in its own state, so its uploads can go at once.
    """
    manager = _uploads()
    if manager is None:
        return 0
    gone = [session for session in list(manager.file_storage) if not session_is_alive(session)]
    for session in gone:
        manager.remove_session_files(session)
    return len(gone)


def release_upload(file_id: str) -> None:
    """Drop one uploaded file from Streamlit's store once it has been read (the page keeps what it needs)."""
    manager = _uploads()
    if manager is not None:
        manager.remove_file(session_id(), file_id)


# --- what browsers send -------------------------------------------------------------------------


def guard_widget_states() -> None:
    """Make Streamlit treat a widget value it cannot parse as no value, instead of failing every later run.

    A custom component's state arrives as JSON text that Streamlit parses itself, before any of our
    code runs, on every rerun. A crafted value (a number 5,000 digits long, nesting 100,000 deep)
    makes that parse raise, and because the value stays in the session, every later run of the
    session fails too. Each such value is replaced by JSON null (an empty state) as the message
    arrives. Installed once per server process, before it serves anyone.
    """
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession, "cnnviz_guarded", False):
        return
    handle_backmsg = AppSession.handle_backmsg

    def guarded_handle_backmsg(self, msg) -> None:
        if msg.WhichOneof("type") == "rerun_script":
            for widget in msg.rerun_script.widget_states.widgets:
                kind = widget.WhichOneof("value")
                if kind in ("json_value", "json_trigger_value") and not parses(getattr(widget, kind)):
                    setattr(widget, kind, "null")
        handle_backmsg(self, msg)

    AppSession.handle_backmsg = guarded_handle_backmsg
    AppSession.cnnviz_guarded = True


def parses(text: str) -> bool:
    """Whether Python's json module reads the text without an error (too deep and too long numbers are errors)."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True
