"""Even out the lighting of a photo or scan without eating the ink, however thick the strokes are.

Two corrections, both at a scale that cannot mistake a stroke for paper:

1. a smooth surface (a quadratic in x and y) fitted to the paper only, ink left out: vignetting,
   a lamp to one side, a soft shadow across the sheet;
2. an opening by reconstruction whose window is twice as wide as the thickest stroke: sharper
   shadows and uneven paper. Erosion with such a window wipes out every stroke but keeps a core
   of anything wider (a shadow, a stain), and reconstruction grows each core back to its whole
   shape, thin tips included; so shadows are subtracted and strokes never are. The stroke width
   is measured by opening with ever wider windows: the ink's residue grows until the window
   clears the strokes, then levels off (a granulometry).
"""

import functools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from skimage.morphology import reconstruction

from cnnviz.errors import NoDigitError

MIN_CONTRAST = 0.08  # ink must stand out from the paper by at least this much brightness ...
NOISE_MULTIPLE = 5.0  # ... and by this many times the paper's own grain
SURFACE_SIDE = 48  # the paper surface is fitted on a copy this small: it is smooth anyway
MEASURE_SIDE = 128  # stroke widths are measured on a copy this small
WINDOWS = (3, 5, 7, 11, 15, 21, 31, 45, 63, 91, 127)  # opening windows tried, in measuring pixels
SHADE = 0.03  # shading left after the surface is subtracted, below which it is not worth subtracting
MAX_GRAIN = 0.15  # paper grain above this means the paper surface was fitted to ink, not paper
FLAT_PAPER_CONTRAST = 0.3  # an image whose fitted paper surface swallows everything may still hold this much contrast
BLANK = "No digit found: the image is blank or has almost no contrast."


@dataclass(frozen=True)
class Levelled:
    """The image with its lighting evened and contrast stretched: ink 1, paper 0."""

    image: np.ndarray  # (H, W) float32 in [0, 1]
    shading: float  # how much the paper's brightness varied (0: perfectly even)
    noise: float  # the paper grain's standard deviation
    window: int | None  # the stroke window used (None: the lighting surface alone)

    @functools.cached_property
    def stroke_width(self) -> float:
        """About the thickest stroke's width in pixels, measured (only when a caption asks for it)."""
        step = 2 if min(self.image.shape) >= 64 else 1  # half the pixels in each direction: a width within 2 px
        return step * thickest_stroke(self.image[::step, ::step] > 0.5)


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


def thickest_stroke(mask: np.ndarray) -> float:
    """Width in pixels of the thickest stroke of a mask: twice the largest distance from ink to paper."""
    if not mask.any():
        return 0.0
    return 2.0 * float(ndimage.distance_transform_edt(mask).max())


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
        cleared = (small - ndimage.grey_opening(small, size=(window, window)))[ink] / values
        if np.percentile(cleared, 10) >= 0.8:
            return window * factor + 2 * factor
    return None


def _flattened(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(surface, ink minus surface): the paper's brightness taken out; NoDigitError if nothing stands out."""
    surface = paper_surface(ink)
    flat = ink - surface
    if brightest(flat, max(12, flat.size // 2000)) >= MIN_CONTRAST and grain(flat) <= MAX_GRAIN:
        return surface, flat
    # Ink covering most of a tiny image (a thick 0 in a 12 x 12 scan) leaves too little paper to fit a
    # surface to, and the fit follows the ink. Such a scan has no lighting to even: its paper is one level.
    low, high = np.percentile(ink, [2, 98])
    if high - low < FLAT_PAPER_CONTRAST:
        raise NoDigitError(BLANK)
    surface = np.full_like(ink, low)
    return surface, ink - surface


def level(ink: np.ndarray, window: int | None = None) -> Levelled:
    """Remove uneven lighting and stretch contrast so the strongest ink is 1 and the paper 0.

    Args:
        window: the stroke window (see stroke_window) if already known, e.g. from a smaller copy.
    Raises NoDigitError when nothing stands out from the paper (a blank or featureless image).
    """
    surface, flat = _flattened(ink)
    window = window or stroke_window(flat)
    if window is not None and 2 * window < min(flat.shape):  # for strokes as thick as the image the surface is enough
        seed = ndimage.grey_erosion(flat, size=(2 * window, 2 * window))
        if seed.max() - seed.min() > SHADE:  # something wider than the strokes is left: subtract it
            flat = flat - reconstruction(seed, flat, method="dilation")
    noise = grain(flat)
    top = brightest(
        flat, max(12, flat.size // 2000)
    )  # a digit covers at least this many pixels, even small on a big page
    if top < max(MIN_CONTRAST, NOISE_MULTIPLE * noise):
        raise NoDigitError(BLANK)
    floor = max(0.15 * top, 3 * noise)  # paper grain and JPEG noise below this are background
    levelled = np.clip((flat - floor) / max(top - floor, 1e-6), 0, 1).astype(np.float32)
    return Levelled(levelled, float(np.ptp(surface)), noise, window)
