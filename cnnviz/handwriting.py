"""Synthetic hand-drawn digits: pen strokes with random wobble, drawn clean or as a photo of paper.

Used to make the bundled sample images and test images; no outside data involved.
"""

import io
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

Point = tuple[float, float]  # (x, y) in the unit square, y pointing down


def _arc(cx: float, cy: float, rx: float, ry: float, start_deg: float, end_deg: float, n: int = 24) -> list[Point]:
    """Points along an elliptical arc; angles grow clockwise on screen (y points down)."""
    angles = np.radians(np.linspace(start_deg, end_deg, n))
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


def _curve(p0: Point, control: Point, p1: Point, n: int = 16) -> list[Point]:
    """Points along a quadratic Bezier curve."""
    t = np.linspace(0, 1, n)[:, None]
    points = (1 - t) ** 2 * np.array(p0) + 2 * (1 - t) * t * np.array(control) + t**2 * np.array(p1)
    return [tuple(p) for p in points]


STROKES: dict[int, list[list[Point]]] = {
    0: [_arc(0.5, 0.5, 0.28, 0.4, -90, 275, 40)],
    1: [[(0.46, 0.17), (0.55, 0.1), (0.52, 0.9)]],
    2: [_arc(0.5, 0.32, 0.24, 0.22, -170, 30) + [(0.24, 0.9), (0.8, 0.88)]],
    3: [_arc(0.48, 0.29, 0.22, 0.19, -160, 90) + _arc(0.48, 0.69, 0.25, 0.21, -90, 155)],
    4: [[(0.6, 0.1), (0.2, 0.64), (0.84, 0.64)], [(0.64, 0.32), (0.64, 0.92)]],
    5: [[(0.76, 0.1), (0.32, 0.1), (0.29, 0.46)] + _arc(0.48, 0.66, 0.26, 0.23, -125, 150)],
    6: [_curve((0.7, 0.1), (0.3, 0.25), (0.27, 0.68)) + _arc(0.5, 0.68, 0.23, 0.21, 180, 540, 36)],
    7: [[(0.2, 0.12), (0.8, 0.12), (0.42, 0.9)]],
    8: [_arc(0.5, 0.29, 0.19, 0.18, 90, 450, 36), _arc(0.5, 0.7, 0.23, 0.2, -90, 270, 36)],
    9: [_arc(0.5, 0.32, 0.22, 0.2, 0, 360, 36), [(0.72, 0.3), (0.68, 0.6), (0.64, 0.92)]],
}


def _wobble(strokes: list[list[Point]], rng: np.random.Generator) -> list[np.ndarray]:
    """The strokes under a small random slant, squash and per-point jitter."""
    slant = rng.uniform(-0.15, 0.15)
    squash = rng.uniform(0.85, 1.1)
    out = []
    for stroke in strokes:
        points = np.array(stroke, dtype=np.float64)
        points[:, 0] = 0.5 + (points[:, 0] - 0.5) * squash + slant * (0.5 - points[:, 1])
        points += rng.normal(0, 0.008, points.shape)
        out.append(points)
    return out


def draw_digit(digit: int, size: int = 256, seed: int = 0, pen: float = 0.08, ink: int = 0, paper: int = 255) -> Image.Image:
    """A size x size grayscale image of the digit drawn with a round pen of width pen * size."""
    rng = np.random.default_rng(seed)
    image = Image.new("L", (size, size), paper)
    draw = ImageDraw.Draw(image)
    margin, span = 0.12 * size, 0.76 * size
    width = max(1, round(pen * size))
    for points in _wobble(STROKES[digit], rng):
        xy = [(margin + x * span, margin + y * span) for x, y in points]
        draw.line(xy, fill=ink, width=width, joint="curve")
        for x, y in (xy[0], xy[-1]):  # round caps
            draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=ink)
    return image


def photo_of_digit(digit: int, seed: int = 0, size: tuple[int, int] = (480, 360)) -> Image.Image:
    """An RGB 'photo' of the digit in blue-black ink on paper: uneven light, grain, blur, a slight tilt."""
    rng = np.random.default_rng(seed)
    width, height = size
    side = int(min(size) * rng.uniform(0.55, 0.7))
    mask = np.asarray(draw_digit(digit, side, seed, pen=rng.uniform(0.05, 0.08), ink=255, paper=0), dtype=np.float32) / 255
    mask = np.asarray(Image.fromarray(mask).rotate(rng.uniform(-8, 8), resample=Image.Resampling.BILINEAR))
    layer = np.zeros((height, width), dtype=np.float32)
    top, left = rng.integers(0, height - side), rng.integers(0, width - side)
    layer[top : top + side, left : left + side] = mask

    yy, xx = np.mgrid[0:height, 0:width] / max(size)
    angle = rng.uniform(0, 2 * math.pi)
    light = 0.95 - 0.35 * np.clip(np.cos(angle) * xx + np.sin(angle) * yy, 0, 1)  # a shadow across the sheet
    paper = np.array([1.0, 0.97, 0.9]) * light[..., None]
    ink = np.array([0.12, 0.14, 0.32]) * light[..., None]
    pixels = paper * (1 - layer[..., None]) + ink * layer[..., None]
    pixels += rng.normal(0, 0.025, pixels.shape)
    image = Image.fromarray((np.clip(pixels, 0, 1) * 255).astype(np.uint8))
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.4)))


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    """The image saved in a format (PNG, JPEG, ...) as bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()
