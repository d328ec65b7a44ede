"""Activation capture: one forward pass returns every layer's output, keyed by layer name."""

import numpy as np
import torch
from torch import nn
from torchvision.models.feature_extraction import create_feature_extractor

PROBABILITIES = "probabilities"  # the softmax of the last layer, added to every capture


def layer_names(model: nn.Module) -> list[str]:
    """Names of the model's layers in forward order (e.g. conv1, relu1, pool1, ..., fc2)."""
    return [name for name, _ in model.named_children()]


class ActivationCapture:
    """Wraps a model so one forward pass returns {layer_name: activation} for the chosen layers.

    Built on torchvision's create_feature_extractor; build it once per model and reuse it.
    """

    def __init__(self, model: nn.Module, layers: list[str] | None = None):
        valid = layer_names(model)
        self.layers = list(layers) if layers is not None else valid
        unknown = [name for name in self.layers if name not in valid]
        if unknown:
            raise ValueError(f"unknown layer(s) {', '.join(unknown)}; valid layers are {', '.join(valid)}")
        self.model = model
        self.logits_layer = valid[-1]
        nodes = self.layers if self.logits_layer in self.layers else [*self.layers, self.logits_layer]
        self.extractor = create_feature_extractor(model, return_nodes=nodes)

    @torch.no_grad()
    def __call__(self, image: torch.Tensor) -> dict[str, np.ndarray]:
        """Activations for one image (1, 1, 28, 28), batch axis dropped, plus softmax probabilities.

        The extractor follows the model's own train/eval mode, so dropout acts only in training mode.
        """
        self.extractor.train(self.model.training)
        outputs = self.extractor(image)
        activations = {name: outputs[name][0].numpy() for name in self.layers}
        activations[PROBABILITIES] = torch.softmax(outputs[self.logits_layer], dim=1)[0].numpy()
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
