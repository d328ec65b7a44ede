"""Decode any image a person gives, safely: size limits first, first frame only, EXIF rotation, any colour mode."""

import io
import struct
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from cnnviz.errors import InputError
from cnnviz.reading.portable import DECODE_SIDE, FORMATS, MAX_PIXELS

MAX_FILE_BYTES = 8 * 1024 * 1024  # larger files are refused before decoding
TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")  # PNG metadata, which the app never needs

# Pillow's own bomb guard: it raises DecompressionBombError above twice this. Below that, images over
# MAX_PIXELS are refused by _decode from their header, per call: warning filters are process-wide and
# not thread-safe, so they are never touched here.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class Decoded:
    """A decoded image and what it was, for people."""

    image: Image.Image  # JPEGs may be decoded at reduced size (never below DECODE_SIDE)
    description: str  # e.g. "4,000 x 3,000 pixels, RGB colour mode, JPEG file"
    scale: float  # image pixels per pixel of the file (1 unless decoded at reduced size)


def open_image(data: bytes) -> Decoded:
    """Decode image bytes safely: documented formats only, size limits, first frame only, EXIF rotation applied."""
    if not data:
        raise InputError("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"The file is {len(data) / 2**20:.1f} MB; images are limited to {MAX_FILE_BYTES // 2**20} MB.")
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ", b"<svg>") or b"<svg" in data[:1024].lower():
        raise InputError("SVG drawings are not supported: save the digit as PNG or JPEG.")
    try:
        try:
            image, description, scale = _decode(data)
        except ValueError as error:
            if not data.startswith(PNG_SIGNATURE) or "MAX_TEXT" not in str(error):
                raise
            image, description, scale = _decode(without_text_chunks(data))  # metadata too large to read: skip it
    except InputError:
        raise
    except UnidentifiedImageError:
        raise InputError(
            "This is not an image format that can be read (use PNG, JPEG, GIF, BMP, WebP or TIFF)."
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            f"The image is too large to decode; images are limited to {MAX_PIXELS // 10**6} megapixels."
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, struct.error) as error:
        raise InputError(f"The image file is damaged and cannot be read ({_short(error)}).") from None
    except Exception:  # noqa: BLE001 - Pillow's decoders raise many other types on damaged files; none may escape
        raise InputError("The image file is damaged and cannot be read.") from None
    try:
        ImageOps.exif_transpose(image, in_place=True)  # in place: a copy of a big photo costs milliseconds
    except Exception:  # noqa: BLE001 - a broken EXIF block must not lose an otherwise good image
        pass
    if image.width < 1 or image.height < 1:
        raise InputError("The image has no pixels.")
    return Decoded(image, description, scale)


def _decode(data: bytes) -> tuple[Image.Image, str, float]:
    """(image, description, scale) of the first frame; raises Pillow's exceptions, or InputError for a size limit."""
    image = Image.open(io.BytesIO(data), formats=FORMATS)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise InputError(
            f"The image is {width:,} x {height:,} pixels; images are limited to {MAX_PIXELS // 10**6} megapixels."
        )
    image.seek(0)  # animated GIF, WebP or TIFF: the first frame
    description = f"{described(image)}, {image.format} file"
    image.draft(None, (DECODE_SIDE, DECODE_SIDE))  # JPEG only: decode at reduced size, much faster
    image.load()
    return image, description, image.width / width


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_DRAWING_SIDE = 2048  # a canvas drawing's PNG: the canvas is 280 px, times the screen's pixel ratio (up to 4)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header chunk, read before any pixel is decoded; InputError if it is no PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise InputError("This is not a PNG picture.")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def open_drawing(data: bytes, max_side: int = MAX_DRAWING_SIDE) -> np.ndarray:
    """A canvas drawing's RGBA pixels (H, W, 4) from its PNG bytes: PNG only, its size checked before decoding.

    The browser sends the drawing; a crafted message can send anything, so it gets the same care
    as an upload: no other format is tried, and a picture larger than any canvas is refused unread.
    """
    width, height = png_size(data)
    if not (0 < width <= max_side and 0 < height <= max_side):
        raise InputError(f"The drawing is {width:,} x {height:,} pixels, larger than any canvas; it was not read.")
    try:
        image = Image.open(io.BytesIO(data), formats=("PNG",))
        image.load()
        return np.asarray(image.convert("RGBA"))
    except Exception:  # noqa: BLE001 - a damaged PNG from a crafted message: any decoder error means "no drawing"
        raise InputError("The drawing could not be read.") from None


def without_text_chunks(png: bytes) -> bytes:
    """The same PNG with its text metadata chunks (tEXt, zTXt, iTXt) left out; other chunks kept as they are."""
    out, at = [png[:8]], 8
    while at + 8 <= len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        end = at + 12 + length  # length, type, data, CRC
        if png[at + 4 : at + 8] not in TEXT_CHUNKS:
            out.append(png[at:end])
        at = end
    return b"".join(out)


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:80]


def described(image: Image.Image) -> str:
    """Size and colour mode of an image, for people."""
    return f"{image.width:,} x {image.height:,} pixels, {image.mode} colour mode"
