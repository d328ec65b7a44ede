"""Training is held to a budget a 2-core server affords (one number, cnnviz.training.budget), refused in one
sentence naming the layer; Stop ends a run in the middle of a batch."""

import pytest
import torch

from cnnviz.data.mnist import load_offline_sample
from cnnviz.network.classes import DIGITS
from cnnviz.network.layers import Architecture, LayerError, parse_layers
from cnnviz.network.presets import PRESETS, preset
from cnnviz.training.budget import check_budget
from cnnviz.training.engine import TrainConfig
from cnnviz.training.jobs import TrainingJob
from cnnviz.training.progress import State

from command_line import run_cli

TWELVE_BIG_CONVS = ", ".join(["conv 256 7, relu"] * 12 + ["flatten"])
WIDE_DENSE = ", ".join(["flatten", *["linear 4096"] * 38])


@pytest.mark.parametrize(
    ("layers", "named"),
    [(TWELVE_BIG_CONVS, "layer 3 (conv 256 7)"), (WIDE_DENSE, "layer 2 (linear 4096)"), ("flatten", None)],
)
def test_the_budget_names_the_layer_that_breaks_it(layers, named):
    architecture = Architecture(parse_layers(layers), DIGITS)
    if named is None:
        check_budget(architecture)  # a small network passes
        return
    with pytest.raises(LayerError) as refused:
        check_budget(architecture)
    assert str(refused.value).startswith(named) and len(str(refused.value).splitlines()) == 1


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_fits_the_budget(name):
    check_budget(preset(name, (*DIGITS, "not a digit")))


def test_train_layers_refuses_a_network_over_budget_in_one_sentence(tmp_path):
    result = run_cli("train", "--layers", TWELVE_BIG_CONVS, "--dry-run", "--out", tmp_path / "x.safetensors")
    assert (
        result.returncode == 2 and "layer 3 (conv 256 7)" in result.stderr and "million multiply-adds" in result.stderr
    )
    assert not (tmp_path / "x.safetensors").exists()


def test_a_training_job_refuses_a_network_over_budget_before_any_work():
    with pytest.raises(LayerError, match="layer 2 \\(linear 4096\\)"):
        TrainingJob(
            lambda: None, Architecture(parse_layers(WIDE_DENSE), DIGITS), TrainConfig(), torch.zeros(1, 1, 28, 28)
        )


def test_stop_ends_a_run_in_the_middle_of_a_batch():
    digits = load_offline_sample()
    job = TrainingJob(
        lambda: digits, preset("modern", DIGITS), TrainConfig(epochs=1, batch_size=256), digits.images[:1, None].float()
    )
    passes = []

    def press_stop_in_the_third_batch(module, inputs, output):
        if module.training:
            passes.append(1)
            if len(passes) == 3:  # the first layer of the third batch
                job.stop()

    job.start(paused=True)
    while getattr(job, "model", None) is None:  # built by the worker; it waits, paused, before the first batch
        job.join(0.05)
    job.model[0].register_forward_hook(press_stop_in_the_third_batch)
    job.resume()
    assert job.join(120)
    assert job.progress().state == State.STOPPED
    assert job.progress().step == 2  # the third batch never finished: no update after Stop
