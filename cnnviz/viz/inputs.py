"""Small images shown as crisp squares: enlarged pixel by pixel, centred on a square."""

import numpy as np


def pixelated(image: np.ndarray, min_side: int = 240) -> np.ndarray:
    """Enlarge a small image by repeating pixels, so the browser shows crisp squares instead of a blur."""
    factor = max(1, min_side // max(1, min(image.shape[:2])))
    factor = min(factor, max(1, 1200 // max(image.shape[:2])))  # never wider than 1200 pixels
    return image.repeat(factor, axis=0).repeat(factor, axis=1)


def square(image: np.ndarray) -> np.ndarray:
    """The image centred on a square of its background colour (black), so tiles of different shapes line up."""
    h, w = image.shape[:2]
    side = max(h, w)
    out = np.zeros((side, side) + image.shape[2:], dtype=image.dtype)
    top, left = (side - h) // 2, (side - w) // 2
    out[top : top + h, left : left + w] = image
    return out
