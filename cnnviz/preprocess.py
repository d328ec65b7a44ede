"""Any image a person gives -> the 1 x 28 x 28 tensor the network reads, keeping every step for display.

The steps follow how MNIST itself was made: white ink on black, the digit fitted into a
20 x 20 box and centred by its centre of mass in a 28 x 28 field.
"""

import io
import struct
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError
from scipy import ndimage

from cnnviz.data import MNIST_MEAN, MNIST_STD
from cnnviz.errors import InputError

MAX_FILE_BYTES = 8 * 1024 * 1024  # larger files are refused before decoding
MAX_PIXELS = 40_000_000  # larger images (decompression bombs among them) are refused before decoding
WORK_SIDE = 256  # images are shrunk to at most this side first: plenty for a 28 x 28 result
BOX = 20  # MNIST digits were fitted into a 20 x 20 box ...
FIELD = 28  # ... and centred in a 28 x 28 field
INK_LEVEL = 0.3  # after contrast stretching, pixels above this count as ink when cropping

Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own bomb guard, for formats that reveal size late


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


def open_image(data: bytes) -> Image.Image:
    """Decode image bytes safely: size limits, first frame only, EXIF rotation applied."""
    if not data:
        raise InputError("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"The file is {len(data) / 2**20:.1f} MB; images are limited to {MAX_FILE_BYTES // 2**20} MB.")
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ", b"<svg>") or b"<svg" in data[:1024].lower():
        raise InputError("SVG drawings are not supported: save the digit as PNG or JPEG.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InputError(f"The image is {width:,} x {height:,} pixels; images are limited to {MAX_PIXELS // 10**6} megapixels.")
            image.seek(0)  # animated GIF, WebP or TIFF: the first frame
            original = f"{described(image)}, {image.format} file"
            image.draft(None, (WORK_SIDE, WORK_SIDE))  # JPEG only: decode at reduced size, much faster
            image.load()
    except InputError:
        raise
    except UnidentifiedImageError:
        raise InputError("This is not an image format that can be read (use PNG, JPEG, GIF, BMP, WebP or TIFF).") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(f"The image is too large to decode; images are limited to {MAX_PIXELS // 10**6} megapixels.") from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, struct.error) as error:
        raise InputError(f"The image file is damaged and cannot be read ({_short(error)}).") from None
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - a broken EXIF block must not lose an otherwise good image
        pass
    if image.width < 1 or image.height < 1:
        raise InputError("The image has no pixels.")
    image.info["cnnviz_original"] = original  # for the "Original" step's caption
    return image


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:80]


def shrink(image: Image.Image) -> Image.Image:
    """A copy no larger than WORK_SIDE on its longer side (aspect kept)."""
    if max(image.size) <= WORK_SIDE:
        return image
    scale = WORK_SIDE / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if image.mode not in ("1", "L", "LA", "RGB", "RGBA", "I", "F", "I;16", "CMYK"):
        image = image.convert("RGBA")
    return image.resize(size, Image.Resampling.BOX if image.mode not in ("1",) else Image.Resampling.NEAREST)


def has_alpha(image: Image.Image) -> bool:
    """Whether the image has a transparency channel or a transparent palette colour."""
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (image.mode == "P" and "transparency" in image.info)


def to_grayscale(image: Image.Image) -> np.ndarray:
    """Brightness in [0, 1] for any colour mode; transparent areas become background.

    Transparent pixels are filled with the opposite of the visible ink (white behind dark ink,
    black behind light ink), so a digit on a transparent background survives either way.
    """
    mode = image.mode
    if mode.startswith("I") or mode == "F":  # 16- or 32-bit grayscale
        values = np.asarray(image, dtype=np.float32)
        top = 65535.0 if mode.startswith("I;16") or values.max() > 255 else 255.0
        if mode == "F":
            low, top = float(values.min()), float(values.max())
            values, top = values - low, max(top - low, 1e-6)
        return np.clip(values / top, 0, 1)
    if mode == "1":
        return np.asarray(image.convert("L"), dtype=np.float32) / 255
    if not has_alpha(image):
        if mode not in ("L", "RGB"):
            image = image.convert("RGB")
        return np.asarray(image.convert("L"), dtype=np.float32) / 255
    rgba = image.convert("RGBA")
    gray = np.asarray(rgba.convert("L"), dtype=np.float32) / 255
    alpha = np.asarray(rgba.getchannel("A"), dtype=np.float32) / 255
    if alpha.sum() < 1e-6:
        raise InputError("The image is completely transparent: there is no digit to read.")
    ink_is_dark = float((gray * alpha).sum() / alpha.sum()) < 0.5
    background = 1.0 if ink_is_dark else 0.0
    return gray * alpha + background * (1 - alpha)


def border_median(gray: np.ndarray) -> float:
    """Median brightness of the outer ring of the image: a good guess at the background."""
    h, w = gray.shape
    ring = max(1, min(h, w) // 20)
    border = np.concatenate([gray[:ring].ravel(), gray[-ring:].ravel(), gray[:, :ring].ravel(), gray[:, -ring:].ravel()])
    return float(np.median(border))


def level(ink: np.ndarray) -> np.ndarray:
    """Remove uneven lighting and stretch contrast so the strongest ink is 1 and background 0."""
    size = max(3, min(ink.shape) // 4)
    background = ndimage.grey_opening(ink, size=(size, size))  # erases strokes thinner than size, keeps shading
    flat = ink - background
    top = float(np.percentile(flat, 99.5))
    if top < 0.08:  # nothing stands out from the background by even 8 % brightness
        raise InputError("No digit found: the image is blank or has almost no contrast.")
    floor = 0.15 * top  # paper grain and JPEG noise below this are background
    return np.clip((flat - floor) / (top - floor), 0, 1)


def crop_to_ink(ink: np.ndarray) -> np.ndarray:
    """The smallest box holding the digit; specks much smaller than the digit's strokes are ignored."""
    mask = ink > INK_LEVEL
    labels, count = ndimage.label(mask)
    if count == 0:
        raise InputError("No digit found: the image is blank or has almost no contrast.")
    sizes = ndimage.sum_labels(mask, labels, index=np.arange(1, count + 1))
    keep = np.isin(labels, 1 + np.flatnonzero(sizes >= 0.1 * sizes.max()))
    near_digit = ndimage.binary_dilation(keep, iterations=2)  # keeps the soft edges of the strokes
    rows, cols = np.flatnonzero(keep.any(axis=1)), np.flatnonzero(keep.any(axis=0))
    box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    return (ink * near_digit)[box]


def fit_box(ink: np.ndarray, box: int = BOX) -> np.ndarray:
    """Scale so the longer side is `box` pixels, keeping the aspect ratio."""
    h, w = ink.shape
    scale = box / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resized = np.asarray(Image.fromarray(ink.astype(np.float32)).resize(size, Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR))
    resized = np.clip(resized, 0, None)
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


def described(image: Image.Image) -> str:
    """Size and colour mode of an image, for people."""
    return f"{image.width} x {image.height} pixels, {image.mode} colour mode"


def preprocess_image(image: Image.Image) -> Preprocessed:
    """Turn a decoded image into the network's input, keeping each step as a picture."""
    small = shrink(image)
    gray = to_grayscale(small)
    if has_alpha(small) or small.mode.startswith("I") or small.mode == "F":
        original = (gray * 255).astype(np.uint8)  # transparency and 16-bit values shown as the network takes them
    else:
        original = np.asarray(small.convert("RGB"))
    inverted = border_median(gray) > 0.5
    ink = 1.0 - gray if inverted else gray
    levelled = level(ink)
    cropped = crop_to_ink(levelled)
    fitted = fit_box(cropped)
    centred = centre_by_mass(fitted)
    tensor = torch.from_numpy((centred - MNIST_MEAN) / MNIST_STD).float().view(1, 1, FIELD, FIELD)
    h, w = cropped.shape
    steps = [
        Step("Original", f"What you gave: {image.info.get('cnnviz_original', described(image))}.", original),
        Step("Grayscale", "Colour is dropped: the network sees one brightness value per pixel.", gray),
        Step(
            "Inverted" if inverted else "Not inverted",
            "MNIST digits are white ink on black, so a light background is flipped."
            if inverted
            else "The background is already dark, as in MNIST, so nothing is flipped.",
            ink,
        ),
        Step("Lighting evened", "Shadows and paper shading are subtracted and contrast stretched: ink becomes white.", levelled),
        Step("Cropped to the ink", f"Everything but the digit is cut away ({w} x {h} pixels left).", cropped),
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
    return preprocess_image(open_image(data))


def preprocess_canvas(rgba: np.ndarray | None) -> Preprocessed:
    """Preprocess a drawing from the canvas widget: (H, W, 4) uint8 RGBA, transparent where not drawn."""
    if rgba is None or rgba.size == 0 or rgba[..., 3].max() == 0:
        raise InputError("The canvas is empty: draw a digit first.")
    return preprocess_image(Image.fromarray(np.ascontiguousarray(rgba, dtype=np.uint8)))
