"""The real runs a lesson's questions are answered from: nothing is typed in, everything is measured here.

`Evidence` holds one model and one image; each run is done the first time a question asks for it
and kept. What depends on the model only (its scores on held-out digits, its file, teaching it new
shapes) is in `ModelRuns`, shared by every image; what depends on neither (three small training
runs, the two bundled designs scored side by side) is run once per process.
"""

import functools
import hashlib
import threading
import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch

from cnnviz.data.glyphs import SHAPES
from cnnviz.data.handwriting import draw_by_hand
from cnnviz.data.mnist import Digits, load_offline_sample, normalize, split
from cnnviz.insight.evaluation import VALIDATION_SPLIT, Evaluation, evaluate, held_out_digits
from cnnviz.insight.robustness import Adversarial, smallest_fooling_epsilon
from cnnviz.insight.verdict import answer_probabilities
from cnnviz.network.backprop import Backward, Step, backward, rate_sweep
from cnnviz.network.capture import ActivationCapture
from cnnviz.network.classes import DIGITS
from cnnviz.network.layers import Architecture, parse_layers
from cnnviz.network.model import Network, build_model
from cnnviz.network.presets import PRESETS
from cnnviz.reading.preprocess import Preprocessed, preprocess_image
from cnnviz.training import checkpoints, engine
from cnnviz.training.engine import TrainConfig
from cnnviz.training.jobs import TrainingJob
from cnnviz.training.progress import Progress, State
from cnnviz.training.teaching import Teaching
from cnnviz.training.transfer import accuracy, fit, ready_made_examples, scratch_model, transfer_model

OTHER_DIGITS = 300  # held-out digits that show what one step of learning does to everything else the network knows
STEP_RATE = 1e-3  # the learning rate of "one step" (the learning view starts on it)
BIG_RATE = 0.1  # the largest rate of the sweep: the one that shows a step too big
READINGS = 3  # how many times the image is read before the weights are looked at again
NOT_A_DIGIT = "house"  # the drawing the not-a-digit step shows (cnnviz.data.glyphs.SHAPES)
SMALL, LARGE = 100, 2000  # training digits of the small and the large run
RUN_SHARE = 0.5  # of the offline sample, chosen at random (it is sorted by digit): 2,500, a tenth held out
STEPS = 64  # gradient steps of every run: 32 epochs of 100 digits, or 2 epochs of 2,000, in batches of 64
FEW = 1  # drawings of each new shape the transfer step learns from ...
DRAWINGS = 10  # ... of this many of each: the others score it
PLAIN = PRESETS["modern"].replace(", dropout 0.3", "")  # today's network with nothing against overfitting


def weights_digest(model: Network) -> str:
    """A fingerprint of every weight and bias: the same digest means not one number changed."""
    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().contiguous().numpy().tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Readings:
    """The weights' digest before and after the image was read several times, and the answer each time."""

    before: str
    after: str
    probabilities: tuple[float, ...]  # the top answer's probability at each reading


@dataclass(frozen=True)
class TrainingRun:
    """One real training run of today's network on a few digits, and how it scores at the start and the end."""

    name: str  # for people: "100 digits, no augmentation"
    digits: int
    augment: bool
    progress: Progress  # what the Train page shows of a run: losses, epochs, snapshots, the last batch
    start_accuracy: float  # on the validation digits, with the random weights it started from
    train_accuracy: float  # at the end, on its own training digits (eval mode)
    val_accuracy: float  # at the end, on digits it never trained on

    @property
    def gap(self) -> float:
        """How much better it reads the digits it trained on than new ones: the mark of overfitting."""
        return self.train_accuracy - self.val_accuracy


@dataclass(frozen=True)
class TrainingRuns:
    """Three runs with the same number of steps: 100 digits plain, 100 with augmentation, 2,000 plain."""

    small: TrainingRun
    augmented: TrainingRun
    large: TrainingRun
    validation: int  # digits every run is scored on


