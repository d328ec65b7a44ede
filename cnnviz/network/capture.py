"""Activation capture: one forward pass returns every layer's output, keyed by layer name."""

import numpy as np
import torch
from torch import nn

PROBABILITIES = "probabilities"  # the softmax of the last layer, added to every capture


def layer_names(model: nn.Module) -> list[str]:
    """Names of the model's layers in forward order (e.g. conv1, relu1, pool1, ..., fc2)."""
    return [name for name, _ in model.named_children()]


class ActivationCapture:
    """Runs a model layer by layer so one forward pass returns {layer_name: activation} for the chosen layers.

    The model is a flat nn.Sequential, so walking its layers in order is its forward pass. This is
    deliberately not torchvision's create_feature_extractor: FX tracing patches
    torch.nn.Module.__call__ for the whole process while it runs, which breaks forward passes in
    other threads (a training job, another student's page). Nor forward hooks: on a model shared by
    every session, a hook would see every session's tensors.
    """

    def __init__(self, model: nn.Sequential, layers: list[str] | None = None):
        if not isinstance(model, nn.Sequential):
            raise TypeError("ActivationCapture needs an nn.Sequential model such as DigitCNN")
        valid = layer_names(model)
        self.layers = list(layers) if layers is not None else valid
        unknown = [name for name in self.layers if name not in valid]
        if unknown:
            raise ValueError(f"unknown layer(s) {', '.join(unknown)}; valid layers are {', '.join(valid)}")
        self.model = model
        self.logits_layer = valid[-1]

    @torch.no_grad()
    def __call__(self, image: torch.Tensor) -> dict[str, np.ndarray]:
        """Activations for one image (1, 1, 28, 28), batch axis dropped, plus softmax probabilities.

        Layers act in the model's own mode: dropout only in training mode.
        """
        wanted = set(self.layers)
        activations = {}
        x = image
        for name, layer in self.model.named_children():
            x = layer(x)
            if name in wanted:
                activations[name] = x[0].numpy()
        activations[PROBABILITIES] = torch.softmax(x, dim=1)[0].numpy()  # x: the logits
        return activations


def max_pool_winners(activation: np.ndarray, kernel: int = 2) -> np.ndarray:
    """Boolean mask (C, H, W): True at the cell that won each max-pooling window.

    Ties go to the first cell in reading order, as in PyTorch.
    """
    c, h, w = activation.shape
    _, indices = torch.nn.functional.max_pool2d(torch.from_numpy(activation), kernel, return_indices=True)
    mask = torch.zeros(c, h * w, dtype=torch.bool)
    mask.scatter_(1, indices.view(c, -1), True)  # indices count cells within each channel's plane
    return mask.view(c, h, w).numpy()
