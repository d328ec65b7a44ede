"""The convolution sandbox: classic kernels, a kernel typed by hand, and one conv block on an image."""

import re
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.errors import InputError

PRESETS = ("Vertical edges", "Horizontal edges", "Blur", "Sharpen", "Emboss", "Outline")
MAX_KERNEL = 9


def preset_kernel(name: str, size: int = 3) -> np.ndarray:
    """A classic image-processing kernel of odd size; at size 3 these are the textbook ones."""
    if size < 1 or size % 2 == 0:
        raise ValueError("kernel size must be odd")
    offsets = np.arange(size) - size // 2
    y, x = np.meshgrid(offsets, offsets, indexing="ij")
    sigma = max(size / 4, 0.5)
    gauss = np.exp(-(x**2 + y**2) / (2 * sigma**2))
    centre = np.zeros((size, size))
    centre[size // 2, size // 2] = 1
    if name == "Vertical edges":  # Sobel at 3 x 3: brightness rising left to right
        kernel = x * (size // 2 + 1 - np.abs(y))
    elif name == "Horizontal edges":
        kernel = y * (size // 2 + 1 - np.abs(x))
    elif name == "Blur":
        kernel = gauss / gauss.sum()
    elif name == "Sharpen":  # the image plus its difference from a blur of it
        blur = np.ones((size, size)) / size**2
        kernel = 2 * centre - blur if size > 3 else np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], float)
    elif name == "Emboss":
        kernel = (
            np.sign(x + y) * (1 + np.minimum(np.abs(x), np.abs(y))) + centre
            if size > 3
            else np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], float)
        )
    elif name == "Outline":  # everything the centre differs from its neighbours by
        kernel = size**2 * centre - np.ones((size, size))
    else:
        raise ValueError(f"unknown preset {name!r}; presets are {', '.join(PRESETS)}")
    return kernel.astype(np.float32)


def parse_kernel(text: str) -> np.ndarray:
    """A square kernel from typed numbers: one row per line, numbers separated by spaces or commas."""
    rows = [line for line in text.strip().splitlines() if line.strip()]
    try:
        values = [[float(v) for v in re.split(r"[,\s;]+", row.strip()) if v] for row in rows]
    except ValueError:
        raise InputError("The kernel must hold numbers only, one row per line (for example: 0 -1 0).") from None
    size = len(values)
    if size == 0:
        raise InputError("Type the kernel's numbers, one row per line.")
    if any(len(row) != size for row in values):
        raise InputError(f"The kernel must be square: {size} rows of {size} numbers each.")
    if size > MAX_KERNEL:
        raise InputError(f"Kernels of at most {MAX_KERNEL} x {MAX_KERNEL} are allowed here.")
    kernel = np.array(values, dtype=np.float32)
    if not np.isfinite(kernel).all():
        raise InputError("The kernel's numbers must be finite.")
    return kernel


def output_size(n: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output side of a convolution: floor((n + 2p - d(k - 1) - 1) / s) + 1."""
    return (n + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def output_size_formula(n: int, kernel: int, stride: int, padding: int, dilation: int) -> str:
    """The output-size formula with the numbers filled in, as one line of text."""
    out = output_size(n, kernel, stride, padding, dilation)
    return (
        "output = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1 = "
        f"⌊({n} + 2·{padding} − {dilation}·({kernel} − 1) − 1) / {stride}⌋ + 1 = {out}"
    )


@dataclass(frozen=True)
class ConvBlock:
    """One conv block on one image: the map after each step that is switched on."""

    convolved: np.ndarray  # (H', W')
    activated: np.ndarray | None  # after ReLU, if on
    pooled: np.ndarray | None  # after 2 x 2 max-pooling, if on


def conv_block(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    relu: bool = False,
    pool: bool = False,
) -> ConvBlock:
    """Convolve a (H, W) image with a (k, k) kernel (cross-correlation, as in CNNs), then ReLU and pool if asked."""
    k = kernel.shape[0]
    if output_size(min(image.shape), k, stride, padding, dilation) < 1:
        raise InputError(
            "With these settings the kernel does not fit in the image: "
            "lower the dilation or kernel size, or add padding."
        )
    x = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32))[None, None]
    w = torch.from_numpy(np.ascontiguousarray(kernel, dtype=np.float32))[None, None]
    convolved = F.conv2d(x, w, stride=stride, padding=padding, dilation=dilation)
    activated = F.relu(convolved) if relu else None
    source = activated if relu else convolved
    pooled = F.max_pool2d(source, 2) if pool and min(source.shape[-2:]) >= 2 else None
    return ConvBlock(
        convolved[0, 0].numpy(),
        None if activated is None else activated[0, 0].numpy(),
        None if pooled is None else pooled[0, 0].numpy(),
    )
