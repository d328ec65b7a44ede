"""Server-wide bookkeeping of training jobs: a cap on how many train at once, one per browser session."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch

from cnnviz.jobs import TrainingJob


class JobRegistry:
    """Server-wide bookkeeping of training jobs: at most max_jobs train at once, one per owner.

    The cores are shared out: each job is told to use threads divided by the jobs training (it sets
    that in its own thread), so two jobs on two cores get one thread each instead of fighting over two.
    """

    def __init__(self, max_jobs: int = 2, threads: int | None = None):
        self.max_jobs = max_jobs
        self.threads = threads or torch.get_num_threads()  # what all the jobs together may use
        self._lock = threading.Lock()
        self._jobs: dict[str, TrainingJob] = {}  # owner (a session id) -> its running job
        self._short_runs = 0  # slots held by short runs in a caller's own thread (teaching new classes)

    def start(self, owner: str, make_job: Callable[[], TrainingJob], paused: bool = False) -> TrainingJob | None:
        """Start the owner's new job, replacing (stopping) its old one; None if the server is at its cap."""
        with self._lock:
            old = self._jobs.pop(owner, None)
        if old is not None:
            old.stop()  # its thread ends within a batch (or once its data has loaded)
        with self._lock:
            if len(self._jobs) + self._short_runs >= self.max_jobs:
                return None
            job = make_job()
            self._jobs[owner] = job
            self._share_cores()
        job.add_done_callback(lambda finished: self._release(owner, finished))
        return job.start(paused=paused)

    def _release(self, owner: str, job: TrainingJob) -> None:
        with self._lock:
            if self._jobs.get(owner) is job:
                del self._jobs[owner]
                self._share_cores()

    def _share_cores(self) -> None:
        """With the lock held: give each training job an equal share of the threads."""
        share = max(1, self.threads // max(1, len(self._jobs)))
        for job in self._jobs.values():
            job.threads = share

    def running(self) -> int:
        """Jobs and short runs holding a slot now."""
        with self._lock:
            return len(self._jobs) + self._short_runs

    @contextmanager
    def short_run(self) -> Iterator[bool]:
        """Hold one of the slots for a few seconds of training in the caller's thread; yields False if none is free."""
        with self._lock:
            free = len(self._jobs) + self._short_runs < self.max_jobs
            self._short_runs += free
        try:
            yield free
        finally:
            if free:
                with self._lock:
                    self._short_runs -= 1

    def stop_owner(self, owner: str) -> None:
        """Stop the owner's job, if any."""
        with self._lock:
            job = self._jobs.get(owner)
        if job is not None:
            job.stop()

    def reap(self, is_alive: Callable[[str], bool]) -> list[str]:
        """Stop the jobs of owners that are gone (closed tabs); returns those owners."""
        with self._lock:
            gone = [owner for owner in self._jobs if not is_alive(owner)]
            jobs = [self._jobs[owner] for owner in gone]
        for job in jobs:
            job.stop()
        return gone
