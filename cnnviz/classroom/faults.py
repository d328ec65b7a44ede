"""What goes wrong under a class's database, said in one sentence: a stopped or unreachable server, a read-only
or full disk, a lock held too long, the SQLite file deleted or replaced while the class runs.

Every store call goes through `retrying`: a failure is tried again a few times (a restarted PostgreSQL
comes back within seconds, and its dead connections are replaced), then becomes ClassUnavailable.
Whatever a transaction had not committed is rolled back, so nothing half-recorded is left; whatever was
committed before stays in the database.
"""

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from cnnviz.classroom.records import UNREACHABLE, ClassUnavailable

log = logging.getLogger("cnnviz.classroom")
PAUSES = (0.2, 0.6)  # seconds before the second and third try
T = TypeVar("T")


def retrying(work: Callable[[], T], pauses: tuple[float, ...] = PAUSES) -> T:
    """work(), tried again after each pause while the database fails; ClassUnavailable once out of tries.

    IntegrityError is not a fault (a constraint said no) and passes through for the caller to explain.
    """
    for attempt in range(len(pauses) + 1):
        try:
            return work()
        except IntegrityError:
            raise
        except (SQLAlchemyError, OSError) as error:
            if attempt == len(pauses):
                log.warning("cnnviz: the class database failed %d times: %s", attempt + 1, type(error).__name__)
                raise ClassUnavailable(UNREACHABLE) from error
            time.sleep(pauses[attempt])
    raise AssertionError("unreachable")


class FileWatch:
    """Notices an SQLite file deleted or replaced under a running server, by its device and inode numbers."""

    def __init__(self, path: Path | None):
        self.path = path
        self.identity: tuple[int, int] | None = None

    def _now(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return found.st_dev, found.st_ino

    def remember(self) -> None:
        """Take the file as it is now as the class database's own (after opening or making it)."""
        if self.path is not None:
            self.identity = self._now()

    def changed(self) -> bool:
        """Whether the file remembered is gone or another file now has its name."""
        if self.path is None or self.identity is None:
            return False
        if self._now() == self.identity:
            return False
        log.warning("cnnviz: the class database file %s was deleted or replaced while the server ran", self.path)
        return True
