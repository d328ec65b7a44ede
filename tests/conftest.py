"""Shared fixtures: the bundled model, loaded once per test session."""

import pytest
import torch

from cnnviz import checkpoints

torch.set_num_threads(2)


@pytest.fixture(scope="session")
def bundled():
    """The bundled trained model, in eval mode."""
    return checkpoints.load_bundled()


def predict(model, tensor: torch.Tensor) -> tuple[int, float]:
    """(label, probability) the model gives a preprocessed input."""
    with torch.no_grad():
        probabilities = torch.softmax(model(tensor), dim=1)[0]
    return int(probabilities.argmax()), float(probabilities.max())
