"""Server-wide bookkeeping of training jobs: a cap on how many train at once, one per browser session."""

import threading
from collections.abc import Callable

from cnnviz.jobs import TrainingJob


class JobRegistry:
    """Server-wide bookkeeping of training jobs: at most max_jobs train at once, one per owner."""

    def __init__(self, max_jobs: int = 2):
        self.max_jobs = max_jobs
        self._lock = threading.Lock()
        self._jobs: dict[str, TrainingJob] = {}  # owner (a session id) -> its running job

    def start(self, owner: str, make_job: Callable[[], TrainingJob], paused: bool = False) -> TrainingJob | None:
        """Start the owner's new job, replacing (stopping) its old one; None if the server is at its cap."""
        with self._lock:
            old = self._jobs.pop(owner, None)
        if old is not None:
            old.stop()  # its thread ends within a batch (or once its data has loaded)
        with self._lock:
            if len(self._jobs) >= self.max_jobs:
                return None
            job = make_job()
            self._jobs[owner] = job
        job.add_done_callback(lambda finished: self._release(owner, finished))
        return job.start(paused=paused)

    def _release(self, owner: str, job: TrainingJob) -> None:
        with self._lock:
            if self._jobs.get(owner) is job:
                del self._jobs[owner]

    def running(self) -> int:
        """Jobs holding a slot now."""
        with self._lock:
            return len(self._jobs)

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
