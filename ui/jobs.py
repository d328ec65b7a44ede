"""Server-wide training jobs for the Train page: one registry, a reaper for closed tabs, and how progress reads."""

import os
import threading
import time

import streamlit as st
import torch

from cnnviz.data.mnist import load_training_digits
from cnnviz.training.jobs import TrainingJob
from cnnviz.training.progress import Progress, State
from cnnviz.training.registry import JobRegistry
from cnnviz.training.settings import Settings
from ui import state
from ui.images import sample_image
from ui.internals import bound_uploads, forget_closed_sessions_uploads, session_is_alive

REAP_EVERY = 5.0  # seconds between checks for jobs whose browser tab has gone


def _owner_is_alive(owner: str) -> bool:
    return session_is_alive(owner.split("|")[0])


def _reap_forever(registry: JobRegistry) -> None:
    while True:
        time.sleep(REAP_EVERY)
        registry.reap(_owner_is_alive)
        forget_closed_sessions_uploads()


@st.cache_resource
def job_registry() -> JobRegistry:
    """The one registry of this server process, with its reaper thread (CNNVIZ_MAX_TRAINING_JOBS, default 2)."""
    registry = JobRegistry(
        max_jobs=int(os.environ.get("CNNVIZ_MAX_TRAINING_JOBS", "2")), threads=torch.get_num_threads()
    )
    bound_uploads()
    threading.Thread(target=_reap_forever, args=(registry,), name="cnnviz-reaper", daemon=True).start()
    return registry


def start_training(settings: Settings, step_only: bool = False) -> TrainingJob:
    """Start this session's training job (replacing its old one), or put it in line for a free slot.

    With step_only the job trains one batch and pauses.
    """
    probe = sample_image(settings.probe).tensor

    def make_job():
        return TrainingJob(
            lambda: load_training_digits(settings.source),
            settings.model,
            settings.training,
            probe,
            train_size=settings.train_size,
            slow_motion=settings.slow_motion,
            label=settings.network_label,
        )

    job = job_registry().start(state.job_owner(), make_job, paused=step_only)
    if step_only:
        job.step()
    state.set_current_job(job)
    return job


def waiting_line(job) -> str | None:
    """For a job waiting for a slot: its place in line and about how long, in words; None once it has started."""
    registry = job_registry()
    place = registry.place(job)
    if place is None:
        return None
    wait = registry.wait_estimate(job) or 0.0
    others = f"{registry.running()} run{'s' if registry.running() != 1 else ''}"
    return (
        f"Waiting for a free training slot ({others} going, {registry.max_jobs} at a time): "
        f"number {place} in line, about {clock(max(wait, 1))} to wait. It starts by itself."
    )


def clock(seconds: float) -> str:
    """Seconds as m:ss (or h:mm:ss)."""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def describe(progress: Progress, epochs: int) -> str:
    """One line for the progress bar: epoch, batch, speed, elapsed time and time left (or how it ended)."""
    if progress.step == 0:
        if progress.state == State.WAITING:
            return "Waiting for a free training slot..."
        if progress.state == State.LOADING:
            return "Loading the data..."
        return "Stopped before the first batch." if progress.state == State.STOPPED else "Ready: press Start or Step."
    text = (
        f"Epoch {progress.epoch} of {epochs} · batch {progress.batch} of {progress.batches_per_epoch} · "
        f"{progress.images_per_second:,.0f} digits/s · {clock(progress.seconds)} elapsed"
    )
    if progress.active and progress.eta_seconds is not None:
        text += f" · about {clock(progress.eta_seconds)} left"
    ended = {State.FINISHED: "Finished", State.STOPPED: "Stopped", State.FAILED: "Failed", State.PAUSED: "Paused"}
    if progress.state in ended:
        text = f"{ended[progress.state]} · {text}"
    return text
