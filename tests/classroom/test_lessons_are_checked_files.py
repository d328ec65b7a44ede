"""Lessons are small TOML files: the built-in ones are complete, a teacher's edits (reorder, skip) open again, and
every malformed file gets one sentence naming its step or line and what is wrong; nothing in a file runs."""

import re

import pytest

from cnnviz.lesson.lesson import (
    BUILTIN,
    BUILTIN_DIR,
    MAX_LESSON_BYTES,
    VIEWS,
    LessonError,
    builtin_lesson,
    builtin_lessons,
    layer_of,
    parse_lesson,
)
from cnnviz.lesson.questions import QUESTIONS

READING = builtin_lesson("reading").text


def test_the_built_in_lessons_have_the_steps_the_issue_asks_for():
    lessons = builtin_lessons()
    assert list(lessons) == list(BUILTIN)
    reading, learning = lessons["reading"], lessons["learning"]
    assert len(reading.steps) >= 10 and len(learning.steps) >= 8
    for lesson in lessons.values():
        assert sum(1 for step in lesson.steps if step.question) >= 4, lesson.name
        assert all(step.text and step.minutes and step.discussion and step.notes for step in lesson.steps)
    probes = [step for lesson in lessons.values() for step in lesson.steps if step.misconception]
    assert len(probes) >= 3
    assert all(step.question and "misconception" in step.notes.lower() for step in probes)  # named in the notes
    assert {step.view for step in reading.steps} >= {"preparing", "player", "maps", "pooling", "decision"}
    assert {step.question for step in learning.steps} >= {"loss", "step", "overfit", "augmentation", "transfer"}


@pytest.mark.parametrize("name", BUILTIN)
def test_each_file_lists_the_views_and_questions_a_teacher_may_use(name):
    header = "".join(line for line in (BUILTIN_DIR / f"{name}.toml").read_text().splitlines() if line.startswith("#"))
    listed = set(re.findall(r"[a-z][a-z-]+", header.split("Views:")[1].split("Questions:")[0]))
    assert listed == set(VIEWS)
    assert set(QUESTIONS) <= set(re.findall(r"[a-z][a-z-]+", header.split("Questions:")[1]))


def blocks(text: str) -> tuple[str, list[str]]:
    """(the lesson's head, its [[step]] blocks) of a lesson file."""
    head, *steps = text.split("\n[[step]]\n")
    return head, ["\n[[step]]\n" + step for step in steps]


def test_a_teacher_can_reorder_and_skip_steps_and_open_the_file_again():
    head, steps = blocks(READING)
    edited = head + "".join(reversed(steps[2:]))  # the first two skipped, the rest backwards
    lesson = parse_lesson(edited.encode())
    original = builtin_lesson("reading")
    assert [step.id for step in lesson.steps] == [step.id for step in reversed(original.steps[2:])]
    assert lesson.text == edited and lesson.name == "yours"


def test_text_is_kept_as_written_and_nothing_in_it_runs():
    strange = "**bold** <script>alert(1)</script> {{7*7}} ${HOME} `rm -rf` [link](javascript:x) ü 漢字"
    text = f'title = "T"\n[[step]]\nid = "a"\ntitle = "A"\nview = "maps"\ntext = """{strange}"""\nminutes = 1\n'
    (step,) = parse_lesson(text).steps
    assert step.text == strange


def with_step_two(old: str, new: str) -> str:
    head, steps = blocks(READING)
    assert old in steps[1]
    steps[1] = steps[1].replace(old, new, 1)
    return head + "".join(steps)


BAD = {  # name: (file text, words the sentence must hold)
    "not TOML": ('title = "x"\n[[step]\n', ["not valid TOML", "line 2"]),
    "unknown view": (with_step_two('view = "player"', 'view = "slider"'), ["Step 2 (line", "'slider'", "views are"]),
    "minutes in words": (with_step_two("minutes = 5", 'minutes = "five"'), ["Step 2 (line", "whole number"]),
    "minutes too many": (with_step_two("minutes = 5", "minutes = 500"), ["Step 2 (line", "from 1 to 60"]),
    "a misspelt field": (with_step_two('question = "cell"', 'qestion = "cell"'), ["unknown field 'qestion'"]),
    "a step twice": (with_step_two('id = "sliding"', 'id = "numbers"'), ["Step 2 (line", "earlier step"]),
    "no text": (with_step_two("text = ", "words = "), ["Step 2", "unknown field 'words'"]),
    "unknown question": (with_step_two('question = "cell"', 'question = "quiz"'), ["no question 'quiz'"]),
    "a layer that is not one": (with_step_two('view = "player"', 'view = "maps"\nlayer = "dense 1"'), ["layer"]),
    "no title": ('[[step]]\nid = "a"\n', ["no title"]),
    "no steps": ('title = "x"\n', ["no steps"]),
    "steps not tables": ('title = "x"\nstep = [1, 2]\n', ["Step 1", "[[step]]"]),
    "an unknown top field": ('title = "x"\nauthor = "me"\n', ["Line 2", "'author'"]),
    "a control character": ('title = "x\\u0007"\n', ["control character"]),
    "too long a title": (f'title = "{"x" * 200}"\n', ["200 characters", "at most 80"]),
    "not UTF-8": (b'title = "caf\xe9"\n', ["Line 1", "UTF-8"]),
    "nested 5,000 deep": ("a = " + "[" * 5000 + "]" * 5000, ["too deeply"]),
    "too big": ("# " + "x" * MAX_LESSON_BYTES, ["limited to 64 KB"]),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_malformed_lesson_file_gets_one_sentence_naming_what_is_wrong(name):
    text, words = BAD[name]
    with pytest.raises(LessonError) as raised:
        parse_lesson(text)
    message = str(raised.value)
    assert "\n" not in message and message.endswith(".") and len(message) < 400, message
    for word in words:
        assert word in message, message


def test_a_step_names_a_layer_of_any_network(bundled):
    assert layer_of(bundled, None) == "conv1"
    assert layer_of(bundled, "activation 2") == bundled.activated("conv2")
    assert layer_of(bundled, "pool 1").startswith("pool")
    assert layer_of(bundled, "conv 9") == bundled.conv_layers()[-1]  # a smaller network: its last conv
