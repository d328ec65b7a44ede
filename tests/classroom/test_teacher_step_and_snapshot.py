"""What pages follow (cnnviz/classroom/following.py): the teacher's step, kept as a small record any page may publish,
and the snapshot every page polls: a revealed question stays until the teacher moves on, the teacher's absence
shows, and a page redraws only when what it shows changed."""

from dataclasses import replace

import pytest

from cnnviz.classroom.following import check_step
from cnnviz.classroom.questions import Question
from cnnviz.classroom.records import TEACHER_AWAY, ClassError, Step
from cnnviz.classroom.store import ClassStore

DIGIT = Question("digit", "Which digit?", tuple("0123456789"), 7, "It says 7.")
STEP = Step("present", "3", 3, 9, "The filters it learned", bytes(range(256)) * 3 + bytes(16), "Bundled model")


def test_a_step_is_kept_whole_and_its_place_reads_n_of_m(classes):
    started = classes.start()
    assert classes.snapshot(started.code).step is None
    classes.publish(started.code, started.secret, STEP)
    assert classes.snapshot(started.code).step == STEP and STEP.place == "3 / 9 · The filters it learned"
    lesson = Step("lesson", "cnn-basics/4", 4, 12, "Why pooling")  # another page's step: no picture, no model
    classes.publish(started.code, started.secret, lesson)
    assert classes.snapshot(started.code).step == lesson


@pytest.mark.parametrize(
    "bad",
    [
        Step("Present!", "1", 1, 2, "x"),
        Step("present", "1", 3, 2, "x"),
        Step("present", "1", 0, 2, "x"),
        Step("present", "1", True, 2, "x"),
        Step("present", "1", 1, 2, "x" * 121),
        Step("present", "k" * 41, 1, 2, "x"),
        Step("present", "1", 1, 2, "x", b"tiny"),
        Step("lesson", "1", 1, 2, "x", view="v" * 41),
        "present:1",
    ],
)
def test_a_step_a_class_cannot_keep_is_refused(classes, bad):
    with pytest.raises(ClassError):
        check_step(bad)
    started = classes.start()
    with pytest.raises(ClassError):
        classes.publish(started.code, started.secret, bad)


def test_only_the_teacher_moves_the_class(classes):
    started = classes.start()
    student = classes.join(started.code).id
    with pytest.raises(ClassError, match="Only the class's teacher"):
        classes.publish(started.code, student, STEP)


def test_a_revealed_question_stays_until_the_teacher_moves_on(tmp_path, clock):
    classes = ClassStore(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock=clock)
    started = classes.start()
    classes.publish(started.code, started.secret, STEP)
    asked = classes.ask(started.code, started.secret, DIGIT)
    clock.now += 1
    classes.reveal(started.code, started.secret, asked)
    assert classes.snapshot(started.code).showing.revealed
    clock.now += 1
    before = classes.snapshot(started.code).version()
    classes.publish(started.code, started.secret, Step("present", "4", 4, 9, "How one number is computed"))
    seen = classes.snapshot(started.code)
    assert seen.showing is None and seen.asked.id == asked and seen.version() != before
    classes.close()


def test_the_same_step_showing_its_answer_keeps_the_reveal_and_phones_redraw(tmp_path, clock):
    classes = ClassStore(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock=clock)
    started = classes.start()
    predicting = Step("lesson", "reading:dense", 7, 12, "The dense layer", view="predict image")
    classes.publish(started.code, started.secret, predicting)
    asked = classes.ask(started.code, started.secret, DIGIT)
    clock.now += 1
    classes.reveal(started.code, started.secret, asked)
    before = classes.snapshot(started.code).version()
    clock.now += 1
    classes.publish(started.code, started.secret, replace(predicting, view="decision"))  # its answer shown
    seen = classes.snapshot(started.code)
    assert seen.step.view == "decision" and seen.showing.id == asked and seen.version() != before
    clock.now += 1
    classes.publish(started.code, started.secret, replace(predicting, number=8, key="reading:softmax"))
    assert classes.snapshot(started.code).showing is None  # a move to another step leaves the reveal behind
    classes.close()


def test_students_see_when_the_teacher_is_away_and_counts_do_not_redraw_the_page(tmp_path, clock):
    classes = ClassStore(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock=clock)
    started = classes.start()
    assert classes.snapshot(started.code).teacher_here
    drawn = classes.snapshot(started.code).version()
    classes.join(started.code, "Ana")  # a count changes: the page's poll updates it without a redraw
    assert classes.snapshot(started.code).version() == drawn
    clock.now += TEACHER_AWAY + 1
    assert not classes.snapshot(started.code).teacher_here
    classes.heartbeat(started.code, started.secret)
    assert classes.snapshot(started.code).teacher_here
    classes.close()
