"""What a training job reports: its state, the probe digit's view, epoch snapshots, and the progress record."""

import enum
from dataclasses import dataclass, field

import numpy as np
import torch

from cnnviz.training.engine import EpochEnd


class State(enum.Enum):
    """Where a training job is in its life."""

    WAITING = "waiting for a free slot"
    LOADING = "loading data"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"
    FAILED = "failed"

    @property
    def active(self) -> bool:
        """Whether the job still holds its thread (it may yet train)."""
        return self in (State.WAITING, State.LOADING, State.RUNNING, State.PAUSED)


@dataclass
class Probe:
    """What the model does with the probe digit at one moment."""

    filters: np.ndarray  # first conv layer's weights (O, 1, k, k)
    biases: np.ndarray  # (O,)
    maps: np.ndarray  # first layer's feature maps after ReLU (O, 28, 28)
    probabilities: np.ndarray  # (classes,)


@dataclass
class Snapshot:
    """The model at the end of an epoch (epoch 0: its random start): weights to scrub back to, and the probe."""

    epoch: int
    state: dict[str, torch.Tensor]
    probe: Probe


@dataclass
class Progress:
    """Everything a page shows about a run. Copies handed out by TrainingJob.progress() are the caller's own."""

    state: State = State.WAITING
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
    batch_seen: np.ndarray | None = None  # the last batch as the network saw it (B, 28, 28) in [0, 1], augmented
    batch_original: np.ndarray | None = None  # the same digits before augmentation

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
        return self.state.active
