"""The Lesson page leading a class, with AppTest: a class started from the Lesson page follows each step; the teacher
is not asked to predict and Next does not wait; "Ask the class" asks the step's own question with one press; the
step's view stays back from the projector and the phones until the class's reveal (or "Show the answer"), and both
votes are revealed; walking the lesson, no step asks the teacher and no phone sees a step's answer before the reveal;
a reload of the teacher's tab keeps the class; a phone draws any step a teacher's own lesson sends, and one it cannot
draw with one sentence."""

import numpy as np
import pytest

from cnnviz.classroom.records import Step
from cnnviz.lesson.lesson import builtin_lesson
from cnnviz.lesson.questions import QUESTIONS
from ui import state
from ui.markdown import literal
from ui.models import BUNDLED

from page_support import joined, page, press, shown

pytestmark = pytest.mark.usefixtures("own_class_database")
READING = builtin_lesson("reading")
SLIDING = READING.number("sliding")  # asks which number comes out of a cell; shows the kernel sliding


def buttons(at) -> list[str]:
    return [b.label for b in at.button]


def next_button(at):
    return next(b for b in at.button if b.label == "Next ▶")


def teaching(number: int = 1):
    """The Lesson page at this step of the reading lesson, a class started from it; returns (page, code)."""
    at = press(page("lesson", lesson="reading", step=number), "Start a class")
    return at, at.session_state[state.TEACHING_CLASS][0]


def told(code: str) -> Step:
    from ui.classroom import class_store

    return class_store().snapshot(code).step


def test_the_class_follows_each_step_and_answers_its_question_over_two_votes():
    from ui.classroom import class_store

    teacher, code = teaching()
    assert "Start a class" not in buttons(teacher) and f"Join: {code}" in shown(teacher)
    ask = next(b for b in teacher.button if b.label == "Ask the class")
    assert ask.disabled  # the first step asks nothing
    student = joined(code, "Ana")
    assert f"1 / {len(READING.steps)} · {READING.steps[0].title}" in shown(student)
    while teacher.session_state[state.LESSON_AT][1] < SLIDING:
        press(teacher, "Next ▶")
    assert not [b for b in teacher.button if b.key and b.key.startswith("lesson_choice_")]  # no prediction asked
    assert not next_button(teacher).disabled  # so Next never waits for one
    assert f"{SLIDING} / {len(READING.steps)} · One filter sliding" in shown(student.run())
    assert told(code) == Step(
        "lesson",
        "reading:sliding",
        SLIDING,
        len(READING.steps),
        "One filter sliding",
        told(code).picture,
        BUNDLED,
        "predict image",
    )
    press(teacher, "Ask the class")
    asked = class_store().snapshot(code).asked.question
    assert asked.kind == "cell" and literal(asked.prompt) in shown(teacher)  # this step's own question
    student.run()
    choices = [b for b in student.button if b.key and b.key.startswith("answer_")]
    assert [b.label for b in choices] == list(asked.choices)
    choices[0].click().run()
    assert "1 answered" in shown(teacher.run())
    press(teacher, "Vote again")
    press(student.run(), asked.choices[1])
    press(teacher.run(), "Reveal")
    assert f"**The network: {literal(asked.choices[asked.correct])}.**" in shown(teacher)
    seen = class_store().snapshot(code)
    assert seen.showing.revealed and seen.step.view == "player"  # the answer shown, the reveal kept with it
    student.run()
    assert f"first vote {literal(asked.choices[0])}, second vote {literal(asked.choices[1])}" in shown(student)
    assert not student.exception


def test_show_the_answer_without_asking_and_coming_back_shows_it_again():
    teacher, code = teaching(SLIDING)
    assert told(code).view == "predict image"
    press(teacher, "Show the answer")
    assert told(code).view == "player" and any(s.value.startswith("**The answer: ") for s in teacher.success)
    press(teacher, "Next ▶")
    assert told(code).view == "predict image" and told(code).number == SLIDING + 1
    press(teacher, "◀ Previous")
    assert told(code).view == "player" and told(code).number == SLIDING


