"""Nothing a student uploads can take the server down or make it lie: hostile weights, odd formats, endless files."""

import io
import json
import math
import os
import warnings

import numpy as np
import pytest
import torch
from PIL import Image, PngImagePlugin
from safetensors.torch import save

from cnnviz.data.handwriting import draw_digit, encode
from cnnviz.errors import InputError
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints

from command_line import cnnviz_with_peak, strict_json
from conftest import predict


def weights_file(config: dict, state: dict | None = None) -> bytes:
    state = state if state is not None else {"conv1.weight": torch.zeros(1, 1, 5, 5)}
    return save(state, metadata={"cnnviz_config": json.dumps(config)})


@pytest.fixture(scope="module")
def good_png(tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "seven.png"
    path.write_bytes(encode(draw_digit(7, 200), "PNG"))
    return path


@pytest.fixture(scope="module")
def fast(good_png):
    """Seconds a hostile call may take before it counts as a hang: twice a plain predict measured now, plus 10 s.

    Measured in the same run rather than fixed: a busy CI machine starts Python and PyTorch slower. The attacks
    this guards against never ended or took 8 to 13 s at 4 to 8 GB, which the memory bound beside it catches.
    """
    _, seconds, _ = cnnviz_with_peak("predict", good_png, "--json")
    return 2 * seconds + 10


@pytest.mark.parametrize(
    "config",
    [
        {"conv_channels": [1], "hidden_units": 4_000_000},  # 3 GB of fc1 weights, claimed by a 156-byte file
        {"conv_channels": [256, 256, 256, 256], "kernel_size": 11, "hidden_units": 4096},  # in range, huge, absent
    ],
    ids=["out-of-range", "huge-but-allowed"],
)
def test_a_tiny_file_claiming_a_huge_model_is_refused_fast_and_small(tmp_path, good_png, fast, config):
    weights = tmp_path / "huge.safetensors"
    weights.write_bytes(weights_file(config))
    result, seconds, peak_mb = cnnviz_with_peak("predict", good_png, "--model", weights, "--json")
    assert result.returncode == 1
    (entry,) = strict_json(result.stdout)
    assert entry["file"] == str(good_png) and "huge.safetensors" in entry["error"]
    assert seconds < fast and peak_mb < 1024, (seconds, peak_mb)


@pytest.mark.parametrize(
    "config",
    [
        {"hidden_units": -1},
        {"kernel_size": 5.5},
        {"hidden_units": 1e12},
        {"kernel_size": 4},
        {"conv_channels": "16"},
        {"conv_channels": [16, True]},
        {"conv_channels": [1, 1, 1, 1, 1]},
        {"dropout": 1.5},
        {"batch_norm": "yes"},
        {"classes": ["a"]},
        {"classes": [1, 2]},
        {"no_such_field": 1},
    ],
)
def test_an_impossible_config_gets_one_sentence(config):
    with pytest.raises(InputError, match="no valid cnnviz model config"):
        checkpoints.from_bytes(weights_file(config), "odd.safetensors")


def _state(**changes) -> dict[str, torch.Tensor]:
    model = build_model(ModelConfig(conv_channels=(4,)), seed=0)
    return {**{key: value.clone() for key, value in model.state_dict().items()}, **changes}


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"conv1.weight": torch.full((4, 1, 5, 5), math.nan)}, "not numbers"),
        ({"conv1.bias": torch.full((4,), math.inf)}, "not numbers"),
        ({"fc2.bias": torch.tensor([math.nan] + [0.0] * 9)}, "not numbers"),
        ({"conv1.weight": torch.ones(4, 1, 5, 5, dtype=torch.int32)}, "int32 weights"),
        ({"fc2.bias": torch.ones(10, dtype=torch.bool)}, "bool weights"),
    ],
    ids=["nan-weights", "inf-bias", "nan-last-bias", "integer-weights", "boolean-bias"],
)
def test_weights_that_would_make_it_lie_are_refused(changes, words):
    data = save(_state(**changes), metadata={"cnnviz_config": json.dumps(ModelConfig(conv_channels=(4,)).to_dict())})
    with pytest.raises(InputError, match=words):
        checkpoints.from_bytes(data, "lies.safetensors")


