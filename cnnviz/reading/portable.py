"""The app's image preparation in numpy, Pillow and torch alone: any image -> the 28 x 28 digit the network reads.

The app prepares every image with this module, and every exported model.py carries its text, so a
network taken home reads an image exactly as the app does. The steps follow how MNIST was made:
grayscale, white ink on black (light paper is flipped), the lighting evened, cropped to the ink,
fitted into a 20 x 20 box and centred by its centre of mass in a 28 x 28 field.

Lighting is evened at a scale that cannot mistake a stroke for paper: a smooth surface (a quadratic
in x and y) fitted to the paper only takes out vignetting and soft shadows; then an opening by
reconstruction whose window is twice the thickest stroke takes out sharper shadows and stains:
erosion with such a window wipes out every stroke but keeps a core of anything wider, and
reconstruction grows each core back to its whole shape, so shadows are subtracted and strokes never.
"""

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageOps

FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")  # the image formats read
DECODE_SIDE = 720  # JPEGs are decoded at reduced size, but no smaller than this
MAX_PIXELS = 40_000_000  # larger images (decompression bombs among them) are refused before decoding
WORK_SIDE = 256  # the whole image is looked at this small: plenty to find a digit
ZOOM_BELOW = 64  # a digit smaller than this (working pixels) is read again from the full-size image
BOX = 20  # MNIST digits were fitted into a 20 x 20 box ...
FIELD = 28  # ... and centred in a 28 x 28 field
INK_LEVEL = 0.3  # after contrast stretching, pixels above this count as ink when cropping
SHARP_EDGE = 0.08  # ink's edges rise at least this much per pixel (a shadow's edge rises slower)
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # of MNIST's training pixels in [0, 1]: the network's input is normalised so
MIN_CONTRAST = 0.08  # ink must stand out from the paper by at least this much brightness ...
NOISE_MULTIPLE = 5.0  # ... and by this many times the paper's own grain
SURFACE_SIDE = 48  # the paper surface is fitted on a copy this small: it is smooth anyway
MEASURE_SIDE = 128  # stroke widths are measured on a copy this small
WINDOWS = (3, 5, 7, 11, 15, 21, 31, 45, 63, 91, 127)  # opening windows tried, in measuring pixels
SHADE = 0.03  # shading left after the surface is subtracted, below which it is not worth subtracting
MAX_GRAIN = 0.15  # paper grain above this means the paper surface was fitted to ink, not paper
FLAT_PAPER_CONTRAST = 0.3  # an image whose fitted paper surface swallows everything may still hold this much contrast
BLANK = "No digit found: the image is blank or has almost no contrast."
TRANSPARENT = "The image is completely transparent: there is no digit to read."
NO_NUMBERS = "The image holds no numbers (every pixel is NaN or infinite)."


class NoDigit(ValueError):
    """An image with nothing to read: blank, featureless, or completely transparent."""


# --- decoding ---------------------------------------------------------------------------------


def open_image(path) -> Image.Image:
    """An image file's first frame (a JPEG decoded at reduced size), turned upright by its EXIF orientation.

    (The app decodes uploads with cnnviz.reading.decode, which does the same with more checks.)
    """
    image = Image.open(path, formats=FORMATS)
    if image.width * image.height > MAX_PIXELS:
        raise ValueError(
            f"The image is {image.width:,} x {image.height:,} pixels; images are limited to "
            f"{MAX_PIXELS // 10**6} megapixels."
        )
    image.seek(0)  # animated GIF, WebP or TIFF: the first frame
    image.draft(None, (DECODE_SIDE, DECODE_SIDE))  # JPEG only: decode at reduced size, much faster
    image.load()
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # noqa: BLE001 - a broken EXIF block must not lose an otherwise good image
        pass
    return image


