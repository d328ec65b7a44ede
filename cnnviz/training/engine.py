"""The training engine: a generator that trains a model and yields a progress event after every batch."""

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.data.mnist import Digits, augment, normalize

OPTIMIZERS = ("adam", "sgd")
VALIDATION_CHUNK = 1000  # validation digits scored between two Validating events


@dataclass(frozen=True)
class TrainConfig:
    """How to train; every field has a default that reproduces the bundled model."""

    epochs: int = 30  # passes over the training digits
    batch_size: int = 64  # digits per gradient step
    learning_rate: float = 3e-3  # peak learning rate of the one-cycle schedule
    optimizer: str = "adam"  # "adam" (AdamW) or "sgd" (with momentum)
    momentum: float = 0.9  # SGD only
    weight_decay: float = 1e-4  # L2 pull towards zero on every weight
    one_cycle: bool = True  # warm up then anneal the learning rate; False keeps it constant
    augment: bool = True  # random small rotations, shifts, zooms and pen widths
    seed: int = 0  # one seed for weights, shuffling and augmentation
    max_batches: int | None = None  # stop after this many batches in all (quick runs and tests)
    outliers_per_batch: int = 16  # non-digits added to each batch, when train() is given any
    outlier_weight: float = 0.3  # weight of their loss: towards "not a digit", or equal odds without that class

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, not {self.optimizer!r}")
        if self.epochs < 1 or self.batch_size < 1 or self.learning_rate <= 0:
            raise ValueError("epochs, batch_size and learning_rate must be positive")


@dataclass
class BatchEnd:
    """Sent after each optimisation step."""

    epoch: int  # 1-based
    batch: int  # 1-based within the epoch
    batches_per_epoch: int
    step: int  # 1-based over the whole run
    total_steps: int
    loss: float  # mean cross-entropy of this batch
    accuracy: float  # fraction of this batch classified right (before the step)
    images: int  # digits in this batch
    learning_rate: float
    grad_norms: dict[str, float] = field(default_factory=dict)  # L2 norm of each layer's weight gradient
    original: torch.Tensor | None = None  # the batch's digits (B, 28, 28) in [0, 1], as stored
    seen: torch.Tensor | None = None  # the same digits as the network saw them (augmented)


@dataclass
class Validating:
    """Sent while the validation digits are scored at an epoch's end, after each chunk: a caller may stop here."""

    epoch: int
    done: int  # validation digits scored so far
    total: int


@dataclass
class EpochEnd:
    """Sent after each epoch, with loss and accuracy on the training and validation digits."""

    epoch: int
    train_loss: float  # mean over the epoch's batches (with augmentation and dropout on)
    train_accuracy: float
    val_loss: float | None  # None when there is no validation set
    val_accuracy: float | None
    seconds: float  # wall time of the epoch's training steps


def make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """The optimiser the config names."""
    if config.optimizer == "sgd":
        return torch.optim.SGD(
            model.parameters(), lr=config.learning_rate, momentum=config.momentum, weight_decay=config.weight_decay
        )
    return torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)


@torch.no_grad()
def evaluate(model: nn.Module, digits: Digits, batch_size: int = 1000) -> tuple[float, float]:
    """(mean loss, accuracy) of the model on the digits, in eval mode; the model's mode is restored."""
    was_training = model.training
    model.eval()
    total_loss, correct = 0.0, 0
    try:
        for start in range(0, len(digits), batch_size):
            logits = model(normalize(digits.images[start : start + batch_size]))
            labels = digits.labels[start : start + batch_size]
            total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
    finally:
        model.train(was_training)
    return total_loss / len(digits), correct / len(digits)


def _outlier_loss(logits: torch.Tensor, rejects: bool) -> torch.Tensor:
    """Cross-entropy of non-digits towards the last class ("not a digit"), or towards equal odds without one."""
    if rejects:
        return F.cross_entropy(logits, torch.full((len(logits),), logits.shape[1] - 1, dtype=torch.int64))
    return -F.log_softmax(logits, dim=1).mean()


def train(
    model: nn.Module,
    train_set: Digits,
    config: TrainConfig,
    val_set: Digits | None = None,
    outliers: torch.Tensor | None = None,
) -> Iterator[BatchEnd | Validating | EpochEnd]:
    """Train the model in place, yielding a BatchEnd after every step and an EpochEnd after every epoch.

    Validating events come between: after each chunk of validation digits, so a caller can stop
    even while a large validation set is scored.

    With outliers (N, 28, 28) uint8 images that are not digits, each batch also holds
    config.outliers_per_batch of them, so the model learns to say when it sees no digit. A model
    whose last class is "not a digit" learns them as that class: its other outputs stay free to
    show which digit a shape resembles. Without that class they are trained towards equal odds
    for every class ("outlier exposure", Hendrycks et al. 2019).
    The caller controls the pace: it can pause between events, or stop by closing the generator.
    """
    run = _Run(model, config, len(train_set), outliers)
    for epoch in range(1, config.epochs + 1):
        model.train()
        started = time.perf_counter()
        loss_sum, correct, seen = yield from _epoch(run, train_set, epoch)
        seconds = time.perf_counter() - started
        val_loss = val_accuracy = None
        if val_set is not None and len(val_set):
            val_loss, val_accuracy = yield from _validate(model, val_set, epoch)
        model.train()
        yield EpochEnd(epoch, loss_sum / seen, correct / seen, val_loss, val_accuracy, seconds)
        if run.step >= run.total_steps:
            return


