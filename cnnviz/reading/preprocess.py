"""Any image a person gives -> the 1 x 28 x 28 tensor the network reads, keeping every step for display.

The steps follow how MNIST itself was made: white ink on black, the digit fitted into a
20 x 20 box and centred by its centre of mass in a 28 x 28 field.
"""

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from scipy import ndimage

from cnnviz import lessons
from cnnviz.errors import InputError, NoDigitError
from cnnviz.reading.decode import described, has_alpha, open_image, shrink, to_grayscale
from cnnviz.reading.lighting import BLANK, level
from cnnviz.reading.normal import MNIST_MEAN, MNIST_STD, normalize

WORK_SIDE = 256  # the whole image is looked at this small: plenty to find a digit
ZOOM_BELOW = 64  # a digit smaller than this (working pixels) is read again from the full-size image
BOX = 20  # MNIST digits were fitted into a 20 x 20 box ...
FIELD = 28  # ... and centred in a 28 x 28 field
INK_LEVEL = 0.3  # after contrast stretching, pixels above this count as ink when cropping
SHARP_EDGE = 0.08  # ink's edges rise at least this much per pixel (a shadow's edge rises slower)


@dataclass(frozen=True)
class Step:
    """One stage of preprocessing, with the picture it produced."""

    title: str
    explanation: str
    image: np.ndarray  # (H, W) or (H, W, 3) uint8, at most WORK_SIDE on a side: light to keep in a cache


@dataclass(frozen=True)
class Preprocessed:
    """The network's input and how it was made."""

    tensor: torch.Tensor  # (1, 1, 28, 28) normalised
    pixels: np.ndarray  # (28, 28) float32 in [0, 1]: the input before normalisation
    steps: list[Step]


def _to_uint8(image: np.ndarray) -> np.ndarray:
    return image if image.dtype == np.uint8 else (np.clip(image, 0, 1) * 255).round().astype(np.uint8)


def background_is_light(gray: np.ndarray) -> bool:
    """Whether the paper is lighter than the ink, judged from the image's edge.

    The four corners decide when at least three agree (a digit touching the edges rarely fills a
    corner); otherwise the median of the whole outer ring does.
    """
    h, w = gray.shape
    ring = max(1, min(h, w) // 20)
    corners = [gray[:ring, :ring], gray[:ring, -ring:], gray[-ring:, :ring], gray[-ring:, -ring:]]
    light = sum(float(np.median(corner)) > 0.5 for corner in corners)
    if light != 2:
        return light > 2
    border = np.concatenate(
        [gray[:ring].ravel(), gray[-ring:].ravel(), gray[:, :ring].ravel(), gray[:, -ring:].ravel()]
    )
    return float(np.median(border)) > 0.5


def ink_box(ink: np.ndarray) -> tuple[slice, slice, np.ndarray]:
    """(rows, cols, mask): the smallest box holding the digit, and its ink.

    Specks far smaller than the digit are left out, and so are soft-edged patches (what is left
    of a shadow) when anything with crisp edges, as ink has, is there too.
    """
    mask = ink > INK_LEVEL
    labels, count = ndimage.label(mask)
    if count == 0:
        raise NoDigitError(BLANK)
    index = np.arange(1, count + 1)
    sizes = ndimage.sum_labels(mask, labels, index=index)
    candidates = index[sizes >= 0.1 * sizes.max()]
    crisp = []
    if len(candidates) > 1:
        steepness = np.hypot(ndimage.sobel(ink, axis=0), ndimage.sobel(ink, axis=1)) / 8  # brightness change per pixel
        crisp = [label for label in candidates if np.percentile(steepness[labels == label], 90) >= SHARP_EDGE]
    keep = np.isin(labels, crisp or candidates)
    rows, cols = np.flatnonzero(keep.any(axis=1)), np.flatnonzero(keep.any(axis=0))
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1), keep


def crop_to_ink(ink: np.ndarray) -> np.ndarray:
    """The smallest box holding the digit; specks much smaller than the digit's strokes are ignored."""
    rows, cols, keep = ink_box(ink)
    near_digit = ndimage.binary_dilation(keep, iterations=2)  # keeps the soft edges of the strokes
    return (ink * near_digit)[rows, cols]


def fit_box(ink: np.ndarray, box: int = BOX) -> np.ndarray:
    """Scale so the longer side is `box` pixels, keeping the aspect ratio."""
    h, w = ink.shape
    scale = box / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resample = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    resized = np.clip(np.asarray(Image.fromarray(ink.astype(np.float32)).resize(size, resample)), 0, None)
    return resized / max(float(resized.max()), 1e-6)


def centre_by_mass(digit: np.ndarray, field: int = FIELD) -> np.ndarray:
    """Place the digit in a field x field image so its centre of mass sits at the centre."""
    h, w = digit.shape
    cy, cx = ndimage.center_of_mass(digit)
    top = int(np.clip(round(field / 2 - cy), 0, field - h))
    left = int(np.clip(round(field / 2 - cx), 0, field - w))
    canvas = np.zeros((field, field), dtype=np.float32)
    canvas[top : top + h, left : left + w] = digit
    return canvas


def _ink_of(image: Image.Image, inverted: bool | None = None) -> tuple[np.ndarray, np.ndarray, bool]:
    """(gray, ink, inverted): brightness, and the same with ink bright on dark; inverted if the background is light."""
    gray = to_grayscale(image)
    if inverted is None:
        inverted = background_is_light(gray)
    return gray, (1.0 - gray if inverted else gray), inverted


