"""Honest confidence: temperature scaling fitted on held-out digits, and how far confidence is from accuracy.

Guo et al. (2017), "On Calibration of Modern Neural Networks": one number T divides the logits;
it changes no answer, only how sure each answer sounds.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

BINS = 15  # confidence bins for the expected calibration error


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The temperature T > 0 that minimises the cross-entropy of softmax(logits / T) on these labels."""
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def loss():
        optimizer.zero_grad()
        value = F.cross_entropy(logits / log_t.exp(), labels)
        value.backward()
        return value

    optimizer.step(loss)
    return float(log_t.detach().exp())


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> float:
    """Average gap between confidence and accuracy over equal-width confidence bins, weighted by their share."""
    confidence = probabilities.max(axis=1)
    right = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0, 1, bins + 1)
    error = 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            error += inside.mean() * abs(confidence[inside].mean() - right[inside].mean())
    return float(error)


@torch.no_grad()
def fold_temperature(last_layer: nn.Linear, temperature: float) -> None:
    """Divide the last layer's weights and bias by T, so the model's own softmax is the calibrated one."""
    last_layer.weight /= temperature
    last_layer.bias /= temperature
