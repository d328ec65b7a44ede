"""The Train page, run headless with AppTest: start, step, stop, busy cap, and handing the model to Explore."""

import json

import pytest
import torch
from safetensors.torch import save
from streamlit.testing.v1 import AppTest

from cnnviz.data.mnist import load_offline_sample
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.training import checkpoints
from cnnviz.training.engine import EpochEnd, TrainConfig
from cnnviz.training.jobs import TrainingJob
from cnnviz.training.progress import Progress, State
from harness.app import ROOT
from harness.waiting import wait_until
from ui import state

TIMEOUT = 120


def train_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "train.py"), default_timeout=TIMEOUT).run()
    at.sidebar.radio[-1].set_value("sample")  # the offline sample: no download attempt
    at.sidebar.slider[-1].set_value(2)  # epochs
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def poll(at: AppTest, until, timeout: float = 60.0) -> None:
    """Rerun the page (as the live fragment would) until until(at) holds."""
    wait_until(lambda: until(at.run()), timeout, 0.1, "the page never showed it")


def progress_text(at: AppTest) -> str:
    bars = at.get("progress")
    return bars[0].proto.text if bars else ""


@pytest.fixture
def page():
    at = train_page()
    yield at
    job = at.session_state["training_job"] if "training_job" in at.session_state else None
    if job is not None:
        job.stop()
        job.join(timeout=5)


def test_page_runs_with_every_control(page):
    assert not page.exception
    assert [b.label for b in page.main.button] == ["Start", "Pause", "Resume", "Step", "Stop", "Reset"]
    assert [b.label for b in page.sidebar.button] == ["Overfit on purpose", "Regularised", "Defaults"]
    assert not button(page, "Start").disabled and button(page, "Stop").disabled


def test_start_a_few_steps_then_stop(page):
    button(page, "Start").click().run()
    assert not page.exception
    poll(page, lambda at: "batch" in progress_text(at) and at.session_state["training_job"].progress().step >= 5)
    assert button(page, "Start").disabled and not button(page, "Stop").disabled
    assert any("offline MNIST sample" in c.value for c in page.caption)
    assert len(page.get("plotly_chart")) >= 4  # loss, filters, probe answer, probe maps, gradients
    button(page, "Stop").click().run()
    job = page.session_state["training_job"]
    assert job.join(timeout=1) and job.progress().state == State.STOPPED
    assert not button(page, "Start").disabled
    assert any(b.label == "Use in Explore" for b in page.button)


def test_step_trains_one_batch_at_a_time(page):
    button(page, "Step").click().run()
    poll(
        page,
        lambda at: (
            at.session_state["training_job"].progress().state == State.PAUSED
            and at.session_state["training_job"].progress().step == 1
            and not button(at, "Step").disabled  # the run drew the pause too (the job may pause just after it)
        ),
    )
    button(page, "Step").click().run()
    assert page.session_state["training_job"].progress().step == 2
    assert not button(page, "Resume").disabled and button(page, "Pause").disabled


def test_trained_model_becomes_selectable_in_explore(page):
    page.sidebar.slider[-1].set_value(1).run()  # one epoch: the hand-over is the same after any number
    button(page, "Start").click().run()
    poll(page, lambda at: not at.session_state["training_job"].progress().active, timeout=300)
    assert not page.exception
    assert any(b.label == "Download the weights (.safetensors)" for b in page.get("download_button"))
    button(page, "Use in Explore").click().run()
    models = page.session_state["session_models"]
    assert len(models) == 1 and next(iter(models)).startswith("Trained here: modern, 1 epoch")
    assert page.session_state["model"] == next(iter(models))


def test_a_full_server_puts_the_run_in_line_and_says_where():
    from ui.jobs import job_registry

    registry = job_registry()  # cached per process: the same registry the page runs use here
    digits = load_offline_sample()

    def hog():
        return TrainingJob(
            lambda: digits, ModelConfig(conv_channels=(4,)), TrainConfig(epochs=30), torch.zeros(1, 1, 28, 28)
        )

    hogs = [registry.start(f"hog{n}", hog, paused=True) for n in range(registry.max_jobs - registry.running())]
    try:
        at = train_page()
        button(at, "Start").click().run()
        assert not at.exception
        line = next(i.value for i in at.info if i.value.startswith("Waiting for a free training slot"))
        assert "number 1 in line" in line and "It starts by itself" in line
        job = at.session_state["training_job"]
        assert job.progress().state == State.WAITING
        button(at, "Stop").click().run()  # leaving the line
        assert job.progress().state == State.STOPPED and registry.place(job) is None
    finally:
        for job in hogs:
            job.stop()
            job.join(timeout=5)