def shrink(image: Image.Image, side: int) -> Image.Image:
    """A copy no larger than side on its longer side (aspect kept), each pixel the average of those it covers."""
    if max(image.size) <= side:
        return image
    scale = side / max(image.size)
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
        if mode == "F":  # any range, maybe with NaN or infinite pixels: those take the typical (paper) value
            finite = np.isfinite(values)
            if not finite.any():
                raise NoDigit(NO_NUMBERS)
            low, top = float(values[finite].min()), float(values[finite].max())
            values = np.where(finite, values, float(np.median(values[finite])))
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
        raise NoDigit(TRANSPARENT)
    ink_is_dark = float((gray * alpha).sum() / alpha.sum()) < 0.5
    background = 1.0 if ink_is_dark else 0.0
    return gray * alpha + background * (1 - alpha)


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


# --- shapes in the image: components, edges, windows --------------------------------------------


def _neighbours(values: np.ndarray, fill) -> list[np.ndarray]:
    """The value above, below, left and right of every pixel (fill beyond the edge)."""
    padded = np.pad(values, 1, constant_values=fill)
    return [padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]]


def components(mask: np.ndarray) -> np.ndarray:
    """Each pixel of the mask labelled by its 4-connected region, -1 elsewhere.

    Each row's runs of mask pixels are numbered; runs touching in the rows above and below are
    joined by giving both the smaller number, until nothing changes.
    """
    starts = mask & ~np.pad(mask, ((0, 0), (1, 0)))[:, :-1]  # where a run begins: its left neighbour is not in the mask
    runs = np.where(mask, np.cumsum(starts.ravel()).reshape(mask.shape) - 1, -1)
    touching = mask[:-1] & mask[1:]  # a pixel and the one below it, both in the mask
    first, second = runs[:-1][touching], runs[1:][touching]
    labels = np.arange(int(starts.sum()))
    while True:
        smaller = np.minimum(labels[first], labels[second])
        joined = labels.copy()
        np.minimum.at(joined, first, smaller)
        np.minimum.at(joined, second, smaller)
        joined = joined[joined]  # a label's own label: regions settle in a few rounds
        if np.array_equal(joined, labels):
            return np.where(mask, labels[np.maximum(runs, 0)] if labels.size else -1, -1)
        labels = joined


def edge_strength(values: np.ndarray) -> np.ndarray:
    """How fast brightness changes at each pixel: Sobel down and across (edges mirrored), per pixel."""

    def sobel(values: np.ndarray) -> np.ndarray:  # along the rows: the difference 1 0 -1, then 1 2 1 across
        padded = np.pad(values, 1, mode="symmetric").astype(np.float64)
        change = (padded[2:] - padded[:-2]).astype(values.dtype).astype(np.float64)  # rounded as the input is
        return (change[:, :-2] + 2 * change[:, 1:-1] + change[:, 2:]).astype(values.dtype)

    return np.hypot(sobel(values), sobel(values.T).T) / 8


def grow(mask: np.ndarray, steps: int) -> np.ndarray:
    """The mask grown by steps pixels up, down, left and right (a diamond)."""
    for _ in range(steps):
        mask = np.logical_or.reduce([mask, *_neighbours(mask, False)])
    return mask


