"""Helpers for page tests with AppTest: open a page, press a button, choose an image source, read the headline, join
a class."""

from streamlit.testing.v1 import AppTest

from harness.app import ROOT

TIMEOUT = 120  # the first run imports torch and loads the model


def page(name: str, run: bool = True, **query) -> AppTest:
    """A page of the app with these URL parameters, after its first run (or before it, to set session state first)."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=TIMEOUT)
    at.query_params.update({key: str(value) for key, value in query.items()})
    return at.run() if run else at


def app_page(**query) -> AppTest:
    """The app as a browser first opens it, through the router (navigation.py), with these URL parameters."""
    at = AppTest.from_file(str(ROOT / "navigation.py"), default_timeout=TIMEOUT)
    at.query_params.update({key: str(value) for key, value in query.items()})
    return at.run()


def choose_source(at: AppTest, source: str) -> AppTest:
    """Pick where the digit comes from (Sample, Draw, Upload, Webcam)."""
    return at.button_group(key="source").set_value(source).run()


def headline(at: AppTest) -> str:
    """Explore's answer line."""
    return next(m.value for m in at.markdown if m.value.startswith("## The network "))


def open_view(at: AppTest, view: str) -> AppTest:
    """Open one of Explore's views (by its id or label), as clicking its tab does."""
    from ui import state
    from ui.views import by_id

    at.session_state[state.VIEW_TABS] = by_id(view).label
    return at.run()


def press(at: AppTest, label: str) -> AppTest:
    """Press the page's button with this label (the first), and check the run raised nothing."""
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    """Every sentence the page shows (markdown, captions, info and warning boxes), as one text."""
    return " ".join(str(e.value) for kind in ("markdown", "caption", "info", "warning") for e in getattr(at, kind))


def joined(code: str, nickname: str = "") -> AppTest:
    """A student's Class page, opened by the join link, joined under this nickname."""
    from ui import state

    student = page("class", **{"class": code})
    student.text_input(key=state.NICKNAME).set_value(nickname)
    return press(student, "Join")
