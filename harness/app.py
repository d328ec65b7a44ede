"""Drive the real app from outside: `streamlit run` on a free port, headless Chromium through Playwright.

Shared by the tests (tests/browser_support.py makes fixtures of it) and the benchmarks."""

import contextlib
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from harness.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent  # the checkout
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
CAMERA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
ARTIFACTS = ROOT / "test-artifacts"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CONTAINER = "[data-testid='stElementContainer']"  # every element Streamlit draws sits in one


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether a Streamlit server at url says it is ready."""
    try:
        return urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok"
    except OSError:
        return False


@contextlib.contextmanager
def streamlit_server(timeout: float = 90, env: dict[str, str] | None = None, root: Path = ROOT, script: str = "app.py"):
    """Start `streamlit run app.py` of a checkout (this one) on a free port, with extra environment; yields its URL.

    script names another entry in the checkout (bench/floor/app.py, the framework's floor), run the same way."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(root / script),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"streamlit-{port}.log", "w")
    server = subprocess.Popen(
        command, cwd=root, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    streamlit_server.last_pid = server.pid  # for callers that measure the server process
    url = f"http://127.0.0.1:{port}"
    try:
        failed = f"streamlit did not start; see {log.name}"
        wait_until(lambda: server.poll() is not None or healthy(url), timeout, 0.1, failed)
        if server.poll() is not None:
            raise RuntimeError(failed)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextlib.contextmanager
def chromium(camera: bool = False):
    """A headless Chromium browser; fails (never skips) when Debian's chromium is missing."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"the browser needs {CHROMIUM}: install it with `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS + (CAMERA_ARGS if camera else [])
        )
        try:
            yield browser
        finally:
            browser.close()


def open_app(browser, url: str, camera: bool = False, width: int = 1400, height: int = 1000):
    """A new page at the app's URL, once its first script run has finished."""
    context = browser.new_context(viewport={"width": width, "height": height})
    if camera:
        context.grant_permissions(["camera"], origin=url)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    wait_idle(page)
    return page


def wait_idle(page):
    """Wait until Streamlit has finished running the script (a click's rerun starts a moment after the click)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE)


# The page as a person sees it once a run is over: the run finished, nothing fading as stale, every chart and image
# drawn, nothing moving (the scroll position and the page's height the same), and all of it for DRAWN_FOR_MS on end (a
# click's rerun starts a moment after the click).
DRAWN = """({held, container}) => {
    const app = document.querySelector("[data-testid='stApp']");
    const main = document.querySelector("[data-testid='stMain']");
    const resting = e => getComputedStyle(e).opacity === "1";
    const drawn = app && main && app.dataset.testScriptState === "notRunning"
        && [...document.querySelectorAll(container)].every(resting)
        && [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(c => c.querySelector(".main-svg"))
        && !document.querySelector("[data-testid='stSkeleton']")
        && [...document.images].every(image => image.complete);
    const look = drawn ? `${main.scrollTop} ${main.scrollHeight} ${window.scrollY}` : undefined;
    const now = performance.now();
    if (look === undefined || look !== window.__drawnLook) {
        window.__drawnLook = look;
        window.__drawnSince = now;
        return false;
    }
    return now - window.__drawnSince >= held;
}"""
DRAWN_FOR_MS = 400


def wait_drawn(page, timeout_ms: int = 60_000):
    """Wait until the page has finished its run and drawn what it sent (charts, images), and stays so a moment."""
    page.wait_for_function(DRAWN, arg={"held": DRAWN_FOR_MS, "container": CONTAINER}, polling=100, timeout=timeout_ms)


def main_button(page, name: str):
    """A button of the page itself: while a script runs, Streamlit's header shows a "Stop" button of its own."""
    return page.get_by_test_id("stMainBlockContainer").get_by_role("button", name=name, exact=True)
