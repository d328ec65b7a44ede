"""GELU, added as one record (cnnviz.network.functions), works everywhere a layer kind is asked about: the text
form, the module, the arithmetic of one cell, the written-out backward pass, `train --layers`, predict and export.
(Every page and view: tests/test_every_architecture.py's "gelu" network.)"""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from cnnviz.data.samples import list_samples
from cnnviz.network.arithmetic import activate, activation_formula, conv_pixel
from cnnviz.network.backprop import backward
from cnnviz.network.capture import ActivationCapture
from cnnviz.network.classes import DIGITS
from cnnviz.network.layers import Architecture, parse_layers
from cnnviz.network.model import build_model
from cnnviz.viz.browser import stages_of

from command_line import run_cli

LAYERS = "conv 6 3, gelu, maxpool 2, flatten, linear 16, gelu"


@pytest.fixture(scope="module")
def model():
    return build_model(Architecture(parse_layers(LAYERS), DIGITS), seed=2).eval()


def test_the_text_form_names_and_builds_it(model):
    assert [info.name for info in model.layers()][:2] == ["conv1", "gelu1"]
    assert isinstance(model.layer("gelu1").module, torch.nn.GELU)
    assert model.layer("gelu1").title == "GELU" and "Φ" in model.layer("gelu1").spec.words


@pytest.mark.parametrize("x", [-3.0, -0.75, 0.0, 0.4, 2.5])
def test_one_number_is_what_pytorch_computes(x):
    assert activate("gelu", x) == pytest.approx(float(torch.nn.functional.gelu(torch.tensor(x, dtype=torch.float64))))
    assert activation_formula("gelu", x) == f"{x:.3f} × Φ({x:.3f})"


def test_a_cell_and_the_backward_pass_match_pytorch(model):
    image = torch.randn(1, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    activations = ActivationCapture(model)(image)
    pixel = conv_pixel(model, activations, image, "conv1", 2, 5, 7)
    assert pixel.relu == pytest.approx(float(activations["gelu1"][2, 5, 7]), abs=1e-6)
    assert pixel.chain[0].function == "gelu"
    found = backward(model, image, 3)
    x = image.clone()
    loss = torch.nn.functional.cross_entropy(model(x), torch.tensor([3]))
    loss.backward()
    np.testing.assert_allclose(found.weight_gradients["conv1"], model.layer("conv1").module.weight.grad, atol=1e-5)
    stages = {stage["id"]: stage for stage in stages_of(model, activations, image)}
    assert stages["gelu1"]["operation"].startswith("x × Φ(x)")


def test_train_predict_and_export_take_it(tmp_path):
    weights = tmp_path / "gelu.safetensors"
    trained = run_cli("train", "--layers", LAYERS, "--dry-run", "--no-calibrate", "--out", weights)
    assert trained.returncode == 0, trained.stderr
    digit = str(next(sample.path for sample in list_samples() if sample.label == 7))
    ours = json.loads(run_cli("predict", digit, "--model", weights, "--json").stdout)
    assert run_cli("export", weights, "--out", tmp_path / "home").returncode == 0
    assert "nn.GELU()" in (tmp_path / "home" / "model.py").read_text()
    run = subprocess.run(
        [sys.executable, str(tmp_path / "home" / "model.py"), digit, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["label"] == ours[0]["label"]
