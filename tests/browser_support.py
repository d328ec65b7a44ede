"""Fixtures for the tests that drive the real app: one server and one Chromium for the whole test session.

Each test gets fresh browser contexts from `open_app` (a new tab, a new Streamlit session) and they are closed
after it, so tests share the server and the browser but no state. A test that needs a server of its own (other
settings, a fresh start) starts one with `streamlit_server`.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.app import (  # noqa: F401 - the names the browser tests use, from one place
    ARTIFACTS,
    CAMERA_ARGS,
    CHROMIUM,
    CHROMIUM_ARGS,
    CONTAINER,
    IDLE,
    ROOT,
    chromium,
    free_port,
    main_button,
    open_app,
    streamlit_server,
    wait_drawn,
    wait_idle,
)

from conftest import data_folder


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # of the server process, for tests that measure it
    data: Path  # its CNNVIZ_DATA_DIR: class database, the Filters view's kept search


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """A server of the app shared by every test; its class database lives in the test session's own folder."""
    folder = data_folder(tmp_path_factory)
    with streamlit_server(env={"CNNVIZ_DATA_DIR": str(folder)}) as url:
        yield Server(url, streamlit_server.last_pid, folder)


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


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG A/AA violations on the page as it is now, one line each."""
    if not AXE.exists():
        raise RuntimeError(f"axe-core is missing at {AXE}: run `npm install` in the checkout")
    # A rerun fades the elements it has not drawn again yet (a live page's fragment reruns every second): axe reads
    # the page as drawn, Streamlit's passing fade held still.
    page.add_style_tag(content=f"{CONTAINER} {{opacity: 1 !important; transition: none !important;}}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['any'][0]['message'] if node['any'] else ''}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"][:3]
    ]
