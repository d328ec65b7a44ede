"""The class pages with AppTest: every kind of question asked from every Present stage, a student's answer, the end."""

import pytest

from cnnviz.classroom.questions import KINDS
from ui import state

from page_support import page


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    """Each test its own class database (the store is cached per server: cleared around each test)."""
    from ui.classroom import class_store

    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path))
    class_store.clear()
    yield
    class_store.clear()


def start_class():
    at = page("present", stage=1)
    next(b for b in at.button if b.label == "Start a class").click().run()
    code, token = at.session_state[state.TEACHING_CLASS]
    assert any(f"Join: {code}" in m.value for m in at.markdown)
    return at, code


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_question_can_be_asked_at_every_stage_and_a_student_answers_it(kind):
    teacher, code = start_class()
    student = page("class", **{"class": code})
    next(b for b in student.button if b.label == "Join").click().run()
    assert any(f"You are in class {code}" in m.value for m in student.markdown)
    stages = len(teacher.segmented_control(key=state.STAGE).options)
    for stage in range(1, stages + 1):
        teacher.segmented_control(key=state.STAGE).set_value(stage).run()
        teacher.selectbox(key=state.CLASS_KIND).set_value(kind).run()
        next(b for b in teacher.button if b.label == "Ask the class").click().run()
        assert not teacher.exception, (stage, teacher.exception)
    student.run()
    choice = next(b for b in student.button if b.key and b.key.startswith("answer_"))
    choice.click().run()
    assert not student.exception and any("Your answer" in c.value for c in student.caption)
    teacher.run()
    assert any(m.value == "### 1 answer" for m in teacher.markdown)
    next(b for b in teacher.button if b.label == "Reveal").click().run()
    assert not teacher.exception and any(m.value.startswith("**The network:") for m in teacher.markdown)
    student.run()
    assert any("You chose" in m.value for m in student.markdown)


def test_a_student_cannot_see_the_teachers_controls_and_the_end_reaches_them():
    teacher, code = start_class()
    student = page("class", **{"class": code})
    next(b for b in student.button if b.label == "Join").click().run()
    assert not [b for b in student.button if b.label in ("Ask the class", "Reveal", "End the class")]
    next(b for b in teacher.button if b.label == "End the class").click().run()
    student.run()
    assert any("This class has ended" in i.value for i in student.info)


def test_a_nickname_with_markdown_is_shown_literally_and_a_bad_code_gets_one_sentence():
    student = page("class", **{"class": "NOPE"})
    student.text_input[0].set_value("ZZZZZZ").run()
    next(b for b in student.button if b.label == "Join").click().run()
    assert [e.value for e in student.error] == ["There is no class with that code: check it with your teacher."]
    assert not student.exception


def test_a_students_image_reaches_the_teachers_gallery_and_opens_in_explore():
    from ui.classroom import class_store

    teacher, code = start_class()
    student = class_store().join(code, "<img src=x>")
    explore = page("explore", run=False)
    explore.session_state[state.STUDENT] = (code, student)
    explore.run()
    next(b for b in explore.button if b.label == "Send this image to the class gallery").click().run()
    assert not explore.exception and len(class_store().gallery(code)) == 1
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
        student = class_store().join(code, name)
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
