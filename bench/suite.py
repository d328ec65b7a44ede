"""How long the test suite takes, and where the time goes: by subject and by test.

    python bench/suite.py [--workers N ...] [--json] [PYTEST ARGS...]

Runs `python -m pytest` (as scripts/run-tests does, after its set-up) once per worker count given, in one
run so the figures compare, and prints the wall time of each, the time per subject (tests/<subject>/) and
the 20 slowest tests. `--workers 0 2` compares a plain run with pytest-xdist on two processes.
"""

import argparse
import collections
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTCOME = re.compile(r"^=+ .* in [\d.]+s")  # pytest's last line: "=== 3 failed, 1090 passed in 535.2s ==="
DURATION = re.compile(r"^([\d.]+)s (call|setup|teardown)\s+(tests/(\S+?)/\S+)$")


def run_suite(workers: int, extra: list[str]) -> dict:
    """One pytest run: wall seconds, outcome line, seconds per subject, the slowest tests."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=0", "--durations-min=0"]
    if workers:
        command += ["-n", str(workers), "--dist=worksteal"]  # as scripts/run-tests runs it
    started = time.perf_counter()
    done = subprocess.run(command + extra, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    subjects, tests = collections.Counter(), collections.Counter()
    for line in done.stdout.splitlines():
        match = DURATION.match(line.strip())
        if match:
            seconds, _, test, subject = float(match[1]), match[2], match[3], match[4]
            subjects[subject] += seconds
            tests[test] += seconds
    summary = next((line for line in reversed(done.stdout.splitlines()) if OUTCOME.match(line)), "")
    return {
        "workers": workers,
        "wall_seconds": round(wall, 1),
        "outcome": summary.strip("= "),
        "failed": [line for line in done.stdout.splitlines() if line.startswith(("FAILED ", "ERROR "))],
        "seconds_by_subject": {name: round(s, 1) for name, s in subjects.most_common()},
        "slowest": [[name, round(s, 1)] for name, s in tests.most_common(20)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[0], help="pytest-xdist processes per run (0: none)")
    parser.add_argument("--json", action="store_true", help="print one JSON list, one object per run")
    args, extra = parser.parse_known_args()
    runs = [run_suite(workers, extra) for workers in args.workers]
    if args.json:
        print(json.dumps(runs, indent=1))
        return
    for run in runs:
        print(f"workers {run['workers']}: {run['wall_seconds']:.0f} s wall; {run['outcome']}")
        for line in run["failed"]:
            print(f"  {line}")
        print("  by subject (s): " + ", ".join(f"{k} {v:.0f}" for k, v in run["seconds_by_subject"].items()))
        for name, seconds in run["slowest"]:
            print(f"  {seconds:6.1f} s  {name}")
    if len(runs) > 1:
        ratios = [f"{run['workers']} workers {run['wall_seconds'] / runs[0]['wall_seconds']:.2f}x" for run in runs]
        print("wall time against the first run: " + ", ".join(ratios))


if __name__ == "__main__":
    main()
