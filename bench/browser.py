"""What a student waits for, in headless Chromium: a fresh server's first screen, an upload, a drawing, Teach.

    python bench/browser.py [--app-dir DIR] [--repeats N] [--json]

Browser and server share this machine, as on a teacher's laptop. Each figure is the median of N
tries, in seconds:
- fresh_server_s: from `streamlit run app.py` to Explore's first screen drawn (answer and charts);
- first_visit_s: the same for the first visitor of a server started 12 s before (as before a class);
- upload_s: from choosing a file to the new answer with every chart on screen drawn again;
- draw_s: from the last stroke of a 7 on the canvas to its answer;
- teach_first_s: on Teach, from pressing "Teach both networks" (the ready-made set) to the first result.
--app-dir points at another checkout (an older commit, say) to measure it side by side.
"""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from cnnviz.data.handwriting import draw_digit, encode
from harness.app import CHROMIUM, CHROMIUM_ARGS, IDLE, streamlit_server

ROOT = Path(__file__).resolve().parent.parent

HEADLINE = "h2:has-text('The network reads')"
PLOTLY_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .every(plot => plot.querySelector('.main-svg .cartesianlayer'))"""
OVERVIEW = ".cnnviz-overview figure[data-stage] canvas"  # the overview's stages (older commits have none)


STOPWATCH = """text => { window.__cnnvizWaited = new Promise(resolve => {
    let pressed = null;
    document.addEventListener("pointerdown", () => { pressed ??= performance.now(); }, { capture: true, once: true });
    const look = () => pressed !== null && document.body.innerText.includes(text)
        ? resolve((performance.now() - pressed) / 1000) : requestAnimationFrame(look);
    requestAnimationFrame(look);
}); }"""


def seconds_until_shown(page, text: str, press) -> float:
    """Seconds from the pointer going down in press() until text is on screen, timed by the page itself.

    The browser times it, frame by frame: Playwright's waits look again only every half second after the first
    second, and its click first waits for the target to hold still, which no person waits for."""
    page.evaluate(STOPWATCH, text)
    press()
    return page.evaluate("window.__cnnvizWaited")


def wait_drawn(page) -> None:
    """Until the script has finished, every Plotly chart on the page is drawn and so is the overview, if any."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function(PLOTLY_DRAWN, timeout=60_000)
    if page.locator(".cnnviz-overview").count():
        page.locator(OVERVIEW).first.wait_for(timeout=60_000)


def wait_answer(page, digit: int) -> None:
    """Until the headline reads the digit and everything on screen is drawn."""
    page.locator(HEADLINE).filter(has_text=f"reads {digit}").wait_for(timeout=60_000)
    wait_drawn(page)


def choose_source(page, name: str) -> None:
    """Click the image source, whether the page offers it as buttons (now) or as a radio (older commits)."""
    page.wait_for_selector("[data-testid='stButtonGroup'], [data-testid='stRadio']")
    buttons = page.locator("[data-testid='stButtonGroup'] button").filter(has_text=name)
    (buttons if buttons.count() else page.locator("[data-testid='stRadio'] label").filter(has_text=name)).click()
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE)


def fresh_server(browser, app_dir: Path, wait: float = 0.0) -> float:
    """Seconds from starting the server (or, after wait seconds, from the first visit) to Explore's first screen."""
    started = time.monotonic()
    with streamlit_server(root=app_dir) as url:
        if wait:
            time.sleep(wait)  # the teacher started the server before the class came in
            started = time.monotonic()
        page = drawn_page(browser, url)
        seconds = time.monotonic() - started
        page.close()
    return seconds


def drawn_page(browser, url: str, size: dict | None = None):
    """A new page (1280 x 720 unless size says) at url, once Explore's first screen is drawn."""
    page = browser.new_page(viewport=size or {"width": 1280, "height": 720})
    page.goto(url)
    page.locator(HEADLINE).wait_for(timeout=60_000)
    wait_drawn(page)
    return page


def upload(page, path: Path, digit: int) -> float:
    """Seconds from choosing the file to its answer with every chart drawn."""
    started = time.monotonic()
    page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(path))
    wait_answer(page, digit)
    return time.monotonic() - started


def draw_seven(page) -> float:
    """Seconds from the last stroke of a 7 to its answer."""
    canvas = page.locator("canvas.upper-canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    x0, y0 = box["x"], box["y"]
    for stroke in ([(80, 60), (200, 60)], [(200, 60), (170, 130), (120, 230)]):
        page.mouse.move(x0 + stroke[0][0], y0 + stroke[0][1])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(x0 + x, y0 + y, steps=8)
        page.mouse.up()
    started = time.monotonic()
    wait_answer(page, 7)
    return time.monotonic() - started


def teach_first_result(browser, url: str) -> float:
    """Seconds from pressing "Teach both networks" (the ready-made set) until the first result is on screen."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{url}/teach")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("button", name="Use a ready-made set").click()
    page.get_by_text("6 examples").first.wait_for(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    teach = page.get_by_role("button", name="Teach both networks")
    seconds = seconds_until_shown(page, "Frozen digit filters + new head", teach.click)
    page.get_by_text("More examples, better answers").wait_for(timeout=180_000)  # let it finish before the next
    page.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--repeats", type=int, default=5, help="tries of each measurement")
    parser.add_argument("--json", action="store_true", help='print {"fresh_server_s": ..., "upload_s": ..., ...}')
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    files = Path(tempfile.mkdtemp())
    digits = [7, 2, 4, 5, 9]
    for digit in digits:
        (files / f"{digit}.png").write_bytes(encode(draw_digit(digit, 240, seed=4), "PNG"))
    results = {"fresh_server_s": [], "first_visit_s": [], "upload_s": [], "draw_s": [], "teach_first_s": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(max(1, args.repeats // 2)):
            results["fresh_server_s"].append(fresh_server(browser, args.app_dir))
            results["first_visit_s"].append(fresh_server(browser, args.app_dir, wait=12.0))
        with streamlit_server(root=args.app_dir) as url:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            page.locator(HEADLINE).wait_for(timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            choose_source(page, "Upload")
            upload(page, files / "2.png", 2)  # warm-up: the first upload also loads the uploader's code
            for index in range(args.repeats):
                digit = digits[index % len(digits)]
                results["upload_s"].append(upload(page, files / f"{digit}.png", digit))
            page.close()
            for _ in range(args.repeats):
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(url)
                page.locator(HEADLINE).wait_for(timeout=60_000)
                page.wait_for_selector(IDLE, timeout=60_000)
                choose_source(page, "Draw")
                results["draw_s"].append(draw_seven(page))
                page.close()
            for _ in range(max(1, args.repeats // 2)):
                results["teach_first_s"].append(teach_first_result(browser, url))
        browser.close()
    medians = {name: round(statistics.median(values), 3) for name, values in results.items()}
    if args.json:
        print(json.dumps({**medians, "app_dir": str(args.app_dir), "repeats": args.repeats}))
        return
    print(f"{args.app_dir}: medians of {args.repeats} tries (fresh servers: {len(results['fresh_server_s'])})")
    for name, value in medians.items():
        print(f"  {name:16s} {value:6.2f} s   (all: {', '.join(f'{v:.2f}' for v in results[name])})")


if __name__ == "__main__":
    main()
