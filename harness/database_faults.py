"""A class whose PostgreSQL stops and comes back in the middle of a lesson, and a cap raced on PostgreSQL. Run it
under pg_virtualenv (it stops and starts the throwaway cluster itself):

    pg_virtualenv python -m harness.database_faults     # exit 0 when nothing recorded is lost and caps hold

While the cluster is down every call of the store, and the pages, say one sentence; once it is back the answers
given before are all there and the class goes on. Prints what it measured, for the report and the benchmark.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cnnviz.classroom.questions import Question
from cnnviz.classroom.records import MAX_STUDENTS, UNREACHABLE, ClassError, ClassUnavailable
from cnnviz.classroom.store import ClassStore
from harness.classroom import postgres_url

ROOT = Path(__file__).resolve().parent.parent
DIGIT = Question("digit", "Which digit?", tuple("0123456789"), 7, "It says 7.")


def cluster() -> tuple[str, str]:
    """(version, name) of the cluster pg_virtualenv started (the one on PGPORT)."""
    for line in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.splitlines():
        version, name, port, *_ = line.split()
        if port == os.environ["PGPORT"]:
            return version, name
    raise RuntimeError(f"no cluster on port {os.environ['PGPORT']}")


def pg_ctl(action: str) -> None:
    """Stop (at once, as a crash or a restart by the IT department would) or start the cluster."""
    fast = ["-m", "fast"] if action == "stop" else []
    subprocess.run(["pg_ctlcluster", *cluster(), action, *fast], check=True)


def student_page(code: str, student: str) -> AppTest:
    """The Class page of a student in class `code`, as AppTest runs it."""
    from ui import state

    page = AppTest.from_file(str(ROOT / "pages" / "class.py"), default_timeout=120)
    page.query_params["class"] = code
    page.session_state[state.STUDENT] = (code, student)
    return page


def refused_while_down(store: ClassStore, code: str, secret: str, student: str, asked: int) -> dict:
    """Every kind of call while the cluster is down: each ClassUnavailable with the sentence, and how long it took."""
    calls = {
        "answer": lambda: store.answer(code, student, asked, 3),
        "snapshot": lambda: store.snapshot(code),
        "join": lambda: store.join(code, "late"),
        "reveal": lambda: store.reveal(code, secret, asked),
    }
    seconds = {}
    for name, call in calls.items():
        began = time.monotonic()
        try:
            call()
        except ClassUnavailable as error:
            assert str(error) == UNREACHABLE, str(error)
        else:
            raise AssertionError(f"{name} worked while the database was down")
        seconds[name] = round(time.monotonic() - began, 2)
    return seconds


def caps_race(url: str) -> int:
    """40 stores joining at once a class of 190 on PostgreSQL; returns how many students it holds after."""
    store = ClassStore(url)
    started = store.start()
    for _ in range(MAX_STUDENTS - 10):
        store.join(started.code)
    barrier = threading.Barrier(40)

    def one(n: int) -> None:
        racer = ClassStore(url)
        barrier.wait()
        try:
            racer.join(started.code, f"racer {n}")
        except ClassError:
            pass
        racer.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    held = store.snapshot(started.code).students
    store.close()
    return held


def main() -> int:
    if "PGPORT" not in os.environ:
        print("run me under pg_virtualenv: pg_virtualenv python -m harness.database_faults")
        return 2
    url = postgres_url()
    os.environ.update(CNNVIZ_DATABASE_URL=url, CNNVIZ_DATA_DIR=tempfile.mkdtemp())
    store = ClassStore(url)
    started = store.start()
    students = [store.join(started.code, name).id for name in ("Ana", "Ben", "Cy")]
    asked = store.ask(started.code, started.secret, DIGIT)
    store.answer(started.code, students[0], asked, 7)
    store.answer(started.code, students[1], asked, 1)
    page = student_page(started.code, students[2]).run()
    assert not page.exception and any(b.label == "7" for b in page.button)

    pg_ctl("stop")
    seconds = refused_while_down(store, started.code, started.secret, students[2], asked)
    page.run()
    warned = [w.value for w in page.warning]
    assert not page.exception and UNREACHABLE in warned, (page.exception, warned)

    pg_ctl("start")
    deadline = time.monotonic() + 60
    while True:  # the cluster takes a moment to accept connections again
        try:
            counts = store.tally(asked)
            break
        except ClassUnavailable:
            if time.monotonic() > deadline:
                raise
    assert counts == [[0, 1, 0, 0, 0, 0, 0, 1, 0, 0]], counts  # nothing recorded before the stop is lost
    store.answer(started.code, students[2], asked, 3)
    store.reveal(started.code, started.secret, asked)
    assert store.tally(asked) == [[0, 1, 0, 1, 0, 0, 0, 1, 0, 0]]
    page.run()
    assert not page.exception and any("You chose" in m.value for m in page.markdown)
    store.close()

    held = caps_race(url)
    assert held == MAX_STUDENTS, held
    print(f"PostgreSQL stopped mid-class: every call said one sentence ({seconds} s), nothing recorded was lost; ")
    print(f"40 joins racing at {MAX_STUDENTS - 10} students on PostgreSQL: {held} in the class")
    return 0


if __name__ == "__main__":
    sys.exit(main())
