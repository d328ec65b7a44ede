"""Digits and non-digits as students bring them, already turned into 28 x 28 network inputs.

Each item is drawn (generated handwriting) or taken from MNIST training digits, put on a medium
(paper, marker, pencil, chalk, a photo of a page, a small scan, the canvas) and then read by the
app's own preprocessing, so the network trains on exactly what it will be given. Every item has
its own seed: the same seed gives the same corpus, whatever the number of worker processes.
"""

import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import torch
from PIL import Image

from cnnviz.data import media
from cnnviz.data.glyphs import DIGIT_STYLES, LETTERS, SHAPES, Glyph
from cnnviz.data.handwriting import Writer, draw_glyph
from cnnviz.errors import InputError
from cnnviz.reading.preprocess import preprocess_canvas, preprocess_image

MEDIA = ("paper", "marker", "pencil", "chalk", "photo", "small on a page", "scan", "canvas")
CHUNK = 250  # items per task handed to a worker process
KINDS = {"handwriting": 1, "mnist": 2, "other": 3}  # part of each item's seed


def scribble(rng: np.random.Generator) -> Glyph:
    """A random scribble: one or a few wandering strokes, or a patch of hatching."""
    if rng.random() < 0.25:
        angle, count = rng.uniform(0, math.pi), int(rng.integers(3, 8))
        offsets = np.linspace(-0.35, 0.35, count)
        dx, dy = math.cos(angle), math.sin(angle)
        return [
            [(0.5 + o * -dy - 0.4 * dx, 0.5 + o * dx - 0.4 * dy), (0.5 + o * -dy + 0.4 * dx, 0.5 + o * dx + 0.4 * dy)]
            for o in offsets
        ]
    strokes = []
    for _ in range(int(rng.integers(1, 4))):
        steps = int(rng.integers(20, 80))
        heading = rng.uniform(0, 2 * math.pi) + np.cumsum(rng.normal(0, rng.uniform(0.2, 0.6), steps))
        points = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1) * 0.04, axis=0)
        strokes.append([tuple(p) for p in points])
    return strokes


def _coverage(glyph: Glyph, rng: np.random.Generator, medium: str) -> np.ndarray:
    """The glyph written by a random writer, at a size and pen suited to the medium."""
    if medium == "marker":
        writer = Writer.random(rng, pen=float(rng.uniform(0.14, 0.3)))
        return draw_glyph(glyph, int(rng.integers(40, 160)), writer, rng, margin=float(rng.uniform(0.0, 0.1)))
    if medium == "canvas":
        writer = Writer.random(rng, pen=float(rng.uniform(0.06, 0.16)))
        return draw_glyph(glyph, 280, writer, rng, margin=float(rng.uniform(0.06, 0.3)))
    pen = float(rng.uniform(0.02, 0.07)) if medium == "pencil" else None
    return draw_glyph(glyph, int(rng.integers(48, 220)), Writer.random(rng, pen=pen), rng)


def _mnist_coverage(image: np.ndarray, rng: np.random.Generator, medium: str) -> np.ndarray:
    """An MNIST digit (28, 28) uint8 enlarged and given a different pen, as if written again larger."""
    side = 280 if medium == "canvas" else int(rng.integers(40, 160))
    big = np.asarray(Image.fromarray(image).resize((side, side), Image.Resampling.BICUBIC), dtype=np.float32) / 255
    big = np.clip(big, 0, 1)
    unit = side / 28
    if medium == "marker":
        change = int(round(rng.uniform(1, 3.5) * unit))
    elif medium == "pencil":
        change = -int(round(rng.uniform(0, 0.8) * unit))
    else:
        change = int(round(rng.uniform(-0.7, 1.5) * unit))
    return np.clip(media.thicken(big, change), 0, 1)


