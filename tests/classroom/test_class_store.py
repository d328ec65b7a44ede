"""A class in its database: join codes, teacher-only controls, one answer per student, the reveal, the end, expiry."""

import threading
import time

import pytest

from cnnviz.classroom import store as store_module
from cnnviz.classroom.codes import ALPHABET, clean_code, new_code
from cnnviz.classroom.questions import KINDS, Question, make_question
from cnnviz.classroom.store import ClassError, ClassStore, clean_nickname
from cnnviz.network.capture import ActivationCapture
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training.checkpoints import LENET_WEIGHTS, load_bundled
from harness.app import ROOT

DIGIT = Question("digit", "Which digit?", tuple("0123456789"), 7, "It says 7.")


@pytest.fixture
def classes(tmp_path):
    return ClassStore(f"sqlite:///{tmp_path / 'classes.sqlite3'}")


def test_codes_are_six_or_more_unambiguous_characters_and_typing_is_forgiven():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) >= 6 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("O0I1") & set(ALPHABET)
    assert clean_code(" abc-dE2 ") == "ABCDE2"
    assert (
        clean_code("ABCDE1") is None
        and clean_code("") is None
        and clean_code(None) is None
        and clean_code("A" * 50) is None
    )


def test_a_student_answers_and_may_change_it_until_the_reveal(classes):
    code, token = classes.start()
    students = [classes.join(code, f"pupil {n}") for n in range(3)]
    asked = classes.ask(code, token, DIGIT)
    for student, choice in zip(students, (7, 7, 1)):
        classes.answer(code, student, asked, choice)
    classes.answer(code, students[2], asked, 4)  # changed their mind: still one answer each
    assert classes.tally(asked) == [0, 0, 0, 0, 1, 0, 0, 2, 0, 0]
    assert classes.my_answer(asked, students[2]) == 4
    classes.reveal(code, token, asked)
    with pytest.raises(ClassError, match="revealed"):
        classes.answer(code, students[0], asked, 3)
    assert classes.current(code).revealed and classes.current(code).question == DIGIT


def test_only_the_teachers_token_asks_reveals_and_ends(classes):
    code, token = classes.start()
    student = classes.join(code)
    for action in (
        lambda: classes.ask(code, student, DIGIT),
        lambda: classes.ask(code, "", DIGIT),
        lambda: classes.reveal(code, "guess", 1),
        lambda: classes.end(code, student),
    ):
        with pytest.raises(ClassError, match="Only the teacher"):
            action()
    assert classes.is_teacher(code, token) and not classes.is_teacher(code, student)


@pytest.mark.parametrize("choice", [-1, 10, "3", 2.0, True, None])
def test_answers_that_are_not_a_choice_are_refused(classes, choice):
    code, token = classes.start()
    student = classes.join(code)
    asked = classes.ask(code, token, DIGIT)
    with pytest.raises(ClassError, match="not one of the choices"):
        classes.answer(code, student, asked, choice)


def test_an_old_question_or_a_stranger_cannot_be_answered(classes):
    code, token = classes.start()
    other, _ = classes.start()
    student = classes.join(code)
    first = classes.ask(code, token, DIGIT)
    classes.ask(code, token, DIGIT)
    with pytest.raises(ClassError, match="closed"):
        classes.answer(code, student, first, 7)
    with pytest.raises(ClassError, match="Join the class"):
        classes.answer(other, student, first, 7)
    with pytest.raises(ClassError, match="no class"):
        classes.join("ZZZZZZ")


def test_ending_deletes_everything_and_students_are_told(classes):
    code, token = classes.start()
    student = classes.join(code, "Ana")
    asked = classes.ask(code, token, DIGIT)
    classes.answer(code, student, asked, 7)
    classes.end(code, token)
    assert classes.status(code) == "ended"
    assert classes.current(code) is None and classes.students(code) == 0 and classes.tally(asked) == []
    with pytest.raises(ClassError, match="ended"):
        classes.join(code)


def test_classes_older_than_a_day_are_deleted(classes, monkeypatch):
    code, _ = classes.start()
    later = time.time() + store_module.LIFETIME + 60
    assert classes.expire(now=later) == 1
    assert classes.status(code) == "unknown"


def test_nicknames_are_kept_short_and_printable():
    assert clean_nickname("<b>Ana</b>\u200b\n" + "x" * 10_000) == "<b>Ana</b>" + "x" * 20
    assert clean_nickname(None) == ""


def test_a_class_cannot_be_filled_beyond_its_cap(classes, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_STUDENTS", 3)
    code, _ = classes.start()
    for _ in range(3):
        classes.join(code)
    with pytest.raises(ClassError, match="full"):
        classes.join(code)


def test_sixty_students_answering_at_once_are_all_counted(classes):
    code, token = classes.start()
    students = [classes.join(code) for _ in range(60)]
    asked = classes.ask(code, token, DIGIT)
    errors = []

    def answer(student, choice):
        try:
            ClassStore(classes.url).answer(code, student, asked, choice)  # a store per thread, as replicas have
        except Exception as error:  # noqa: BLE001 - any failure is the test's finding
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(s, n % 10)) for n, s in enumerate(students)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(classes.tally(asked)) == 60


@pytest.mark.parametrize("weights", [None, LENET_WEIGHTS], ids=["modern", "lenet5"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_question_has_one_right_answer_computed_from_the_network(kind, weights):
    model = load_bundled() if weights is None else load_bundled(path=weights)
    image = preprocess_bytes((ROOT / "assets/samples/digit_7_pen.png").read_bytes())
    activations = ActivationCapture(model)(image.tensor)
    question = make_question(kind, model, activations)
    assert 2 <= len(question.choices) == len(set(question.choices)) and 0 <= question.correct < len(question.choices)
    if kind == "digit":
        assert question.choices[question.correct] == "7"
    if kind == "pool":
        window = [float(v) for v in question.prompt.split("holds ")[1].split(". Which")[0].split(", ")]
        expected = max(window) if "Max" in question.prompt else sum(window) / len(window)
        assert float(question.choices[question.correct]) == pytest.approx(expected, abs=0.011)
    if kind == "map":
        assert len(question.pictures) == len(question.choices)
