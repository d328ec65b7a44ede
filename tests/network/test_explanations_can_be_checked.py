"""Explanations that can be checked: Grad-CAM weighs the maps the network uses, a blank map says why, the
deletion test and the scrambled network give true numbers, and `explain --faithfulness` prints them."""

import copy
import json

import numpy as np
import pytest
import torch
from captum.attr import LayerGradCam

from cnnviz.data.samples import list_samples
from cnnviz.insight.attribution import BLANK, METHODS, attribute, blank_map_words
from cnnviz.insight.faithfulness import (
    FRACTIONS,
    blanked,
    cascading_randomisation,
    deletion,
    learned_layers,
    map_order,
    random_order,
    similarity,
)
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints

from command_line import run_cli

CLEAR = [sample for sample in list_samples() if sample.kind != "unclear"]


@pytest.fixture(scope="module")
def lenet():
    return checkpoints.load(checkpoints.LENET_WEIGHTS)


@pytest.fixture(scope="module")
def inputs():
    return {sample.path.name: preprocess_bytes(sample.path.read_bytes()).tensor for sample in list_samples()}


def answer(model, image) -> tuple[int, float]:
    with torch.no_grad():
        probabilities = torch.softmax(model(image), dim=1)[0]
    return int(probabilities[:10].argmax()), float(probabilities[:10].max())


@pytest.mark.parametrize("which", ["bundled", "lenet"])
def test_grad_cam_is_never_blank_for_a_digit_the_network_reads(request, inputs, which):
    model = request.getfixturevalue(which)
    for name, image in inputs.items():
        target, _ = answer(model, image)
        found = attribute(model, image, "grad-cam", target)
        assert not found.blank and found.values.min() >= 0, name
        assert found.layer == model.conv_layers()[-1] and found.before_rectifying > 0


def test_the_conv_output_before_its_relu_was_blank_on_these_digits(bundled, inputs):
    """What the test above guards against: weighed before the ReLU, the maps cancel out to nothing."""
    blank = 0
    for image in inputs.values():
        target, _ = answer(bundled, image)
        cam = LayerGradCam(bundled, bundled.conv2).attribute(image.clone(), target=target, relu_attributions=True)
        blank += int(not cam.max() > 0)
    assert blank >= 3


@pytest.fixture(scope="module")
def silent(bundled):
    """The bundled network with its last conv layer switched off: every map it makes is 0."""
    model = copy.deepcopy(bundled)
    with torch.no_grad():
        model.conv2.weight.zero_()
        model.conv2.bias.zero_()
    return model


def test_a_blank_map_says_why(silent, inputs):
    image = next(iter(inputs.values()))
    found = attribute(silent, image, "grad-cam", 3)
    assert found.blank and found.before_rectifying == 0
    words = blank_map_words("grad-cam", "3", found.layer, found.before_rectifying)
    assert words.startswith("Grad-CAM is 0 everywhere") and "conv2" in words and words.count(".") == 1


def test_blanking_sets_the_first_pixels_of_the_order_to_no_ink(inputs):
    image = inputs["digit_3_pen.png"]
    order = random_order(7)
    copies = blanked(image, order, FRACTIONS)
    for copy_, fraction in zip(copies, FRACTIONS):
        count = round(fraction * 784)
        flat, original = copy_.view(-1), image.view(-1)
        assert (flat[order[:count]] == BLANK).all()
        assert torch.equal(flat[order[count:]], original[order[count:]])


def test_the_map_order_puts_the_strongest_first_and_breaks_ties_at_random():
    values = np.zeros((28, 28))
    values[3, 4], values[10, 10], values[0, 0] = 2.0, 1.0, -1.0
    order = map_order(values, seed=5)
    assert list(order[:2]) == [3 * 28 + 4, 10 * 28 + 10] and order[-1] == 0
    ties = [index for index in random_order(5) if index not in (3 * 28 + 4, 10 * 28 + 10, 0)]
    assert list(order[2:-1]) == ties
    assert np.array_equal(map_order(values, seed=5), order), "the same seed, the same order"


@pytest.mark.parametrize("method", METHODS)
def test_deletion_starts_at_the_answer_and_the_map_removes_it_faster_than_chance(bundled, inputs, method):
    faster = 0
    for sample in CLEAR:
        image = inputs[sample.path.name]
        target, probability = answer(bundled, image)
        checked = deletion(bundled, image, attribute(bundled, image, method, target).values, target)
        assert len(checked.by_map) == len(checked.at_random) == 6
        assert checked.by_map[0] == checked.at_random[0]
        with torch.no_grad():
            assert checked.by_map[0] == pytest.approx(float(torch.softmax(bundled(image), 1)[0, target]), abs=1e-6)
        faster += int(checked.by_map.mean() < checked.at_random.mean() - 0.05)
    assert faster >= 0.8 * len(CLEAR)


def test_similarity_ranks_the_pixels_of_two_maps_with_or_without_their_sign():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(28, 28))
    assert similarity(values, values) == pytest.approx(1) and similarity(values, -values) == pytest.approx(-1)
    assert similarity(values, -values, signed=False) == pytest.approx(1)
    assert abs(similarity(values, rng.normal(size=(28, 28)))) < 0.1
    assert np.isnan(similarity(values, np.zeros((28, 28))))


def test_scrambling_replaces_the_layers_from_the_top_and_leaves_the_model_alone(bundled, inputs):
    before = {key: value.clone() for key, value in bundled.state_dict().items()}
    image = inputs["digit_7_pen.png"]
    found = cascading_randomisation(bundled, image, 7)
    assert found.steps == ("", "fc2", "fc1", "conv2", "conv1") and learned_layers(bundled) == list(found.steps[1:])
    for method in METHODS:
        assert found.maps[method].shape == (5, 28, 28)
        assert found.similarity[method][0] == pytest.approx(1)
        np.testing.assert_allclose(found.maps[method][0], attribute(bundled, image, method, 7).values, atol=1e-6)
    assert np.nan_to_num(found.similarity["grad-cam"][-1]) < 0.5, "Grad-CAM depends on what the network learned"
    assert all(torch.equal(before[key], value) for key, value in bundled.state_dict().items())


def test_a_residual_blocks_shortcut_conv_is_scrambled_too():
    from cnnviz.network.classes import DIGITS
    from cnnviz.network.model import build_model
    from cnnviz.network.presets import preset

    model = build_model(preset("tiny-resnet", DIGITS), seed=1)
    assert learned_layers(model) == ["fc2", "fc1", "res2", "conv5", "conv4", "conv3", "conv2", "conv1"]
    found = cascading_randomisation(model, torch.zeros(1, 1, 28, 28), 3, methods=("saliency",))
    assert found.steps[1:] == tuple(learned_layers(model))


def test_explain_faithfulness_prints_both_curves_from_the_same_start(tmp_path, silent):
    photo = next(sample.path for sample in CLEAR if sample.kind == "photo")
    result = run_cli("explain", photo, "--method", "occlusion", "--faithfulness", "--json")
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)[0]
    assert len(item["deletion"]) == len(item["random_deletion"]) == 6 and "blank" not in item
    assert item["deletion"][0] == item["random_deletion"][0] > 0.9
    assert item["deletion"][-1] < item["random_deletion"][-1]
    weights = tmp_path / "silent.safetensors"
    checkpoints.save(silent, weights)
    result = run_cli("explain", photo, "--method", "grad-cam", "--faithfulness", "--model", weights)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert "Grad-CAM is 0 everywhere" in line and "blanked by the map:" in line and "at random:" in line
