"""Questions and answers (cnnviz/classroom/questions.py, answers.py): every question has one right answer taken from
the network's own numbers, "not a digit" among the choices wherever the model can say it and right when it does,
and "Vote again" keeps both votes."""

from pathlib import Path

import pytest

from cnnviz.classroom.questions import KINDS, Question, make_question
from cnnviz.classroom.records import ClassError
from cnnviz.insight.verdict import verdict
from cnnviz.network.capture import ActivationCapture
from cnnviz.network.classes import NOT_A_DIGIT
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training.checkpoints import LENET_WEIGHTS, load_bundled
from harness.classroom import smiley_png

SAMPLES = Path(__file__).resolve().parents[2] / "assets" / "samples"
DIGIT = Question("digit", "Which digit?", (*"0123456789", NOT_A_DIGIT), 10, "It reads no digit.")


def asked_about(image: bytes, weights=None):
    model = load_bundled() if weights is None else load_bundled(path=weights)
    prepared = preprocess_bytes(image)
    return model, ActivationCapture(model)(prepared.tensor)


@pytest.mark.parametrize("weights", [None, LENET_WEIGHTS], ids=["modern", "lenet5"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_question_has_one_right_answer_computed_from_the_network(kind, weights):
    model, activations = asked_about((SAMPLES / "digit_7_pen.png").read_bytes(), weights)
    question = make_question(kind, model, activations)
    assert 2 <= len(question.choices) == len(set(question.choices)) and 0 <= question.correct < len(question.choices)
    if kind == "digit":
        assert question.choices[question.correct] == "7"
        assert (NOT_A_DIGIT in question.choices) == (model.classes[-1] == NOT_A_DIGIT)
    if kind == "pool":
        window = [float(v) for v in question.prompt.split("holds ")[1].split(". Which")[0].split(", ")]
        expected = max(window) if "Max" in question.prompt else sum(window) / len(window)
        assert float(question.choices[question.correct]) == pytest.approx(expected, abs=0.011)
    if kind == "map":
        assert len(question.pictures) == len(question.choices)


def test_a_smiley_is_asked_with_not_a_digit_and_that_is_the_networks_answer():
    model, activations = asked_about(smiley_png())
    assert verdict(activations["probabilities"], model.classes).kind == NOT_A_DIGIT  # as Explore's headline says
    question = make_question("digit", model, activations)
    assert question.choices[-1] == NOT_A_DIGIT and question.choices[question.correct] == NOT_A_DIGIT
    assert question.explanation.startswith("The network reads no digit")


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("digit_*")))
def test_the_right_answer_is_what_explore_says(sample):
    model, activations = asked_about((SAMPLES / sample).read_bytes())
    said = verdict(activations["probabilities"], model.classes)
    question = make_question("digit", model, activations)
    expected = NOT_A_DIGIT if said.kind == NOT_A_DIGIT else said.best
    assert question.choices[question.correct] == expected


def test_vote_again_keeps_the_first_vote_and_opens_a_second(classes):
    started = classes.start()
    ana, ben = classes.join(started.code, "Ana").id, classes.join(started.code, "Ben").id
    asked = classes.ask(started.code, started.secret, DIGIT)
    classes.answer(started.code, ana, asked, 3)
    classes.answer(started.code, ben, asked, 10)
    classes.vote_again(started.code, started.secret, asked)
    assert classes.snapshot(started.code).asked.round == 2 and classes.snapshot(started.code).answered == 0
    classes.answer(started.code, ana, asked, 10)
    classes.answer(started.code, ana, asked, 10)  # changed to the same: still one
    first, second = classes.tally(asked)
    assert first[3] == 1 and first[10] == 1 and second[10] == 1 and sum(second) == 1
    assert classes.mine(asked, ana) == [3, 10] and classes.mine(asked, ben) == [10, None]
    with pytest.raises(ClassError, match="second vote"):
        classes.vote_again(started.code, started.secret, asked)
    classes.reveal(started.code, started.secret, asked)
    with pytest.raises(ClassError, match="revealed"):
        classes.answer(started.code, ben, asked, 10)
    with pytest.raises(ClassError, match="Only the class's teacher"):
        classes.vote_again(started.code, ana, asked)
