"""A class at once: ten sessions exploring and training together, then hundreds of reruns and restarts."""

import ctypes
import gc
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.data.handwriting import draw_digit, encode
from cnnviz.data.samples import list_samples
from cnnviz.training.progress import State
from harness.app import ROOT
from harness.waiting import wait_until

from page_support import choose_source, headline

pytestmark = pytest.mark.slow
SAMPLES = [s for s in list_samples() if s.kind != "unclear"]


def resident_mb() -> float:
    """This process's resident memory in MB (Linux), after glibc hands back the memory that was freed: what is
    measured is memory still held, not the allocator's spare room (each training thread gets an arena of its own)."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


# AppTest swaps a process-wide mock Runtime in and out around every run, so two AppTest runs at
# the same moment break each other (not the app: a real server has one Runtime). The sessions
# below live in their own threads and interleave; each run takes this lock. Training jobs, the
# reaper and model inference still run truly at once; tests/test_explore_in_browser.py has real
# browsers on a real server in parallel.
APPTEST_RUN = threading.Lock()


def act(action):
    """Run one AppTest interaction under the lock."""
    with APPTEST_RUN:
        return action()


def explore_session(index: int) -> list[str]:
    """A student cycling through three images; returns any wrong result."""
    at = act(lambda: AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=120).run())
    problems = []
    for round_ in range(3):
        sample = SAMPLES[(index * 3 + round_) % len(SAMPLES)]
        act(lambda title=sample.title: at.selectbox(key="sample").set_value(title).run())
        if at.exception or not headline(at).startswith(f"## The network reads **{sample.label}**"):
            problems.append(f"session {index}: {sample.title} -> {headline(at) if not at.exception else at.exception}")
    return problems


def train_session(index: int):
    """A student pressing Start; returns their job (training, or waiting in line for a slot)."""
    at = act(lambda: AppTest.from_file(str(ROOT / "pages" / "train.py"), default_timeout=120).run())
    at.sidebar.radio[-1].set_value("sample")
    at.sidebar.slider[-1].set_value(30)  # long enough to still be running when the others press Start
    act(at.run)
    act(lambda: next(b for b in at.button if b.label == "Start").click().run())
    assert not at.exception
    job = at.session_state["training_job"]
    if any(i.value.startswith("Waiting for a free training slot") for i in at.info):
        return job
    wait_until(lambda: job.progress().step > 0, 60, 0.1, "a started job never trained a batch")
    return job  # left running; the test stops it


def test_ten_sessions_explore_and_train_at_once():
    from ui.jobs import job_registry

    registry = job_registry()
    with ThreadPoolExecutor(max_workers=10) as pool:
        explorers = [pool.submit(explore_session, i) for i in range(7)]
        trainers = [pool.submit(train_session, i) for i in range(3)]
        problems = [p for future in explorers for p in future.result()]
        outcomes = [future.result() for future in trainers]
    jobs = outcomes
    try:
        assert problems == []
        training = [job for job in jobs if job.progress().state != State.WAITING]
        assert len(training) == registry.max_jobs and registry.waiting() == 3 - registry.max_jobs
        assert len({id(job) for job in jobs}) == len(jobs), "each session trains its own model"
        assert all(job.progress().step > 0 for job in training)
        assert registry.running() <= registry.max_jobs
    finally:
        for job in jobs:
            job.stop()
            job.join(timeout=5)


def test_200_explore_reruns_keep_memory_flat():
    at = AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=120).run()
    choose_source(at, "Upload")
    uploads = [(f"d{i}.png", encode(draw_digit(i % 10, 200, seed=i), "PNG"), "image/png") for i in range(100)]
    for upload in uploads:  # fill the caches first: growth up to their bounds is by design
        at.file_uploader[0].set_value(upload).run()
    gc.collect()
    before = resident_mb()
    for rerun in range(200):
        at.file_uploader[0].set_value(uploads[rerun % len(uploads)]).run()
        assert not at.exception
    gc.collect()
    grown = resident_mb() - before
    assert grown < 25, f"resident memory grew by {grown:.0f} MB over 200 reruns"  # a leak of 125 KB a rerun shows
    assert headline(at).startswith(f"## The network reads **{199 % 100 % 10}**")


def test_50_start_stop_cycles_leave_no_thread_and_no_memory_behind():
    at = AppTest.from_file(str(ROOT / "pages" / "train.py"), default_timeout=120).run()
    at.sidebar.radio[-1].set_value("sample")
    at.run()

    def press(label: str) -> None:  # once the page has drawn it enabled (a job starts and stops in its own thread)
        wait_until(lambda: not next(b for b in at.run().button if b.label == label).disabled, 30, 0.05)
        next(b for b in at.button if b.label == label).click().run()

    def cycle():
        press("Start")
        press("Stop")

    for _ in range(5):  # warm-up: data loaded and cached, allocator settled
        cycle()
    gc.collect()
    before = resident_mb()
    for _ in range(50):
        cycle()
        assert not at.exception
    next(b for b in at.button if b.label == "Reset").click().run()
    wait_until(
        lambda: not [t for t in threading.enumerate() if t.name == "cnnviz-training"],
        10,
        0.1,
        "a training thread lived on",
    )
    gc.collect()
    grown = resident_mb() - before
    assert grown < 50, f"resident memory grew by {grown:.0f} MB over 50 start/stop cycles"
