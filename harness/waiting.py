"""Waiting on a condition, never on a clock: the one polling loop the tests and benchmarks share."""

import time


class TimedOut(AssertionError):
    """The condition never held within the time allowed."""


def wait_until(condition, timeout: float = 30.0, interval: float = 0.02, message: str = "the condition never held"):
    """Call condition() until it returns something true, and return that; TimedOut after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimedOut(f"{message} (waited {timeout:g} s)")
        time.sleep(interval)


def holds_for(condition, seconds: float, interval: float = 0.02, message: str = "it stopped holding") -> None:
    """Check condition() stays true for `seconds` (what did not happen can only be watched for a while)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not condition():
            raise AssertionError(message)
        time.sleep(interval)