def test_predict_with_nan_weights_prints_one_strict_json_list(tmp_path, good_png, fast):
    weights = tmp_path / "nan.safetensors"
    config = json.dumps(ModelConfig(conv_channels=(4,)).to_dict())
    weights.write_bytes(save(_state(**{"fc2.bias": torch.full((10,), math.nan)}), metadata={"cnnviz_config": config}))
    result, seconds, peak_mb = cnnviz_with_peak("predict", good_png, good_png, "--model", weights, "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [set(entry) for entry in strict_json(result.stdout)] == [{"file", "error"}] * 2
    assert seconds < fast and peak_mb < 1024


def other_formats() -> dict[str, bytes]:
    """Images in formats Pillow knows but the app does not take, each as if renamed .png."""
    image = draw_digit(4, 64).convert("RGB")
    files = {}
    for fmt, mode in [("DDS", "RGB"), ("SPIDER", "L"), ("EPS", "RGB"), ("ICO", "RGB"), ("TGA", "RGB"), ("PPM", "RGB"),
                      ("QOI", "RGB"), ("JPEG2000", "RGB"), ("ICNS", "RGB"), ("IM", "RGB"), ("SGI", "RGB"),
                      ("PCX", "RGB"), ("PDF", "RGB"), ("BLP", "P")]:  # fmt: skip
        buffer = io.BytesIO()
        with warnings.catch_warnings():  # Pillow deprecates writing some of them; reading them must still fail well
            warnings.simplefilter("ignore", DeprecationWarning)
            image.convert(mode).save(buffer, fmt)
        files[fmt] = buffer.getvalue()
    return files


OTHER_FORMATS = other_formats()


@pytest.mark.parametrize("fmt", sorted(OTHER_FORMATS))
def test_formats_outside_the_list_are_refused_unread(fmt):
    with pytest.raises(InputError, match="not an image format that can be read"):
        preprocess_bytes(OTHER_FORMATS[fmt])


def test_the_cli_refuses_odd_formats_and_endless_files_but_reads_the_good_one(tmp_path, good_png, fast):
    files = []
    for fmt in ("EPS", "DDS", "SPIDER"):
        path = tmp_path / f"{fmt.lower()}.png"
        path.write_bytes(OTHER_FORMATS[fmt])
        files.append(path)
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    sparse = tmp_path / "three-gigabytes.png"
    with open(sparse, "wb") as file:
        file.truncate(3 * 2**30)
    files += [fifo, sparse, "/dev/zero", good_png]
    result, seconds, peak_mb = cnnviz_with_peak("predict", *files, "--json")
    output = strict_json(result.stdout)
    assert result.returncode == 1 and [entry["file"] for entry in output] == [str(f) for f in files]
    assert all(set(entry) == {"file", "error"} for entry in output[:-1])
    assert output[-1]["label"] == 7
    assert seconds < fast and peak_mb < 1024, (seconds, peak_mb)


def test_a_model_path_that_never_ends_is_refused(good_png, fast):
    result, seconds, peak_mb = cnnviz_with_peak("predict", good_png, "--model", "/dev/zero", "--json")
    assert result.returncode == 1 and "not a regular file" in strict_json(result.stdout)[0]["error"]
    assert seconds < fast and peak_mb < 1024


def test_a_png_whose_metadata_is_too_large_to_read_is_read_without_it(bundled):
    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "x" * (PngImagePlugin.MAX_TEXT_CHUNK + 1000), zip=True)
    buffer = io.BytesIO()
    draw_digit(3, 200).save(buffer, "PNG", pnginfo=info)
    assert predict(bundled, preprocess_bytes(buffer.getvalue()).tensor)[0] == 3


def test_a_float_tiff_with_a_nan_pixel_is_read(bundled):
    values = np.asarray(draw_digit(5, 200), dtype=np.float32) / 255 * 1000.0  # any range, as scientific TIFFs have
    values[10, 10] = np.nan
    assert predict(bundled, preprocess_bytes(encode(Image.fromarray(values, mode="F"), "TIFF")).tensor)[0] == 5
