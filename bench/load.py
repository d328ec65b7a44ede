"""Benchmark a real server under a class: a class of students who think between clicks, and saturation.

    python bench/load.py --sessions N --think S --seconds T [--json]   # a class
    python bench/load.py [--seconds S] [--json]                           # reruns per second, 1 and 10 sessions
    python bench/load.py --sessions N --class-answers M [--json]         # a class answering a question meanwhile

Starts `streamlit run app.py` on a free port and talks to it as browsers do, over Streamlit's
websocket protocol (each client reports the charts it already holds, as a browser's cache does).
In the class mode each of N sessions opens its own sample digit, then asks for an Explore rerun
after a random think time averaging S seconds, for T seconds; every headline is checked against
the sample's digit, and each rerun's latency (request to script finished) is recorded. Memory per
session is the growth of the server's resident memory per open session.

With --class-answers M, a class is started in the server's own class database and, while the N
sessions rerun Explore, M students join and answer one question within 10 s of each other, each
through the class store as the Class page's button does (not over the websocket); a projector's
poll reads the count every second, as Present's does, and the benchmark reports how long after
each answer the projector counted it.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from cnnviz.data.samples import list_samples
from harness.app import streamlit_server
from harness.websocket_client import Session

ROOT = Path(__file__).resolve().parent.parent


def server_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def hammer(url: str, sessions: int, seconds: float, fragment: bool = False) -> tuple[float, int]:
    """(reruns per second over all sessions, wrong headlines) with this many concurrent sessions.

    With fragment, each rerun is the one a click inside Explore's network asks for: that fragment alone."""

    async def one(session: Session, deadline: float) -> tuple[int, int]:
        done = wrong = 0
        part = next(iter(session.fragments), None) if fragment else None
        while time.monotonic() < deadline:
            headline = await session.rerun(fragment=part)
            done += 1
            if part:  # the network alone: the headline stays as drawn, the cell's arithmetic is drawn again
                wrong += not any(text.startswith("**Row ") for text in session.texts)
            else:
                wrong += headline != expected
        return done, wrong

    clients = [Session(url) for _ in range(sessions)]
    for client in clients:
        await client.__aenter__()
        expected = await client.rerun()  # first run: charts arrive and are held
    assert expected.startswith("## The network reads **3**"), expected  # the default sample: a photo of a 3
    started = time.monotonic()
    results = await asyncio.gather(*(one(c, started + seconds) for c in clients))
    elapsed = time.monotonic() - started
    for client in clients:
        await client.__aexit__()
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results)


async def memory_per_session(url: str, pid: int, extra: int = 10) -> float:
    async with Session(url) as first:
        await first.rerun()
        before = server_rss_mb(pid)
        clients = [Session(url) for _ in range(extra)]
        for client in clients:
            await client.__aenter__()
            await client.rerun()
        after = server_rss_mb(pid)
        for client in clients:
            await client.__aexit__()
    return (after - before) / extra


async def classroom(url: str, pid: int, sessions: int, think: float, seconds: float) -> dict:
    """A class: sessions that each rerun their own sample after random think times; latencies and checks."""
    samples = [s for s in list_samples() if s.kind == "pen"]
    latencies, wrong, errors = [], 0, 0
    async with Session(url) as warm:  # imports, the model and the caches: paid once, not per session
        for sample in samples:
            warm.query = urllib.parse.urlencode({"sample": sample.title})
            await warm.rerun()
    before = server_rss_mb(pid)
    clients = []
    for index in range(sessions):
        sample = samples[index % len(samples)]
        client = Session(url, urllib.parse.urlencode({"sample": sample.title}))
        await client.__aenter__()
        await client.rerun()  # the first visit: every chart arrives and is held
        clients.append((client, f"## The network reads **{sample.label}**"))
    opened = server_rss_mb(pid)
    deadline = time.monotonic() + seconds

    async def student(client: Session, expected: str, rng: random.Random) -> None:
        nonlocal wrong, errors
        while True:
            await asyncio.sleep(rng.expovariate(1 / think))
            if time.monotonic() >= deadline:
                return
            started = time.monotonic()
            try:
                headline = await client.rerun()
            except Exception:  # noqa: BLE001 - counted: a benchmark reports failures, it does not stop at one
                errors += 1
                continue
            latencies.append((time.monotonic() - started) * 1000)
            wrong += not headline.startswith(expected)

    await asyncio.gather(*(student(c, e, random.Random(i)) for i, (c, e) in enumerate(clients)))
    for client, _ in clients:
        await client.__aexit__()
    cuts = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [float("nan")] * 19
    return {
        "sessions": sessions,
        "reruns": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(cuts[18], 1),
        "wrong": wrong,
        "errors": errors,
        "mb_per_session": round((opened - before) / sessions, 2),
    }


