"""Fixtures for the tests that drive the real app: one server and one Chromium for the whole test session.

Each test gets fresh browser contexts from `open_app` (a new tab, a new Streamlit session) and they are closed
after it, so tests share the server and the browser but no state. A test that needs a server of its own (other
settings, a fresh start) starts one with `streamlit_server`.
"""

from dataclasses import dataclass

import pytest

from harness.app import (  # noqa: F401 - the names the browser tests use, from one place
    ARTIFACTS,
    CAMERA_ARGS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    ROOT,
    chromium,
    free_port,
    main_button,
    open_app,
    streamlit_server,
    wait_idle,
)


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # of the server process, for tests that measure it


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """A server of the app shared by every test; its class database lives in the test session's own folder."""
    folder = tmp_path_factory.mktemp("cnnviz-data")
    with streamlit_server(env={"CNNVIZ_DATA_DIR": str(folder)}) as url:
        yield Server(url, streamlit_server.last_pid)


@pytest.fixture(scope="session")
def app_url(app_server):
    """The shared server's URL."""
    return app_server.url


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium shared by every test (with a fake camera, for the webcam tests)."""
    with chromium(camera=True) as browser:
        yield browser


@pytest.fixture(autouse=True)
def close_tabs(request):
    """After a test that used the shared browser: close its tabs, so their sessions end before the next test."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()
