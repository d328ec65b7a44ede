"""Handwriting of many writers, made up: glyph strokes traced by a writer's hand with a pen.

A Writer is how one person writes (slant, proportions, shaky hand, pen width); draw_glyph renders
a glyph of cnnviz.data.glyphs as that writer would, anti-aliased. Used for the bundled samples, the
training digits that MNIST's 5,000-digit sample lacks, the non-digits the model learns to doubt,
and test images. No outside data involved.
"""

import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from cnnviz.data.glyphs import DIGIT_STYLES, SHAPES, Glyph

SUPERSAMPLE = 3  # strokes are drawn this much larger, then averaged down: smooth edges


@dataclass(frozen=True)
class Writer:
    """How one person writes."""

    slant: float = 0.0  # shear: positive leans right
    squash: float = 1.0  # width relative to the glyph's own
    rotation: float = 0.0  # radians, positive turns clockwise
    jitter: float = 0.006  # random displacement of each point (unit square)
    wobble: float = 0.0  # slow waviness of strokes (unit square)
    drift: float = 0.0  # how far each stroke may sit off where it belongs (unit square)
    pen: float = 0.08  # pen width relative to the glyph's height

    @classmethod
    def random(cls, rng: np.random.Generator, pen: float | None = None) -> "Writer":
        """A writer drawn at random from the many ways people write."""
        return cls(
            slant=float(rng.normal(0.05, 0.15)),
            squash=float(rng.uniform(0.65, 1.2)),
            rotation=float(rng.normal(0, math.radians(6))),
            jitter=float(rng.uniform(0.002, 0.012)),
            wobble=float(rng.uniform(0, 0.025)),
            drift=float(rng.uniform(0, 0.035)),
            pen=pen if pen is not None else float(np.exp(rng.uniform(np.log(0.03), np.log(0.22)))),
        )


def trace(glyph: Glyph, writer: Writer, rng: np.random.Generator) -> list[np.ndarray]:
    """The glyph's strokes as this writer's hand moves: (N, 2) points each, in the glyph's unit square."""
    cos, sin = math.cos(writer.rotation), math.sin(writer.rotation)
    out = []
    for stroke in glyph:
        points = np.array(stroke, dtype=np.float64)
        points += rng.normal(0, writer.drift, 2) * (len(glyph) > 1)  # separate strokes never land quite where meant
        t = np.linspace(0, 1, len(points))[:, None]
        phase, frequency = rng.uniform(0, 2 * math.pi, 2), rng.uniform(1, 3)
        points += writer.wobble * np.sin(2 * math.pi * frequency * t + phase)
        points += rng.normal(0, writer.jitter, points.shape)
        x, y = points[:, 0] - 0.5, points[:, 1] - 0.5
        x = x * writer.squash - writer.slant * y
        points = np.stack([0.5 + cos * x - sin * y, 0.5 + sin * x + cos * y], axis=1)
        out.append(points)
    return out


def render(strokes: list[np.ndarray], size: int | tuple[int, int], pen: float, margin: float = 0.12) -> np.ndarray:
    """Ink coverage (H, W) float32 in [0, 1] of strokes drawn with a round pen, pen * height pixels wide.

    The strokes are fitted into the image inside the margin, keeping their proportions.
    """
    width, height = (size, size) if isinstance(size, int) else size
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    span = max(float((high - low).max()), 1e-6)
    usable = (1 - 2 * margin) * min(width, height)
    scale = usable / span
    offset = np.array([width, height]) / 2 - (low + high) / 2 * scale
    big = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    pen_px = max(1.0, pen * usable) * SUPERSAMPLE
    radius = pen_px / 2
    for stroke in strokes:
        xy = [tuple(p) for p in (stroke * scale + offset) * SUPERSAMPLE]
        if len(xy) > 1:
            draw.line(xy, fill=255, width=max(1, round(pen_px)), joint="curve")
        for x, y in (xy[0], xy[-1]):  # round caps
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    small = big.resize((width, height), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255


def draw_glyph(glyph: Glyph, size: int, writer: Writer, rng: np.random.Generator, margin: float = 0.12) -> np.ndarray:
    """Ink coverage (size, size) of a glyph written by the writer."""
    return render(trace(glyph, writer, rng), size, writer.pen, margin)


def on_paper(coverage: np.ndarray, ink: int = 0, paper: int = 255) -> Image.Image:
    """A grayscale image: ink where the coverage is, paper elsewhere."""
    values = paper + (ink - paper) * coverage
    return Image.fromarray(np.clip(values, 0, 255).round().astype(np.uint8))


def draw_digit(
    digit: int,
    size: int = 256,
    seed: int = 0,
    pen: float = 0.08,
    ink: int = 0,
    paper: int = 255,
    style: str | None = None,
) -> Image.Image:
    """A size x size grayscale image of the digit in one of its styles (default: the first), by a steady hand."""
    glyph = DIGIT_STYLES[digit][style or next(iter(DIGIT_STYLES[digit]))]
    return draw_by_hand(glyph, size, seed, pen, ink, paper)


def draw_by_hand(glyph: Glyph, size: int, seed: int = 0, pen: float = 0.08, ink: int = 0, paper: int = 255):
    """A size x size grayscale image of any glyph, by a steady hand with a slight slant drawn from the seed."""
    rng = np.random.default_rng(seed)
    writer = Writer(slant=float(rng.uniform(-0.15, 0.15)), squash=float(rng.uniform(0.85, 1.1)), jitter=0.008, pen=pen)
    return on_paper(draw_glyph(glyph, size, writer, rng), ink, paper)


def photo_of_digit(digit: int, seed: int = 0, size: tuple[int, int] = (480, 360)) -> Image.Image:
    """An RGB 'photo' of the digit in blue-black ink on paper: uneven light, grain, blur, a slight tilt."""
    from cnnviz.data.media import photo

    rng = np.random.default_rng(seed)
    side = int(min(size) * rng.uniform(0.55, 0.7))
    coverage = draw_glyph(
        DIGIT_STYLES[digit][next(iter(DIGIT_STYLES[digit]))],
        side,
        Writer(slant=float(rng.uniform(-0.15, 0.15)), pen=float(rng.uniform(0.05, 0.08))),
        rng,
    )
    return photo(coverage, size, rng)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    """The image saved in a format (PNG, JPEG, ...) as bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def symbols_by_many_writers(names: tuple[str, ...], per_class: int, seed: int) -> dict[str, list[Image.Image]]:
    """Drawings of shapes of cnnviz.data.glyphs.SHAPES, each by a different random writer, dark on light, 120-300 px."""
    rng = np.random.default_rng(seed)
    return {
        name: [
            on_paper(draw_glyph(SHAPES[name], int(rng.integers(120, 300)), Writer.random(rng), rng))
            for _ in range(per_class)
        ]
        for name in names
    }
