"""Every picture that once fooled the app (tests/reading_corpus.py) is read right, with every step kept."""

import pytest

from cnnviz.reading.preprocess import CROPPED, preprocess_bytes

from conftest import predict
from reading_corpus import cases

CASES = cases()


@pytest.mark.parametrize("case", sorted(CASES))
def test_regression_case_is_read_right(case, bundled):
    digit, data = CASES[case]
    prepared = preprocess_bytes(data)
    assert len(prepared.steps) == 8
    label, confidence = predict(bundled, prepared.tensor)
    assert label == digit, f"{case}: read as {label} ({confidence:.0%})"


@pytest.mark.parametrize("case", ["small_7_on_800_page", "thin_1_on_1600_photo"])
def test_a_small_digit_on_a_big_page_is_read_again_at_full_detail(case):
    steps = preprocess_bytes(CASES[case][1]).steps
    assert steps[4].kind == CROPPED and steps[4].facts["zoomed"]


def test_thick_strokes_keep_their_ink():
    """Lighting correction must not punch holes into strokes wider than its window."""
    prepared = preprocess_bytes(CASES["thick_marker_4"][1])
    levelled = prepared.steps[3].image
    inked = levelled > 128
    from scipy import ndimage

    filled = ndimage.binary_fill_holes(inked)
    holes = filled & ~inked
    # a 4 has one real hole (its closed top); punched holes would add many more
    assert ndimage.label(holes)[1] <= 1
