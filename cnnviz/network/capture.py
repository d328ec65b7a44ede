"""Activation capture: one forward pass returns every layer's output, keyed by layer name."""

import io

import numpy as np
import torch

from cnnviz.network.model import Network
from cnnviz.network.walk import walk

PROBABILITIES = "probabilities"  # the softmax of the last layer, added to every capture


def layer_names(model: Network) -> list[str]:
    """Names of the model's layers in the order they act (e.g. conv1, relu1, pool1, ..., fc2)."""
    return [info.name for info in model.layers()]


class ActivationCapture:
    """Runs a model layer by layer so one forward pass returns {layer_name: activation} for the chosen layers.

    The walk (cnnviz.network.walk) is the forward pass, one layer at a time. This is deliberately
    not torchvision's create_feature_extractor: FX tracing patches torch.nn.Module.__call__ for the
    whole process while it runs, which breaks forward passes in other threads (a training job,
    another student's page). Nor forward hooks: on a model shared by every session, a hook would
    see every session's tensors.
    """

    def __init__(self, model: Network, layers: list[str] | None = None):
        if not isinstance(model, Network):
            raise TypeError("ActivationCapture needs a cnnviz Network")
        valid = layer_names(model)
        self.layers = list(layers) if layers is not None else valid
        unknown = [name for name in self.layers if name not in valid]
        if unknown:
            raise ValueError(f"unknown layer(s) {', '.join(unknown)}; valid layers are {', '.join(valid)}")
        self.model = model

    @torch.no_grad()
    def __call__(self, image: torch.Tensor) -> dict[str, np.ndarray]:
        """Activations for one image (1, 1, 28, 28), batch axis dropped, plus softmax probabilities.

        Layers act in the model's own mode: dropout only in training mode.
        """
        wanted = set(self.layers)
        activations = {}
        logits = None
        for step in walk(self.model, image):
            if step.layer.name in wanted:
                activations[step.layer.name] = step.output[0].numpy()
            logits = step.output
        activations[PROBABILITIES] = torch.softmax(logits, dim=1)[0].numpy()
        return activations


def every_array(model: Network, image: torch.Tensor) -> dict[str, np.ndarray]:
    """What the pages show for one image, as arrays: "input" (the (1, 28, 28) tensor the network got), then each
    layer's output by its name in order, then "probabilities". Exactly the numbers of one capture."""
    return {"input": image[0].numpy(), **ActivationCapture(model)(image)}


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """Named arrays as the bytes of one .npz file (numpy.load reads them back by name)."""
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def max_pool_winners(activation: np.ndarray, kernel: int = 2, stride: int | None = None) -> np.ndarray:
    """Boolean mask (C, H, W): True at the cell that won each max-pooling window.

    Ties go to the first cell in reading order, as in PyTorch.
    """
    c, h, w = activation.shape
    _, indices = torch.nn.functional.max_pool2d(
        torch.from_numpy(activation), kernel, stride or kernel, return_indices=True
    )
    mask = torch.zeros(c, h * w, dtype=torch.bool)
    mask.scatter_(1, indices.view(c, -1), True)  # indices count cells within each channel's plane
    return mask.view(c, h, w).numpy()
