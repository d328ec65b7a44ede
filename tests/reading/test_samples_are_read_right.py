"""Every bundled sample shows the digit its name says, the bundled models read it so, and the unclear ones doubt."""

import numpy as np
import pytest
import torch

from cnnviz.data.samples import KINDS, UNCLEAR, list_samples
from cnnviz.insight.verdict import DIGIT, UNSURE, verdict
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints

SAMPLES = list_samples()
CLEAR = [s for s in SAMPLES if s.kind != "unclear"]


@pytest.fixture(scope="module")
def lenet():
    return checkpoints.load_bundled(checkpoints.LENET_WEIGHTS)


def read(model, sample) -> tuple[np.ndarray, object]:
    with torch.no_grad():
        probabilities = torch.softmax(model(preprocess_bytes(sample.path.read_bytes()).tensor), dim=1)[0].numpy()
    return probabilities, verdict(probabilities, model.classes)


def test_there_is_a_sample_of_every_digit_some_photos_and_two_unclear_digits():
    assert {s.label for s in SAMPLES} == set(range(10))
    assert sum(s.kind == "photo" for s in SAMPLES) >= 3
    assert {s.label for s in SAMPLES if s.kind == "unclear"} == set(UNCLEAR)
    assert all(s.kind in KINDS for s in SAMPLES)


@pytest.mark.parametrize("sample", CLEAR, ids=[s.path.name for s in CLEAR])
def test_bundled_models_read_the_sample(bundled, lenet, sample):
    for model in (bundled, lenet):
        probabilities, said = read(model, sample)
        assert said.kind == DIGIT and said.best == str(sample.label) and probabilities.max() > 0.9


@pytest.mark.parametrize("digit", sorted(UNCLEAR))
def test_an_unclear_sample_is_probably_its_digit_maybe_the_other(bundled, digit):
    sample = next(s for s in SAMPLES if s.kind == "unclear" and s.label == digit)
    probabilities, said = read(bundled, sample)
    other = UNCLEAR[digit][0]
    assert said.kind == UNSURE and said.words == f"probably a {digit}, maybe a {other}"
    assert probabilities[digit] > probabilities[other] > 0.25
