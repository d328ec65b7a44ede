"""Work in a background thread that a page can watch, pause, step and stop: training, and teaching new classes.

`BackgroundJob` holds what every job shares: one `threading.Condition` guarding the state and what
the worker has been asked to do (pause, steps left, stop), done-callbacks, and a life that may begin
waiting for a free slot (see cnnviz.training.registry). `TrainingJob` trains a model on digits; the Teach
page's job is cnnviz.training.teaching.TeachingJob. Nothing here knows about Streamlit.
"""

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import torch

from cnnviz.data.mnist import Digits, split
from cnnviz.network.capture import ActivationCapture
from cnnviz.network.layers import Architecture
from cnnviz.network.model import ModelConfig, Network, as_architecture, build_model
from cnnviz.training.budget import check_budget
from cnnviz.training.engine import BatchEnd, EpochEnd, TrainConfig, Validating, train
from cnnviz.training.progress import Probe, Progress, Snapshot, State

PROBE_INTERVAL = 0.5  # seconds between looks at the probe digit: often enough to watch, rare enough to cost nothing
SETTLE_TIMEOUT = 2.0  # longest a caller waits for the worker to reach a pause
SLOW_MOTION = 0.5  # seconds per batch in slow motion: each one stays on screen long enough to be seen
DIGITS_PER_SECOND = 2500  # about how fast one job trains on one core: for estimates of waiting times


class BackgroundJob:
    """One piece of work in its own daemon thread, controlled with start/pause/resume/step/stop.

    Subclasses implement `_work()`, calling `_may_go_on()` between steps, and keep their own
    progress record in `self._progress` (a dataclass with a `state` field), read with `progress()`.
    """

    thread_name = "cnnviz-job"
    what = "the work"  # in words, for messages

    def __init__(self, progress):
        self.threads: int | None = None  # PyTorch threads to work with (set by a JobRegistry); None: leave as is
        self._changed = threading.Condition()  # guards every field below, and is notified whenever one changes
        self._progress = progress
        self._paused = False
        self._paused_at: float | None = None  # when the worker last reached a pause (time.monotonic)
        self._steps_left: int | None = None  # steps to run before pausing again (Step)
        self._stopping = False
        self._callbacks: list[Callable[[BackgroundJob], None]] = []
        self._done = False
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)

    # --- control, from any thread -------------------------------------------------------

    def start(self, paused: bool = False) -> "BackgroundJob":
        """Start the worker thread (paused before the first step if asked); a job stopped while waiting stays so."""
        with self._changed:
            if self._done:
                return self
            self._paused = paused and self._steps_left is None  # a Step asked while waiting still runs its steps
            if self._progress.state == State.WAITING:
                self._progress.state = State.LOADING
        self._thread.start()
        return self

    def pause(self, wait: bool = False) -> None:
        """Pause at the next step boundary; with wait, return once paused (or ended)."""
        with self._changed:
            self._paused = True
            self._changed.notify_all()
            if wait and self._thread.is_alive():
                self._changed.wait_for(lambda: self._progress.state != State.RUNNING, SETTLE_TIMEOUT)

    def resume(self) -> None:
        """Go on without pausing."""
        with self._changed:
            self._paused, self._steps_left = False, None
            self._changed.notify_all()

    def step(self, steps: int = 1, wait: bool = False) -> None:
        """Run this many steps, then pause; with wait, return once they are done."""
        with self._changed:
            done = self._progress.step + steps
            self._paused, self._steps_left = False, steps
            self._changed.notify_all()
            if wait and self._thread.is_alive():
                self._changed.wait_for(
                    lambda: (
                        not self._progress.active
                        or (self._progress.state == State.PAUSED and self._progress.step >= done)
                    ),
                    SETTLE_TIMEOUT,
                )

    def stop(self, message: str | None = None) -> None:
        """Stop at the next step boundary (within a step's time); a job still waiting for a slot ends at once.

        Work that cannot be interrupted (loading data) reports "stopped" at once, and its thread ends
        as soon as that work does.
        """
        with self._changed:
            self._stopping = True
            if message:
                self._progress.message = message
            never_started = self._progress.state == State.WAITING
            if self._progress.state in (State.WAITING, State.LOADING):
                self._progress.state = State.STOPPED
            self._changed.notify_all()
        if never_started:
            self._finish()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the worker to end; True if it has (a job that never started has nothing to wait for)."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def add_done_callback(self, callback: Callable[["BackgroundJob"], None]) -> None:
        """Call callback(job) when the job ends (at once if it has), as concurrent.futures does."""
        with self._changed:
            if not self._done:
                self._callbacks.append(callback)
                return
        callback(self)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def paused_for(self) -> float:
        """Seconds the worker has been waiting in a pause (0 while it works)."""
        with self._changed:
            if self._progress.state != State.PAUSED or self._paused_at is None:
                return 0.0
            return time.monotonic() - self._paused_at

    def expected_seconds(self) -> float:
        """About how long the whole job takes once started (for estimates of waiting times)."""
        return 30.0

    def remaining_seconds(self) -> float:
        """About how long until the job ends, if it goes on without pausing."""
        return self.expected_seconds()

    def progress(self):
        """A copy of the progress record, safe to read while the work goes on."""
        with self._changed:
            return copy.copy(self._progress)

    # --- the worker ----------------------------------------------------------------------

    def _work(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        try:
            self._work()
        except Exception as error:  # noqa: BLE001 - the page shows why, the thread must not die silently
            self._update(state=State.FAILED, message=f"{self.what.capitalize()} failed: {error}")
        finally:
            self._finish()

    def _finish(self) -> None:
        with self._changed:
            if self._done:
                return
            self._done = True
            callbacks, self._callbacks = self._callbacks, []
            self._changed.notify_all()
        for callback in callbacks:
            callback(self)

    def _update(self, **changes) -> None:
        with self._changed:
            for name, value in changes.items():
                setattr(self._progress, name, value)
            self._changed.notify_all()

    def _stopped(self) -> bool:
        """Whether stop was asked (the state says so from then on)."""
        with self._changed:
            if self._stopping:
                self._progress.state = State.STOPPED
                self._changed.notify_all()
            return self._stopping

    def _may_go_on(self) -> bool:
        """Between steps: count a requested step, wait here while paused; False once asked to stop."""
        with self._changed:
            if self._steps_left is not None:
                self._steps_left -= 1
                if self._steps_left <= 0:
                    self._paused, self._steps_left = True, None
            return self._wait_while_paused()

    def _wait_while_paused(self) -> bool:
        """With the condition held: wait out a pause; False once asked to stop."""
        if self._paused and not self._stopping:
            self._progress.state = State.PAUSED
            self._paused_at = time.monotonic()
            self._changed.notify_all()
            self._changed.wait_for(lambda: not self._paused or self._stopping)
            self._paused_at = None
        if self._stopping:
            self._progress.state = State.STOPPED
            self._changed.notify_all()
            return False
        self._progress.state = State.RUNNING
        return True

    def _use_threads(self) -> None:
        """Set PyTorch's thread count in this worker thread to the registry's share (between steps)."""
        if self.threads and torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)


