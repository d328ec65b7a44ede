"""The Filters view's strongest patches and dreamed inputs are made once per weights and kept on disk, each apart."""

import copy

import numpy as np
import pytest
import torch

from cnnviz.insight import excitation as excite


@pytest.fixture
def cheap_dreams(monkeypatch):
    """Dreams are slow and not what is tested here: a cheap stand-in with the real shape."""
    made = []

    def dreams(model, layer):
        made.append(layer)
        return np.full((model.layer(layer).shape.channels, 28, 28), 0.5, dtype=np.float32)

    monkeypatch.setattr(excite, "dreamed_inputs", dreams)
    return made


def test_a_second_search_is_read_from_disk_and_equal(bundled, digits, tmp_path, cheap_dreams):
    asked = []
    few = lambda: asked.append(1) or digits  # noqa: E731
    first_patches, first_dreams = (
        excite.kept_patches(bundled, few, "conv1", tmp_path),
        excite.kept_dreams(bundled, "conv1", tmp_path),
    )
    again_patches, again_dreams = (
        excite.kept_patches(bundled, few, "conv1", tmp_path),
        excite.kept_dreams(bundled, "conv1", tmp_path),
    )
    assert len(asked) == 1 and cheap_dreams == ["conv1"], "the second search must not run"
    assert again_patches.field == first_patches.field and again_patches.layer == "conv1"
    for name in ("patches", "values", "digits"):
        assert np.array_equal(getattr(again_patches, name), getattr(first_patches, name))
    assert np.array_equal(again_dreams, first_dreams)


def test_other_weights_are_searched_again(bundled, digits, tmp_path, cheap_dreams):
    excite.kept_patches(bundled, lambda: digits, "conv1", tmp_path)
    excite.kept_dreams(bundled, "conv1", tmp_path)
    changed = copy.deepcopy(bundled)
    with torch.no_grad():
        changed.conv1.weight[0, 0, 0, 0] += 1.0
    assert excite.weights_digest(changed) != excite.weights_digest(bundled)
    excite.kept_patches(changed, lambda: digits, "conv1", tmp_path)
    excite.kept_dreams(changed, "conv1", tmp_path)
    assert cheap_dreams == ["conv1", "conv1"] and len(list(tmp_path.glob("*.npz"))) == 4


@pytest.mark.parametrize("damaged", ["patches", "dreams"])
def test_a_damaged_file_is_searched_again_and_only_it(bundled, digits, tmp_path, cheap_dreams, damaged):
    asked = []
    few = lambda: asked.append(1) or digits  # noqa: E731
    excite.kept_patches(bundled, few, "conv1", tmp_path)
    excite.kept_dreams(bundled, "conv1", tmp_path)
    (saved,) = tmp_path.glob(f"{damaged}-*.npz")
    saved.write_bytes(b"not a zip file")
    patches, dreams = (
        excite.kept_patches(bundled, few, "conv1", tmp_path),
        excite.kept_dreams(bundled, "conv1", tmp_path),
    )
    assert patches.patches.shape[:2] == (16, 9) and dreams.shape == (16, 28, 28)
    assert (len(asked), len(cheap_dreams)) == ((2, 1) if damaged == "patches" else (1, 2))


def test_without_a_folder_nothing_is_written(bundled, digits, tmp_path, cheap_dreams, monkeypatch):
    monkeypatch.chdir(tmp_path)
    excite.kept_patches(bundled, lambda: digits, "conv1")
    excite.kept_dreams(bundled, "conv1")
    assert list(tmp_path.iterdir()) == []
