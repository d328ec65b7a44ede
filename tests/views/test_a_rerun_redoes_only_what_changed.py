"""A rerun does only what changed: one forward pass per model and image for the whole server, samples read once."""

import pytest
import torch

from cnnviz.network.capture import ActivationCapture
from ui.images import default_sample, sample_image
from ui.models import ModelEntry, activations_of


class CountedCapture(ActivationCapture):
    """A capture that counts its forward passes."""

    def __init__(self, model):
        super().__init__(model)
        self.passes = 0

    def __call__(self, image):
        self.passes += 1
        return super().__call__(image)


@pytest.fixture
def entry(bundled):
    """The bundled model under a key of this test alone (the cache is the server's, shared by every test)."""
    return ModelEntry("counted", f"counted-{id(object())}", CountedCapture(bundled.eval()))


def test_one_forward_pass_per_model_and_image(entry):
    image = torch.zeros(1, 1, 28, 28)
    first = activations_of(entry, image)
    again = activations_of(entry, image.clone())  # another session's tensor of the same pixels
    assert entry.capture.passes == 1 and again is first
    activations_of(entry, torch.ones(1, 1, 28, 28))
    assert entry.capture.passes == 2


def test_shared_activations_cannot_be_changed_by_a_view(entry):
    activations = activations_of(entry, torch.full((1, 1, 28, 28), 0.5))
    with pytest.raises(ValueError):
        activations["conv1"][0, 0, 0] = 1.0


def test_a_model_in_training_mode_is_not_cached(entry):
    entry.model.train()
    try:
        image = torch.zeros(1, 1, 28, 28)
        activations_of(entry, image)
        activations_of(entry, image)
        assert entry.capture.passes == 2  # dropout: every pass differs
    finally:
        entry.model.eval()


def test_a_sample_is_read_and_prepared_once_and_kept_read_only():
    title = default_sample()
    prepared = sample_image(title)
    assert sample_image(title) is prepared
    with pytest.raises(ValueError):
        prepared.pixels[0, 0] = 1.0
    assert all(not step.image.flags.writeable for step in prepared.steps)
