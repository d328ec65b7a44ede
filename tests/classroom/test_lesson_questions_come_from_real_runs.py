"""Every question a lesson asks is answered by a real run on the current model and image, never typed in: the right
choice is the one an independent computation finds, and a different network or image can change it."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.data.handwriting import draw_digit
from cnnviz.insight.verdict import verdict
from cnnviz.lesson import evidence
from cnnviz.lesson.evidence import Evidence, weights_digest
from cnnviz.lesson.questions import QUESTIONS, ask
from cnnviz.network.backprop import RATES
from cnnviz.network.layers import Architecture, parse_layers
from cnnviz.network.model import build_model
from cnnviz.network.presets import PRESETS
from cnnviz.reading.preprocess import preprocess_image
from cnnviz.training.checkpoints import to_bytes


@pytest.fixture(scope="module")
def seven(bundled):
    prepared = preprocess_image(draw_digit(7, 200, seed=1))
    return Evidence(bundled, prepared.tensor, prepared.pixels)


def test_reading_changes_no_weight_and_the_question_says_so(bundled, seven):
    before = {name: tensor.clone() for name, tensor in bundled.state_dict().items()}
    question = ask("unchanged", seven)
    assert question.choices[question.correct].startswith("No")
    assert all(torch.equal(before[name], tensor) for name, tensor in bundled.state_dict().items())
    assert seven.readings.before == seven.readings.after == weights_digest(bundled)


def test_a_changed_weight_changes_the_digest(bundled):
    model = build_model(bundled.config, seed=0)
    model.load_state_dict(bundled.state_dict())
    before = weights_digest(model)
    with torch.no_grad():
        model.layer("conv1").module.weight[0, 0, 0, 0] += 1e-6
    assert weights_digest(model) != before


def test_relu_makes_every_negative_number_zero_and_tanh_does_not(seven):
    assert ask("activation", seven).correct == 0
    lenet = build_model(Architecture(parse_layers(PRESETS["lenet5"]), seven.model.classes), seed=0)
    tanh = Evidence(lenet, seven.image, seven.pixels)
    assert tanh.model.layer(tanh.model.activated("conv1")).title.lower() == "tanh"
    assert ask("activation", tanh).correct == 1  # still negative, only smaller


def test_the_loss_is_minus_the_log_of_the_probability_of_the_second_choice(seven):
    question, found = ask("loss", seven), seven.step[0]
    with torch.no_grad():
        logits = seven.model(seven.image)
    expected = float(F.cross_entropy(logits, torch.tensor([seven.runner_up])))
    assert found.label == seven.runner_up and found.loss == pytest.approx(expected, rel=1e-4)
    assert question.correct == int(np.searchsorted((0.1, 1.0, 3.0), expected, side="right"))


def test_one_step_lowers_this_digits_loss_and_a_big_one_costs_the_other_digits(seven):
    taken = seven.step[1][RATES.index(evidence.STEP_RATE)]
    assert (ask("step", seven).correct == 0) == (taken.loss_after < taken.loss_before)
    before, big = seven.step[2], seven.step[1][RATES.index(evidence.BIG_RATE)].others_accuracy
    assert ask("rate", seven).correct == (1 if before - big > 0.05 else 2 if big - before > 0.05 else 0)


def test_the_nudge_and_the_drawing_that_is_not_a_digit(seven):
    found = seven.nudge
    nudge = ask("nudge", seven)
    assert np.abs(found.perturbation).max() <= found.epsilon + 1e-6
    if found.new_label != found.label:
        assert nudge.correct == int(np.searchsorted((0.05, 0.15), found.epsilon, side="right"))
    else:
        assert nudge.correct == 3
    said = verdict(seven.non_digit[1], seven.model.classes)
    assert ask("not-a-digit", seven).correct == {"digit": 0, "unsure": 1}.get(said.kind, 2)


def test_the_file_size_question_measures_the_file(seven):
    size, pictures = len(to_bytes(seven.model)), evidence.sample_training_digits() * 784
    assert seven.runs.file_bytes == size
    assert ask("file-size", seven).correct == int(np.searchsorted((0.1, 1.0), size / pictures, side="right"))


def test_a_network_without_pooling_is_not_asked_about_pooling(seven):
    strided = build_model(Architecture(parse_layers(PRESETS["strided"]), seven.model.classes), seed=0)
    assert ask("pool", Evidence(strided, seven.image, seven.pixels)) is None


@pytest.mark.slow
def test_every_question_of_both_lessons_has_one_right_choice_from_its_runs(seven):
    """The heavy ones too: three training runs, both bundled designs scored, four shapes taught."""
    for kind in QUESTIONS:
        question = ask(kind, seven)
        assert question is not None, kind
        assert 0 <= question.correct < len(question.choices) and len(set(question.choices)) == len(question.choices)
        assert question.prompt and question.explanation, kind
    runs = evidence.training_runs()
    assert runs.small.gap > runs.large.gap  # 100 digits seen over and over: learnt by heart
    assert runs.large.start_accuracy < 0.3 < runs.large.val_accuracy  # a random start guesses; training reads
    assert ask("overfit", seven).correct == (2 if abs(runs.small.gap - runs.large.gap) < 0.01 else 0)
    assert runs.small.progress.step == runs.large.progress.step == runs.augmented.progress.step == evidence.STEPS
    taught = seven.runs.teaching
    assert len(taught.learned) == 4 and len(taught.held_out) == 36  # one drawing of each shape; nine to score
