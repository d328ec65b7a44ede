"""Pictures that need no hover, drawn as images: attributions over the digit, patch grids, perturbations.

Each returns an RGB (or gray) uint8 array for st.image, enlarged with crisp square pixels.
"""

import numpy as np

from cnnviz.viz.colors import DEFAULT, Palette, on_scale
from cnnviz.viz.inputs import pixelated

GAP = 2  # pixels between tiles of a grid (before enlarging)


def _colours(values: np.ndarray, scale: list) -> np.ndarray:
    """values in [0, 1] (any shape) -> RGB floats in [0, 1] on a colour scale."""
    return on_scale(values, scale).astype(np.float32) / 255


def attribution_image(
    pixels: np.ndarray, values: np.ndarray, palette: Palette = DEFAULT, side: int = 280
) -> np.ndarray:
    """The digit (28, 28) in gray with an attribution (28, 28) over it: the palette's diverging colours, zero clear.

    Positive values (pushed the score up) take the scale's high end, negative its low end; the
    colour is as opaque as the value is large, so the digit shows through where nothing mattered.
    """
    limit = max(float(np.abs(values).max()), 1e-12)
    strength = np.abs(values) / limit
    colours = _colours(0.5 + 0.5 * values / limit, palette.diverging)
    gray = np.repeat((0.25 + 0.5 * np.clip(pixels, 0, 1))[..., None], 3, axis=2)  # the digit, dimmed
    alpha = np.clip(1.4 * strength, 0, 1)[..., None]
    blended = gray * (1 - alpha) + colours * alpha
    return pixelated((blended * 255).round().astype(np.uint8), side)


def attribution_strip(pixels: np.ndarray, maps: np.ndarray, palette: Palette = DEFAULT, side: int = 140) -> np.ndarray:
    """Several attributions (S, 28, 28) over the same digit, side by side with white gaps, each on its own scale."""
    tiles = [attribution_image(pixels, values, palette, side) for values in maps]
    gap = np.full((tiles[0].shape[0], 3 * GAP, 3), 255, dtype=np.uint8)
    return np.concatenate([part for tile in tiles for part in (tile, gap)][:-1], axis=1)


def signed_image(values: np.ndarray, palette: Palette = DEFAULT, side: int = 280) -> np.ndarray:
    """Signed values (28, 28), e.g. a perturbation, on the palette's diverging scale centred on zero."""
    limit = max(float(np.abs(values).max()), 1e-12)
    return pixelated((_colours(0.5 + 0.5 * values / limit, palette.diverging) * 255).round().astype(np.uint8), side)


def gray_image(pixels: np.ndarray, side: int = 280) -> np.ndarray:
    """Pixels in [0, 1] (H, W) as a gray image, enlarged."""
    return pixelated((np.clip(pixels, 0, 1) * 255).round().astype(np.uint8), side)


def grid_image(tiles: np.ndarray, columns: int, side: int = 300) -> np.ndarray:
    """Tiles (N, h, w) in [0, 1] as one gray image, columns to a row, with thin white gaps."""
    n, h, w = tiles.shape
    rows = -(-n // columns)
    out = np.ones((rows * (h + GAP) - GAP, columns * (w + GAP) - GAP), dtype=np.float32)
    for index in range(n):
        top, left = (index // columns) * (h + GAP), (index % columns) * (w + GAP)
        out[top : top + h, left : left + w] = tiles[index]
    return pixelated((np.clip(out, 0, 1) * 255).round().astype(np.uint8), side)


def stretched(images: np.ndarray) -> np.ndarray:
    """Each image (N, h, w) stretched to the full range [0, 1] on its own (optimised inputs are faint)."""
    low = images.min(axis=(1, 2), keepdims=True)
    return (images - low) / np.maximum(np.ptp(images, axis=(1, 2), keepdims=True), 1e-6)
