"""Image files made by the tests themselves: odd-but-valid formats and broken ones."""

import io
import struct
import zlib

import numpy as np
from PIL import Image

from cnnviz.data.handwriting import draw_digit, encode, photo_of_digit


def dark_on_white(digit: int, size: int = 200, seed: int = 0) -> Image.Image:
    """A grayscale digit, dark ink on white paper."""
    return draw_digit(digit, size, seed=seed)


def odd_but_valid() -> dict[str, tuple[int, bytes]]:
    """{case name: (digit shown, file bytes)} for the odd formats and colour modes people upload."""
    files = {}
    files["cmyk_jpeg"] = (3, encode(dark_on_white(3).convert("CMYK"), "JPEG", quality=90))
    ink = np.asarray(dark_on_white(4), dtype=np.uint16)
    files["gray16_png"] = (4, encode(Image.fromarray(ink * 257), "PNG"))  # full 16-bit range
    files["palette_png"] = (
        5,
        encode(dark_on_white(5).convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=16), "PNG"),
    )

    alpha = 255 - np.asarray(dark_on_white(2))  # opaque where the ink is
    black_ink = Image.merge("RGBA", [Image.new("L", (200, 200), 0)] * 3 + [Image.fromarray(alpha)])
    white_ink = Image.merge("RGBA", [Image.new("L", (200, 200), 255)] * 3 + [Image.fromarray(alpha)])
    files["transparent_black_ink_png"] = (2, encode(black_ink, "PNG"))
    files["transparent_white_ink_png"] = (2, encode(white_ink, "PNG"))
    files["gray_alpha_png"] = (2, encode(black_ink.convert("LA"), "PNG"))

    frames = [dark_on_white(7).convert("P"), dark_on_white(1).convert("P")]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    files["animated_gif_first_frame"] = (7, gif.getvalue())

    # Stored sideways with an EXIF tag saying "rotate 90 degrees clockwise to view" (orientation 6).
    exif = Image.Exif()
    exif[0x0112] = 6
    files["exif_rotated_jpeg"] = (
        6,
        encode(dark_on_white(6).rotate(90, expand=True).convert("RGB"), "JPEG", exif=exif.tobytes()),
    )

    strip = Image.new("L", (2400, 160), 255)
    strip.paste(dark_on_white(8, 150), (1100, 5))
    files["very_wide_strip_png"] = (8, encode(strip, "PNG"))
    files["one_bit_bmp"] = (9, encode(dark_on_white(9).point(lambda v: 255 if v > 128 else 0).convert("1"), "BMP"))
    files["webp"] = (0, encode(dark_on_white(0).convert("RGB"), "WEBP", quality=90))
    files["tiff"] = (1, encode(dark_on_white(1), "TIFF"))
    files["tiny_20px_png"] = (7, encode(dark_on_white(7, 20), "PNG"))
    files["large_3000px_jpeg"] = (4, encode(dark_on_white(4, 3000), "JPEG", quality=85))
    files["photo_on_paper_jpeg"] = (3, encode(photo_of_digit(3, seed=5), "JPEG", quality=75))
    files["float32_tiff"] = (5, encode(Image.fromarray(np.asarray(dark_on_white(5), dtype=np.float32) / 255), "TIFF"))
    return files


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims the given size but holds almost no data: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def bad_files() -> dict[str, bytes]:
    """{case name: file bytes} for files that must be refused with a clear sentence."""
    good_png = encode(dark_on_white(3), "PNG")
    good_jpeg = encode(dark_on_white(3).convert("RGB"), "JPEG")
    corrupt_jpeg = bytearray(good_jpeg)
    corrupt_jpeg[200:1200] = b"\x00" * 1000  # scrambles the entropy-coded data
    corrupt_jpeg = bytes(corrupt_jpeg[:400])  # and cut it short
    return {
        "empty": b"",
        "text_renamed_png": b"This is a shopping list, not a picture.\nEggs\nMilk\n",
        "truncated_png": good_png[: len(good_png) // 2],
        "corrupt_jpeg": corrupt_jpeg,
        "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="28" height="28">'
        b'<text y="20">7</text></svg>',
        "decompression_bomb_40000px": png_header_only(40_000, 40_000),
        "blank_white": encode(Image.new("L", (100, 100), 255), "PNG"),
        "flat_gray_rgb": encode(Image.new("RGB", (64, 64), (128, 128, 128)), "PNG"),
        "fully_transparent": encode(Image.new("RGBA", (64, 64), (0, 0, 0, 0)), "PNG"),
        "over_8_mb": b"\x89PNG\r\n\x1a\n" + b"\0" * (9 * 2**20),
    }


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(width: int, height: int) -> bytes:
    """A real grayscale PNG of zeros, compressed hard: a 79-megapixel one is a few hundred kilobytes."""
    rows = b"\0" * ((width + 1) * height)  # a filter byte, then the row
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )
