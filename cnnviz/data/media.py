"""The ways a digit reaches the app: pen or marker on paper, pencil, chalk, a photo of a page, a small scan, a canvas.

Each function takes ink coverage (H, W) in [0, 1], ink = 1, and returns the picture a person would
give the app, as a PIL image (or RGBA array for the canvas).
"""

import math

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage

INKS = {  # RGB in [0, 1]
    "black": (0.08, 0.08, 0.1),
    "blue-black": (0.12, 0.14, 0.32),
    "blue": (0.1, 0.2, 0.75),
    "red": (0.8, 0.1, 0.12),
    "green": (0.1, 0.5, 0.2),
    "purple": (0.45, 0.15, 0.55),
    "pencil": (0.45, 0.45, 0.47),
}


def _rgb(values: np.ndarray) -> Image.Image:
    return Image.fromarray((np.clip(values, 0, 1) * 255).round().astype(np.uint8))


def thicken(coverage: np.ndarray, pixels: int) -> np.ndarray:
    """Strokes made pixels wider (negative: thinner), as a bolder or finer pen would draw them."""
    if pixels == 0:
        return coverage
    size = abs(pixels) + 1
    footprint = np.ones((size, size), dtype=bool)
    grown = ndimage.grey_dilation if pixels > 0 else ndimage.grey_erosion
    return grown(coverage, footprint=footprint)


def ink_on_paper(
    coverage: np.ndarray, rng: np.random.Generator, ink: str | None = None, light_ink: bool = False
) -> Image.Image:
    """Pen or marker on clean paper (or white chalk on a dark board), as a PNG would hold it."""
    if light_ink:
        board = rng.uniform(0.0, 0.25)
        chalk = rng.uniform(0.75, 1.0) * (1 - 0.25 * rng.random(coverage.shape))  # chalk is patchy
        values = board + (chalk - board) * coverage
        return Image.fromarray((np.clip(values, 0, 1) * 255).astype(np.uint8))
    colour = np.array(INKS[ink or rng.choice(list(INKS))])
    paper = np.array([1.0, 1.0, 1.0]) - rng.uniform(0, 0.08, 3)
    pixels = paper * (1 - coverage[..., None]) + colour * coverage[..., None]
    return _rgb(pixels)


def pencil(coverage: np.ndarray, rng: np.random.Generator) -> Image.Image:
    """Faint grey pencil on slightly grainy paper."""
    darkness = rng.uniform(0.25, 0.6)
    grainy = coverage * (1 - 0.5 * rng.random(coverage.shape))  # graphite leaves gaps
    paper = 0.95 - rng.normal(0, 0.015, coverage.shape)
    return Image.fromarray((np.clip(paper - darkness * grainy, 0, 1) * 255).astype(np.uint8))


def photo(
    coverage: np.ndarray,
    size: tuple[int, int],
    rng: np.random.Generator,
    ink: str | None = None,
    centred: bool | None = None,
    shadow: bool | None = None,
) -> Image.Image:
    """A phone photo of the digit on a sheet of paper: uneven light, maybe a shadow, grain, blur, a slight tilt.

    The digit lands centred or anywhere on the page (it may be much smaller than the page);
    centred and shadow left as None are decided at random.
    """
    width, height = size
    tilt = rng.uniform(-8, 8)
    mask = np.asarray(
        Image.fromarray(coverage.astype(np.float32)).rotate(tilt, resample=Image.Resampling.BILINEAR, expand=True)
    )
    mask = mask[:height, :width]
    layer = np.zeros((height, width), dtype=np.float32)
    h, w = mask.shape
    if centred if centred is not None else rng.random() < 0.5:
        top, left = (height - h) // 2, (width - w) // 2
    else:
        top, left = int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1))
    layer[top : top + h, left : left + w] = mask

    yy, xx = np.ogrid[0:height, 0:width]
    yy, xx = (yy / max(size)).astype(np.float32), (xx / max(size)).astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    light = 0.95 - np.float32(rng.uniform(0.1, 0.4)) * np.clip(math.cos(angle) * xx + math.sin(angle) * yy, 0, 1)
    if shadow if shadow is not None else rng.random() < 0.3:  # a hand's or a phone's shadow with a soft edge
        a = rng.uniform(0, 2 * math.pi)
        edge = math.cos(a) * (xx - rng.uniform(0.2, 0.8)) + math.sin(a) * (yy - rng.uniform(0.2, 0.6))
        light = light - np.float32(rng.uniform(0.1, 0.25)) / (1 + np.exp(-edge / np.float32(rng.uniform(0.04, 0.12))))
    paper = np.array([1.0, 0.97, 0.9], dtype=np.float32)
    colour = np.array(INKS[ink or rng.choice(["black", "blue-black", "blue", "pencil", "red"])], dtype=np.float32)
    pixels = (paper + (colour - paper) * layer[..., None]) * light[..., None]
    pixels += rng.standard_normal(pixels.shape, dtype=np.float32) * np.float32(0.02)
    return _rgb(pixels).filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.4)))


