"""cnnviz against the framework's floor (bench/floor/), side by side in one run: each figure as a ratio to the floor.

    python bench/ratios.py [--part reruns deltas cold waits class ...] [--seconds S] [--rounds N] [--json]

The floor is the least a digit demo can show in Streamlit (a headline, a 28 x 28 image, an 11-bar Plotly
chart), served as cnnviz is. Both run on this machine in the same run, their rounds alternated, so the
machine's speed and the load of whatever else runs cancel out of the ratios. Parts:
- reruns: Explore reruns per second with 10 sessions back to back (bench/load.py's): the whole page, and the
  network alone (the fragment a click inside it reruns); the floor's; and the floor's with Explore's elements
  computing nothing (bench/floor/elements.py: what Streamlit itself costs to draw what Explore shows);
- deltas: elements and bytes one rerun sends, for each;
- cold: `streamlit run` to the first screen drawn in Chromium at 1280 x 720 (answer, charts, overview), each,
  and the floor's with PyTorch imported before serving (bench/floor/with_torch.py: what PyTorch's import costs);
- waits: in Chromium at 1280 x 720 on a freshly started server, what a class waits for: the Filters tab open
  with its strongest patches, Start a class, Teach's first result, a click on a cell to its arithmetic on
  screen (and whether it is in view), each also as a multiple of the floor page's load on a warm server;
- class: a class of --students sessions with 3 s think time (bench/load.py's), p95 rerun of each.
The load average is printed with the figures: absolute times mean little without it.
"""

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from browser import drawn_page, seconds_until_shown, teach_first_result
from load import classroom, hammer

from harness.app import CHROMIUM, CHROMIUM_ARGS, IDLE, streamlit_server
from harness.websocket_client import Session

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "bench/floor/app.py"
FLOOR_WITH_TORCH = "bench/floor/with_torch.py"  # the floor, PyTorch imported before serving: how much is PyTorch's
FLOOR_WITH_ELEMENTS = "bench/floor/elements.py"  # Explore's elements, computing nothing: how much is Streamlit's
APP = {"root": ROOT}  # the checkout measured (--app-dir: an older commit, say); the floor is always this one's
SIZE = {"width": 1280, "height": 720}
IN_VIEW = """element => { const box = element.getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight; }"""


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def reruns(seconds: float, rounds: int) -> dict:
    """Reruns per second with 10 sessions: cnnviz's whole page, cnnviz's network alone (what a click inside it
    reruns), the floor's, and the floor's with Explore's elements, in alternated rounds on live servers."""
    done = {"cnnviz": [], "click": [], "floor": [], "elements": []}
    with (
        streamlit_server(**APP) as app,
        streamlit_server(script=FLOOR) as floor,
        streamlit_server(script=FLOOR_WITH_ELEMENTS) as elements,
    ):
        for _ in range(rounds):
            runs = (
                ("cnnviz", app, False),
                ("click", app, True),
                ("floor", floor, False),
                ("elements", elements, False),
            )
            for name, url, part in runs:
                per_second, wrong = asyncio.run(hammer(url, 10, seconds, fragment=part))
                assert wrong == 0, f"{name}: a session saw a wrong headline"
                done[name].append(per_second)
    rates = {name: statistics.median(values) for name, values in done.items()}
    return {
        "cnnviz": round(rates["cnnviz"], 1),
        "floor": round(rates["floor"], 1),
        "ratio": round(rates["cnnviz"] / rates["floor"], 2),
        "click": round(rates["click"], 1),
        "click_ratio": round(rates["click"] / rates["floor"], 2),
        "elements": round(rates["elements"], 1),
        "elements_ratio": round(rates["elements"] / rates["floor"], 2),
    }


async def _sent(url: str) -> tuple[int, int, int, int]:
    """(elements, bytes) of a rerun of the whole page, then of a click's rerun (its fragment; the page if none)."""
    async with Session(url) as session:
        await session.rerun()  # the first visit: every chart arrives and is held
        await session.rerun()
        whole = session.deltas, session.received
        await session.rerun(fragment=next(iter(session.fragments), None))
        return *whole, session.deltas, session.received


def deltas() -> dict:
    """Elements and bytes one rerun sends (after the first visit), cnnviz's and the floor's; and a click's."""
    found = {}
    for name, server in (("cnnviz", APP), ("floor", {"script": FLOOR})):
        with streamlit_server(**server) as url:
            found[name] = asyncio.run(_sent(url))
    return {
        "cnnviz": found["cnnviz"][0],
        "floor": found["floor"][0],
        "cnnviz_kb": round(found["cnnviz"][1] / 1024, 1),
        "floor_kb": round(found["floor"][1] / 1024, 1),
        "click": found["cnnviz"][2],
        "click_kb": round(found["cnnviz"][3] / 1024, 1),
    }


