"""How thick the strokes are, for the caption of the lighting step (the lighting itself: cnnviz.reading.portable)."""

import numpy as np
from scipy import ndimage


def thickest_stroke(mask: np.ndarray) -> float:
    """Width in pixels of the thickest stroke of a mask: twice the largest distance from ink to paper."""
    if not mask.any():
        return 0.0
    return 2.0 * float(ndimage.distance_transform_edt(mask).max())


def stroke_width(levelled: np.ndarray) -> float:
    """About the thickest stroke's width in pixels of a levelled image (ink 1, paper 0)."""
    step = 2 if min(levelled.shape) >= 64 else 1  # half the pixels in each direction: a width within 2 px
    return step * thickest_stroke(levelled[::step, ::step] > 0.5)
