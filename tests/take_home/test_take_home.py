"""Taking a network home: exported code that runs without cnnviz, every layer's numbers as arrays, a worksheet."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image
from pypdf import PdfReader

from cnnviz.data.mnist import load_offline_sample, split
from cnnviz.data.samples import list_samples
from cnnviz.network.classes import DIGITS
from cnnviz.network.model import build_model
from cnnviz.network.presets import preset
from cnnviz.training import checkpoints

from command_line import run_cli

# Run model.py with cnnviz made unimportable: it must need only torch, safetensors, numpy and Pillow.
WITHOUT_CNNVIZ = (
    "import runpy, sys; sys.modules['cnnviz'] = None; sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


@pytest.fixture(scope="module")
def held_out_files(tmp_path_factory):
    """120 MNIST-form digits (28 x 28, white on black) the bundled models were validated on, as PNG files."""
    _, held_out = split(load_offline_sample(), 0.1, 0)
    folder = tmp_path_factory.mktemp("digits")
    files = []
    for i in range(120):
        path = folder / f"{i:03d}.png"
        Image.fromarray(held_out.images[i].numpy()).save(path)
        files.append(path)
    return files, held_out.labels[:120].numpy()


def run_exported(folder, *args, cwd) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", WITHOUT_CNNVIZ, str(folder / "model.py"), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("weights", [checkpoints.BUNDLED_WEIGHTS, checkpoints.LENET_WEIGHTS], ids=["modern", "lenet5"])
def test_exported_code_reads_digits_like_cnnviz_without_cnnviz(tmp_path, held_out_files, weights):
    files, labels = held_out_files
    folder = tmp_path / "home"
    exported = run_cli("export", weights, "--out", folder)
    assert exported.returncode == 0, exported.stderr
    assert {p.name for p in folder.iterdir()} == {"model.py", "weights.safetensors"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    result = run_exported(folder, *files, "--json", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    theirs = json.loads(result.stdout)
    assert [item["file"] for item in theirs] == list(map(str, files))
    assert all(sum(item["probabilities"]) == pytest.approx(1, abs=1e-4) for item in theirs)
    exported_labels = np.array([item["label"] for item in theirs])
    ours = json.loads(run_cli("predict", *files, "--model", weights, "--json").stdout)
    predicted = np.array([item["label"] for item in ours])
    assert (exported_labels == labels).mean() >= 0.97
    assert (exported_labels == predicted).all()


def test_exported_code_of_a_skip_connection_gives_the_networks_own_numbers(tmp_path, held_out_files):
    model = build_model(preset("tiny-resnet", DIGITS), seed=3).eval()
    weights = tmp_path / "resnet.safetensors"
    weights.write_bytes(checkpoints.to_bytes(model))
    folder = tmp_path / "home"
    assert run_cli("export", weights, "--out", folder).returncode == 0
    digits = held_out_files[0][:5]
    result = run_exported(folder, *digits, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ours = json.loads(run_cli("predict", *digits, "--model", weights, "--json").stdout)
    for mine, app in zip(json.loads(result.stdout), ours, strict=True):
        np.testing.assert_allclose(mine["probabilities"], app["probabilities"], atol=2e-6)
    code = (folder / "model.py").read_text()
    assert not re.search(r"^\s*(import|from) cnnviz", code, re.MULTILINE)
    network = code.split("# --- the network")[1].split("# --- the verdict")[0]
    assert len(network.splitlines()) < 80  # the network itself, even with two skip connections, is short to study


def test_export_refuses_a_file_as_its_folder_in_one_line(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("mine")
    result = run_cli("export", checkpoints.BUNDLED_WEIGHTS, "--out", taken)
    assert result.returncode == 1 and result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert taken.read_text() == "mine"


def test_activations_hold_every_layer_and_conv1_recomputes_from_the_saved_input(tmp_path, bundled):
    out = tmp_path / "four.npz"
    digit = next(s for s in list_samples() if s.label == 4).path
    result = run_cli("activations", digit, "--out", out)
    assert result.returncode == 0, result.stderr
    arrays = np.load(out)
    names = [info.name for info in bundled.layers()]
    assert list(arrays.files) == ["input", *names, "probabilities"]
    conv1 = bundled.layer("conv1").module
    with torch.no_grad():
        again = conv1(torch.from_numpy(arrays["input"])[None])[0].numpy()
    np.testing.assert_allclose(again, arrays["conv1"], atol=1e-4)
    assert arrays["probabilities"].sum() == pytest.approx(1, abs=1e-5)
    assert int(arrays["probabilities"][:10].argmax()) == 4
    pooled = F.max_pool2d(torch.from_numpy(arrays["relu1"])[None], 2)[0].numpy()
    np.testing.assert_allclose(pooled, arrays["pool1"], atol=1e-6)


def test_worksheet_is_a_pdf_with_the_exercise_and_its_answers(tmp_path):
    out = tmp_path / "sheet.pdf"
    result = run_cli("worksheet", list_samples()[0].path, "--out", out)
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert len(pages) >= 2
    assert "ReLU" in pages[0] and "Answers" in pages[-1]


@pytest.mark.parametrize("command", ["activations", "worksheet"])
def test_take_home_commands_refuse_a_broken_image_in_one_line(tmp_path, command):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image at all")
    result = run_cli(command, broken, "--out", tmp_path / "out")
    assert result.returncode == 1 and result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()
