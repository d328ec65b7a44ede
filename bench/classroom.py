"""Benchmark a class: a lesson in real browsers, and the class store under a class's bursts.

    python bench/classroom.py [--phones 3] [--steps 5] [--json]

A lesson: `streamlit run app.py` on a free port, a projector (1280 x 720) and phones (390 x 844) in headless
Chromium. It reports the first reveal (Reveal pressed to the class's chart drawn on the projector, the chart
library not yet used on the slide) and a second one, and how long the phones take to follow the teacher (Next
pressed to the last phone showing the step), over --steps presses, each pressed once every page has settled.

The store, on an SQLite file as one server uses it: a join burst (30 students from one school address, each its
own browser session, joining within 10 s, three typing the code wrong first) and the cap race (40 joins at once,
each through its own store as replicas do, into a class of 190 students).
"""

import argparse
import json
import random
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

from cnnviz.classroom.records import MAX_STUDENTS, ClassError
from cnnviz.classroom.store import ClassStore
from harness.app import chromium, main_button, open_app, streamlit_server, wait_idle
from harness.classroom import PROJECTOR, ask, join, start_class, timed


def at_once(target, count: int) -> None:
    """target(n) for n in range(count), each in its own thread, all started before any is waited for."""
    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def lesson(phones: int, steps: int) -> dict:
    """Seconds from a teacher's press to what it causes, on one server."""
    with streamlit_server(env={"CNNVIZ_DATA_DIR": tempfile.mkdtemp()}) as url, chromium() as browser:
        teacher = open_app(browser, f"{url}/present?stage=1", **PROJECTOR)
        code = start_class(teacher)
        pupils = [join(browser, url, code, f"student {n}") for n in range(phones)]
        reveals = []
        for _ in range(2):
            ask(teacher)
            for pupil in pupils:
                pupil.locator(".st-key-answers button").first.click()
            teacher.get_by_text(f"{phones} answered").wait_for(timeout=10_000)
            chart = teacher.locator(".js-plotly-plot .gtitle").filter(has_text="The class:")
            drawn = [lambda ms, chart=chart: chart.wait_for(timeout=ms)]
            reveals.append(timed(lambda: main_button(teacher, "Reveal").click(), drawn, 30))
            wait_idle(teacher)
        follow = []
        for step in range(2, 2 + steps):
            for page in (teacher, *pupils):
                wait_idle(page)
            shown = re.compile(rf"^{step} / \d+ · ")
            waits = [lambda ms, p=p, shown=shown: p.get_by_text(shown).first.wait_for(timeout=ms) for p in pupils]
            follow.append(timed(lambda: main_button(teacher, "Next ▶").click(), waits, 30))
    return {
        "first_reveal_s": round(reveals[0], 2),
        "second_reveal_s": round(reveals[1], 2),
        "follow_median_s": round(statistics.median(follow), 2),
        "follow_max_s": round(max(follow), 2),
    }


def join_burst(folder: Path, students: int = 30, spread: float = 10.0) -> dict:
    """Students of one school (one address, a session each) joining within `spread` seconds, three with a typo."""
    store = ClassStore(f"sqlite:///{folder / 'burst.sqlite3'}")
    code = store.start(session="teacher").code
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    took, refused = [], []

    def student(n: int) -> None:
        time.sleep(random.Random(n).uniform(0, spread))
        began = time.monotonic()
        try:
            if n % 10 == 3:
                try:
                    store.join(wrong, session=f"phone {n}")
                except ClassError:
                    pass
            store.join(code, f"student {n}", session=f"phone {n}")
        except ClassError as error:
            refused.append(str(error))
        took.append(time.monotonic() - began)

    at_once(student, students)
    joined = store.snapshot(code).students
    store.close()
    return {"burst_joined": joined, "burst_refused": len(refused), "burst_slowest_join_s": round(max(took), 3)}


def cap_race(folder: Path, racers: int = 40) -> dict:
    """`racers` stores joining at once a class ten short of its cap."""
    url = f"sqlite:///{folder / 'race.sqlite3'}"
    store = ClassStore(url)
    code = store.start().code
    for _ in range(MAX_STUDENTS - 10):
        store.join(code)
    barrier, results = threading.Barrier(racers), []

    def racer(n: int) -> None:
        own = ClassStore(url)
        barrier.wait()
        try:
            own.join(code, f"racer {n}")
            results.append(True)
        except ClassError:
            results.append(False)
        own.close()

    began = time.monotonic()
    at_once(racer, racers)
    held = store.snapshot(code).students
    store.close()
    return {
        "race_joined": sum(results),
        "race_refused": results.count(False),
        "race_students_after": held,
        "race_s": round(time.monotonic() - began, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=3, help="phones in the lesson")
    parser.add_argument("--steps", type=int, default=5, help="Next presses the phones follow")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    result = {**join_burst(folder), **cap_race(folder), **lesson(args.phones, args.steps)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"first reveal, the chart drawn on the projector:  {result['first_reveal_s']:.2f} s")
    print(f"second reveal:                                   {result['second_reveal_s']:.2f} s")
    print(
        f"{args.phones} phones following a Next:                    median {result['follow_median_s']:.2f} s, "
        f"slowest {result['follow_max_s']:.2f} s (over {args.steps} steps)"
    )
    print(
        f"join burst, 30 phones behind one address:        {result['burst_joined']} joined, "
        f"{result['burst_refused']} refused, slowest join {result['burst_slowest_join_s']} s"
    )
    print(
        f"cap race, 40 joins at {MAX_STUDENTS - 10} students:                {result['race_joined']} joined, "
        f"{result['race_refused']} refused, {result['race_students_after']} in the class ({result['race_s']} s)"
    )


if __name__ == "__main__":
    main()
