"""How often one browser session, and the whole server, may guess a code or start a class.

Counted per session and per server, never per network address: a school's students all reach the server
from one address, and thirty of them joining in ten seconds must always get in.
"""

import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from cnnviz.classroom.records import (
    CLASSES_PER_SERVER,
    CLASSES_PER_SESSION,
    WRONG_CODES_PER_SERVER,
    WRONG_CODES_PER_SESSION,
    ClassError,
)

log = logging.getLogger("cnnviz.classroom")
SERVER = "*"  # the key under which the whole server's events are counted


class Window:
    """Events per key within the last `seconds`: whether another is allowed, and recording one."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self.events: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str) -> deque:
        events, cutoff = self.events[key], self.clock() - self.seconds
        while events and events[0] <= cutoff:
            events.popleft()
        if not events:
            del self.events[key]  # forgotten sessions take no memory
            return deque()
        return events

    def full(self, key: str) -> bool:
        """Whether `key` has used up its events for now."""
        with self.lock:
            return len(self._recent(key)) >= self.limit

    def record(self, key: str) -> None:
        with self.lock:
            self._recent(key)
            self.events[key].append(self.clock())


class Limits:
    """The server's counts of wrong codes and started classes, per session and in all."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.wrong = {
            "session": Window(*WRONG_CODES_PER_SESSION, clock),
            SERVER: Window(*WRONG_CODES_PER_SERVER, clock),
        }
        self.started = {"session": Window(*CLASSES_PER_SESSION, clock), SERVER: Window(*CLASSES_PER_SERVER, clock)}

    def may_guess(self, session: str) -> None:
        """ClassError unless this session (and the server) may try another code or PIN now."""
        if self.wrong["session"].full(session):
            raise ClassError(
                "Too many wrong codes from this page: wait a minute, then check the code with your teacher."
            )
        if self.wrong[SERVER].full(SERVER):
            raise ClassError("Too many wrong class codes were typed on this server just now: wait a few minutes.")

    def guessed_wrong(self, session: str) -> None:
        """Count a wrong code or PIN (and say so in the server's log when the server's share runs out)."""
        self.wrong["session"].record(session)
        self.wrong[SERVER].record(SERVER)
        if self.wrong[SERVER].full(SERVER):
            log.warning("cnnviz: %d wrong class codes or PINs within %d s: joining paused", *WRONG_CODES_PER_SERVER)
        elif self.wrong["session"].full(session):
            log.warning("cnnviz: one session typed %d wrong class codes or PINs within %d s", *WRONG_CODES_PER_SESSION)

    def may_start(self, session: str) -> None:
        """ClassError unless this session (and the server) may start another class now."""
        if self.started["session"].full(session):
            raise ClassError(
                f"This page has started {CLASSES_PER_SESSION[0]} classes within the hour, as many as it may: "
                "go on with the one you have, or wait."
            )
        if self.started[SERVER].full(SERVER):
            log.warning("cnnviz: %d classes started within %d s: starting paused", *CLASSES_PER_SERVER)
            raise ClassError(
                f"This server has started {CLASSES_PER_SERVER[0]} classes within the hour, as many as it may: wait."
            )

    def started_one(self, session: str) -> None:
        self.started["session"].record(session)
        self.started[SERVER].record(SERVER)