def answering_class(students: int, spread: float = 10.0) -> tuple[threading.Thread, dict]:
    """A thread in which `students` join a class and answer within `spread` seconds while a projector polls."""
    from cnnviz.classroom.questions import Question
    from cnnviz.classroom.store import ClassStore
    from ui.teacher import TEACHER_POLL

    found: dict = {}

    def run() -> None:
        store = ClassStore()
        started = store.start()
        code, token = started.code, started.secret
        joined = [store.join(code, f"student {n}").id for n in range(students)]
        asked = store.ask(code, token, Question("digit", "Which digit?", tuple("0123456789"), 3, ""))
        given: list[float] = []
        counted: dict[int, float] = {}

        def student(index: int, who: str) -> None:
            time.sleep(random.Random(index).uniform(0, spread))
            ClassStore(store.url).answer(code, who, asked, index % 10)
            given.append(time.monotonic())

        threads = [threading.Thread(target=student, args=(i, s)) for i, s in enumerate(joined)]
        for thread in threads:
            thread.start()
        while len(counted) < students:
            now, seen = time.monotonic(), sum(store.tally(asked)[0])
            for n in range(len(counted), seen):
                counted[n] = now
            time.sleep(TEACHER_POLL)
        for thread in threads:
            thread.join()
        lags = [counted[n] - at for n, at in enumerate(sorted(given))]
        found.update(answers=sum(store.tally(asked)[0]), max_count_lag_s=round(max(lags), 2))
        store.end(code, token)

    return threading.Thread(target=run), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"reruns_per_s_1": ..., "reruns_per_s_10": ..., "mb_per_session": ...}',
    )
    parser.add_argument("--seconds", type=float, default=15, help="how long each load level runs")
    parser.add_argument("--sessions", type=int, help="a class of this many sessions (with --think)")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds a student waits between reruns")
    parser.add_argument("--class-answers", type=int, default=0, help="students answering a class question meanwhile")
    args = parser.parse_args()
    if args.sessions:
        os.environ.setdefault("CNNVIZ_DATA_DIR", tempfile.mkdtemp())  # the server and the class share its database
        with streamlit_server() as url:
            answering, found = answering_class(args.class_answers)
            if args.class_answers:
                answering.start()
            result = asyncio.run(classroom(url, streamlit_server.last_pid, args.sessions, args.think, args.seconds))
            if args.class_answers:
                answering.join()
                result.update(found)
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"{result['sessions']} sessions, think {args.think:g} s, {args.seconds:g} s: "
                f"{result['reruns']} reruns, "
                f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['wrong']} wrong headlines, "
                f"{result['errors']} errors, {result['mb_per_session']} MB per session"
                + (
                    f"; class: {result['answers']} answers, each counted by the projector within "
                    f"{result['max_count_lag_s']} s"
                    if args.class_answers
                    else ""
                )
            )
        return
    with streamlit_server() as url:
        pid = streamlit_server.last_pid
        one, wrong_one = asyncio.run(hammer(url, 1, args.seconds))
        ten, wrong_ten = asyncio.run(hammer(url, 10, args.seconds))
        per_session = asyncio.run(memory_per_session(url, pid))
    result = {
        "reruns_per_s_1": round(one, 1),
        "reruns_per_s_10": round(ten, 1),
        "mb_per_session": round(per_session, 1),
    }
    assert wrong_one == wrong_ten == 0, "a session saw a wrong headline"
    if args.json:
        print(json.dumps(result))
    else:
        print(f"Explore reruns served per second, 1 session:    {one:6.1f}")
        print(f"Explore reruns served per second, 10 sessions:  {ten:6.1f}  (all headlines right)")
        print(f"server memory per extra open session:           {per_session:6.1f} MB")


if __name__ == "__main__":
    main()
