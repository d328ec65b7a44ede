"""Where a model goes wrong: scored on held-out digits, a confusion matrix, and its mistakes, most confident first.

The digits are the official MNIST test set when it is at hand (a folder, or torchvision's download
when online), otherwise the offline sample's digits held out from training (evaluation only, never
trained on).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from cnnviz.data.mnist import DEFAULT_CACHE, Digits, load_mnist_test, load_offline_sample, normalize, split
from cnnviz.network.model import Network

MNIST_DIR_VARIABLE = "CNNVIZ_MNIST_DIR"  # a folder with the MNIST test set's IDX files, for the app
VALIDATION_SPLIT = (0.1, 0)  # the (fraction, seed) the bundled model and the Train page hold out


@torch.no_grad()
def predict_all(model: torch.nn.Module, digits: Digits, batch_size: int = 1000) -> torch.Tensor:
    """Softmax probabilities (N, classes) for every digit, in eval mode; the model's mode is restored."""
    was_training = model.training
    model.eval()
    try:
        return torch.cat(
            [
                torch.softmax(model(normalize(digits.images[start : start + batch_size])), dim=1)
                for start in range(0, len(digits), batch_size)
            ]
        )
    finally:
        model.train(was_training)


@dataclass(frozen=True)
class Evaluation:
    """A model's answers on a set of held-out digits."""

    digits: Digits
    probabilities: np.ndarray  # (N, outputs): the answer classes, and "not a digit" last if the model has it
    answers: int | None = None  # how many outputs are answer classes (None: all)

    @property
    def predicted(self) -> np.ndarray:
        """The answer class each digit is read as (never "not a digit": that is a verdict, not a reading)."""
        return self.probabilities[:, : self.answers].argmax(axis=1)

    @property
    def rejected(self) -> float:
        """Share of the digits whose "not a digit" output won (0 for a model without it)."""
        if self.answers is None or self.answers == self.probabilities.shape[1]:
            return 0.0
        return float((self.probabilities.argmax(axis=1) >= self.answers).mean())

    @property
    def labels(self) -> np.ndarray:
        return self.digits.labels.numpy()

    @property
    def confusion(self) -> np.ndarray:
        """(classes, classes) counts: rows the true digit, columns the prediction."""
        classes = self.probabilities[:, : self.answers].shape[1]
        matrix = np.zeros((classes, classes), dtype=np.int64)
        np.add.at(matrix, (self.labels, self.predicted), 1)
        return matrix

    @property
    def accuracy(self) -> float:
        return float((self.predicted == self.labels).mean())

    def per_class(self) -> np.ndarray:
        """Accuracy of each true class (NaN for a class with no digits)."""
        matrix = self.confusion
        with np.errstate(invalid="ignore", divide="ignore"):
            return matrix.diagonal() / matrix.sum(axis=1)

    def mistakes(self) -> np.ndarray:
        """Indices of every wrong answer, the most confident first."""
        return self._most_confident_first(self.predicted != self.labels)

    def cell(self, true: int, predicted: int) -> np.ndarray:
        """Indices of the digits in one cell of the confusion matrix, the most confident answers first."""
        return self._most_confident_first((self.labels == true) & (self.predicted == predicted))

    def _most_confident_first(self, chosen: np.ndarray) -> np.ndarray:
        indices = np.flatnonzero(chosen)
        return indices[np.argsort(-self.probabilities[indices, : self.answers].max(axis=1), kind="stable")]


def evaluate(model: Network, digits: Digits) -> Evaluation:
    """The model's softmax answers for every digit (eval mode)."""
    return Evaluation(digits, predict_all(model, digits).numpy(), len(model.config.answers))


def held_out_digits(mnist_dir: Path | None = None) -> Digits:
    """The MNIST test set if at hand (mnist_dir, $CNNVIZ_MNIST_DIR, torchvision's cache), else the held-out sample."""
    folders = [mnist_dir, os.environ.get(MNIST_DIR_VARIABLE), DEFAULT_CACHE / "MNIST" / "raw"]
    for folder in (Path(f) for f in folders if f):
        try:
            return load_mnist_test(folder)
        except (OSError, ValueError):
            continue
    _, held_out = split(load_offline_sample(), *VALIDATION_SPLIT)
    return held_out


def as_tensor(digits: Digits, index: int) -> torch.Tensor:
    """One digit as the network's normalised input (1, 1, 28, 28)."""
    return normalize(digits.images[index : index + 1])
