"""Shared fixtures: the bundled model, loaded once per test session."""

import itertools
import subprocess
import sys

import numpy as np
import pytest
import torch

from cnnviz.data.handwriting import draw_digit
from cnnviz.data.mnist import Digits
from cnnviz.training import checkpoints

torch.set_num_threads(2)
pytest_plugins = ["browser_support"]  # its app_url and browser fixtures, for every browser test module


@pytest.fixture(scope="session")
def bundled():
    """The bundled trained model, in eval mode."""
    return checkpoints.load_bundled()


def run_cli(*args, cwd=None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m cnnviz ARGS...` in a fresh process, its output captured as text."""
    command = [sys.executable, "-m", "cnnviz", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=timeout)


def predict(model, tensor: torch.Tensor) -> tuple[int, float]:
    """(label, probability) the model gives a preprocessed input."""
    with torch.no_grad():
        probabilities = torch.softmax(model(tensor), dim=1)[0]
    return int(probabilities.argmax()), float(probabilities.max())


@pytest.fixture(scope="session")
def digits() -> Digits:
    """200 synthetic digits, 20 of each class, white on black like MNIST: enough to see learning."""
    images, labels = [], []
    for digit, seed in itertools.product(range(10), range(20)):
        images.append(255 - torch.from_numpy(np.array(draw_digit(digit, 28, seed=seed, pen=0.12))))
        labels.append(digit)
    return Digits(torch.stack(images).to(torch.uint8), torch.tensor(labels), "synthetic digits")


@pytest.fixture
def classes(tmp_path):
    """A class database of its own (an SQLite file in tmp_path), closed after the test."""
    from cnnviz.classroom.store import ClassStore

    store = ClassStore(f"sqlite:///{tmp_path / 'classes.sqlite3'}")
    yield store
    store.close()
