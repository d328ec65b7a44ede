"""Who is in a class (cnnviz/classroom/membership.py, nicknames.py): joining once, found again after a reload,
nicknames nobody else's looks like, "teacher" kept for the teacher, the door locked, a student removed with all
they gave, the class taken back with the PIN."""

import pytest

from cnnviz.classroom.membership import NO_CLASS, RESERVED, TAKEN
from cnnviz.classroom.nicknames import clean_nickname, is_reserved, nickname_key
from cnnviz.classroom.questions import Question
from cnnviz.classroom.records import ClassError

DIGIT = Question("digit", "Which digit?", tuple("0123456789"), 7, "It says 7.")


def test_a_student_found_again_after_a_reload_is_counted_once(classes):
    started = classes.start()
    me = classes.join(started.code, "Ana")
    assert classes.member(started.code, me.id) == me  # what a reloaded page looks up with its cookie
    assert classes.snapshot(started.code).students == 1
    assert classes.member(started.code, "someone else") is None and classes.member("ZZZZZZ", me.id) is None


def test_nicknames_are_kept_short_and_printable():
    assert clean_nickname("<b>Ana</b>\u200b\n" + "x" * 10_000) == "<b>Ana</b>" + "x" * 20
    assert clean_nickname(None) == ""


@pytest.mark.parametrize(
    "alike",
    ["Sam", "sam", "SAM", " Sam ", "Ѕam", "Ｓａｍ", "S\u0301am"],
    ids=["itself", "lower case", "capitals", "spaces", "a Cyrillic S", "full-width", "an accent"],
)
def test_two_nicknames_that_look_the_same_cannot_both_join(classes, alike):
    started = classes.start()
    classes.join(started.code, "Sam")
    with pytest.raises(ClassError) as refused:
        classes.join(started.code, alike)
    assert str(refused.value) == TAKEN
    assert classes.snapshot(started.code).students == 1  # a refused join takes no place


def test_letters_that_look_alike_count_as_one():
    assert nickname_key("Iris") == nickname_key("lris") == nickname_key("1ris")
    assert nickname_key("Otto") == nickname_key("0tto")
    assert nickname_key("Ana") != nickname_key("Anna") and nickname_key("Sam") != nickname_key("Tom")


@pytest.mark.parametrize(
    "name", ["Teacher", "teacher", "Tеacher", "Ｔｅａｃｈｅｒ", "Mr Teacher", "t e a c h e r", "TEACHER1"]
)
def test_teacher_is_kept_for_the_teacher_however_it_is_spelt(classes, name):
    assert is_reserved(clean_nickname(name))
    started = classes.start()
    with pytest.raises(ClassError) as refused:
        classes.join(started.code, name)
    assert str(refused.value) == RESERVED


def test_many_students_may_go_without_a_nickname_and_are_told_apart_by_number(classes):
    started = classes.start()
    members = [classes.join(started.code) for _ in range(3)]
    assert [m.number for m in members] == [1, 2, 3] and [m.name for m in members] == [
        "student 1",
        "student 2",
        "student 3",
    ]
    assert [m.number for m in classes.roster(started.code, started.secret)] == [1, 2, 3]


def test_a_locked_class_takes_no_one_new_and_keeps_those_in(classes):
    started = classes.start()
    inside = classes.join(started.code, "Ana")
    classes.lock(started.code, started.secret, True)
    with pytest.raises(ClassError, match="closed to new students"):
        classes.join(started.code, "Ben")
    asked = classes.ask(started.code, started.secret, DIGIT)
    classes.answer(started.code, inside.id, asked, 7)  # those in go on
    classes.lock(started.code, started.secret, False)
    classes.join(started.code, "Ben")
    with pytest.raises(ClassError, match="Only the class's teacher"):
        classes.lock(started.code, inside.id, True)


def test_a_removed_student_leaves_with_their_answers_pictures_and_runs(classes):
    started = classes.start()
    keep, gone = classes.join(started.code, "Ana"), classes.join(started.code, "Ben")
    asked = classes.ask(started.code, started.secret, DIGIT)
    for member in (keep, gone):
        classes.answer(started.code, member.id, asked, 7)
        classes.send_picture(started.code, member.id, bytes(784), "7", 0.9, "digit")
        classes.send_run(started.code, member.id, {"val_accuracy": 0.9}, b"weights")
    assert classes.remove(started.code, started.secret, gone.number) == gone
    assert classes.member(started.code, gone.id) is None
    assert classes.tally(asked) == [[0] * 7 + [1, 0, 0]]
    assert [p.nickname for p in classes.gallery(started.code)] == ["Ana"]
    assert [r.nickname for r in classes.runs(started.code)] == ["Ana"]
    assert classes.snapshot(started.code).students == 1
    with pytest.raises(ClassError, match="not in this class"):
        classes.answer(started.code, gone.id, asked, 3)
    classes.join(started.code, "Ben")  # the name is free again


def test_the_pin_takes_the_class_back_and_a_wrong_one_gets_one_sentence(classes):
    started = classes.start()
    secret = classes.take_back(started.code, started.pin.lower(), session="another device")
    asked = classes.ask(started.code, secret, DIGIT)  # the taken-back session teaches
    classes.reveal(started.code, started.secret, asked)  # and the first tab still does
    with pytest.raises(ClassError, match="do not match") as wrong:
        classes.take_back(started.code, "ABCD-EFGH", session="a guesser")
    with pytest.raises(ClassError) as ended:
        classes.end(started.code, started.secret)
        classes.take_back(started.code, started.pin, session="late")
    assert str(wrong.value) == str(ended.value)


def test_a_wrong_code_and_an_ended_class_get_the_same_sentence(classes):
    started = classes.start()
    classes.end(started.code, started.secret)
    sentences = set()
    for code in ("ZZZZZZ", started.code, "", None, "A" * 50):
        with pytest.raises(ClassError) as refused:
            classes.join(code, "Ana")
        sentences.add(str(refused.value))
    assert sentences == {NO_CLASS}
