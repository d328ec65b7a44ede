"""Why the network said what it said: attributions as Captum computes them, mistakes, what filters look for,
and how easily it is fooled. Checked against Captum, autograd and the model's own numbers."""

import numpy as np
import pytest
import torch
from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, Occlusion, Saliency

from cnnviz.data.mnist import Digits, normalize
from cnnviz.data.samples import list_samples
from cnnviz.insight.attribution import BLANK, IG_STEPS, METHODS, attribute
from cnnviz.insight.evaluation import evaluate
from cnnviz.insight.excitation import dreamed_inputs, receptive_field, strongest_patches
from cnnviz.insight.robustness import CHANGES, adversarial, changed, smallest_fooling_epsilon, sweep
from cnnviz.reading.preprocess import preprocess_bytes


@pytest.fixture(scope="module")
def four():
    sample = next(s for s in list_samples() if s.title.startswith("4 - photo"))
    return preprocess_bytes(sample.path.read_bytes())


def captum_directly(model, image, method, target):
    """The same attribution, asked of Captum without cnnviz in between."""
    inputs = image.clone().requires_grad_(True)
    if method == "saliency":
        return Saliency(model).attribute(inputs, target=target, abs=False)
    if method == "integrated-gradients":
        baseline = torch.full_like(inputs, BLANK)
        return IntegratedGradients(model).attribute(
            inputs, baselines=baseline, target=target, n_steps=IG_STEPS, internal_batch_size=IG_STEPS
        )
    if method == "occlusion":
        return Occlusion(model).attribute(
            inputs, sliding_window_shapes=(1, 4, 4), strides=(1, 2, 2), baselines=BLANK, target=target
        )
    maps = LayerGradCam(model, model.relu2).attribute(inputs, target=target, relu_attributions=True)  # after the ReLU
    return LayerAttribution.interpolate(maps, (28, 28), interpolate_mode="bilinear")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("target", [4, 9])
def test_attributions_are_captums(bundled, four, method, target):
    ours = attribute(bundled, four.tensor, method, target)
    theirs = captum_directly(bundled.eval(), four.tensor, method, target).detach()[0, 0].numpy()
    assert ours.values.shape == (28, 28) and np.isfinite(ours.values).all() and ours.values.std() > 0
    np.testing.assert_allclose(ours.values, theirs, rtol=1e-4, atol=1e-5)


def test_integrated_gradients_add_up_to_the_change_of_the_output(bundled, four):
    found = attribute(bundled, four.tensor, "integrated-gradients", 4)
    with torch.no_grad():
        difference = float(bundled(four.tensor)[0, 4] - bundled(torch.full_like(four.tensor, BLANK))[0, 4])
    assert found.values.sum() == pytest.approx(difference, rel=0.01)  # completeness
    assert found.delta < 0.01 * abs(difference)


def test_a_different_target_gives_a_different_map(bundled, four):
    for method in METHODS:
        assert not np.allclose(
            attribute(bundled, four.tensor, method, 4).values, attribute(bundled, four.tensor, method, 9).values
        )


def test_the_confusion_matrix_adds_up(bundled, digits):
    scored = evaluate(bundled, digits)
    matrix = scored.confusion
    assert matrix.sum() == len(digits) and matrix.diagonal().sum() / len(digits) == pytest.approx(scored.accuracy)
    wrong = scored.mistakes()
    assert len(wrong) == len(digits) - matrix.diagonal().sum()
    confidence = scored.probabilities[wrong].max(axis=1)
    assert (np.diff(confidence) <= 0).all(), "most confident mistakes first"
    true, predicted = np.unravel_index(np.argmax(matrix - np.diag(matrix.diagonal())), matrix.shape)
    cell = scored.cell(true, predicted)
    assert len(cell) == matrix[true, predicted] and (scored.labels[cell] == true).all()


def test_strongest_patches_are_the_inputs_that_gave_those_activations(bundled, digits):
    found = strongest_patches(bundled, digits, "conv1")
    assert found.patches.shape == (16, 9, 5, 5) and (np.diff(found.values, axis=1) <= 0).all()
    conv = bundled.conv1
    for channel in (0, 7):
        patch = torch.from_numpy(found.patches[channel, 0])  # ink in [0, 1], as stored
        value = (conv.weight[channel, 0] * ((patch - 0.1307) / 0.3081)).sum() + conv.bias[channel]
        assert max(float(value), 0.0) == pytest.approx(float(found.values[channel, 0]), abs=1e-3)


def test_receptive_fields_grow_through_the_blocks(bundled):
    assert receptive_field(bundled, "conv1").size == 5
    assert receptive_field(bundled, "conv2").size == 14 and receptive_field(bundled, "conv2").jump == 2


def test_each_dreamed_input_excites_its_own_channel_more_than_the_others_dreams_do(bundled):
    dreams = dreamed_inputs(bundled, "conv1")
    with torch.no_grad():
        excited = torch.relu(bundled.conv1(normalize(torch.from_numpy(dreams)))).mean(dim=(2, 3))  # (image, channel)
    own = excited.diagonal()
    others = (excited.sum(dim=0) - own) / (len(own) - 1)  # each channel on the other channels' dreams
    assert (own > others).float().mean() >= 0.8


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_sweeps_change_the_digit_as_they_say(bundled, four, change):
    values = CHANGES[change][0]
    answers = sweep(bundled, four.pixels, change)
    assert answers.shape == (len(values), len(bundled.classes)) and np.allclose(answers.sum(axis=1), 1, atol=1e-5)
    neutral = {"rotation": 0.0, "scale": 1.0, "shift": 0.0, "noise": 0.0, "erase": 0.0}[change]
    np.testing.assert_allclose(changed(four.pixels, change, neutral), four.pixels, atol=1e-5)


def test_shift_moves_the_ink_right():
    pixels = np.zeros((28, 28), dtype=np.float32)
    pixels[10:18, 10:14] = 1
    moved = changed(pixels, "shift", 3)
    assert np.average(np.arange(28), weights=moved.sum(0)) == pytest.approx(14.5, abs=0.01)


@pytest.mark.parametrize("steps", [1, 10])
def test_an_adversarial_example_changes_the_answer_within_its_epsilon(bundled, four, steps):
    found = smallest_fooling_epsilon(bundled, four.pixels, steps)
    assert found.label == 4 and found.new_label != 4
    assert np.abs(found.perturbation).max() <= found.epsilon + 1e-6
    assert 0 <= found.pixels.min() and found.pixels.max() <= 1
    with torch.no_grad():
        again = int(bundled(normalize(torch.from_numpy(found.pixels)[None])).argmax())
    assert again == found.new_label


def test_pgd_needs_no_more_change_than_fgsm(bundled, four):
    assert (
        smallest_fooling_epsilon(bundled, four.pixels, 10).epsilon
        <= smallest_fooling_epsilon(bundled, four.pixels, 1).epsilon
    )


def test_a_tiny_epsilon_changes_nothing_much(bundled, four):
    found = adversarial(bundled, four.pixels, 0.001)
    assert found.new_label == found.label and np.abs(found.perturbation).max() <= 0.001 + 1e-7


def test_digits_fixture_is_what_the_tests_think(digits):
    assert isinstance(digits, Digits) and len(digits) == 200
