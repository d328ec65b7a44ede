"""Any image a person gives -> the 1 x 28 x 28 tensor the network reads, keeping every step for display.

The steps themselves are cnnviz.reading.portable's (which every exported model.py carries too); this
module keeps each step's picture and the numbers it worked with (the page that shows them says them in words).
"""

from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

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

# The kinds of step, in the order an image goes through them (a page names and explains each).
GIVEN, GRAYSCALE, INVERTED, LIGHTING = "given", "grayscale", "inverted", "lighting"
CROPPED, FITTED, CENTRED, NORMALISED = "cropped", "fitted", "centred", "normalised"
STORED = "stored"  # a digit already in MNIST's form (a Mistakes digit): it goes in as it is
NORMALISATION = {"mean": MNIST_MEAN, "std": MNIST_STD}  # the last step's numbers, whatever came before


@dataclass(frozen=True)
class Step:
    """One stage of preprocessing: which one it is, the picture it produced, and the numbers it worked with."""

    kind: str  # GIVEN, GRAYSCALE, ...: what the step did
    image: np.ndarray  # (H, W) or (H, W, 3) uint8, at most WORK_SIDE on a side: light to keep in a cache
    facts: dict = field(default_factory=dict)  # its numbers: sizes in pixels, the paper's shading, ...


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
    height, width = (round(side * file_pixels_per_crop) for side in cropped.shape)
    stroke = stroke_width(made.levelled.image) * source_per_work / scale  # in pixels of the file given
    steps = [
        Step(GIVEN, original, {"description": description}),
        Step(GRAYSCALE, made.gray),
        Step(INVERTED, made.ink, {"inverted": bool(inverted)}),
        Step(LIGHTING, made.levelled.image, {"shading": made.levelled.shading, "stroke": stroke}),
        Step(CROPPED, cropped, {"width": width, "height": height, "zoomed": bool(made.zoomed)}),
        Step(FITTED, fitted, {"box": BOX}),
        Step(CENTRED, centred, {"field": FIELD}),
        Step(NORMALISED, centred, NORMALISATION),
    ]
    return Preprocessed(tensor, centred, [Step(s.kind, _to_uint8(s.image), s.facts) for s in steps])


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
    steps = [Step(STORED, digit, {"description": description}), Step(NORMALISED, digit, NORMALISATION)]
    return Preprocessed(tensor, pixels, [Step(s.kind, _to_uint8(s.image), s.facts) for s in steps])
