"""The arithmetic shown on the page is the model's own: every number is checked against PyTorch."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.data.handwriting import draw_digit
from cnnviz.data.samples import list_samples
from cnnviz.network.arithmetic import (
    activate,
    class_contributions,
    conv_pixel,
    dropout_runs,
    last_dropout,
    layer_input,
    pool_window,
    residual_sum,
    shift_pixels,
    softmax_steps,
)
from cnnviz.network.capture import ActivationCapture
from cnnviz.network.classes import DIGITS
from cnnviz.network.model import build_model
from cnnviz.network.presets import PRESETS, preset
from cnnviz.reading.preprocess import preprocess_bytes

CELLS = [(0, 0, 0), (3, 5, 7), (7, 13, 13), (15, 27, 27)]  # corners exercise the zero padding


@pytest.fixture(scope="module")
def seen(bundled):
    image = preprocess_bytes(list_samples()[5].path.read_bytes()).tensor
    return image, ActivationCapture(bundled)(image)


@pytest.mark.parametrize("layer", ["conv1", "conv2"])
@pytest.mark.parametrize("cell", CELLS)
def test_conv_value_is_patch_times_kernel_plus_bias(bundled, seen, layer, cell):
    image, activations = seen
    channels, height, _ = activations[layer].shape
    channel, row, col = cell[0] % channels, min(cell[1], height - 1), min(cell[2], height - 1)
    pixel = conv_pixel(bundled, activations, image, layer, channel, row, col)
    assert pixel.value == pytest.approx(float(activations[layer][channel, row, col]), abs=1e-4)
    assert pixel.relu == pytest.approx(max(pixel.value, 0.0), abs=1e-4)
    assert pixel.channel_sums.sum() + pixel.bias == pytest.approx(pixel.value, abs=1e-5)
    assert pixel.patch.shape == pixel.kernel.shape == (1 if layer == "conv1" else 16, 5, 5)


def test_patch_is_the_input_under_the_kernel(bundled, seen):
    image, activations = seen
    pixel = conv_pixel(bundled, activations, image, "conv1", 0, 10, 12)
    assert (pixel.top, pixel.left) == (8, 10)
    np.testing.assert_array_equal(pixel.patch[0], image[0, 0, 8:13, 10:15].numpy())
    corner = conv_pixel(bundled, activations, image, "conv1", 0, 0, 0)
    assert (corner.patch[0, :2, :] == 0).all() and (corner.patch[0, :, :2] == 0).all()  # padding


def test_a_cell_outside_the_map_is_refused(bundled, seen):
    image, activations = seen
    with pytest.raises(ValueError, match="14 x 14"):
        conv_pixel(bundled, activations, image, "conv2", 0, 14, 0)


@pytest.mark.parametrize("number", [1, 2])
def test_pool_window_keeps_the_largest_value(bundled, seen, number):
    _, activations = seen
    layer = bundled.layer(f"pool{number}")
    pooled = activations[f"pool{number}"]
    for channel, row, col in [(0, 0, 0), (3, 2, 5), (5, pooled.shape[1] - 1, pooled.shape[2] - 1)]:
        window = pool_window(activations, layer, channel, row, col)
        assert window.pooled == pytest.approx(window.values.max())
        assert window.values[window.kept] == window.values.max()
        expected = F.max_pool2d(torch.from_numpy(activations[f"relu{number}"])[None], 2)[0, channel, row, col]
        assert window.pooled == pytest.approx(float(expected))


@pytest.mark.parametrize("temperature", [0.25, 1.0, 3.0])
def test_softmax_steps_match_torch(seen, temperature):
    _, activations = seen
    steps = softmax_steps(activations["fc2"], temperature)
    expected = torch.softmax(torch.from_numpy(activations["fc2"]).double() / temperature, dim=0).numpy()
    np.testing.assert_allclose(steps.probabilities, expected, rtol=1e-9)
    np.testing.assert_allclose(steps.exps / steps.total, steps.probabilities)
    assert steps.shifted.max() == 0
    if temperature == 1.0:
        np.testing.assert_allclose(steps.probabilities, activations["probabilities"], rtol=1e-5)


def test_lower_temperature_means_more_confidence(seen):
    _, activations = seen
    cold, hot = softmax_steps(activations["fc2"], 0.5), softmax_steps(activations["fc2"], 4.0)
    assert cold.probabilities.max() > hot.probabilities.max()
    assert np.argmax(cold.probabilities) == np.argmax(hot.probabilities)


@pytest.mark.parametrize("digit", range(10))
def test_contributions_add_up_to_the_logit(bundled, seen, digit):
    _, activations = seen
    contributions = class_contributions(bundled, activations, digit)
    assert contributions.logit == pytest.approx(float(activations["fc2"][digit]), abs=1e-4)


def test_dropout_runs_vary_and_follow_the_rate(bundled, seen):
    _, activations = seen
    masks, probabilities = dropout_runs(bundled, activations, runs=8, seed=1)
    dropout = last_dropout(bundled)
    rate = dropout.spec.rate
    assert abs((1 - masks.mean()) - rate) < 0.1
    assert not np.allclose(probabilities[0], probabilities[1], rtol=1e-3, atol=0)  # relative: tiny ones count
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)
    with torch.no_grad():  # each run is the last layer applied to the masked, rescaled hidden units
        expected = torch.softmax(
            bundled.fc2(torch.from_numpy(activations[bundled.activated("fc1")] * masks[0] / (1 - rate))), dim=0
        )
    np.testing.assert_allclose(probabilities[0], expected.numpy(), rtol=1e-5)
    assert np.array_equal(dropout_runs(bundled, activations, 8, seed=1)[1], probabilities)


def test_shifted_digit_shifts_the_feature_maps(bundled, seen):
    """Shared weights: the maps of a moved image are the moved maps (away from the edges)."""
    image, _ = seen
    capture = ActivationCapture(bundled)
    pixels = image[0, 0].numpy() * 0.3081 + 0.1307
    moved = shift_pixels(pixels, 2, 3)
    assert np.array_equal(moved[2:, 3:], pixels[:-2, :-3]) and (moved[:2] == 0).all()
    as_input = lambda p: torch.from_numpy((p - 0.1307) / 0.3081).float()[None, None]  # noqa: E731
    original, shifted = capture(as_input(pixels))["conv1"], capture(as_input(moved))["conv1"]
    np.testing.assert_allclose(shifted[:, 6:24, 7:24], original[:, 4:22, 4:21], atol=1e-4)


def test_batch_norm_step_follows_from_its_running_statistics():
    from cnnviz.network.model import ModelConfig

    model = build_model(ModelConfig(conv_channels=(4, 8), batch_norm=True), seed=0)
    model.train()
    with torch.no_grad():  # a few training-mode passes give the running statistics values of their own
        for seed in range(5):
            model(torch.randn(8, 1, 28, 28, generator=torch.Generator().manual_seed(seed)))
        model.bn2.weight.uniform_(0.5, 2.0)
        model.bn2.bias.uniform_(-1.0, 1.0)
    model.eval()
    image = preprocess_bytes(list_samples()[2].path.read_bytes()).tensor
    activations = ActivationCapture(model)(image)
    for channel, row, col in [(0, 3, 4), (5, 7, 7), (7, 0, 13)]:
        pixel = conv_pixel(model, activations, image, "conv2", channel, row, col)
        norm_step, relu_step = pixel.chain
        norm = norm_step.norm
        by_hand = (pixel.value - norm.mean) / np.sqrt(norm.var + norm.eps) * norm.gamma + norm.beta
        assert norm(pixel.value) == pytest.approx(by_hand, abs=1e-5)
        assert by_hand == pytest.approx(float(activations["bn2"][channel, row, col]), abs=1e-4)
        assert pixel.relu == relu_step.after == pytest.approx(max(by_hand, 0.0), abs=1e-4)


PRESET_IMAGE = torch.from_numpy(
    (np.pad(np.asarray(draw_digit(4, 20, seed=1, pen=0.12), dtype=np.float32), 4) / 255 * -1 + 1 - 0.1307) / 0.3081
)[None, None]


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_kind_of_cell_of_every_preset_adds_up_to_the_models_own_number(name):
    """Conv with its stride and padding, average and max pooling, tanh, sigmoid, leaky ReLU, batch norm and a
    residual sum: each cell worked out by hand equals what the model computed."""
    model = build_model(preset(name, DIGITS), seed=3).eval()
    activations = ActivationCapture(model)(PRESET_IMAGE)
    for info in model.layers():
        if not info.maps:
            continue
        values = activations[info.name]
        for channel, row, col in [(0, 0, 0), (values.shape[0] - 1, values.shape[1] // 2, values.shape[2] - 1)]:
            here = float(values[channel, row, col])
            kind = info.spec.kind
            if kind == "conv":
                pixel = conv_pixel(model, activations, PRESET_IMAGE, info.name, channel, row, col)
                assert pixel.value == pytest.approx(here, abs=1e-4), (name, info.name)
                for step in pixel.chain:  # batch norm and the activation after it, at the same cell
                    computed = step.norm(step.before) if step.norm else activate(step.function, step.before)
                    assert computed == pytest.approx(step.after, abs=1e-4), (name, step.layer)
            elif kind == "pool":
                window = pool_window(activations, info, channel, row, col)
                made = window.values.max() if window.mode == "max" else window.values.mean()
                assert made == pytest.approx(here, abs=1e-5), (name, info.name)
            elif kind == "act":
                before = float(layer_input(activations, PRESET_IMAGE, info)[channel, row, col])
                assert activate(info.spec.function, before) == pytest.approx(here, abs=1e-5), (name, info.name)
            elif kind == "res":
                found = residual_sum(model, activations, PRESET_IMAGE, info.name, channel, row, col)
                assert found.body + found.skip == pytest.approx(here, abs=1e-4), (name, info.name)


def test_a_strided_conv_reads_the_patch_its_stride_puts_it_on():
    model = build_model(preset("strided", DIGITS), seed=0).eval()
    activations = ActivationCapture(model)(PRESET_IMAGE)
    pixel = conv_pixel(model, activations, PRESET_IMAGE, "conv1", 0, 5, 6)
    assert (pixel.stride, pixel.padding) == (2, 2) and (pixel.top, pixel.left) == (8, 10)
    np.testing.assert_array_equal(pixel.patch[0], PRESET_IMAGE[0, 0, 8:13, 10:15].numpy())