class Interrupted(Exception):
    """Stop was pressed in the middle of a batch."""


class TrainingJob(BackgroundJob):
    """One training run: a model learns digits, the page watches every batch."""

    thread_name = "cnnviz-training"
    what = "training"

    def __init__(
        self,
        load_digits: Callable[[], Digits],
        model_config: ModelConfig | Architecture,
        config: TrainConfig,
        probe_image: torch.Tensor,
        val_fraction: float = 0.1,
        train_size: int | None = None,
        slow_motion: bool = False,
        label: str = "",
    ):
        check_budget(as_architecture(model_config))  # LayerError naming the layer: refused before any work
        super().__init__(Progress())
        self.label = label  # what the network is, for people ("lenet5", "an edited list")
        self.model_config, self.config = model_config, config
        self._load_digits = load_digits
        self._probe_image = probe_image  # (1, 1, 28, 28)
        self._val_fraction = val_fraction
        self._train_size = train_size  # use only this many training digits (None: all); validation keeps its own
        self.slow_motion = slow_motion  # one batch every SLOW_MOTION seconds, for a class to follow
        self.model: Network | None = None

    @property
    def train_size(self) -> int | None:
        """How many training digits it was started with (None: all)."""
        return self._train_size

    def progress(self) -> Progress:
        """A copy of the progress record, safe to read while training goes on."""
        with self._changed:
            p = self._progress
            return replace(
                p,
                losses=list(p.losses),
                epochs=list(p.epochs),
                grad_norms={name: list(values) for name, values in p.grad_norms.items()},
                snapshots=list(p.snapshots),
            )

    def expected_seconds(self) -> float:
        """From the settings: batches in all at about DIGITS_PER_SECOND (or the slow-motion pace)."""
        digits = self._train_size or 4500
        batches = -(-digits // self.config.batch_size) * self.config.epochs
        if self.config.max_batches:
            batches = min(batches, self.config.max_batches)
        if self.slow_motion:
            return batches * SLOW_MOTION
        return batches * self.config.batch_size / DIGITS_PER_SECOND + 3 * self.config.epochs

    def remaining_seconds(self) -> float:
        progress = self.progress()
        if progress.eta_seconds is not None:
            return progress.eta_seconds
        return self.expected_seconds()

    def trained_model(self) -> Network | None:
        """A copy of the model in eval mode, once the worker has ended (None before)."""
        if self.alive or self.model is None:
            return None
        return copy.deepcopy(self.model).eval()

    def _look_at_probe(self, capture: ActivationCapture) -> Probe:
        """Filters, first-layer maps and probabilities for the probe digit (eval mode, no gradients)."""
        model = capture.model
        was_training = model.training
        model.eval()
        try:
            activations = capture(self._probe_image)
        finally:
            model.train(was_training)
        first = model.conv_layers()[0]
        conv = model.layer(first).module
        return Probe(
            conv.weight.detach().numpy().copy(),
            conv.bias.detach().numpy().copy(),
            activations[model.activated(first)],
            activations["probabilities"],
        )

    def _snapshot(self, epoch: int, probe: Probe) -> Snapshot:
        return Snapshot(epoch, {name: t.detach().clone() for name, t in self.model.state_dict().items()}, probe)

    def _work(self) -> None:
        digits = self._load_digits()
        train_set, val_set = split(digits, self._val_fraction, self.config.seed)
        if self._train_size is not None and self._train_size < len(train_set):
            train_set = train_set.subset(torch.arange(self._train_size), f"{self._train_size:,} of {train_set.source}")
        self.model = build_model(self.model_config, seed=self.config.seed)
        first = self.model.conv_layers()[0]
        capture = ActivationCapture(self.model, [first, self.model.activated(first)])
        probe = self._look_at_probe(capture)
        self._update(
            message=f"Training on {train_set.source}; {len(val_set):,} held out for validation.",
            probe=probe,
            snapshots=[self._snapshot(0, probe)],
        )
        with self._changed:
            if not self._wait_while_paused():
                return
        self._train(train_set, val_set, capture)

    def _interrupt_on_stop(self) -> list:
        """Hooks that end a batch half-way once Stop is pressed: at each layer, forward and backward, so Stop
        takes effect within one layer's work rather than a whole batch's."""

        def check(*_) -> None:
            if self._stopping:
                raise Interrupted

        def forward(module, inputs, output) -> None:
            check()
            if output.requires_grad:
                output.register_hook(check)

        return [layer.register_forward_hook(forward) for layer in self.model.children()]

    def _train(self, train_set: Digits, val_set: Digits, capture: ActivationCapture) -> None:
        run = train(self.model, train_set, self.config, val_set)
        last_probe = started = time.perf_counter()
        paused_for = 0.0
        hooks = self._interrupt_on_stop()
        try:
            for event in run:
                if isinstance(event, Validating):
                    if self._stopped():
                        return
                    continue
                if isinstance(event, EpochEnd):
                    probe = self._look_at_probe(capture)
                    snapshot = self._snapshot(event.epoch, probe)
                    with self._changed:
                        self._progress.epochs.append(event)
                        self._progress.probe = probe
                        self._progress.snapshots.append(snapshot)
                        self._changed.notify_all()
                    continue
                self._use_threads()
                now = time.perf_counter()
                probe = None
                if now - last_probe >= PROBE_INTERVAL or self.slow_motion:
                    probe, last_probe = self._look_at_probe(capture), now
                self._record(event, now - started - paused_for, probe)
                if self.slow_motion:
                    with self._changed:  # a wait a Stop can cut short; it counts as training time
                        self._changed.wait_for(lambda: self._stopping, SLOW_MOTION)
                pause_began = time.perf_counter()
                if not self._may_go_on():
                    return
                paused_for += time.perf_counter() - pause_began
            self._update(state=State.FINISHED)
        except Interrupted:  # Stop, in the middle of a batch: the weights are those after the last whole one
            self._stopped()
        finally:
            for hook in hooks:
                hook.remove()
            run.close()
            self.model.eval()

    def _record(self, event: BatchEnd, seconds: float, probe: Probe | None) -> None:
        with self._changed:
            p = self._progress
            p.epoch, p.batch, p.batches_per_epoch = event.epoch, event.batch, event.batches_per_epoch
            p.step, p.total_steps = event.step, event.total_steps
            p.images += event.images
            p.seconds = seconds
            p.losses.append(event.loss)
            for name, norm in event.grad_norms.items():
                p.grad_norms.setdefault(name, []).append(norm)
            if probe is not None:
                p.probe = probe
                p.batch_seen, p.batch_original = event.seen.numpy(), event.original.numpy()
            self._changed.notify_all()
