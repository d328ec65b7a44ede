"""The Lesson page with AppTest: a lesson walks from its first step to its last, Next waits for each prediction, the
reveal and the score come from the network, the step is in the URL, a teacher's file is shown as written."""

import pytest

from cnnviz.lesson.lesson import VIEWS, builtin_lesson, parse_lesson
from ui import state
from ui.pages.lesson_views import PARTS
from ui.views import by_id

from page_support import page


def next_button(at):
    return next(b for b in at.button if b.label == "Next ▶")


def choices(at):
    return [b for b in at.button if b.key and b.key.startswith("lesson_choice_")]


def walk(at, choose=lambda options: options[0]) -> tuple[int, int]:
    """Press Next from here to the last step, choosing whenever Next waits; returns (steps seen, steps that waited)."""
    seen, waited = 1, 0
    while True:
        assert not at.exception, at.exception
        if next_button(at).disabled and choices(at):
            waited += 1
            choose(choices(at)).click().run()
            assert not at.exception, at.exception
            assert not choices(at)  # chosen: the reveal instead of the buttons
        if next_button(at).disabled:
            return seen, waited
        next_button(at).click().run()
        seen += 1
        assert at.query_params[state.LESSON_STEP] == str(seen)  # the step is in the URL


def test_every_view_a_lesson_file_may_name_is_drawn_by_the_page():
    assert set(PARTS) | {name for name in VIEWS if by_id(name) is not None} == set(VIEWS)
    assert not set(PARTS) & {name for name in VIEWS if by_id(name) is not None}  # written once: a part or a view


def test_the_reading_lesson_walks_to_its_last_step_and_says_how_many_predictions_were_right():
    at = page("lesson", lesson="reading")
    assert at.title[0].value.startswith("Step 1 of 12")
    seen, waited = walk(at, choose=lambda options: options[-1])
    assert seen == len(builtin_lesson("reading").steps) >= 10 and waited >= 4
    assert at.title[0].value.startswith(f"Step {seen} of {seen}")
    score = next(m.value for m in at.markdown if m.value.startswith("### You predicted"))
    right, asked = (int(word) for word in score.removeprefix("### You predicted ").split(" right")[0].split(" of "))
    assert asked == waited and 0 <= right <= asked
    revisit = [b for b in at.button if b.key and b.key.startswith("lesson_revisit_")]
    assert len(revisit) == asked - right  # every step predicted wrong is named, and a press opens it
    if revisit:
        number = int(revisit[0].key.rsplit("_", 1)[1])
        revisit[0].click().run()
        assert at.title[0].value.startswith(f"Step {number} of")


def test_next_waits_for_a_prediction_and_the_reveal_says_right_or_wrong_with_the_networks_numbers():
    at = page("lesson", lesson="reading", step=7)  # the dense layer: which digit will it say?
    offered = [button.label for button in choices(at)]
    assert next_button(at).disabled and offered == [*"0123456789", "not a digit"]  # every answer the network has
    choices(at)[0].click().run()
    revealed = [e.value for e in (*at.success, *at.warning)]
    assert len(revealed) == 1 and "The network reads" in revealed[0]
    assert not next_button(at).disabled
    said = revealed[0].split("The network reads ")[1][0]
    assert ("right." in revealed[0]) == (said == "0")


def test_a_link_opens_its_step_and_a_nonsense_step_opens_the_first():
    at = page("lesson", lesson="learning", step=3)
    assert at.title[0].value.startswith("Step 3 of 9")
    assert at.query_params[state.LESSON] == "learning"
    at = page("lesson", lesson="reading", step=99)
    assert at.title[0].value.startswith("Step 1 of 12")
    at = page("lesson", lesson="nonsense", step=2)
    assert at.title[0].value.startswith("Step 1 of 12")


def test_the_teachers_notes_name_the_misconception_a_probe_step_surfaces():
    at = page("lesson", lesson="reading", step=9)
    assert not any("Misconception" in m.value for m in at.markdown)
    at.toggle(key=state.LESSON_NOTES).set_value(True).run()
    notes = next(m.value for m in at.markdown if "Misconception" in m.value)
    assert "keeps learning while it is used" in notes and "Minutes" in notes


def test_a_teachers_file_is_shown_literally_in_its_own_order():
    text = builtin_lesson("reading").text
    head, *steps = text.split("\n[[step]]\n")
    odd = "A **bold** claim <b>tag</b> [link](http://example.com) $x$"
    first = steps[5].replace('title = "Deeper maps"', f'title = "{odd}"')
    own = parse_lesson(head + "\n[[step]]\n" + first + "".join("\n[[step]]\n" + step for step in steps[:2]))
    at = page("lesson", run=False)
    at.session_state[state.OWN_LESSON] = own
    at.session_state[state.LESSON_AT] = ("yours", 1)
    at.run()
    assert not at.exception
    title = at.title[0].value
    assert title.startswith("Step 1 of 3") and "\\*\\*bold\\*\\*" in title and "\\<b\\>" in title  # escaped: literal
    assert at.query_params[state.LESSON] == "yours"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", ["reading", "learning"])
def test_every_step_draws_without_an_error_before_and_after_its_prediction(lesson):
    """Each step opened by its link: the question (or none), then the view once a choice is made."""
    for number in range(1, len(builtin_lesson(lesson).steps) + 1):
        at = page("lesson", lesson=lesson, step=number)
        assert not at.exception, (number, at.exception)
        if choices(at):
            choices(at)[0].click().run()
            assert not at.exception, (number, at.exception)
        assert not next_button(at).disabled or number == len(builtin_lesson(lesson).steps)
