"""The command line contract other tools rely on: predict/evaluate JSON, exit codes, train."""

import gzip
import json
import re

import numpy as np
import pytest
from safetensors import safe_open

from cnnviz.data.handwriting import draw_digit, encode
from cnnviz.data.samples import list_samples
from cnnviz.network.classes import DIGITS
from cnnviz.network.layers import Architecture, parse_layers
from cnnviz.network.presets import PRESETS

from command_line import run_cli, run_cli_process
from image_files import bad_files


def test_predict_json_keeps_argument_order_and_reports_bad_files(tmp_path):
    seven = tmp_path / "seven.png"
    seven.write_bytes(encode(draw_digit(7, 200), "PNG"))
    broken = tmp_path / "broken.png"
    broken.write_bytes(bad_files()["text_renamed_png"])
    missing = tmp_path / "missing.png"
    result = run_cli("predict", broken, seven, missing, "--json")
    assert result.returncode == 1
    output = json.loads(result.stdout)
    assert [item["file"] for item in output] == [str(broken), str(seven), str(missing)]
    assert set(output[0]) == {"file", "error"} and "not an image" in output[0]["error"]
    assert set(output[1]) == {"file", "label", "probabilities", "verdict", "not_a_digit"}
    assert output[1]["label"] == 7 and len(output[1]["probabilities"]) == 10 and output[1]["verdict"] == "digit"
    assert sum(output[1]["probabilities"]) == pytest.approx(1, abs=1e-4)
    assert output[2]["error"] == "No such file."
    assert "Traceback" not in result.stderr


def test_predict_exits_0_when_every_file_is_read(tmp_path):
    samples = list_samples()[:3]
    result = run_cli("predict", *[s.path for s in samples], "--json")
    assert result.returncode == 0, result.stderr
    assert [item["label"] for item in json.loads(result.stdout)] == [s.label for s in samples]


def test_predict_plain_text_is_one_line_per_file():
    sample = list_samples()[0]
    result = run_cli("predict", sample.path)
    assert result.returncode == 0
    assert re.fullmatch(rf"{re.escape(str(sample.path))}: {sample.label} \(\d+\.\d%\)\n", result.stdout)


def test_predict_refuses_a_pickled_model_in_one_line(tmp_path):
    evil = tmp_path / "model.pt"
    evil.write_bytes(b"\x80\x04\x95" + b"\0" * 64)
    result = run_cli("predict", list_samples()[0].path, "--model", evil)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: model.pt is not a safetensors weights file")
    assert len(result.stderr.strip().splitlines()) == 1


