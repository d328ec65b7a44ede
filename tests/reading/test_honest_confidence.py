"""Confidence that means something: temperature scaling, calibration error, verdicts, and doubting non-digits."""

import numpy as np
import pytest
import torch

from cnnviz.data import corpus
from cnnviz.data.mnist import load_offline_sample, normalize, split
from cnnviz.insight.calibration import expected_calibration_error, fit_temperature, fold_temperature
from cnnviz.insight.verdict import DIGIT, NOT_A_DIGIT, UNSURE, verdict
from cnnviz.network.classes import DIGITS
from cnnviz.network.model import ModelConfig, build_model


def test_fit_temperature_recovers_the_temperature_that_made_the_labels():
    generator = torch.Generator().manual_seed(0)
    true_logits = torch.randn(20_000, 10, generator=generator) * 3
    labels = torch.multinomial(torch.softmax(true_logits, dim=1), 1, generator=generator)[:, 0]
    assert fit_temperature(true_logits * 2.5, labels) == pytest.approx(2.5, rel=0.05)


def test_calibration_error_is_zero_when_confidence_matches_accuracy_and_large_when_not():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.5, 1.0, 50_000)
    right = rng.random(50_000) < confidence
    probabilities = np.zeros((50_000, 2))
    probabilities[:, 0], probabilities[:, 1] = confidence, 1 - confidence
    labels = np.where(right, 0, 1)
    assert expected_calibration_error(probabilities, labels) < 0.01
    overconfident = probabilities.copy()
    overconfident[:, 0], overconfident[:, 1] = 0.999, 0.001
    assert expected_calibration_error(overconfident, labels) > 0.2


def test_folding_the_temperature_into_the_last_layer_divides_the_logits():
    model = build_model(ModelConfig(conv_channels=(4,)), seed=0).eval()
    image = torch.randn(3, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        before = model(image)
        fold_temperature(model.fc2, 1.7)
        after = model(image)
    torch.testing.assert_close(after, before / 1.7)


@pytest.mark.parametrize(
    "probabilities, kind, words",
    [
        ([0.92, 0.05] + [0.03 / 8] * 8, DIGIT, "a 0"),
        ([0.05, 0.5, 0.0, 0.0, 0.42] + [0.03 / 5] * 5, UNSURE, "probably a 1, maybe a 4"),
        ([0.12] * 5 + [0.08] * 5, NOT_A_DIGIT, "this does not look like a digit"),
    ],
)
def test_verdict_in_words(probabilities, kind, words):
    result = verdict(np.array(probabilities), DIGITS)
    assert result.kind == kind and result.words == words


def test_unsure_verdict_names_the_two_digits_in_json():
    assert verdict(np.array([0.05, 0.5, 0.0, 0.0, 0.42] + [0.03 / 5] * 5), DIGITS).to_json() == {
        "verdict": "unsure",
        "between": [1, 4],
    }


def _flagged(model, images: torch.Tensor) -> float:
    with torch.no_grad():
        probabilities = torch.softmax(model(normalize(images)), dim=1).numpy()
    return float(np.mean([verdict(p, model.classes).kind != DIGIT for p in probabilities]))


def test_the_bundled_model_doubts_letters_shapes_and_scribbles(bundled):
    others = corpus.not_digits(150, seed=424242)  # a seed the training data never used
    assert _flagged(bundled, others) >= 0.8


def test_the_bundled_model_is_sure_of_held_out_digits(bundled):
    _, held_out = split(load_offline_sample(), 0.1, 0)  # the 500 digits the bundled model was validated on
    assert _flagged(bundled, held_out.images) <= 0.05
