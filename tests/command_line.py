"""Running `python -m cnnviz ...` from the tests: in this process (fast), or in a fresh one where that is the point."""

import contextlib
import io
import json
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass

import pytest

from cnnviz.cli import main


@dataclass
class Finished:
    """What a command left behind, as subprocess.CompletedProcess names it."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args, cwd=None) -> Finished:
    """`python -m cnnviz ARGS...` called in this process: its exit code and what it printed.

    The same as a fresh process for everything the tests check: an uncaught exception still leaves a
    traceback in stderr and exit code 1, argparse's errors exit 2. Only start-up is left out, which
    tests/cli/test_cli_contract.py checks with run_cli_process.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(cwd or "."):
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        except Exception:  # what Python itself would print for a bug
            traceback.print_exc()
            code = 1
    return Finished(code, out.getvalue(), err.getvalue())


def run_cli_process(*args, cwd=None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m cnnviz ARGS...` in a fresh process, its output captured as text."""
    command = [sys.executable, "-m", "cnnviz", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=timeout)


PEAK = """
import re, sys
from cnnviz.__main__ import main
code = main(sys.argv[1:])
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak over fork and exec)
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
print(peak_kb // 1024, file=sys.stderr)  # peak MB, on the last line
sys.exit(code)
"""


def cnnviz_with_peak(*args) -> tuple[subprocess.CompletedProcess, float, int]:
    """(result, seconds, peak memory in MB) of one CLI call in a fresh process: for what may exhaust memory."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", PEAK, *map(str, args)], capture_output=True, text=True, timeout=60)
    return result, time.monotonic() - started, int(result.stderr.strip().splitlines()[-1])


def strict_json(text: str):
    """JSON as a strict parser reads it: NaN or Infinity is an error."""
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
