"""Any image a person gives -> the 1 x 28 x 28 tensor the network reads, keeping every step for display.

The steps themselves are cnnviz.reading.portable's (which every exported model.py carries too); this
module keeps each step's picture and says in words what it did.
"""

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from cnnviz import lessons
from cnnviz.errors import InputError, NoDigitError
from cnnviz.reading.decode import described, open_image
from cnnviz.reading.lighting import stroke_width
from cnnviz.reading.normal import MNIST_MEAN, MNIST_STD, normalize
from cnnviz.reading.portable import (  # noqa: F401 - FIELD, centre_by_mass: the app's names for them
    BOX,
    FIELD,
    NoDigit,
    centre_by_mass,
    has_alpha,
    prepare,
)


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


def preprocess_image(image: Image.Image, description: str | None = None, scale: float = 1.0) -> Preprocessed:
    """Turn a decoded image into the network's input, keeping each step as a picture.

    Args:
        description: what the file was, for the first step's caption (default: the image's size and mode).
        scale: image pixels per pixel of the original file (JPEGs may be decoded smaller).
    """
    description = description or described(image)
    try:
        made = prepare(image)
    except NoDigit as error:
        raise NoDigitError(str(error)) from None
    small = made.working
    if has_alpha(small) or small.mode.startswith("I") or small.mode == "F":
        original = (made.gray * 255).astype(np.uint8)  # transparency and 16-bit values shown as the network takes them
    else:
        original = np.asarray(small.convert("RGB"))
    source_per_work = image.width / small.width
    cropped, fitted, centred, inverted = made.cropped, made.fitted, made.centred, made.inverted
    file_pixels_per_crop = made.crop_scale / scale
    tensor = normalize(torch.from_numpy(centred)[None])  # (1, 1, 28, 28)
    h, w = (round(side * file_pixels_per_crop) for side in cropped.shape)
    crop_words = f"Everything but the digit is cut away: a box of {w:,} x {h:,} pixels of your image"
    crop_words += ", read again at full detail because the digit is small." if made.zoomed else "."
    steps = [
        Step("Original", f"What you gave: {description}.", original),
        Step("Grayscale", "Colour is dropped: the network sees one brightness value per pixel.", made.gray),
        Step(
            "Inverted" if inverted else "Not inverted",
            "MNIST digits are white ink on black, so a light background is flipped."
            if inverted
            else "The background is already dark, as in MNIST, so nothing is flipped.",
            made.ink,
        ),
        Step(
            "Lighting evened",
            lessons.lighting_step(stroke_width(made.levelled.image) * source_per_work / scale, made.levelled.shading),
            made.levelled.image,
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
