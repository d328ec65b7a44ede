"""Teaching new classes in the background: the transfer model's result first, then from scratch, then the curve.

A TeachingJob holds back some examples of each class for scoring, teaches the frozen-filter network
(quick: its conv layers run once), publishes its score, teaches the same network from scratch,
publishes that, then fills in the learning curve point by point. The page shows each result as it
arrives; Stop (or the tab closing) ends it between steps, and a time budget bounds it.
"""

import time
from dataclasses import dataclass, field

import numpy as np

from cnnviz.network.model import Network
from cnnviz.training.jobs import BackgroundJob
from cnnviz.training.progress import State
from cnnviz.training.transfer import (
    STEPS,
    Examples,
    accuracy,
    check_examples,
    curve_sizes,
    fit,
    scratch_model,
    transfer_model,
)

TIME_BUDGET = 90.0  # seconds a teaching may take in all; the learning curve is cut short beyond it


@dataclass
class Teaching:
    """What a teaching has found so far; a copy is handed to the page at every look."""

    state: State = State.WAITING
    message: str = ""
    step: int = 0  # networks taught so far
    total_steps: int = 0
    learned: Examples | None = None  # the examples both networks learn from ...
    held_out: Examples | None = None  # ... and those they are scored on, never seen while learning
    transfer: Network | None = None
    scratch: Network | None = None
    transfer_accuracy: float | None = None
    scratch_accuracy: float | None = None
    transfer_seconds: float | None = None  # how long each took to learn
    scratch_seconds: float | None = None
    curve: list[tuple[int, float, float]] = field(default_factory=list)  # (examples per class, transfer, scratch)

    @property
    def active(self) -> bool:
        return self.state.active


def hold_back(examples: Examples, seed: int = 0) -> tuple[Examples, Examples]:
    """(to learn from, to score on): a third of each class's examples held back, at least one.

    With the fewest the page accepts, three of a class, one is held back and two are learned from.
    """
    check_examples(examples)
    fewest = int(np.bincount(examples.labels.numpy(), minlength=len(examples.classes)).min())
    return examples.split(max(1, fewest // 3), seed)


class TeachingJob(BackgroundJob):
    """Transfer learning and learning from scratch on a few examples, in a background thread."""

    thread_name = "cnnviz-teaching"
    what = "teaching"

    def __init__(self, base: Network, examples: Examples, seed: int = 0, budget: float = TIME_BUDGET):
        super().__init__(Teaching())
        self.base, self.examples, self.seed, self.budget = base, examples, seed, budget
        learned, held_out = hold_back(examples, seed)
        self._sizes = curve_sizes(learned)
        self._progress.learned, self._progress.held_out = learned, held_out
        self._progress.total_steps = 2 + len(self._sizes)

    def expected_seconds(self) -> float:
        return 2.0 + 1.5 * len(self._sizes)

    def remaining_seconds(self) -> float:
        progress = self.progress()
        return self.expected_seconds() * (1 - progress.step / max(1, progress.total_steps))

    def _work(self) -> None:
        started = time.monotonic()
        keep_going = lambda: not self._stopping and time.monotonic() - started < self.budget  # noqa: E731
        learned, held_out, classes = self._progress.learned, self._progress.held_out, self.examples.classes
        self._update(state=State.RUNNING, message="Teaching the network with frozen digit filters...")
        for name, make in (("transfer", transfer_model), ("scratch", scratch_model)):
            self._use_threads()
            began = time.monotonic()
            model = fit(make(self.base, classes, self.seed), learned, seed=self.seed, keep_going=keep_going)
            if self._stopped():
                return
            with self._changed:
                setattr(self._progress, name, model)
                setattr(self._progress, f"{name}_accuracy", accuracy(model, held_out))
                setattr(self._progress, f"{name}_seconds", time.monotonic() - began)
                self._progress.step += 1
                self._progress.message = "Teaching the same network from scratch..." if name == "transfer" else ""
                self._changed.notify_all()
        for per_class in self._sizes:  # the learning curve: both again, on 1, 2, ... examples per class
            if not keep_going():
                self._update(message=f"The learning curve was cut short after {self.budget:.0f} s.")
                break
            self._use_threads()
            few = learned.first(per_class)
            point = [
                accuracy(fit(make(self.base, classes, self.seed), few, STEPS // 2, self.seed, keep_going), held_out)
                for make in (transfer_model, scratch_model)
            ]
            if self._stopped():
                return
            with self._changed:
                self._progress.curve.append((per_class, *point))
                self._progress.step += 1
                self._changed.notify_all()
        self._update(state=State.FINISHED)

    def progress(self) -> Teaching:
        with self._changed:
            copied = Teaching(**{**self._progress.__dict__})
            copied.curve = list(self._progress.curve)
            return copied