@dataclass(frozen=True)
class Design:
    """A bundled network scored on held-out digits, with how many of its layers have weights."""

    name: str
    weight_layers: int
    evaluation: Evaluation


def other_digits() -> Digits:
    """Held-out digits of the offline sample (never trained on), for what a step does to everything else."""
    _, held_out = split(load_offline_sample(), *VALIDATION_SPLIT)
    return Digits(held_out.images[:OTHER_DIGITS], held_out.labels[:OTHER_DIGITS], "other digits")


def second_choice(probabilities: np.ndarray, classes: tuple[str, ...]) -> int:
    """The answer a network would be taught in one step of learning: its most likely answer class other than the one
    it gives (never "not a digit", which is a verdict, not an answer; its best digit when that is what it says)."""
    scores = answer_probabilities(probabilities, classes)
    order = [int(i) for i in np.argsort(-scores)]
    return order[1] if order[0] == int(np.argmax(probabilities)) else order[0]


def sample_training_digits() -> int:
    """How many digits of the offline sample are for training (the rest are held out): what the bundled models saw."""
    train, _ = split(load_offline_sample(), *VALIDATION_SPLIT)
    return len(train)


def learning_step(model: Network, image: torch.Tensor, label: int, others: Digits | None) -> tuple:
    """(Backward, one step at every rate, accuracy on the other digits before): one step of learning, measured."""
    found = backward(model, image, label)
    score = (lambda stepped: evaluate(stepped, others).accuracy) if others is not None else None
    steps = rate_sweep(model, image, found, score)
    before = evaluate(model, others).accuracy if others is not None else float("nan")
    return found, steps, before


def non_digit() -> Preprocessed:
    """A drawing that is not a digit (a house, by a steady hand), prepared as any image is."""
    return preprocess_image(draw_by_hand(SHAPES[NOT_A_DIGIT], 200, seed=3))


def weight_layers(model: Network) -> int:
    """How many of the model's layers learn weights (convolutions and dense layers)."""
    return sum(1 for info in model.layers() if isinstance(info.module, (torch.nn.Conv2d, torch.nn.Linear)))


