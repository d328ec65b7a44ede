"""One forward pass captures every layer, and each captured tensor is what PyTorch itself computes."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.network.capture import PROBABILITIES, ActivationCapture, layer_names, max_pool_winners
from cnnviz.network.model import ModelConfig, build_model

EXPECTED_SHAPES = {
    "conv1": (16, 28, 28),
    "relu1": (16, 28, 28),
    "pool1": (16, 14, 14),
    "conv2": (32, 14, 14),
    "relu2": (32, 14, 14),
    "pool2": (32, 7, 7),
    "flatten": (1568,),
    "fc1": (128,),
    "relu3": (128,),
    "dropout1": (128,),
    "fc2": (11,),  # ten digits and "not a digit"
    PROBABILITIES: (11,),
}


@pytest.fixture(scope="module")
def captured(bundled):
    image = torch.randn(1, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    return image, ActivationCapture(bundled)(image)


@pytest.mark.parametrize("layer", sorted(EXPECTED_SHAPES))
def test_every_layer_is_captured_with_its_shape(captured, layer):
    _, activations = captured
    assert activations[layer].shape == EXPECTED_SHAPES[layer]


@pytest.mark.parametrize("number", [1, 2])
def test_conv_maps_equal_functional_conv2d(bundled, captured, number):
    image, activations = captured
    layer = getattr(bundled, f"conv{number}")
    layer_input = image if number == 1 else torch.from_numpy(activations[f"pool{number - 1}"]).unsqueeze(0)
    expected = F.conv2d(layer_input, layer.weight, layer.bias, padding=layer.kernel_size[0] // 2)[0]
    np.testing.assert_allclose(activations[f"conv{number}"], expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(activations[f"relu{number}"], np.maximum(activations[f"conv{number}"], 0), atol=1e-6)
    pooled = F.max_pool2d(torch.from_numpy(activations[f"relu{number}"]), 2).numpy()
    np.testing.assert_allclose(activations[f"pool{number}"], pooled)


def test_probabilities_are_the_softmax_of_the_model_output(bundled, captured):
    image, activations = captured
    with torch.no_grad():
        expected = torch.softmax(bundled(image), dim=1)[0].numpy()
    np.testing.assert_allclose(activations[PROBABILITIES], expected, rtol=1e-5)
    assert activations[PROBABILITIES].sum() == pytest.approx(1, abs=1e-5)


def test_pool_winners_hold_the_pooled_values(captured):
    _, activations = captured
    relu, pooled = activations["relu1"], activations["pool1"]
    winners = max_pool_winners(relu)
    assert winners.sum() == pooled.size  # exactly one winner per 2 x 2 window
    windows = winners.reshape(16, 14, 2, 14, 2).sum(axis=(2, 4))
    assert (windows == 1).all()
    np.testing.assert_allclose(np.sort(relu[winners]), np.sort(pooled.ravel()))


def test_unknown_layer_name_lists_the_valid_ones(bundled):
    with pytest.raises(ValueError, match="valid layers are conv1, relu1, pool1"):
        ActivationCapture(bundled, ["conv9"])


def test_capture_follows_train_and_eval_mode():
    model = build_model(ModelConfig(dropout=0.5), seed=0)
    capture = ActivationCapture(model)
    image = torch.randn(1, 1, 28, 28)
    model.train()
    assert not np.array_equal(capture(image)["dropout"], capture(image)["dropout"]), (
        "dropout is random in training mode"
    )
    assert model.training, "capturing must not change the model's mode"
    model.eval()
    assert np.array_equal(capture(image)["dropout"], capture(image)["relu_fc"]), "dropout does nothing in eval mode"
    assert not model.training


@pytest.mark.parametrize(
    "config",
    [
        ModelConfig(),
        ModelConfig(conv_channels=(8,)),
        ModelConfig(conv_channels=(4, 8, 16), kernel_size=3),
        ModelConfig(batch_norm=True),
    ],
    ids=["default", "one-block", "three-blocks-k3", "batch-norm"],
)
def test_model_variants_capture_every_layer(config):
    model = build_model(config, seed=0).eval()
    activations = ActivationCapture(model)(torch.randn(1, 1, 28, 28))
    assert set(activations) == set(layer_names(model)) | {PROBABILITIES}
    assert activations["fc2"].shape == (10,)
    assert model.conv_layers() == [f"conv{i}" for i in range(1, len(config.conv_channels) + 1)]


def test_captures_in_many_threads_match_single_threaded_ones(bundled):
    """Sessions share the cached model: concurrent captures, and new captures built meanwhile, must not interfere."""
    from concurrent.futures import ThreadPoolExecutor

    images = [torch.randn(1, 1, 28, 28, generator=torch.Generator().manual_seed(i)) for i in range(16)]
    capture = ActivationCapture(bundled)
    expected = [capture(image) for image in images]

    def work(i):
        ActivationCapture(build_model(ModelConfig(conv_channels=(4, 8)), seed=i))  # another session's model arriving
        return capture(images[i])

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(len(images))))
    for got, want in zip(results, expected):
        for layer in ("conv1", "pool2", "fc2", PROBABILITIES):
            assert np.array_equal(got[layer], want[layer])
