"""A worksheet's three exercises from one capture: a conv cell by hand, an activation, a pooling window."""

from dataclasses import dataclass

import numpy as np
import torch

from cnnviz.network.arithmetic import conv_pixel, strongest_cell
from cnnviz.network.model import Network


@dataclass(frozen=True)
class Exercises:
    """The numbers of the three exercises and their answers, all from one forward pass."""

    layer: str
    cell: tuple[int, int, int]  # (map, row, column) of the conv cell
    patch: np.ndarray  # (k, k) of the input under the kernel (the first input map)
    kernel: np.ndarray  # (k, k)
    bias: float
    conv: float  # the model's own conv output there
    relu_in: np.ndarray  # (6,) numbers before the activation ...
    relu_out: np.ndarray  # ... and after it (the model's own)
    activation: str
    pool_in: np.ndarray  # (4, 4) of activated maps
    pool_out: np.ndarray  # (2, 2) the largest of each 2 x 2 window


def exercises(model: Network, activations: dict[str, np.ndarray], image: torch.Tensor) -> Exercises:
    """The exercises for one image: the first conv's strongest cell, a row of its maps through the activation, and
    a 4 x 4 corner of the activated maps around that cell, pooled 2 x 2."""
    layer = model.conv_layers()[0]
    activated = model.activated(layer)
    channel, row, col = strongest_cell(activations[activated])
    pixel = conv_pixel(model, activations, image, layer, channel, row, col)
    width = activations[layer].shape[2]
    start = min(max(col - 3, 0), max(width - 6, 0))
    relu_in = activations[layer][channel, row, start : start + 6]
    relu_out = activations[activated][channel, row, start : start + 6]
    maps = activations[activated][channel]
    top = min(max(row - 1, 0), maps.shape[0] - 4) // 2 * 2
    left = min(max(col - 1, 0), maps.shape[1] - 4) // 2 * 2
    pool_in = maps[top : top + 4, left : left + 4]
    pool_out = pool_in.reshape(2, 2, 2, 2).max(axis=(1, 3))
    function = model.layer(activated).spec.title if activated != layer else "no activation"
    return Exercises(
        layer,
        (channel, row, col),
        pixel.patch[0],
        pixel.kernel[0],
        pixel.bias,
        pixel.output if pixel.patch.shape[0] == 1 else float((pixel.patch[0] * pixel.kernel[0]).sum() + pixel.bias),
        relu_in,
        relu_out,
        function,
        pool_in,
        pool_out,
    )
