"""Server-wide training slots: at most a few jobs work at once, the rest wait in line and start by themselves.

Every training run and every teaching of new classes goes through one JobRegistry. A job that finds
every slot taken waits (first come, first served) and starts as soon as one frees; it can say its
place in line and about how long that will take. The cores are shared out: each working job is told
to use threads divided by the jobs working (it sets that in its own thread), so two jobs on two cores
get one thread each instead of fighting over two.
"""

import threading
from collections.abc import Callable

import torch

from cnnviz.training.jobs import BackgroundJob
from cnnviz.training.progress import State

PAUSE_LIMIT = 180.0  # seconds a job may sit paused holding a slot while others wait; then it is stopped


class JobRegistry:
    """Training slots for the server: at most max_jobs work at once; one job of each kind per owner."""

    def __init__(self, max_jobs: int = 2, threads: int | None = None, pause_limit: float = PAUSE_LIMIT):
        self.max_jobs = max_jobs
        self.threads = threads or torch.get_num_threads()  # what all the jobs together may use
        self.pause_limit = pause_limit
        self._lock = threading.Lock()
        self._working: dict[tuple[str, str], BackgroundJob] = {}  # (owner, kind) -> its job holding a slot
        self._waiting: list[tuple[tuple[str, str], BackgroundJob, bool]] = []  # ((owner, kind), job, paused), in order

    def start(
        self, owner: str, make_job: Callable[[], BackgroundJob], paused: bool = False, kind: str = "train"
    ) -> BackgroundJob:
        """The owner's new job of this kind (its old one stopped): working now, or waiting for a slot."""
        key = (owner, kind)
        old = self._remove(key)
        if old is not None:
            old.stop()  # its thread ends within a step (or once its data has loaded)
        job = make_job()
        job.add_done_callback(lambda finished: self._release(key, finished))
        with self._lock:
            self._waiting.append((key, job, paused))
        self._start_waiting()
        return job

    def _remove(self, key: tuple[str, str]) -> BackgroundJob | None:
        """Take the owner's job of this kind out of the registry (its slot is free at once); the job itself."""
        with self._lock:
            job = self._working.pop(key, None)
            for entry in self._waiting:
                if entry[0] == key:
                    job = entry[1]
                    self._waiting.remove(entry)
                    break
        return job

    def _start_waiting(self) -> None:
        """Start waiting jobs, first come first served, while slots are free."""
        starting = []
        with self._lock:
            while self._waiting and len(self._working) < self.max_jobs:
                key, job, paused = self._waiting.pop(0)
                self._working[key] = job
                starting.append((job, paused))
            self._share_cores()
        for job, paused in starting:
            job.start(paused=paused)

    def _release(self, key: tuple[str, str], job: BackgroundJob) -> None:
        with self._lock:
            if self._working.get(key) is job:
                del self._working[key]
            self._waiting = [entry for entry in self._waiting if entry[1] is not job]
        self._start_waiting()

    def _share_cores(self) -> None:
        """With the lock held: give each working job an equal share of the threads."""
        share = max(1, self.threads // max(1, len(self._working)))
        for job in self._working.values():
            job.threads = share

    def running(self) -> int:
        """Jobs holding a slot now."""
        with self._lock:
            return len(self._working)

    def waiting(self) -> int:
        """Jobs waiting for a slot."""
        with self._lock:
            return len(self._waiting)

    def place(self, job: BackgroundJob) -> int | None:
        """The job's place in line (1: next to start), or None when it is not waiting."""
        with self._lock:
            for number, entry in enumerate(self._waiting, start=1):
                if entry[1] is job:
                    return number
        return None

    def wait_estimate(self, job: BackgroundJob) -> float | None:
        """About how many seconds until the job starts: the working jobs' time left, then the ones ahead of it."""
        with self._lock:
            working = list(self._working.values())
            ahead = []
            for entry in self._waiting:
                if entry[1] is job:
                    break
                ahead.append(entry[1])
            else:
                return None
        free_at = sorted(other.remaining_seconds() for other in working) + [0.0] * (self.max_jobs - len(working))
        for other in ahead:  # each job ahead takes the slot that frees first
            free_at.sort()
            free_at[0] += other.expected_seconds()
        return min(free_at)

    def reap(self, is_alive: Callable[[str], bool]) -> list[str]:
        """Stop the jobs of owners that are gone (closed tabs), waiting ones too, and jobs paused too long while
        others wait; returns the owners that were gone."""
        with self._lock:
            entries = list(self._working.items()) + [(key, job) for key, job, _ in self._waiting]
            others_wait = bool(self._waiting)
        gone = []
        for (owner, _), job in entries:
            if not is_alive(owner):
                job.stop()
                gone.append(owner)
            elif others_wait and job.paused_for() > self.pause_limit:
                minutes = self.pause_limit / 60
                job.stop(f"Stopped after {minutes:g} minutes paused, so that a waiting student could have its slot.")
        return sorted(set(gone))

    def stop_all(self) -> None:
        """Stop every job, working or waiting (for tests and shutdown)."""
        with self._lock:
            jobs = list(self._working.values()) + [job for _, job, _ in self._waiting]
        for job in jobs:
            job.stop()


def is_waiting(job: BackgroundJob | None) -> bool:
    """Whether a job has been given but not yet started (it waits for a slot)."""
    return job is not None and job.progress().state == State.WAITING
