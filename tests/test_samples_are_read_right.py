"""Every bundled sample shows the digit its name says, and the bundled model reads it so."""

import pytest

from cnnviz.data.samples import KINDS, list_samples
from cnnviz.reading.preprocess import preprocess_bytes

from conftest import predict

SAMPLES = list_samples()


def test_there_is_a_sample_of_every_digit_and_some_photos():
    assert {s.label for s in SAMPLES} == set(range(10))
    assert sum(s.kind == "photo" for s in SAMPLES) >= 3
    assert all(s.kind in KINDS for s in SAMPLES)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.path.name for s in SAMPLES])
def test_bundled_model_reads_the_sample(bundled, sample):
    label, confidence = predict(bundled, preprocess_bytes(sample.path.read_bytes()).tensor)
    assert label == sample.label and confidence > 0.9