def _run(name: str, digits: int, augment: bool, data: Digits, probe: torch.Tensor) -> TrainingRun:
    batches = -(-digits // 64)
    config = TrainConfig(
        epochs=STEPS // batches, batch_size=64, weight_decay=0.0, augment=augment, seed=0, outliers_per_batch=0
    )
    network = Architecture(parse_layers(PLAIN), DIGITS)
    job = TrainingJob(lambda: data, network, config, probe, val_fraction=0.1, train_size=digits, label=name)
    job.start()
    job.join()
    progress = job.progress()
    if job.model is None or not progress.epochs:
        raise RuntimeError(f"the training run {name!r} did not finish: {progress.message}")
    train_set, val_set = split(data, 0.1, config.seed)
    start = build_model(network, seed=config.seed)  # the same random weights the run started from
    return TrainingRun(
        name,
        digits,
        augment,
        progress,
        engine.evaluate(start, val_set)[1],
        engine.evaluate(job.model, train_set.subset(torch.arange(digits)))[1],
        engine.evaluate(job.model, val_set)[1],
    )


_ONCE = threading.Lock()  # two lessons asking at once for the runs below wait for one of them to do them


def training_runs() -> TrainingRuns:
    """The three runs (about ten seconds on two cores), once per process: they depend on no model or image."""
    with _ONCE:
        return _training_runs()


@functools.lru_cache(maxsize=1)
def _training_runs() -> TrainingRuns:
    _, data = split(load_offline_sample(), RUN_SHARE, 0)  # 2,500 digits of every kind, in random order
    _, val_set = split(data, 0.1, 0)
    probe = normalize(val_set.images[:1])  # (1, 1, 28, 28): the digit the runs' pictures follow
    return TrainingRuns(
        _run(f"{SMALL} digits, no augmentation", SMALL, False, data, probe),
        _run(f"{SMALL} digits, with augmentation", SMALL, True, data, probe),
        _run(f"{LARGE:,} digits, no augmentation", LARGE, False, data, probe),
        len(val_set),
    )


def designs() -> tuple[Design, Design]:
    """The two bundled networks (today's and LeNet-5) scored on the same held-out digits, once per process."""
    with _ONCE:
        return _designs()


@functools.lru_cache(maxsize=1)
def _designs() -> tuple[Design, Design]:
    digits = held_out_digits()
    found = []
    for name, model in (
        ("today's network", checkpoints.load_bundled()),
        ("LeNet-5", checkpoints.load_bundled(checkpoints.LENET_WEIGHTS)),
    ):
        found.append(Design(name, weight_layers(model), evaluate(model, digits)))
    return tuple(found)


class ModelRuns:
    """The runs about one model that do not depend on the image, each done once when first asked for."""

    def __init__(self, model: Network):
        self.model = model
        self._lock = threading.Lock()  # two pages asking at once wait for one run instead of starting two

    @cached_property
    def evaluation(self) -> Evaluation:
        """Its answers on digits it never trained on (the Mistakes page's digits)."""
        with self._lock:
            return evaluate(self.model, held_out_digits())

    @cached_property
    def file_bytes(self) -> int:
        """The size of its safetensors file, as a download would save it."""
        return len(checkpoints.to_bytes(self.model))

    @cached_property
    def teaching(self) -> Teaching:
        """Four new shapes taught from one drawing each (as the Teach page teaches): frozen filters and a new head,
        and the same network from scratch; scored on the other drawings."""
        with self._lock:
            few, held_out = ready_made_examples(per_class=DRAWINGS).split(DRAWINGS - FEW)
            taught = Teaching(state=State.FINISHED, step=2, total_steps=2, learned=few, held_out=held_out)
            for name, make in (("transfer", transfer_model), ("scratch", scratch_model)):
                began = time.monotonic()
                model = fit(make(self.model, few.classes), few)
                setattr(taught, name, model)
                setattr(taught, f"{name}_accuracy", accuracy(model, held_out))
                setattr(taught, f"{name}_seconds", time.monotonic() - began)
            return taught


class Evidence:
    """One image through one model, and every run a question may ask about, each done once when first asked for."""

    def __init__(self, model: Network, image: torch.Tensor, pixels: np.ndarray, runs: ModelRuns | None = None):
        self.model = model.eval()
        self.image = image  # (1, 1, 28, 28) normalised, as the network reads it
        self.pixels = pixels  # (28, 28) in [0, 1]
        self.runs = runs or ModelRuns(model)

    @cached_property
    def activations(self) -> dict[str, np.ndarray]:
        return ActivationCapture(self.model)(self.image)

    @cached_property
    def runner_up(self) -> int:
        """Its second choice (second_choice): the label one step of learning is taught."""
        return second_choice(self.activations["probabilities"], self.model.classes)

    @cached_property
    def step(self) -> tuple[Backward, list[Step], float]:
        """One step of learning towards the runner-up, at every rate, and the other digits' accuracy before."""
        return learning_step(
            self.model, self.image, self.runner_up, other_digits() if self.model.config.is_digits else None
        )

    @cached_property
    def readings(self) -> Readings:
        """The weights' digest, then the image read READINGS times, then the digest again."""
        before = weights_digest(self.model)
        capture = ActivationCapture(self.model)
        tops = tuple(float(capture(self.image)["probabilities"].max()) for _ in range(READINGS))
        return Readings(before, weights_digest(self.model), tops)

    @cached_property
    def nudge(self) -> Adversarial:
        """The smallest one-step (FGSM) nudge that changes the answer, as the "Can it be fooled?" view finds it."""
        return smallest_fooling_epsilon(self.model, self.pixels, 1)

    @cached_property
    def non_digit(self) -> tuple[Preprocessed, np.ndarray]:
        """The drawing that is not a digit, and the model's probabilities for it."""
        prepared = non_digit()
        return prepared, ActivationCapture(self.model)(prepared.tensor)["probabilities"]