class _Run:
    """What one run carries from batch to batch: the optimiser and its schedule, the random generator, the step."""

    def __init__(self, model: nn.Module, config: TrainConfig, digits: int, outliers: torch.Tensor | None):
        self.model, self.config, self.step = model, config, 0
        self.batches_per_epoch = math.ceil(digits / config.batch_size)
        self.total_steps = self.batches_per_epoch * config.epochs
        if config.max_batches is not None:
            self.total_steps = min(self.total_steps, config.max_batches)
        self.generator = torch.Generator().manual_seed(config.seed)  # shuffling and augmentation
        dropout_generator = torch.Generator().manual_seed(config.seed + 1)
        for info in model.layers():
            if info.spec.drops:  # dropout draws its masks from the run's own generator
                info.module.generator = dropout_generator
        self.optimizer = make_optimizer(model, config)
        one_cycle = torch.optim.lr_scheduler.OneCycleLR
        self.schedule = (
            one_cycle(self.optimizer, max_lr=config.learning_rate, total_steps=self.total_steps)
            if config.one_cycle
            else None
        )
        self.weights = {  # each conv and linear layer's weights, by layer name (a residual block's own layers too)
            info.name: info.module.weight
            for info in model.layers()
            if getattr(info.module, "weight", None) is not None and info.module.weight.dim() > 1
        }
        self.rejects = getattr(getattr(model, "config", None), "rejects", False)
        with_outliers = outliers is not None and len(outliers) and config.outliers_per_batch
        self.outliers = _outlier_batches(outliers, config.outliers_per_batch, self.generator) if with_outliers else None


def _outlier_batches(outliers: torch.Tensor, size: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """Endless batches of `size` non-digits (size, 28, 28) in [0, 1]: each pass over them in a new shuffled order."""
    while True:
        order = torch.randperm(len(outliers), generator=generator)
        for start in range(0, max(len(order) - size, 0) + 1, size):
            yield outliers[order[start : start + size]].float() / 255


def _epoch(run: _Run, train_set: Digits, epoch: int) -> Iterator[BatchEnd]:
    """One pass over the training digits in a new order, a BatchEnd after each step; returns (loss sum, right, seen)."""
    size = run.config.batch_size
    order = torch.randperm(len(train_set), generator=run.generator)
    loss_sum, correct, seen = 0.0, 0, 0
    for batch in range(1, run.batches_per_epoch + 1):
        indices = order[(batch - 1) * size : batch * size]
        original = train_set.images[indices].float() / 255  # (B, 28, 28) in [0, 1]
        event = _learn_batch(run, original, train_set.labels[indices], epoch, batch)
        loss_sum += event.loss * event.images
        correct += round(event.accuracy * event.images)
        seen += event.images
        yield event
        if run.step >= run.total_steps:
            break
    return loss_sum, correct, seen


def _learn_batch(run: _Run, original: torch.Tensor, labels: torch.Tensor, epoch: int, batch: int) -> BatchEnd:
    """One gradient step on one batch of digits, its non-digits added."""
    digits = len(labels)
    if run.outliers is not None:
        original = torch.cat([original, next(run.outliers)])
    pixels = augment(original, run.generator) if run.config.augment else original
    logits = run.model(normalize(pixels))  # (B, classes) from (B, 1, 28, 28)
    loss = F.cross_entropy(logits[:digits], labels)
    if run.outliers is not None:
        loss = loss + run.config.outlier_weight * _outlier_loss(logits[digits:], run.rejects)
    run.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    grad_norms = {name: p.grad.norm().item() for name, p in run.weights.items()}
    learning_rate = run.optimizer.param_groups[0]["lr"]
    run.optimizer.step()
    if run.schedule is not None:
        run.schedule.step()
    run.step += 1
    right = (logits[:digits].argmax(1) == labels).sum().item()
    return BatchEnd(
        epoch,
        batch,
        run.batches_per_epoch,
        run.step,
        run.total_steps,
        loss=loss.item(),
        accuracy=right / digits,
        images=digits,
        learning_rate=learning_rate,
        grad_norms=grad_norms,
        original=original[:digits],
        seen=pixels[:digits],
    )


def _validate(model: nn.Module, val_set: Digits, epoch: int) -> Iterator[Validating]:
    """Score the validation digits a chunk at a time, a Validating event after each; returns (mean loss, accuracy)."""
    loss_sum, correct = 0.0, 0
    for start in range(0, len(val_set), VALIDATION_CHUNK):
        chunk = val_set.subset(torch.arange(start, min(start + VALIDATION_CHUNK, len(val_set))))
        chunk_loss, chunk_accuracy = evaluate(model, chunk)
        loss_sum += chunk_loss * len(chunk)
        correct += round(chunk_accuracy * len(chunk))
        yield Validating(epoch, start + len(chunk), len(val_set))
    return loss_sum / len(val_set), correct / len(val_set)
