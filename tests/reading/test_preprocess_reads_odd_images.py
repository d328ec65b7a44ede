"""Real user images are not MNIST: every odd-but-valid file is read, and read right."""

import numpy as np
import pytest

from cnnviz.data.mnist import MNIST_MEAN, MNIST_STD
from cnnviz.reading.preprocess import (
    CENTRED,
    CROPPED,
    FIELD,
    FITTED,
    GIVEN,
    GRAYSCALE,
    INVERTED,
    LIGHTING,
    NORMALISED,
    centre_by_mass,
    preprocess_bytes,
    preprocess_canvas,
)

from conftest import predict
from image_files import dark_on_white, odd_but_valid

ODD = odd_but_valid()


@pytest.mark.parametrize("case", sorted(ODD))
def test_odd_image_is_read_and_predicted_right(case, bundled):
    digit, data = ODD[case]
    prepared = preprocess_bytes(data)
    assert prepared.tensor.shape == (1, 1, FIELD, FIELD)
    label, confidence = predict(bundled, prepared.tensor)
    assert label == digit, f"{case}: read as {label} ({confidence:.0%})"


def test_every_step_is_kept_for_display():
    steps = preprocess_bytes(ODD["photo_on_paper_jpeg"][1]).steps
    assert [s.kind for s in steps] == [GIVEN, GRAYSCALE, INVERTED, LIGHTING, CROPPED, FITTED, CENTRED, NORMALISED]
    assert steps[3].facts["stroke"] > 0 and steps[4].facts["width"] > 0 and steps[-1].facts["std"] == MNIST_STD
    assert steps[-2].image.shape == (FIELD, FIELD) and all(s.image.dtype == np.uint8 for s in steps)


def test_light_background_is_inverted_dark_background_is_not():
    from cnnviz.data.handwriting import draw_digit, encode

    dark_ink = preprocess_bytes(encode(dark_on_white(3), "PNG"))
    light_ink = preprocess_bytes(encode(draw_digit(3, 200, ink=255, paper=0), "PNG"))
    assert dark_ink.steps[2].facts == {"inverted": True}
    assert light_ink.steps[2].facts == {"inverted": False}
    np.testing.assert_allclose(dark_ink.pixels, light_ink.pixels, atol=0.15)


def test_digit_is_fitted_in_20_pixels_and_centred_by_mass():
    pixels = preprocess_bytes(ODD["webp"][1]).pixels
    rows, cols = np.nonzero(pixels > 0.05)
    assert max(np.ptp(rows), np.ptp(cols)) + 1 <= 20
    cy, cx = (pixels * np.indices(pixels.shape)).sum(axis=(1, 2)) / pixels.sum()
    assert abs(cy - 14) < 1 and abs(cx - 14) < 1


def test_tensor_is_normalised_like_mnist():
    prepared = preprocess_bytes(ODD["tiff"][1])
    np.testing.assert_allclose(prepared.tensor[0, 0].numpy(), (prepared.pixels - MNIST_MEAN) / MNIST_STD, rtol=1e-6)
    assert prepared.tensor.min() == pytest.approx(-MNIST_MEAN / MNIST_STD)


def test_centre_by_mass_keeps_an_off_centre_digit_inside_the_field():
    digit = np.zeros((20, 20), dtype=np.float32)
    digit[:, :3] = 1  # all the mass on the left edge
    placed = centre_by_mass(digit)
    assert placed.sum() == pytest.approx(digit.sum())


def test_canvas_drawing_becomes_a_tensor(bundled):
    """The canvas returns RGBA, transparent where nothing is drawn (or black where its background is)."""
    stroke = np.asarray(dark_on_white(7, 280)) < 128
    transparent = np.zeros((280, 280, 4), dtype=np.uint8)
    transparent[stroke] = (255, 255, 255, 255)
    on_black = np.zeros((280, 280, 4), dtype=np.uint8)
    on_black[..., 3] = 255
    on_black[stroke, :3] = 255
    for rgba in (transparent, on_black):
        label, _ = predict(bundled, preprocess_canvas(rgba).tensor)
        assert label == 7
