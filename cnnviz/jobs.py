"""Training in a background thread that a page can watch, pause, step and stop.

The worker thread runs the training engine and publishes a lock-protected Progress record;
readers take copies with progress(). Nothing here knows about Streamlit.
"""

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from cnnviz.data import Digits, split
from cnnviz.features import ActivationCapture
from cnnviz.model import DigitCNN, ModelConfig, build_model
from cnnviz.train import BatchEnd, EpochEnd, TrainConfig, train

PROBE_INTERVAL = 0.5  # seconds between looks at the probe digit: often enough to watch, rare enough to cost nothing


@dataclass
class Probe:
    """What the model does with the probe digit at one moment."""

    filters: np.ndarray  # first conv layer's weights (O, 1, k, k)
    biases: np.ndarray  # (O,)
    maps: np.ndarray  # first layer's feature maps after ReLU (O, 28, 28)
    probabilities: np.ndarray  # (10,)


@dataclass
class Snapshot:
    """The model at the end of an epoch: weights to scrub back to, and what it did with the probe."""

    epoch: int
    state: dict[str, torch.Tensor]
    probe: Probe


@dataclass
class Progress:
    """Everything a page shows about a run. Copies handed out by TrainingJob.progress() are the caller's own."""

    state: str = "loading data"  # loading data, running, paused, finished, stopped, failed
    message: str = ""  # data in use, or why it failed
    epoch: int = 0
    batch: int = 0
    batches_per_epoch: int = 0
    step: int = 0
    total_steps: int = 0
    images: int = 0  # digits trained on so far
    seconds: float = 0.0  # time spent training (pauses excluded)
    losses: list[float] = field(default_factory=list)  # one per batch
    epochs: list[EpochEnd] = field(default_factory=list)
    grad_norms: dict[str, list[float]] = field(default_factory=dict)  # layer -> one per batch
    probe: Probe | None = None
    snapshots: list[Snapshot] = field(default_factory=list)

    @property
    def images_per_second(self) -> float:
        return self.images / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Seconds of training left, from the pace so far."""
        if self.step == 0 or self.total_steps == 0:
            return None
        return self.seconds / self.step * (self.total_steps - self.step)

    @property
    def active(self) -> bool:
        return self.state in ("loading data", "running", "paused")


class TrainingJob:
    """One training run in its own daemon thread, controlled with start/pause/resume/step/stop."""

    def __init__(
        self,
        load_digits: Callable[[], Digits],
        model_config: ModelConfig,
        config: TrainConfig,
        probe_image: torch.Tensor,
        val_fraction: float = 0.1,
        on_end: Callable[["TrainingJob"], None] | None = None,
    ):
        self.model_config, self.config = model_config, config
        self._load_digits = load_digits
        self._probe_image = probe_image  # (1, 1, 28, 28)
        self._val_fraction = val_fraction
        self._on_end = on_end
        self._lock = threading.Lock()
        self._progress = Progress()
        self._run = threading.Event()  # set while the worker may train
        self._stop = threading.Event()
        self._steps_left: int | None = None  # batches to run before pausing again (Step)
        self.model: DigitCNN | None = None
        self._thread = threading.Thread(target=self._work, name="cnnviz-training", daemon=True)

    # --- control, from any thread -------------------------------------------------------

    def start(self, paused: bool = False) -> "TrainingJob":
        """Start the worker thread (paused before the first batch if asked)."""
        if not paused:
            self._run.set()
        self._thread.start()
        return self

    def pause(self, wait: bool = False) -> None:
        """Pause at the next batch boundary; with wait, return once paused (or ended)."""
        self._run.clear()
        if wait:
            self._wait_until_settled()

    def resume(self) -> None:
        self._steps_left = None
        self._run.set()

    def step(self, batches: int = 1, wait: bool = False) -> None:
        """Run this many batches, then pause; with wait, return once they are done."""
        done = self._progress.step + batches
        self._steps_left = batches
        self._run.set()
        if wait:
            self._wait_until_settled(lambda p: p.step >= done)

    def _wait_until_settled(self, reached=lambda p: True, timeout: float = 2.0) -> None:
        """Wait (briefly) until the worker is paused or ended and reached(progress) holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive:
            progress = self.progress()
            if progress.state != "running" and reached(progress):
                return
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop at the next batch boundary (within a batch's time).

        Data still loading cannot be interrupted; the job reports "stopped" at once and its
        thread ends as soon as loading does, without training.
        """
        self._stop.set()
        self._run.set()  # wake a paused worker so it can see the stop
        with self._lock:
            if self._progress.state == "loading data":
                self._progress.state = "stopped"

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the worker to end; True if it has."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def progress(self) -> Progress:
        """A copy of the progress record, safe to read while training goes on."""
        with self._lock:
            p = self._progress
            return replace(
                p,
                losses=list(p.losses),
                epochs=list(p.epochs),
                grad_norms={name: list(values) for name, values in p.grad_norms.items()},
                snapshots=list(p.snapshots),
            )

    def trained_model(self) -> DigitCNN | None:
        """A copy of the model in eval mode, once the worker has ended (None before)."""
        if self.alive or self.model is None:
            return None
        return copy.deepcopy(self.model).eval()

    # --- the worker ----------------------------------------------------------------------

    def _update(self, **changes) -> None:
        with self._lock:
            for name, value in changes.items():
                setattr(self._progress, name, value)

    def _look_at_probe(self, capture: ActivationCapture) -> Probe:
        """Filters, first-layer maps and probabilities for the probe digit (eval mode, no gradients)."""
        model = capture.model
        model.eval()
        try:
            activations = capture(self._probe_image)
        finally:
            model.train()
        first = getattr(model, model.conv_layers()[0])
        return Probe(
            first.weight.detach().numpy().copy(), first.bias.detach().numpy().copy(),
            activations["relu1"], activations["probabilities"],
        )

    def _pause_point(self) -> bool:
        """Between batches: wait here while paused; False if the job should stop."""
        if not self._run.is_set() and not self._stop.is_set():
            self._update(state="paused")
            self._run.wait()
            if not self._stop.is_set():
                self._update(state="running")
        return not self._stop.is_set()

    def _count_step(self) -> None:
        """After a batch: if stepping, pause once the requested batches are done."""
        if self._steps_left is not None:
            self._steps_left -= 1
            if self._steps_left <= 0:
                self._run.clear()

    def _work(self) -> None:
        try:
            digits = self._load_digits()
            train_set, val_set = split(digits, self._val_fraction, self.config.seed)
            self.model = build_model(self.model_config, seed=self.config.seed)
            capture = ActivationCapture(self.model, ["relu1", self.model.conv_layers()[0]])
            if self._stop.is_set():
                return
            self._update(message=f"Training on {train_set.source}; {len(val_set):,} held out for validation.",
                         probe=self._look_at_probe(capture))
            if not self._pause_point():
                self._update(state="stopped")
                return
            self._update(state="running")
            self._train(train_set, val_set, capture)
        except Exception as error:  # noqa: BLE001 - the page shows why, the thread must not die silently
            self._update(state="failed", message=f"Training failed: {error}")
        finally:
            if self._on_end is not None:
                self._on_end(self)

    def _train(self, train_set: Digits, val_set: Digits, capture: ActivationCapture) -> None:
        run = train(self.model, train_set, self.config, val_set)
        last_probe = time.perf_counter()
        started = time.perf_counter()
        paused_for = 0.0
        try:
            for event in run:
                if isinstance(event, BatchEnd):
                    now = time.perf_counter()
                    probe = None
                    if now - last_probe >= PROBE_INTERVAL:
                        probe, last_probe = self._look_at_probe(capture), now
                    with self._lock:
                        p = self._progress
                        p.epoch, p.batch, p.batches_per_epoch = event.epoch, event.batch, event.batches_per_epoch
                        p.step, p.total_steps = event.step, event.total_steps
                        p.images += event.images
                        p.seconds = now - started - paused_for
                        p.losses.append(event.loss)
                        for name, norm in event.grad_norms.items():
                            p.grad_norms.setdefault(name, []).append(norm)
                        if probe is not None:
                            p.probe = probe
                    pause_began = time.perf_counter()
                    self._count_step()
                    if not self._pause_point():
                        self._update(state="stopped")
                        return
                    paused_for += time.perf_counter() - pause_began
                else:
                    probe = self._look_at_probe(capture)
                    state = {name: tensor.detach().clone() for name, tensor in self.model.state_dict().items()}
                    with self._lock:
                        self._progress.epochs.append(event)
                        self._progress.probe = probe
                        self._progress.snapshots.append(Snapshot(event.epoch, state, probe))
            self._update(state="finished")
        finally:
            run.close()
            self.model.eval()


class JobRegistry:
    """Server-wide bookkeeping of training jobs: at most max_jobs train at once, one per owner."""

    def __init__(self, max_jobs: int = 2):
        self.max_jobs = max_jobs
        self._lock = threading.Lock()
        self._jobs: dict[str, TrainingJob] = {}  # owner (a session id) -> its running job

    def start(self, owner: str, make_job: Callable[[Callable[[TrainingJob], None]], TrainingJob], paused: bool = False) -> TrainingJob | None:
        """Start the owner's new job, replacing (stopping) its old one; None if the server is at its cap."""
        with self._lock:
            old = self._jobs.pop(owner, None)
        if old is not None:
            old.stop()  # its thread ends within a batch (or once its data has loaded)
        with self._lock:
            if len(self._jobs) >= self.max_jobs:
                return None
            job = make_job(lambda finished: self._release(owner, finished))
            self._jobs[owner] = job
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


def clock(seconds: float) -> str:
    """Seconds as m:ss (or h:mm:ss)."""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def describe(progress: Progress, epochs: int) -> str:
    """One line for the progress bar: epoch, batch, speed, elapsed time and time left."""
    if progress.step == 0:
        return "Loading the data..." if progress.state == "loading data" else "Ready: press Start or Step."
    text = (
        f"Epoch {progress.epoch} of {epochs} · batch {progress.batch} of {progress.batches_per_epoch} · "
        f"{progress.images_per_second:,.0f} digits/s · {clock(progress.seconds)} elapsed"
    )
    if progress.active and progress.eta_seconds is not None:
        text += f" · about {clock(progress.eta_seconds)} left"
    return text
