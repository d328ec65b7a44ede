"""Pictures of digits that once fooled the app, made by the tests themselves: {case: (digit, file bytes)}.

Each case is a way students bring digits that the preprocessing or the model got wrong before:
strokes far thicker or thinner than MNIST's, a small digit on a big page, shadows, pencil,
coloured ink, light ink on a dark board, a digit running off the edge, a tiny scan that is mostly ink.
"""

import numpy as np
from PIL import Image

from cnnviz.data import media
from cnnviz.data.glyphs import DIGIT_STYLES
from cnnviz.data.handwriting import Writer, draw_glyph, encode, on_paper


def _glyph(digit: int, style: str | None = None):
    return DIGIT_STYLES[digit][style or next(iter(DIGIT_STYLES[digit]))]


def _steady(pen: float) -> Writer:
    return Writer(slant=0.05, jitter=0.004, pen=pen)


def _on_page(coverage: np.ndarray, page: tuple[int, int], at: tuple[int, int]) -> Image.Image:
    """Dark ink on a white page, the coverage's top-left corner at `at`."""
    sheet = np.zeros((page[1], page[0]), dtype=np.float32)
    h, w = coverage.shape
    sheet[at[1] : at[1] + h, at[0] : at[0] + w] = coverage
    return on_paper(sheet)


def cases() -> dict[str, tuple[int, bytes]]:
    """Every regression case: its digit and its file."""
    rng = np.random.default_rng(2026)
    out = {}
    for digit in (2, 4, 6, 0, 8):  # bold marker strokes about 30 px wide, filling a 130 x 130 image
        coverage = draw_glyph(_glyph(digit), 130, _steady(0.26), rng, margin=0.03)
        out[f"thick_marker_{digit}"] = (digit, encode(on_paper(coverage), "PNG"))
    for digit in (3, 7):  # a hair-thin pen on a big image
        out[f"hair_thin_{digit}"] = (
            digit,
            encode(on_paper(draw_glyph(_glyph(digit), 500, _steady(0.006), rng)), "PNG"),
        )
    seven = draw_glyph(_glyph(7), 150, _steady(0.1), rng, margin=0)
    out["small_7_on_800_page"] = (7, encode(_on_page(seven, (800, 800), (325, 325)), "PNG"))
    one = draw_glyph(_glyph(1), 200, _steady(0.1), rng, margin=0)
    out["small_1_on_800_page"] = (1, encode(_on_page(one, (800, 800), (300, 300)), "PNG"))
    thin_one = draw_glyph(_glyph(1, "flag"), 130, _steady(0.05), rng, margin=0)
    out["thin_1_on_1600_photo"] = (
        1,
        encode(
            media.photo(thin_one, (1600, 1200), rng, ink="blue-black", centred=False, shadow=False), "JPEG", quality=88
        ),
    )
    corner = draw_glyph(_glyph(7), 120, _steady(0.09), rng, margin=0)
    page = np.zeros((480, 640), dtype=np.float32)
    page[330:450, 480:600] = corner  # in the lower right corner of a photo of paper
    out["7_in_the_corner_of_a_photo"] = (
        7,
        encode(media.photo(page, (640, 480), rng, ink="black", centred=True, shadow=False), "JPEG", quality=85),
    )
    for digit in (5, 9):  # written so large it runs off the edge of the picture
        coverage = draw_glyph(_glyph(digit), 120, _steady(0.1), rng, margin=0.0)
        out[f"touching_the_border_{digit}"] = (digit, encode(on_paper(coverage[3:-3, 2:-2]), "PNG"))
    out["faint_pencil_4"] = (4, encode(media.pencil(draw_glyph(_glyph(4), 220, _steady(0.035), rng), rng), "PNG"))
    shaded = draw_glyph(_glyph(3), 220, _steady(0.08), rng)
    out["shadow_across_the_page_3"] = (
        3,
        encode(media.photo(shaded, (800, 600), rng, ink="blue-black", centred=True, shadow=True), "JPEG", quality=85),
    )
    for digit, ink in ((2, "red"), (6, "green"), (8, "blue"), (5, "purple")):
        coverage = draw_glyph(_glyph(digit), 200, _steady(0.08), rng)
        out[f"{ink}_ink_{digit}"] = (digit, encode(media.ink_on_paper(coverage, rng, ink=ink), "PNG"))
    for digit in (1, 9):  # chalk on a blackboard
        coverage = draw_glyph(_glyph(digit, "flag and base" if digit == 1 else None), 220, _steady(0.09), rng)
        out[f"chalk_on_board_{digit}"] = (digit, encode(media.ink_on_paper(coverage, rng, light_ink=True), "PNG"))
    for digit, style in (
        (1, "flag and base"),
        (7, "crossed"),
        (4, "open"),
        (9, "curved tail"),
        (2, "looped"),
        (6, "straight stem"),
    ):
        coverage = draw_glyph(_glyph(digit, style), 200, _steady(0.08), rng)
        out[f"style_{digit}_{style.replace(' ', '_')}"] = (digit, encode(on_paper(coverage), "PNG"))
    for digit in (0, 3):  # a tiny scan, 12 x 12 in 17 grey levels, the thick ink covering most of it
        coverage = draw_glyph(_glyph(digit), 64, _steady(0.28), rng, margin=0.0)
        small = np.asarray(Image.fromarray((coverage * 255).astype(np.uint8)).resize((12, 12), Image.Resampling.BOX))
        levels = np.round(small / 255 * 16) / 16
        out[f"tiny_thick_scan_{digit}"] = (digit, encode(Image.fromarray(((1 - levels) * 255).astype(np.uint8)), "PNG"))
    return out