def small_scan(coverage: np.ndarray, rng: np.random.Generator) -> Image.Image:
    """A digit cut from a form and scanned small: 14 to 32 pixels, often stretched to fill its box, often binary."""
    rows, cols = np.flatnonzero(coverage.max(axis=1) > 0.2), np.flatnonzero(coverage.max(axis=0) > 0.2)
    if rows.size and cols.size:
        coverage = coverage[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    side = int(rng.integers(14, 33))
    h, w = coverage.shape
    if rng.random() < 0.5:  # stretched to fill a square box, as some form readers did
        size = (side, side)
    else:
        scale = side / max(h, w)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
    border = int(rng.integers(0, 3))
    small = np.asarray(Image.fromarray(coverage.astype(np.float32)).resize(size, Image.Resampling.BOX))
    small = np.pad(small, border)
    if rng.random() < 0.5:
        small = (small > rng.uniform(0.25, 0.55)).astype(np.float32)
    dark_on_light = rng.random() < 0.7
    values = 1 - small if dark_on_light else small
    return Image.fromarray((values * 255).round().astype(np.uint8))


def canvas(coverage: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """What the drawing canvas hands over: (H, W, 4) RGBA, white strokes, transparent or black elsewhere."""
    alpha = (coverage * 255).round().astype(np.uint8)
    rgba = np.zeros(coverage.shape + (4,), dtype=np.uint8)
    rgba[..., :3] = 255
    rgba[..., 3] = alpha
    if rng.random() < 0.5:  # a canvas with a black background paints it in
        rgba[..., :3] = alpha[..., None]
        rgba[..., 3] = 255
    return rgba


def blank_page(size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    """Paper with nothing written on it, or only its printed pattern: ruled lines, squares, dots, or a stain."""
    width, height = size
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 0.95 - rng.uniform(0, 0.3) * (xx / width if rng.random() < 0.5 else yy / height)
    pattern = np.zeros((height, width), dtype=np.float32)
    spacing = rng.uniform(0.05, 0.15) * min(size)
    kind = rng.choice(["ruled", "squared", "dotted", "stain", "plain"])
    if kind in ("ruled", "squared"):
        pattern = np.maximum(pattern, (np.mod(yy, spacing) < max(1, spacing / 20)).astype(np.float32))
    if kind == "squared":
        pattern = np.maximum(pattern, (np.mod(xx, spacing) < max(1, spacing / 20)).astype(np.float32))
    if kind == "dotted":
        pattern = ((np.mod(yy, spacing) < 2) & (np.mod(xx, spacing) < 2)).astype(np.float32)
    if kind == "stain":
        cy, cx, r = rng.uniform(0.2, 0.8) * height, rng.uniform(0.2, 0.8) * width, rng.uniform(0.1, 0.3) * min(size)
        pattern = np.exp(-(((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r))) * 0.6
    colour = np.array(INKS[rng.choice(["blue", "red", "pencil"])])
    strength = rng.uniform(0.3, 0.8)
    paper = np.array([1.0, 0.98, 0.94]) * light[..., None]
    pixels = paper * (1 - strength * pattern[..., None]) + colour * strength * pattern[..., None]
    pixels += rng.normal(0, 0.015, pixels.shape)
    return _rgb(pixels)