def _zoom_region(box: tuple[slice, slice], shape: tuple[int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The digit's box (with a margin) in working pixels mapped to a full-size image: (left, top, right, bottom)."""
    rows, cols = box
    margin = max(2, round(0.25 * max(rows.stop - rows.start, cols.stop - cols.start)))
    sy, sx = size[1] / shape[0], size[0] / shape[1]
    top, bottom = max(0, rows.start - margin), min(shape[0], rows.stop + margin)
    left, right = max(0, cols.start - margin), min(shape[1], cols.stop + margin)
    return round(left * sx), round(top * sy), round(right * sx), round(bottom * sy)


def preprocess_image(image: Image.Image, description: str | None = None, scale: float = 1.0) -> Preprocessed:
    """Turn a decoded image into the network's input, keeping each step as a picture.

    Args:
        description: what the file was, for the first step's caption (default: the image's size and mode).
        scale: image pixels per pixel of the original file (JPEGs may be decoded smaller).
    """
    description = description or described(image)
    small = shrink(image, WORK_SIDE)
    gray, ink, inverted = _ink_of(small)
    if has_alpha(small) or small.mode.startswith("I") or small.mode == "F":
        original = (gray * 255).astype(np.uint8)  # transparency and 16-bit values shown as the network takes them
    else:
        original = np.asarray(small.convert("RGB"))
    levelled = level(ink)
    rows, cols, _ = ink_box(levelled.image)
    digit_side = max(rows.stop - rows.start, cols.stop - cols.start)
    source_per_work = image.width / small.width
    zoomed = digit_side < ZOOM_BELOW and source_per_work > 1.5
    if zoomed:  # a small digit on a big page: read it again from the full-size image, at full detail
        region = image.crop(_zoom_region((rows, cols), levelled.image.shape, image.size))
        region_small = shrink(region, WORK_SIDE)
        zoom = source_per_work * region_small.width / region.width  # working pixels -> zoomed pixels
        window = round(levelled.window * zoom) if levelled.window else None
        cropped = crop_to_ink(level(_ink_of(region_small, inverted)[1], window).image)
        file_pixels_per_crop = region.width / region_small.width / scale
    else:
        cropped = crop_to_ink(levelled.image)
        file_pixels_per_crop = source_per_work / scale
    fitted = fit_box(cropped)
    centred = centre_by_mass(fitted)
    tensor = normalize(torch.from_numpy(centred)[None])  # (1, 1, 28, 28)
    h, w = (round(side * file_pixels_per_crop) for side in cropped.shape)
    crop_words = f"Everything but the digit is cut away: a box of {w:,} x {h:,} pixels of your image"
    crop_words += ", read again at full detail because the digit is small." if zoomed else "."
    steps = [
        Step("Original", f"What you gave: {description}.", original),
        Step("Grayscale", "Colour is dropped: the network sees one brightness value per pixel.", gray),
        Step(
            "Inverted" if inverted else "Not inverted",
            "MNIST digits are white ink on black, so a light background is flipped."
            if inverted
            else "The background is already dark, as in MNIST, so nothing is flipped.",
            ink,
        ),
        Step(
            "Lighting evened",
            lessons.lighting_step(levelled.stroke_width * source_per_work / scale, levelled.shading),
            levelled.image,
        ),
        Step("Cropped to the ink", crop_words, cropped),
        Step(f"Fitted into {BOX} x {BOX}", "Scaled so its longer side is 20 pixels, like every MNIST digit.", fitted),
        Step(
            f"Centred in {FIELD} x {FIELD}",
            "Placed so its centre of mass is the image centre, the way MNIST was made.",
            centred,
        ),
        Step(
            "Normalised tensor",
            f"Pixels rescaled to mean 0 and spread 1 over MNIST: (x - {MNIST_MEAN}) / {MNIST_STD}. This is the input.",
            centred,
        ),
    ]
    return Preprocessed(tensor, centred, [Step(s.title, s.explanation, _to_uint8(s.image)) for s in steps])


def preprocess_bytes(data: bytes) -> Preprocessed:
    """Decode an uploaded file and preprocess it; bad files raise InputError."""
    decoded = open_image(data)
    return preprocess_image(decoded.image, decoded.description, decoded.scale)


def preprocess_canvas(rgba: np.ndarray | None) -> Preprocessed:
    """Preprocess a drawing from the canvas widget: (H, W, 4) uint8 RGBA, transparent where not drawn."""
    if rgba is None or rgba.size == 0 or rgba[..., 3].max() == 0:
        raise InputError("The canvas is empty: draw a digit first.")
    return preprocess_image(Image.fromarray(np.ascontiguousarray(rgba, dtype=np.uint8)), "a drawing on the canvas")


def already_prepared(digit: np.ndarray, description: str) -> Preprocessed:
    """A digit that is already in MNIST's form (28, 28) uint8, white on black and centred: it goes in as it is."""
    pixels = np.asarray(digit, dtype=np.float32) / 255
    tensor = normalize(torch.from_numpy(pixels)[None])  # (1, 1, 28, 28)
    steps = [
        Step("As stored", f"{description}: already white on black, 28 x 28 and centred, as MNIST is.", digit),
        Step(
            "Normalised tensor",
            f"Pixels rescaled to mean 0 and spread 1 over MNIST: (x - {MNIST_MEAN}) / {MNIST_STD}. This is the input.",
            digit,
        ),
    ]
    return Preprocessed(tensor, pixels, [Step(s.title, s.explanation, _to_uint8(s.image)) for s in steps])