def _running_max(values: np.ndarray, size: int, axis: int) -> np.ndarray:
    """The largest value in each run of size along an axis (the run's centre at size // 2; beyond the edge ignored).

    In blocks of size, a run covers the end of one block and the start of the next: the largest from
    each place to its block's end, and from its block's start to each place, give it at once (van Herk).
    """
    values = np.moveaxis(values, axis, -1)
    length = values.shape[-1]
    before = size // 2
    total = -(-(length + size - 1) // size) * size  # padded to whole blocks
    padded = np.full((*values.shape[:-1], total), -np.inf, dtype=values.dtype)
    padded[..., before : before + length] = values
    if size <= 16:  # a short run: the largest of its few values directly is quicker
        runs = padded[..., :length]
        for shift in range(1, size):
            runs = np.maximum(runs, padded[..., shift : shift + length])
        return np.moveaxis(runs, -1, axis)
    blocks = padded.reshape(*values.shape[:-1], total // size, size)
    from_start = np.maximum.accumulate(blocks, axis=-1).reshape(padded.shape)
    to_end = np.maximum.accumulate(blocks[..., ::-1], axis=-1)[..., ::-1].reshape(padded.shape)
    runs = np.maximum(to_end[..., :length], from_start[..., size - 1 : size - 1 + length])
    return np.moveaxis(runs, -1, axis)


def window_max(values: np.ndarray, size: int) -> np.ndarray:
    """The largest value in each size x size window (its centre at size // 2)."""
    return _running_max(_running_max(values, size, 0), size, 1)


def erode(values: np.ndarray, size: int) -> np.ndarray:
    """The smallest value in each size x size window."""
    return -window_max(-values, size)


def opening(values: np.ndarray, size: int) -> np.ndarray:
    """Erosion, then the largest value of each window: what is left once everything narrower than size is removed."""
    return window_max(erode(values, size)[::-1, ::-1], size)[::-1, ::-1]  # flipped: the window mirrored, as dilation is


def reconstruct(seed: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Reconstruction by dilation: the seed grown into its 8 neighbours as far as the mask allows.

    Swept down, up, right and left, a row (or column) at a time from the one before it, again until
    a whole sweep changes nothing: far fewer passes over the image than growing it a pixel a pass.
    """
    grown = np.minimum(seed, mask)
    while True:
        before = grown.copy()
        for values, limit in ((grown, mask), (grown.T, mask.T)):  # rows, then columns (a view: grown changes)
            for lines in (range(1, len(values)), range(len(values) - 2, -1, -1)):
                for line in lines:
                    previous = values[line - 1] if lines.step == 1 else values[line + 1]
                    near = previous.copy()
                    near[1:] = np.maximum(near[1:], previous[:-1])  # and its diagonal neighbours
                    near[:-1] = np.maximum(near[:-1], previous[1:])
                    values[line] = np.minimum(np.maximum(values[line], near), limit[line])
        if np.array_equal(grown, before):
            return grown


# --- lighting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Levelled:
    """The image with its lighting evened and contrast stretched: ink 1, paper 0."""

    image: np.ndarray  # (H, W) float32 in [0, 1]
    shading: float  # how much the paper's brightness varied (0: perfectly even)
    noise: float  # the paper grain's standard deviation
    window: int | None  # the stroke window used (None: the lighting surface alone)


def _coarse(values: np.ndarray, side: int) -> np.ndarray:
    """Block averages, at most side blocks along the longer axis."""
    factor = max(1, int(np.ceil(max(values.shape) / side)))
    h, w = (values.shape[0] // factor) * factor, (values.shape[1] // factor) * factor
    if h == 0 or w == 0:
        return values
    return values[:h, :w].reshape(h // factor, factor, w // factor, factor).mean(axis=(1, 3))


def _quadratic_terms(shape: tuple[int, int]) -> np.ndarray:
    """(H * W, 6) design matrix: 1, x, y, x^2, xy, y^2 on a [-1, 1] grid."""
    y, x = np.meshgrid(np.linspace(-1, 1, shape[0]), np.linspace(-1, 1, shape[1]), indexing="ij")
    x, y = x.ravel(), y.ravel()
    return np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)


def _quadratic(coefficients: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The quadratic surface with these coefficients (see _quadratic_terms) on an H x W grid."""
    y = np.linspace(-1, 1, shape[0], dtype=np.float32)[:, None]
    x = np.linspace(-1, 1, shape[1], dtype=np.float32)[None, :]
    c = coefficients.astype(np.float32)
    return c[0] + c[1] * x + c[2] * y + c[3] * x * x + c[4] * x * y + c[5] * y * y


def paper_surface(ink: np.ndarray) -> np.ndarray:
    """The paper's brightness (in ink units) as a smooth surface, fitted to the paper only.

    Ink only ever adds brightness in ink units, so pixels well above the surface are left out of
    the next fit; the paper's grain is measured from the pixels below it, where ink never is.
    """
    coarse = _coarse(ink, SURFACE_SIDE)
    terms = _quadratic_terms(coarse.shape)
    values = coarse.ravel()
    ring = np.concatenate([coarse[0], coarse[-1], coarse[:, 0], coarse[:, -1]])
    # start from what is surely paper: the faintest quarter, and whatever is as faint as the image's edge
    paper = (values <= np.percentile(values, 25)) | (values <= np.median(ring) + 0.03)
    coefficients = np.zeros(terms.shape[1])
    coefficients[0] = float(np.median(values[paper]))
    for _ in range(4):
        if paper.sum() < terms.shape[1] * 3:
            break
        chosen = terms[paper]
        coefficients = np.linalg.solve(chosen.T @ chosen + 1e-6 * np.eye(terms.shape[1]), chosen.T @ values[paper])
        residual = values - terms @ coefficients
        below = residual[residual <= 0]
        spread = 1.4826 * np.median(np.abs(below)) if below.size else 0.0  # grain, from the side ink cannot reach
        paper = residual <= max(3 * spread, 0.02)
    return _quadratic(coefficients, ink.shape)


def grain(flat: np.ndarray) -> float:
    """Standard deviation of the paper's grain once the paper surface is subtracted (paper is then 0).

    Measured on the side below zero, which ink never reaches: however much of the image is ink.
    """
    below = flat[flat <= 0]
    return float(1.4826 * np.median(-below)) if below.size else 0.0


def brightest(values: np.ndarray, count: int) -> float:
    """The value that `count` pixels reach or exceed."""
    flat = values.ravel()
    count = int(min(max(count, 1), flat.size))
    return float(np.partition(flat, flat.size - count)[flat.size - count])


def stroke_window(flat: np.ndarray) -> int | None:
    """An opening window (pixels of flat) just wider than the thickest stroke; None if it would not fit.

    A window clears an ink pixel when opening with it takes the pixel down to the paper (the
    residue, flat minus its opening, is then the pixel's whole value). Windows are tried from
    the smallest until nearly every ink pixel is cleared: then the window is wider than every
    stroke. Wide structures (a shadow, a blot) are never cleared by a window this small.
    """
    factor = max(1, int(np.ceil(max(flat.shape) / MEASURE_SIDE)))
    small = _coarse(flat, MEASURE_SIDE)
    ink = small > 0.5 * brightest(small, max(8, small.size // 400))
    if not ink.any():
        return None
    values = small[ink]
    for window in (w for w in WINDOWS if w < min(small.shape)):
        cleared = (small - opening(small, window))[ink] / values
        if np.percentile(cleared, 10) >= 0.8:
            return window * factor + 2 * factor
    return None


def _flattened(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(surface, ink minus surface): the paper's brightness taken out; NoDigit if nothing stands out."""
    surface = paper_surface(ink)
    flat = ink - surface
    if brightest(flat, max(12, flat.size // 2000)) >= MIN_CONTRAST and grain(flat) <= MAX_GRAIN:
        return surface, flat
    # Ink covering most of a tiny image (a thick 0 in a 12 x 12 scan) leaves too little paper to fit a
    # surface to, and the fit follows the ink. Such a scan has no lighting to even: its paper is one level.
    low, high = np.percentile(ink, [2, 98])
    if high - low < FLAT_PAPER_CONTRAST:
        raise NoDigit(BLANK)
    surface = np.full_like(ink, low)
    return surface, ink - surface


def level(ink: np.ndarray, window: int | None = None) -> Levelled:
    """Remove uneven lighting and stretch contrast so the strongest ink is 1 and the paper 0.

    Args:
        window: the stroke window (see stroke_window) if already known, e.g. from a smaller copy.
    Raises NoDigit when nothing stands out from the paper (a blank or featureless image).
    """
    surface, flat = _flattened(ink)
    window = window or stroke_window(flat)
    if window is not None and 2 * window < min(flat.shape):  # for strokes as thick as the image the surface is enough
        seed = erode(flat, 2 * window)
        if seed.max() - seed.min() > SHADE:  # something wider than the strokes is left: subtract it
            flat = flat - reconstruct(seed, flat).astype(np.float64)
    noise = grain(flat)
    top = brightest(flat, max(12, flat.size // 2000))  # a digit covers at least this many pixels, even small
    if top < max(MIN_CONTRAST, NOISE_MULTIPLE * noise):
        raise NoDigit(BLANK)
    floor = max(0.15 * top, 3 * noise)  # paper grain and JPEG noise below this are background
    levelled = np.clip((flat - floor) / max(top - floor, 1e-6), 0, 1).astype(np.float32)
    return Levelled(levelled, float(np.ptp(surface)), noise, window)


# --- the digit: cropped, fitted, centred ----------------------------------------------------------


def ink_box(ink: np.ndarray) -> tuple[slice, slice, np.ndarray]:
    """(rows, cols, mask): the smallest box holding the digit, and its ink.

    Specks far smaller than the digit are left out, and so are soft-edged patches (what is left
    of a shadow) when anything with crisp edges, as ink has, is there too.
    """
    mask = ink > INK_LEVEL
    labels = components(mask)
    found, sizes = np.unique(labels[mask], return_counts=True)
    if not found.size:
        raise NoDigit(BLANK)
    candidates = found[sizes >= 0.1 * sizes.max()]
    crisp = []
    if len(candidates) > 1:
        steepness = edge_strength(ink)  # brightness change per pixel
        crisp = [label for label in candidates if np.percentile(steepness[labels == label], 90) >= SHARP_EDGE]
    keep = np.isin(labels, crisp or candidates)
    rows, cols = np.flatnonzero(keep.any(axis=1)), np.flatnonzero(keep.any(axis=0))
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1), keep


def crop_to_ink(ink: np.ndarray, box: tuple[slice, slice, np.ndarray] | None = None) -> np.ndarray:
    """The smallest box holding the digit (ink_box's, if not given); specks much smaller than its strokes ignored."""
    rows, cols, keep = box or ink_box(ink)
    return (ink * grow(keep, 2))[rows, cols]  # grown: keeps the soft edges of the strokes


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
    total = float(digit.sum(dtype=np.float64))
    cy = float((digit.sum(axis=1, dtype=np.float64) * np.arange(h)).sum()) / total
    cx = float((digit.sum(axis=0, dtype=np.float64) * np.arange(w)).sum()) / total
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


@dataclass(frozen=True)
class Prepared:
    """An image made into the network's input, with what each step made (for a page to show)."""

    working: Image.Image  # the image at most WORK_SIDE on a side
    gray: np.ndarray  # (h, w) its brightness
    ink: np.ndarray  # the same with the ink bright
    inverted: bool  # whether the paper was light (and so flipped)
    levelled: Levelled
    cropped: np.ndarray  # the ink's box
    fitted: np.ndarray  # in BOX x BOX
    centred: np.ndarray  # (FIELD, FIELD) float32 in [0, 1]: the digit as the network gets it, before normalising
    zoomed: bool  # whether the digit was small and read again from the full-size image
    crop_scale: float  # pixels of the given image per pixel of the crop


def prepare(image: Image.Image) -> Prepared:
    """Any decoded image as the digit the network reads; NoDigit when there is none."""
    small = shrink(image, WORK_SIDE)
    gray, ink, inverted = _ink_of(small)
    levelled = level(ink)
    box = ink_box(levelled.image)
    rows, cols, _ = box
    digit_side = max(rows.stop - rows.start, cols.stop - cols.start)
    source_per_work = image.width / small.width
    zoomed = digit_side < ZOOM_BELOW and source_per_work > 1.5
    if zoomed:  # a small digit on a big page: read it again from the full-size image, at full detail
        region = image.crop(_zoom_region((rows, cols), levelled.image.shape, image.size))
        region_small = shrink(region, WORK_SIDE)
        zoom = source_per_work * region_small.width / region.width  # working pixels -> zoomed pixels
        window = round(levelled.window * zoom) if levelled.window else None
        cropped = crop_to_ink(level(_ink_of(region_small, inverted)[1], window).image)
        crop_scale = region.width / region_small.width
    else:
        cropped = crop_to_ink(levelled.image, box)
        crop_scale = source_per_work
    fitted = fit_box(cropped)
    centred = centre_by_mass(fitted)
    return Prepared(small, gray, ink, inverted, levelled, cropped, fitted, centred, zoomed, crop_scale)


def network_input(pixels: np.ndarray) -> torch.Tensor:
    """A 28 x 28 digit in [0, 1] as the network's input (1, 1, 28, 28): normalised as MNIST was."""
    return ((torch.from_numpy(pixels) - MNIST_MEAN) / MNIST_STD)[None, None]
