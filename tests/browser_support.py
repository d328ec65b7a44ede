"""Fixtures and helpers for the tests that drive the real app (a server and a browser per test module, from
harness.app), and axe-core's accessibility check of a page as it is now."""

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

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG A/AA violations on the page as it is now, one line each."""
    if not AXE.exists():
        raise RuntimeError(f"axe-core is missing at {AXE}: run `npm install` in the checkout")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['any'][0]['message'] if node['any'] else ''}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"][:3]
    ]


@pytest.fixture(scope="module")
def app_url():
    """A server of the app shared by one test module's browser tests."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium shared by one test module (with a fake camera, for the webcam tests)."""
    with chromium(camera=True) as browser:
        yield browser
