"""MNIST's normalisation: how a 28 x 28 picture in [0, 1] becomes the numbers the network reads."""

import torch

MNIST_MEAN = 0.1307  # mean and standard deviation of MNIST training pixels in [0, 1]
MNIST_STD = 0.3081
BLACK = -MNIST_MEAN / MNIST_STD  # a black pixel (no ink) as the network reads it
WHITE = (1 - MNIST_MEAN) / MNIST_STD  # a white one (full ink)


def normalize(images: torch.Tensor) -> torch.Tensor:
    """uint8 or [0, 1] float images (N, 28, 28) -> normalised model input (N, 1, 28, 28)."""
    if images.dtype == torch.uint8:
        images = images.float() / 255
    return ((images - MNIST_MEAN) / MNIST_STD).unsqueeze(1)
