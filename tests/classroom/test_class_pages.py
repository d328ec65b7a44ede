"""The class pages with AppTest: every kind of question asked from every Present stage, a student's answers over two
votes, the reveal, the end; a reload on either side finds the class again; students follow the teacher's step and
wait for an absent teacher; the teacher sees who is in, locks the door and removes a student."""

import time

import pytest

from cnnviz.classroom.questions import KINDS
from cnnviz.classroom.records import TEACHER_AWAY
from harness.classroom import smiley_png
from ui import state

from page_support import choose_source, joined, page, press, shown

pytestmark = pytest.mark.usefixtures("own_class_database")


def start_class():
    at = press(page("present", stage=1), "Start a class")
    code, secret, pin = at.session_state[state.TEACHING_CLASS]
    assert any(f"Join: {code}" in m.value for m in at.markdown)
    return at, code


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_question_can_be_asked_at_every_stage_and_a_student_answers_it(kind):
    teacher, code = start_class()
    student = joined(code)
    assert f"You are in class {code}" in shown(student)
    stages = len(teacher.segmented_control(key=state.STAGE).options)
    for stage in range(1, stages + 1):
        teacher.segmented_control(key=state.STAGE).set_value(stage).run()
        teacher.selectbox(key=state.CLASS_KIND).set_value(kind).run()
        press(teacher, "Ask the class")
    student.run()
    assert f"{stages} / {stages} · " in shown(student)  # the student follows the teacher's last stage
    choice = next(b for b in student.button if b.key and b.key.startswith("answer_"))
    choice.click().run()
    assert not student.exception and "Your answer" in shown(student)
    teacher.run()
    assert "1 joined · 1 answered" in shown(teacher)
    press(teacher, "Reveal")
    assert any(m.value.startswith("**The network:") for m in teacher.markdown)
    student.run()
    assert "You chose" in shown(student)


def test_a_non_digit_is_asked_with_not_a_digit_and_the_reveal_names_no_digit():
    explore = page("explore", run=False)
    explore.run()
    choose_source(explore, "Upload")
    explore.file_uploader[0].set_value(("smiley.png", smiley_png(), "image/png")).run()
    assert "no digit" in shown(explore)
    teacher = page("present", run=False, stage=1)
    teacher.session_state[state.IMAGE] = explore.session_state[state.IMAGE]
    teacher.run()
    press(teacher, "Start a class")
    code = teacher.session_state[state.TEACHING_CLASS][0]
    student = joined(code)
    press(teacher, "Ask the class")
    student.run()
    assert "not a digit" in [b.label for b in student.button]
    next(b for b in student.button if b.label == "8").click().run()
    press(teacher.run(), "Reveal")
    assert "**The network: not a digit.** The network reads no digit" in shown(teacher)
    student.run()
    assert "You chose 8; the network: not a digit." in shown(student)
    assert "8: right" not in shown(student) and "as the network did" not in shown(student)


def test_vote_again_then_the_reveal_shows_both_votes():
    teacher, code = start_class()
    student = joined(code, "Ana")
    press(teacher, "Ask the class")
    student.run()
    press(student, "3")
    press(teacher.run(), "Vote again")
    student.run()
    assert "Second vote" in shown(student) and "The first time you chose 3" in shown(student)
    press(student, "7")
    press(teacher.run(), "Reveal")
    student.run()
    assert "You chose: first vote 3, second vote 7" in shown(student)


def test_a_student_cannot_see_the_teachers_controls_and_the_end_reaches_them():
    teacher, code = start_class()
    student = joined(code)
    assert not [b for b in student.button if b.label in ("Ask the class", "Reveal", "End the class", "Vote again")]
    press(teacher, "End the class")
    student.run()
    assert any("This class has ended" in i.value for i in student.info)


def test_a_reload_finds_the_class_again_on_both_sides(monkeypatch):
    teacher, code = start_class()
    _, secret, pin = teacher.session_state[state.TEACHING_CLASS]
    student = joined(code, "Ana")
    seat = student.session_state[state.STUDENT]
    browsers = {"projector": {"cnnviz_teacher": f"{code}.{secret}.{pin}"}, "phone": {"cnnviz_student": ".".join(seat)}}
    monkeypatch.setattr(state, "cookie", lambda name: browsers["projector"].get(name))  # what its browser sends
    again = page("present", stage=1)
    assert "Ask the class" in [b.label for b in again.button] and "Start a class" not in [b.label for b in again.button]
    assert f"**Class {code}** · 1 joined" in shown(again)  # no press needed
    monkeypatch.setattr(state, "cookie", lambda name: browsers["phone"].get(name))
    reloaded = page("class", **{"class": code})
    assert f"You are in class {code} as Ana (#1)" in shown(reloaded)
    assert "1 joined" in shown(again.run())


