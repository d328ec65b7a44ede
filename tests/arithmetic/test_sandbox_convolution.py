"""The convolution sandbox: kernels, the output-size formula and one conv block, checked against PyTorch."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.errors import InputError
from cnnviz.network.sandbox import PRESETS, conv_block, output_size, output_size_formula, parse_kernel, preset_kernel


@pytest.mark.parametrize(
    "kernel, stride, padding, dilation", itertools.product([1, 3, 5], [1, 2, 3], [0, 1, 3], [1, 2])
)
def test_output_size_formula_matches_conv2d(kernel, stride, padding, dilation):
    expected = F.conv2d(
        torch.zeros(1, 1, 28, 28), torch.zeros(1, 1, kernel, kernel), stride=stride, padding=padding, dilation=dilation
    ).shape[-1]
    assert output_size(28, kernel, stride, padding, dilation) == expected
    assert output_size_formula(28, kernel, stride, padding, dilation).endswith(f"= {expected}")


def test_textbook_kernels_at_3_by_3():
    np.testing.assert_array_equal(preset_kernel("Vertical edges"), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(preset_kernel("Sharpen"), [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    np.testing.assert_array_equal(preset_kernel("Outline"), [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
    assert preset_kernel("Blur").sum() == pytest.approx(1)


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("size", [3, 5, 7])
def test_every_preset_exists_at_every_size(name, size):
    kernel = preset_kernel(name, size)
    assert kernel.shape == (size, size) and np.isfinite(kernel).all() and np.abs(kernel).sum() > 0


def test_typed_kernels_are_read_or_refused_in_one_sentence():
    np.testing.assert_array_equal(parse_kernel("1, 2\n3 4\n"), [[1, 2], [3, 4]])
    for text, words in [
        ("1 2\n3", "square"),
        ("a b\nc d", "numbers only"),
        ("", "Type"),
        ("\n".join(["1 " * 11] * 11), "at most"),
    ]:
        with pytest.raises(InputError, match=words):
            parse_kernel(text)


def test_conv_block_is_conv_relu_pool():
    image = np.random.default_rng(0).normal(size=(28, 28)).astype(np.float32)
    kernel = preset_kernel("Vertical edges")
    block = conv_block(image, kernel, stride=1, padding=1, relu=True, pool=True)
    expected = F.conv2d(torch.from_numpy(image)[None, None], torch.from_numpy(kernel)[None, None], padding=1)[
        0, 0
    ].numpy()
    np.testing.assert_allclose(block.convolved, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(block.activated, np.maximum(expected, 0))
    assert block.pooled.shape == (14, 14) and block.pooled.max() == pytest.approx(block.activated.max())


def test_a_kernel_that_cannot_fit_is_a_clear_message():
    with pytest.raises(InputError, match="does not fit"):
        conv_block(np.zeros((28, 28), np.float32), np.ones((9, 9), np.float32), dilation=4)
