"""Weights load only from safetensors; pickles are refused without running, mismatches are named."""

import io
import json
import pickle

import pytest
import torch
from safetensors.torch import save

from cnnviz.data.samples import list_samples
from cnnviz.errors import InputError
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.training import checkpoints


def test_save_then_load_gives_the_same_outputs(tmp_path):
    model = build_model(ModelConfig(conv_channels=(4, 8), batch_norm=True), seed=1).eval()
    path = tmp_path / "m.safetensors"
    checkpoints.save(model, path, {"note": "test"})
    loaded = checkpoints.load(path)
    image = torch.randn(2, 1, 28, 28)
    with torch.no_grad():
        assert torch.equal(model(image), loaded(image))
    assert loaded.config == model.config and not loaded.training


class _RunsCode:
    def __reduce__(self):  # unpickling this would call exec
        return (exec, ("import pathlib; pathlib.Path('PWNED').write_text('ran')",))


def test_a_pickle_that_would_run_code_is_refused_without_running(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    buffer = io.BytesIO()
    torch.save({"conv1.weight": torch.zeros(1), "payload": _RunsCode()}, buffer)
    for data in (buffer.getvalue(), pickle.dumps(_RunsCode())):
        with pytest.raises(InputError, match="not a safetensors weights file"):
            checkpoints.from_bytes(data, "evil.pt")
    assert not (tmp_path / "PWNED").exists()


def test_wrong_shapes_are_named():
    small = build_model(ModelConfig(conv_channels=(8, 16)))
    claimed = json.dumps(ModelConfig().to_dict())
    data = save(dict(small.state_dict()), metadata={"cnnviz_config": claimed})
    with pytest.raises(InputError, match=r"conv1.weight has shape \[8, 1, 5, 5\], expected \[16, 1, 5, 5\]"):
        checkpoints.from_bytes(data)


def test_missing_and_unexpected_tensors_are_named():
    state = dict(build_model().state_dict())
    state["extra.weight"] = state.pop("fc2.weight")
    data = save(state, metadata={"cnnviz_config": json.dumps(ModelConfig().to_dict())})
    with pytest.raises(InputError, match="missing fc2.weight; unexpected extra.weight"):
        checkpoints.from_bytes(data)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\x10\x00\x00\x00\x00\x00\x00\x00{not json", "not a safetensors"),
        (save({"w": torch.zeros(2)}), "no valid cnnviz model config"),
        (
            save({"w": torch.zeros(2)}, metadata={"cnnviz_config": '{"conv_channels": [0]}'}),
            "no valid cnnviz model config",
        ),
        (list_samples()[0].path.read_bytes(), "is an image, not a safetensors"),
    ],
    ids=["empty", "garbage", "no-config", "bad-config", "a-photo"],
)
def test_unreadable_weights_get_a_clear_message(data, words):
    with pytest.raises(InputError, match=words):
        checkpoints.from_bytes(data)


def test_missing_file_is_a_clear_message(tmp_path):
    with pytest.raises(InputError, match="^No such file.$"):
        checkpoints.load(tmp_path / "nope.safetensors")


def test_bundled_weights_load():
    model = checkpoints.load_bundled()
    assert model.config.is_digits and [info.name for info in model.layers()][:3] == ["conv1", "relu1", "pool1"]


def test_a_file_saved_before_layer_lists_still_opens_with_the_same_answers(tmp_path):
    """Files of the one family (a cnnviz_config header) open as the same network, layer names and all."""
    old = build_model(ModelConfig(conv_channels=(4, 8), batch_norm=True), seed=2).eval()
    data = save(
        {k: v.contiguous() for k, v in old.state_dict().items()},
        metadata={"cnnviz_config": json.dumps(ModelConfig(conv_channels=(4, 8), batch_norm=True).to_dict())},
    )
    loaded = checkpoints.from_bytes(data, "old.safetensors")
    image = torch.randn(2, 1, 28, 28)
    with torch.no_grad():
        assert torch.equal(old(image), loaded(image))
    assert [info.name for info in loaded.layers()] == [
        "conv1",
        "bn1",
        "relu1",
        "pool1",
        "conv2",
        "bn2",
        "relu2",
        "pool2",
        "flatten",
        "fc1",
        "relu_fc",
        "dropout",
        "fc2",
    ]


@pytest.mark.parametrize(
    "layers, words",
    [
        (
            ", ".join(["conv 8 5 pad 0"] * 7 + ["flatten"]),
            "layer 7 .conv 8 5 pad 0. would make the 4 x 4 maps smaller than 1 x 1",
        ),
        ("conv 8 5, linear 10", "layer 2 .linear 10. comes before flatten"),
        ("conv 8 5, relu", "end the list with flatten"),
        ("conv 300 5, flatten", "layer 1 .conv 300 5. needs 1 to 256 channels"),
        ("conv 8 5, swish, flatten", "layer 2: 'swish' is not a layer"),
    ],
)
def test_an_impossible_layer_list_is_refused_in_one_sentence_naming_the_layer(layers, words):
    from cnnviz.network.classes import DIGITS
    from cnnviz.network.layers import Architecture, LayerError, parse_layers

    with pytest.raises(LayerError, match=words):
        Architecture(parse_layers(layers), DIGITS)