def first_screen(browser, server: dict) -> float:
    """Seconds from `streamlit run` to the first screen drawn."""
    started = time.monotonic()
    with streamlit_server(**server) as url:
        open_explore(browser, url).close()
        seconds = time.monotonic() - started
    return seconds


def cold(browser, rounds: int) -> dict:
    """`streamlit run` to the first screen drawn, cnnviz's, the floor's and the floor's with PyTorch, alternated."""
    done = {"cnnviz": [], "floor": [], "torch": []}
    for _ in range(rounds):
        done["cnnviz"].append(first_screen(browser, APP))
        done["floor"].append(first_screen(browser, {"script": FLOOR}))
        done["torch"].append(first_screen(browser, {"script": FLOOR_WITH_TORCH}))
    app_s, floor_s, torch_s = (statistics.median(done[name]) for name in ("cnnviz", "floor", "torch"))
    return {
        "cnnviz": round(app_s, 2),
        "floor": round(floor_s, 2),
        "ratio": round(app_s / floor_s, 2),
        "torch": round(torch_s, 2),
        "torch_ratio": round(app_s / torch_s, 2),
    }


def warm_load(browser, url: str) -> float:
    """Seconds from opening a page of a warm server to its first screen drawn."""
    started = time.monotonic()
    open_explore(browser, url).close()
    return time.monotonic() - started


def open_explore(browser, url: str):
    """A new page at 1280 x 720 at url, once its first screen is drawn."""
    return drawn_page(browser, url, SIZE)


def filters_open(browser, url: str) -> float:
    """Seconds from clicking the Filters tab to the first channel's nine strongest patches on screen."""
    page = open_explore(browser, url)
    tab = page.get_by_role("tab", name="Filters", exact=True)
    seconds = seconds_until_shown(page, "its nine strongest", tab.click)
    page.close()
    return seconds


def cell_click(browser, url: str) -> tuple[float, bool]:
    """Seconds from a click on a cell of conv 2 to its arithmetic on screen, and whether it is in view."""
    page = open_explore(browser, url)
    figure = page.locator(".cnnviz-overview figure[data-stage='conv2']")
    canvas = figure.locator("canvas")
    point = figure.evaluate("(figure, where) => figure.__cell(...where)", [5, 3, 4])
    seconds = seconds_until_shown(page, "Row 3, column 4 of map 5", lambda: canvas.click(position=point))
    page.wait_for_selector(IDLE)
    sentence = page.get_by_text("Row 3, column 4 of map 5", exact=False).first
    page.wait_for_timeout(500)  # the page may still scroll to it
    in_view = bool(sentence.evaluate(IN_VIEW))
    page.close()
    return seconds, in_view


def start_class(browser, url: str) -> float:
    """Seconds from pressing Start a class on Present (after Explore, as a teacher walks) to the join code shown."""
    page = open_explore(browser, url)
    page.goto(f"{url}/present")
    page.wait_for_selector(IDLE, timeout=60_000)
    button = page.get_by_role("button", name="Start a class")
    button.wait_for(timeout=60_000)
    seconds = seconds_until_shown(page, "Join:", button.click)
    page.get_by_role("button", name="End the class").click()
    page.wait_for_selector(IDLE)
    page.close()
    return seconds


def waits(browser, rounds: int) -> dict:
    """What a class waits for on a freshly started cnnviz server, beside the floor page's warm load."""
    os.environ.setdefault("CNNVIZ_DATA_DIR", tempfile.mkdtemp())  # the class database of this run
    done = {"floor_load": [], "filters_open": [], "cell_click": [], "start_class": [], "teach_first": []}
    in_view = []
    with streamlit_server(script=FLOOR) as floor:
        for _ in range(rounds):
            with streamlit_server(**APP) as app:
                done["filters_open"].append(filters_open(browser, app))  # first thing: the cache is cold
                seconds, seen = cell_click(browser, app)
                done["cell_click"].append(seconds)
                in_view.append(seen)
                done["start_class"].append(start_class(browser, app))
                done["teach_first"].append(teach_first_result(browser, app))
            done["floor_load"].append(warm_load(browser, floor))
    medians = {name: statistics.median(values) for name, values in done.items()}
    result = {name: round(value, 2) for name, value in medians.items()}
    result.update(
        {f"{name}_ratio": round(medians[name] / medians["floor_load"], 2) for name in done if name != "floor_load"}
    )
    result["cell_in_view"] = all(in_view)
    result["filters_open_each"] = [round(value, 2) for value in done["filters_open"]]  # the first: nothing on disk
    return result