def test_uploaded_weights_open_in_explore_and_pickles_are_refused():
    at = AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=TIMEOUT).run()
    small = build_model(ModelConfig(conv_channels=(8, 16)), seed=0).eval()
    weights = lambda: at.file_uploader(key="weights_file")  # noqa: E731 - elements belong to one run: look it up each time
    weights().set_value(("mine.safetensors", checkpoints.to_bytes(small), "application/octet-stream")).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="model").value == "Opened: mine.safetensors"
    at.session_state["view_tabs"] = "Filters"
    at.run()
    assert any(
        "The filters of the first convolution: 8 of 5 x 5 weights" in chart.proto.spec
        for chart in at.get("plotly_chart")
    )
    weights().set_value(("evil.pt", b"\x80\x04\x95" + b"\0" * 40, "application/octet-stream")).run()
    assert not at.exception
    assert "not a safetensors weights file" in at.error[0].value
    mismatched = save(dict(small.state_dict()), metadata={"cnnviz_config": json.dumps(ModelConfig().to_dict())})
    weights().set_value(("mismatched.safetensors", mismatched, "application/octet-stream")).run()
    assert "conv1.weight has shape [8, 1, 5, 5], expected [16, 1, 5, 5]" in at.error[0].value
    assert at.selectbox(key="model").value == "Opened: mine.safetensors", "the good model stays selected"


def preset_gap(preset: str) -> tuple[float, EpochEnd]:
    """Train with a preset from the page (offline digits) to its end; (validation - training loss, last epoch)."""
    at = AppTest.from_file(str(ROOT / "pages" / "train.py"), default_timeout=TIMEOUT).run()
    button(at, preset).click().run()
    at.sidebar.radio[-1].set_value("sample").run()
    button(at, "Start").click().run()
    job = at.session_state["training_job"]
    assert job.join(timeout=240), "the preset's run did not finish"
    last = job.progress().epochs[-1]
    return last.val_loss - last.train_loss, last


def test_overfitting_preset_opens_a_gap_and_the_regularised_one_narrows_it():
    overfit_gap, overfit = preset_gap("Overfit on purpose")
    regularised_gap, regularised = preset_gap("Regularised")
    assert overfit.epoch == regularised.epoch == 40
    assert overfit.train_accuracy == 1.0 and overfit.train_loss < 0.01  # 100 digits memorised
    assert overfit_gap > 0.5 and overfit.train_accuracy - overfit.val_accuracy > 0.1
    assert regularised_gap < overfit_gap / 2
    assert regularised.val_accuracy > overfit.val_accuracy


def test_the_comparison_labels_each_run_with_its_own_settings():
    def finished(label: str, rate: float, seed: int, accuracy: float):
        job = TrainingJob(
            load_offline_sample, ModelConfig(), TrainConfig(learning_rate=rate, seed=seed), None, label=label
        )
        epochs = [EpochEnd(e, 0.5, 0.8, 0.4, accuracy - 0.1 / e, 1.0) for e in (1, 2)]
        progress = Progress(state=State.FINISHED, epochs=epochs)
        return job, progress

    at = AppTest.from_file(str(ROOT / "pages" / "train.py"), default_timeout=TIMEOUT)
    at.session_state[state.RUNS] = [finished("modern", 0.03, 0, 0.97), finished("modern", 0.001, 0, 0.9)]
    at.run()  # the sidebar's own learning rate (its default) is neither run's
    assert not at.exception
    compared = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "compare" in c.proto.id)
    names = [trace["name"] for trace in compared["data"] if trace.get("showlegend")]
    assert names == ["Run 1 (modern, learning rate 0.03)", "Run 2 (modern, learning rate 0.001)"]
    story = next(c.value for c in at.caption if c.value.startswith("Best on validation digits"))
    assert "Run 1 (modern, learning rate 0.03) with 92.0%" in story.replace("\\", "")
