"""Fixtures for the tests that drive the real app (a server and a browser per test module), from harness.app."""

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
