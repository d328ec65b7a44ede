"""A class through the store's façade, as the pages use it: join codes, teacher-only controls, one answer per student
and vote, the reveal, the end; many students at once. Each part behind the façade has its own tests in
tests/classroom/."""

import threading

import pytest

from cnnviz.classroom.codes import ALPHABET, clean_code, clean_pin, new_code, new_pin
from cnnviz.classroom.questions import Question
from cnnviz.classroom.records import ClassError
from cnnviz.classroom.store import ClassStore

DIGIT = Question("digit", "Which digit?", tuple("0123456789"), 7, "It says 7.")


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


def test_a_teachers_pin_is_eight_unambiguous_characters_typed_any_way():
    pin = new_pin()
    assert len(pin) == 9 and pin[4] == "-" and set(pin.replace("-", "")) <= set(ALPHABET)
    assert clean_pin(pin.lower().replace("-", " ")) == pin.replace("-", "")
    assert clean_pin("ABCDEF") is None and clean_pin(None) is None


def test_a_student_answers_and_may_change_it_until_the_reveal(classes):
    started = classes.start()
    students = [classes.join(started.code, f"pupil {n}").id for n in range(3)]
    asked = classes.ask(started.code, started.secret, DIGIT)
    for student, choice in zip(students, (7, 7, 1)):
        classes.answer(started.code, student, asked, choice)
    classes.answer(started.code, students[2], asked, 4)  # changed their mind: still one answer each
    assert classes.tally(asked) == [[0, 0, 0, 0, 1, 0, 0, 2, 0, 0]]
    assert classes.mine(asked, students[2]) == [4]
    classes.reveal(started.code, started.secret, asked)
    with pytest.raises(ClassError, match="revealed"):
        classes.answer(started.code, students[0], asked, 3)
    shown = classes.snapshot(started.code).asked
    assert shown.revealed and shown.question == DIGIT


def test_only_the_teachers_secret_or_pin_asks_reveals_and_ends(classes):
    started = classes.start()
    student = classes.join(started.code).id
    for action in (
        lambda: classes.ask(started.code, student, DIGIT),
        lambda: classes.ask(started.code, "", DIGIT),
        lambda: classes.reveal(started.code, "guess", 1),
        lambda: classes.end(started.code, student),
        lambda: classes.end(started.code, new_pin()),
    ):
        with pytest.raises(ClassError, match="Only the class's teacher"):
            action()
    assert classes.is_teacher(started.code, started.secret) and classes.is_teacher(started.code, started.pin)
    assert not classes.is_teacher(started.code, student)


@pytest.mark.parametrize("choice", [-1, 10, "3", 2.0, True, None])
def test_answers_that_are_not_a_choice_are_refused(classes, choice):
    started = classes.start()
    student = classes.join(started.code).id
    asked = classes.ask(started.code, started.secret, DIGIT)
    with pytest.raises(ClassError, match="not one of the choices"):
        classes.answer(started.code, student, asked, choice)


def test_an_old_question_or_a_stranger_cannot_be_answered(classes):
    started, other = classes.start(), classes.start()
    student = classes.join(started.code).id
    first = classes.ask(started.code, started.secret, DIGIT)
    classes.ask(started.code, started.secret, DIGIT)
    with pytest.raises(ClassError, match="closed"):
        classes.answer(started.code, student, first, 7)
    with pytest.raises(ClassError, match="not in this class"):
        classes.answer(other.code, student, first, 7)
    with pytest.raises(ClassError, match="no running class"):
        classes.join("ZZZZZZ")


def test_ending_deletes_everything_and_students_are_told(classes):
    started = classes.start()
    student = classes.join(started.code, "Ana").id
    asked = classes.ask(started.code, started.secret, DIGIT)
    classes.answer(started.code, student, asked, 7)
    classes.end(started.code, started.secret)
    seen = classes.snapshot(started.code)
    assert seen.status == "ended" and seen.asked is None and seen.students == 0 and classes.tally(asked) == []
    assert classes.member(started.code, student) is None
    with pytest.raises(ClassError, match="no running class"):  # the same sentence as for a code never given
        classes.join(started.code)


def test_sixty_students_answering_at_once_are_all_counted(classes):
    started = classes.start()
    students = [classes.join(started.code).id for _ in range(60)]
    asked = classes.ask(started.code, started.secret, DIGIT)
    errors = []

    def answer(student, choice):
        store = ClassStore(classes.url)  # a store per thread, as replicas have
        try:
            store.answer(started.code, student, asked, choice)
        except Exception as error:  # noqa: BLE001 - any failure is the test's finding
            errors.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=answer, args=(s, n % 10)) for n, s in enumerate(students)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(classes.tally(asked)[0]) == 60