def _picture(coverage: np.ndarray, rng: np.random.Generator, medium: str):
    """The coverage on a medium, as the app would receive it (a PIL image, or an RGBA array for the canvas)."""
    if medium == "canvas":
        return media.canvas(coverage, rng)
    if medium == "paper":
        return media.ink_on_paper(coverage, rng)
    if medium == "marker":
        return media.ink_on_paper(coverage, rng, ink=rng.choice(["black", "blue", "red", "green"]))
    if medium == "pencil":
        return media.pencil(coverage, rng)
    if medium == "chalk":
        return media.ink_on_paper(coverage, rng, light_ink=True)
    if medium == "scan":
        return media.small_scan(coverage, rng)
    if medium == "small on a page":
        height = int(rng.integers(28, 90))  # a digit of 110-300 pixels on a big page, at the scale of a smaller one
        small = np.asarray(Image.fromarray(coverage).resize((height, height), Image.Resampling.BOX))
        width = int(rng.integers(400, 640))
        return media.photo(small, (width, width * 3 // 4), rng)
    width = int(rng.integers(240, 480))
    height = width * 3 // 4
    side = int(min(width, height) * rng.uniform(0.35, 0.8))
    resized = np.asarray(Image.fromarray(coverage).resize((side, side), Image.Resampling.BILINEAR))
    return media.photo(resized, (width, height), rng)


def read(picture) -> np.ndarray | None:
    """The network input (28, 28) uint8 the app makes of a picture, or None when the app would refuse it."""
    try:
        prepared = preprocess_canvas(picture) if isinstance(picture, np.ndarray) else preprocess_image(picture)
    except InputError:
        return None
    return (prepared.pixels * 255).round().astype(np.uint8)


def _item(kind: str, index: int, seed: int, mnist, media_used: tuple[str, ...]) -> tuple[np.ndarray | None, int]:
    """One corpus item: (input or None, label; -1 for a non-digit)."""
    rng = np.random.default_rng([seed, KINDS[kind], index])
    medium = media_used[int(rng.integers(len(media_used)))]
    if kind == "handwriting":
        digit = index % 10
        glyph = list(DIGIT_STYLES[digit].values())[int(rng.integers(len(DIGIT_STYLES[digit])))]
        return read(_picture(_coverage(glyph, rng, medium), rng, medium)), digit
    if kind == "mnist":
        image, label = mnist
        return read(_picture(_mnist_coverage(image, rng, medium), rng, medium)), int(label)
    choice = rng.random()
    if choice < 0.12:  # paper with only its pattern on it
        width = int(rng.integers(200, 480))
        return read(media.blank_page((width, width * 3 // 4), rng)), -1
    if choice < 0.35:
        glyph = scribble(rng)
    else:
        names = list(LETTERS) + list(SHAPES)
        name = names[int(rng.integers(len(names)))]
        glyph = LETTERS.get(name) or SHAPES[name]
    return read(_picture(_coverage(glyph, rng, medium), rng, medium)), -1


def _chunk(kind: str, start: int, stop: int, seed: int, mnist, media_used) -> list[tuple[np.ndarray | None, int]]:
    torch.set_num_threads(1)
    return [
        _item(kind, i, seed, None if mnist is None else (mnist[0][i], mnist[1][i]), media_used)
        for i in range(start, stop)
    ]


def _build(
    kind: str, count: int, seed: int, workers: int, mnist=None, media_used=MEDIA
) -> tuple[torch.Tensor, torch.Tensor]:
    """(images (N, 28, 28) uint8, labels (N,)) for count items, refused ones left out."""
    bounds = [(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    tasks = [(kind, a, b, seed, mnist, tuple(media_used)) for a, b in bounds]
    if workers > 1 and len(tasks) > 1:  # one chunk: starting processes would cost more than it saves
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunks = list(pool.map(_chunk, *zip(*tasks)))
    else:
        chunks = [_chunk(*task) for task in tasks]
    items = [item for chunk in chunks for item in chunk if item[0] is not None]
    if not items:
        return torch.zeros(0, 28, 28, dtype=torch.uint8), torch.zeros(0, dtype=torch.int64)
    images = torch.from_numpy(np.stack([image for image, _ in items]))
    return images, torch.tensor([label for _, label in items], dtype=torch.int64)


def handwriting(count: int, seed: int = 0, workers: int = 1, media_used=MEDIA) -> tuple[torch.Tensor, torch.Tensor]:
    """Generated digits of every style, count in all (classes in turn), on the media, as network inputs."""
    return _build("handwriting", count, seed, workers, media_used=media_used)


def mnist_on_media(
    images: torch.Tensor, labels: torch.Tensor, seed: int = 0, workers: int = 1, media_used=MEDIA
) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST digits written again larger with other pens, put on the media and read back, as network inputs."""
    return _build("mnist", len(labels), seed, workers, (images.numpy(), labels.numpy()), media_used)


def not_digits(count: int, seed: int = 0, workers: int = 1, media_used=MEDIA) -> torch.Tensor:
    """Letters, symbols, shapes, scribbles and patterned paper, as network inputs (N, 28, 28) uint8."""
    return _build("other", count, seed, workers, media_used=media_used)[0]