def test_students_follow_the_teachers_step_and_wait_when_the_teacher_is_away():
    from ui.classroom import class_store

    teacher, code = start_class()
    student = joined(code)
    teacher.segmented_control(key=state.STAGE).set_value(3).run()
    assert "3 / " in shown(student.run())
    later = time.time() + TEACHER_AWAY + 5
    class_store().clock = lambda: later  # the teacher's page has said nothing since
    assert "Waiting for the teacher" in shown(student.run()) and "3 / " not in shown(student)


def test_the_teacher_sees_who_is_in_locks_the_door_and_removes_a_student():
    teacher, code = start_class()
    ana = joined(code, "Ana")
    joined(code)
    dashboard = page("class", run=False)
    dashboard.session_state[state.TEACHING_CLASS] = teacher.session_state[state.TEACHING_CLASS]
    dashboard.run()
    assert "**#1** Ana" in shown(dashboard) and "**#2** *no nickname*" in shown(dashboard)
    dashboard.toggle[0].set_value(True).run()
    late = page("class", **{"class": code})
    assert "closed to new students" in " ".join(e.value for e in press(late, "Join").error)
    next(b for b in dashboard.button if b.key == "remove_1").click().run()
    assert "Ana" not in shown(dashboard)
    assert "no longer in this class" in shown(ana.run())


def test_a_nickname_with_markdown_is_shown_literally_and_a_bad_code_gets_one_sentence():
    student = page("class", **{"class": "NOPE"})
    student.text_input[0].set_value("ZZZZZZ").run()
    press(student, "Join")
    assert [e.value for e in student.error] == ["There is no running class with that code: check it with your teacher."]


def test_the_pin_takes_the_class_back_on_another_device():
    teacher, code = start_class()
    pin = teacher.session_state[state.TEACHING_CLASS][2]
    other = page("class")
    other.text_input(key=state.TAKE_BACK_CODE).set_value(code.lower())
    other.text_input(key=state.TAKE_BACK_PIN).set_value(pin)
    press(other, "Take the class back")
    assert other.session_state[state.TEACHING_CLASS][0] == code
    present = page("present", run=False, stage=1)
    present.session_state[state.TEACHING_CLASS] = other.session_state[state.TEACHING_CLASS]
    present.run()
    assert "Ask the class" in [b.label for b in present.button]


def test_a_students_image_reaches_the_teachers_gallery_and_opens_in_explore():
    from ui.classroom import class_store

    teacher, code = start_class()
    student = class_store().join(code, "<img src=x>").id
    explore = page("explore", run=False)
    explore.session_state[state.STUDENT] = (code, student)
    explore.run()
    press(explore, "Send this image to the class gallery")
    assert len(class_store().gallery(code)) == 1
    dashboard = page("class", run=False)
    dashboard.session_state[state.TEACHING_CLASS] = teacher.session_state[state.TEACHING_CLASS]
    dashboard.run()
    assert any(c.value.startswith("\\<img src=x\\>: 3") or "img src=x" in c.value for c in dashboard.caption)
    next(b for b in dashboard.button if b.label == "Delete").click().run()
    assert class_store().gallery(code) == []


def test_a_students_run_reaches_the_teacher_sorted_and_opens_in_explore():
    from cnnviz.classroom.runs import run_summary
    from cnnviz.training.checkpoints import load_bundled, to_bytes
    from cnnviz.training.engine import EpochEnd, TrainConfig
    from ui.classroom import class_store

    teacher, code = start_class()
    for name, accuracy in (("Ana", 0.91), ("Ben", 0.97)):
        student = class_store().join(code, name).id
        epochs = [
            EpochEnd(1, 0.5, accuracy - 0.05, 0.6, accuracy - 0.1, 1.0),
            EpochEnd(2, 0.3, accuracy, 0.4, accuracy, 1.0),
        ]
        class_store().send_run(
            code, student, run_summary("lenet5", TrainConfig(epochs=2), epochs), to_bytes(load_bundled())
        )
    dashboard = page("class", run=False)
    dashboard.session_state[state.TEACHING_CLASS] = teacher.session_state[state.TEACHING_CLASS]
    dashboard.run()
    table = dashboard.dataframe[0].value
    assert list(table["student"]) == ["Ben", "Ana"] and list(table["validation accuracy"]) == ["97.0%", "91.0%"]
    next(b for b in dashboard.button if b.label == "Open in Explore").click().run()  # then switches to Explore
    assert dashboard.session_state[state.MODEL].startswith("Class run: Ben")