def class_of(students: int, seconds: float) -> dict:
    """A class of students (3 s think time) on cnnviz and on the floor, one after the other: p95 of each."""
    os.environ.setdefault("CNNVIZ_DATA_DIR", tempfile.mkdtemp())
    found = {}
    for name, server in (("cnnviz", APP), ("floor", {"script": FLOOR})):
        with streamlit_server(**server) as url:
            found[name] = asyncio.run(classroom(url, streamlit_server.last_pid, students, 3.0, seconds))
    app, floor = found["cnnviz"], found["floor"]
    return {
        "students": students,
        "cnnviz_p50_ms": app["p50_ms"],
        "cnnviz_p95_ms": app["p95_ms"],
        "floor_p95_ms": floor["p95_ms"],
        "ratio": round(app["p95_ms"] / floor["p95_ms"], 2),
        "errors": app["errors"],
        "wrong": app["wrong"],
        "reruns": app["reruns"],
    }


def side_by_side(what: str, figures: dict, form: str) -> str:
    return (
        f"{what:33s} cnnviz {figures['cnnviz']:{form}}  floor {figures['floor']:{form}}  ratio {figures['ratio']:.2f}"
    )


PARTS = ("reruns", "deltas", "cold", "waits", "class")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", nargs="+", choices=PARTS, default=list(PARTS), help="which figures to measure")
    parser.add_argument("--seconds", type=float, default=10, help="how long each round of reruns runs")
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds of each measure")
    parser.add_argument("--students", type=int, default=100, help="sessions of the class part")
    parser.add_argument("--class-seconds", type=float, default=60, help="how long the class part runs")
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    APP["root"] = args.app_dir
    result = {"app_dir": str(args.app_dir), "cpus": os.cpu_count(), "load_before": load_average()}
    if "reruns" in args.part:
        result["reruns_per_s_10"] = reruns(args.seconds, args.rounds)
    if "deltas" in args.part:
        result["deltas_per_rerun"] = deltas()
    if {"cold", "waits"} & set(args.part):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if "cold" in args.part:
                result["first_screen_s"] = cold(browser, args.rounds)
            if "waits" in args.part:
                result["waits_s"] = waits(browser, max(1, args.rounds // 2))
            browser.close()
    if "class" in args.part:
        result["class"] = class_of(args.students, args.class_seconds)
    result["load_after"] = load_average()
    if args.json:
        print(json.dumps(result))
        return
    before, after = result["load_before"], result["load_after"]
    print(f"{result['app_dir']} on {result['cpus']} cores, load average {before} before, {after} after")
    if "reruns_per_s_10" in result:
        r = result["reruns_per_s_10"]
        print(side_by_side("Explore reruns/s, 10 sessions", r, "7.1f"))
        click = {"cnnviz": r["click"], "floor": r["floor"], "ratio": r["click_ratio"]}
        print(side_by_side("  a click: the network alone", click, "7.1f"))
        elements = {"cnnviz": r["elements"], "floor": r["floor"], "ratio": r["elements_ratio"]}
        print(side_by_side("  Explore's elements, no work", elements, "7.1f"))
    if "deltas_per_rerun" in result:
        d = result["deltas_per_rerun"]
        print(
            f"elements sent per rerun           cnnviz {d['cnnviz']:7d}  floor {d['floor']:7d}"
            f"  ({d['cnnviz_kb']} KB and {d['floor_kb']} KB)"
        )
        print(f"  a click's rerun                 cnnviz {d['click']:7d}  ({d['click_kb']} KB)")
    if "first_screen_s" in result:
        f = result["first_screen_s"]
        print(side_by_side("streamlit run -> first screen (s)", f, "7.2f"))
        torch_floor = {"cnnviz": f["cnnviz"], "floor": f["torch"], "ratio": f["torch_ratio"]}
        print(side_by_side("  against the floor with PyTorch", torch_floor, "7.2f"))
    if "waits_s" in result:
        w = result["waits_s"]
        print(f"the floor page's load, warm (s)   {w['floor_load']:.2f}; each wait as a multiple of it:")
        for name in ("filters_open", "cell_click", "start_class", "teach_first"):
            print(f"  {name:14s} {w[name]:6.2f} s   {w[f'{name}_ratio']:5.2f}x")
        print(f"  the clicked cell's arithmetic in view: {w['cell_in_view']}")
        each = ", ".join(f"{value:.2f}" for value in w["filters_open_each"])
        print(f"  filters_open at each start (s): {each} (the first with nothing kept on disk yet)")
    if "class" in result:
        k = result["class"]
        print(
            f"{k['students']} students, 3 s think: p95 cnnviz {k['cnnviz_p95_ms']} ms (p50 {k['cnnviz_p50_ms']}),"
            f" floor {k['floor_p95_ms']} ms, ratio {k['ratio']}; {k['errors']} errors, {k['wrong']} wrong"
            f" ({k['reruns']} reruns)"
        )


if __name__ == "__main__":
    main()