def test_evaluate_reads_idx_files_and_prints_json(tmp_path):
    digits = [3, 7, 1, 8]
    images = np.stack([255 - np.asarray(draw_digit(d, 28, seed=1, pen=0.12)) for d in digits]).astype(np.uint8)
    for name, array in (
        ("t10k-images-idx3-ubyte.gz", images),
        ("t10k-labels-idx1-ubyte.gz", np.array(digits, np.uint8)),
    ):
        header = bytes([0, 0, 8, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
        (tmp_path / name).write_bytes(gzip.compress(header + array.tobytes()))
    result = run_cli("evaluate", "--mnist-dir", tmp_path, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"accuracy", "n", "confusion_matrix"} and report["n"] == 4 and 0 <= report["accuracy"] <= 1
    matrix = np.array(report["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 4
    assert matrix.trace() / 4 == pytest.approx(report["accuracy"])
    assert [matrix[d].sum() for d in digits] == [1, 1, 1, 1], "rows are the true digits"


def test_evaluate_without_the_files_is_one_line(tmp_path):
    result = run_cli("evaluate", "--mnist-dir", tmp_path / "nowhere")
    assert result.returncode == 1 and result.stderr.startswith("error: cannot read the MNIST test set")
    result = run_cli("evaluate", "--mnist-dir", tmp_path / "nowhere", "--json")  # --json: the error as JSON
    assert result.returncode == 1 and json.loads(result.stdout)["error"].startswith("cannot read the MNIST test set")


def test_train_dry_run_makes_every_kind_of_data_and_saves_a_loadable_model(tmp_path):
    out = tmp_path / "dry.safetensors"
    result = run_cli("train", "--data", "sample", "--dry-run", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "digits on other media and in other styles" in result.stderr and "non-digits" in result.stderr
    predicted = run_cli("predict", list_samples()[0].path, "--model", out, "--json")
    assert predicted.returncode == 0 and "not_a_digit" in json.loads(predicted.stdout)[0]


NO_GENERATED_DATA = ("--media-copies", "0", "--handwriting", "0", "--not-digits", "0")  # MNIST alone: the wiring


@pytest.mark.parametrize("arch", sorted(PRESETS))
def test_train_dry_run_of_every_preset_saves_a_loadable_model_that_names_its_layers(tmp_path, arch):
    out = tmp_path / f"{arch}.safetensors"
    result = run_cli("train", "--data", "sample", "--dry-run", *NO_GENERATED_DATA, "--arch", arch, "--out", out)
    assert result.returncode == 0, result.stderr
    predicted = run_cli("predict", list_samples()[0].path, "--model", out, "--json")
    assert predicted.returncode == 0 and "label" in json.loads(predicted.stdout)[0]
    with safe_open(str(out), "pt") as file:
        network = json.loads(file.metadata()["cnnviz_network"])
    assert Architecture.from_dict(network).text == Architecture(parse_layers(PRESETS[arch]), DIGITS).text


def test_train_takes_a_layer_list_and_refuses_an_impossible_one_in_one_line(tmp_path):
    out = tmp_path / "mine.safetensors"
    layers = "conv 4 3 stride 2, leaky, flatten"
    result = run_cli("train", "--dry-run", "--data", "sample", *NO_GENERATED_DATA, "--layers", layers, "--out", out)
    assert result.returncode == 0, result.stderr
    result = run_cli("train", "--dry-run", "--layers", "conv 4 3, linear 10", "--out", tmp_path / "x.safetensors")
    expected = "layer 2 (linear 10) comes before flatten: put a flatten before the first linear layer"
    assert result.returncode == 2 and result.stderr.strip().endswith(expected)


def test_every_bad_file_gets_an_error_field_on_the_cli(tmp_path):
    paths = []
    for name, data in bad_files().items():
        path = tmp_path / f"{name}.png"
        path.write_bytes(data)
        paths.append(path)
    result = run_cli("predict", *paths, "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    output = json.loads(result.stdout)
    assert [item["file"] for item in output] == [str(p) for p in paths]
    blank = {"blank_white", "flat_gray_rgb", "fully_transparent"}  # nothing on them: refused, and not a digit either
    for path, item in zip(paths, output):
        assert "\n" not in item["error"]
        expected = {"file", "error", "verdict"} if path.stem in blank else {"file", "error"}
        assert set(item) == expected, path.stem
        assert item.get("verdict", "not a digit") == "not a digit"


def test_model_with_wrong_shapes_is_named_on_the_cli(tmp_path):
    from safetensors.torch import save

    from cnnviz.network.model import ModelConfig, build_model

    weights = tmp_path / "wrong.safetensors"
    weights.write_bytes(
        save(
            dict(build_model(ModelConfig(conv_channels=(8, 16))).state_dict()),
            metadata={"cnnviz_config": json.dumps(ModelConfig().to_dict())},
        )
    )
    result = run_cli("predict", list_samples()[0].path, "--model", weights)
    assert result.returncode == 1
    assert "conv1.weight has shape [8, 1, 5, 5], expected [16, 1, 5, 5]" in result.stderr


@pytest.mark.parametrize("method", ["saliency", "integrated-gradients", "occlusion", "grad-cam"])
def test_explain_gives_a_map_per_file_for_the_predicted_or_a_chosen_digit(tmp_path, method):
    photos = [s.path for s in list_samples() if s.kind == "photo"][:2]
    broken = tmp_path / "broken.png"
    broken.write_bytes(bad_files()["text_renamed_png"])
    predicted = json.loads(run_cli("predict", *photos, "--json").stdout)
    result = run_cli("explain", *photos, broken, "--method", method, "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    output = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(name))
    assert [item["file"] for item in output] == [*map(str, photos), str(broken)]
    assert set(output[2]) == {"file", "error"}
    for item, answer in zip(output[:2], predicted):
        assert set(item) == {"file", "label", "target", "method", "attribution"} and item["method"] == method
        assert item["label"] == item["target"] == answer["label"]
        values = np.array(item["attribution"])
        assert values.shape == (28, 28) and np.isfinite(values).all() and values.std() > 0
    other = (output[0]["label"] + 1) % 10
    chosen = json.loads(run_cli("explain", photos[0], "--method", method, "--target", other, "--json").stdout)[0]
    assert chosen["target"] == other and chosen["label"] == output[0]["label"]
    assert not np.allclose(chosen["attribution"], output[0]["attribution"])


def test_explain_refuses_a_target_or_layer_the_model_lacks_in_one_line():
    photo = list_samples()[0].path
    for extra in (["--target", "11"], ["--layer", "fc1"]):
        result = run_cli("explain", photo, "--method", "grad-cam", *extra)
        assert result.returncode == 1 and result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1


def test_python_dash_m_cnnviz_is_the_same_command_line_in_a_fresh_process(tmp_path):
    samples = list_samples()[:2]
    result = run_cli_process("predict", *[s.path for s in samples], "--json")
    assert result.returncode == 0, result.stderr
    assert [item["label"] for item in json.loads(result.stdout)] == [s.label for s in samples]
    refused = run_cli_process("train", "--epochs", "0")
    assert (
        refused.returncode == 2 and "error: argument --epochs" in refused.stderr and "Traceback" not in refused.stderr
    )