def test_a_reload_of_the_teachers_tab_keeps_the_class_and_the_step(monkeypatch):
    teacher, code = teaching(SLIDING)
    _, secret, pin = teacher.session_state[state.TEACHING_CLASS]
    monkeypatch.setattr(state, "cookie", lambda name: {"cnnviz_teacher": f"{code}.{secret}.{pin}"}.get(name))
    again = page("lesson", lesson="reading", step=SLIDING)
    assert "Ask the class" in buttons(again) and "Start a class" not in buttons(again)
    assert f"**Class {code}** · 0 joined" in shown(again) and told(code).number == SLIDING
    press(again, "End the class")
    assert "Start a class" in buttons(again) and again.session_state[state.TEACHING_CLASS] is None


@pytest.mark.parametrize(
    ("view", "charts", "pictures"), [("maps activation 2", 1, 0), ("predict image", 0, 1), ("odd", 0, 0)]
)
def test_a_phone_draws_a_step_of_a_teachers_own_lesson_from_its_record(view, charts, pictures):
    from ui.classroom import class_store

    started = class_store().start()
    pixels = np.zeros((28, 28), np.uint8)
    pixels[6:22, 12:16] = 255
    step = Step("lesson", "yours:deep", 2, 3, "Deeper maps", pixels.tobytes(), BUNDLED, view)
    class_store().publish(started.code, started.secret, step)
    student = joined(started.code)
    assert "2 / 3 · Deeper maps" in shown(student) and not student.exception
    assert len(student.get("plotly_chart")) == charts and len(student.image) == pictures
    assert ("Every map of one layer" in shown(student)) == (view == "maps activation 2")  # the view's own words
    assert ("Follow this step on the projector." in shown(student)) == (view == "odd")  # one it cannot draw


def answers_in_sight(at) -> str:
    """Everything a page shows in words, the success boxes (where an answer is told) too."""
    return shown(at) + " ".join(str(s.value) for s in at.success)


def test_no_step_asks_the_teacher_and_no_phone_sees_an_answer_before_the_reveal():
    from ui.classroom import class_store

    teacher, code = teaching()
    student = joined(code, "Ana")
    asked = 0
    for number, step in enumerate(READING.steps, 1):
        if step.question and QUESTIONS[step.question].wait:
            break  # a question that is a run of seconds (the nudge) and the steps after it: asked elsewhere
        if number > 1:
            press(teacher, "Next ▶")
        assert teacher.session_state[state.LESSON_AT][1] == number
        assert not [b for b in teacher.button if b.key and b.key.startswith("lesson_choice_")]  # the teacher is
        assert not next_button(teacher).disabled or number == len(READING.steps)  # never asked, never waited on
        if next(b for b in teacher.button if b.label == "Ask the class").disabled:
            continue  # a step that asks nothing shows its view at once
        assert told(code).view.startswith("predict")  # the phones draw the picture, not the step's view
        assert "The answer:" not in answers_in_sight(teacher) and "The network:" not in answers_in_sight(teacher)
        press(teacher, "Ask the class")
        question = class_store().snapshot(code).asked.question
        assert question.explanation and told(code).view.startswith("predict")
        student.run()
        for page_ in (teacher, student):
            assert literal(question.explanation) not in answers_in_sight(page_), number
        next(b for b in student.button if b.key and b.key.startswith("answer_")).click().run()
        in_sight = answers_in_sight(student)
        assert literal(question.explanation) not in in_sight and "the network:" not in in_sight.lower(), number
        if not asked:  # the first reveal: the answer reaches the phone then (later steps leave it to the test above)
            press(teacher, "Reveal")
            assert not told(code).view.startswith("predict")  # the step's view, now the class has answered
            assert literal(question.explanation) in answers_in_sight(student.run()), number
        asked += 1
    assert asked >= 3 and not student.exception
