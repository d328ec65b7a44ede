"""A class in a real browser: a projector (1280 x 720) and three phones (390 x 844). On Present, across two replicas
sharing PostgreSQL (teacher on one, phones on the other): the teacher's reload keeps the class with no press, a
student's reload keeps them in and counted once, "3 joined" appears untouched, phones follow each Next, Vote again
shows both votes, End reaches every phone (how fast: bench/classroom.py). On one server: a non-digit is asked and
revealed truthfully, the marker stands on the network's bar, the slide's title stays in the upper half, the Class
page passes axe-core; the Lesson page leads a class the same way, each step's question asked with one press."""

import re

import pytest

from cnnviz.viz.colors import DEFAULT
from harness.app import ARTIFACTS
from harness.classroom import PATIENCE_MS, PHONE, PROJECTOR, ask, join, smiley_png, start_class

from browser_support import main_button, open_app, serious_violations, wait_idle
from conftest import under_postgresql

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HIGHLIGHT = "rgb({}, {}, {})".format(*(int(DEFAULT.highlight[i : i + 2], 16) for i in (1, 3, 5)))  # as a fill reads


def answer_buttons(phone):
    return phone.locator(".st-key-answers button")


def within_reach(phone) -> None:
    """Every choice on the phone's first screen, each a finger's size."""
    for button in answer_buttons(phone).all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box


def centre_x(box) -> float:
    return box["x"] + box["width"] / 2


def test_a_non_digit_is_told_truthfully_and_the_reveal_marks_the_networks_bar(app_url, browser):
    teacher = open_app(browser, f"{app_url}/?source=Upload", **PROJECTOR)
    teacher.set_input_files(
        "input[type=file]", files=[{"name": "smiley.png", "mimeType": "image/png", "buffer": smiley_png()}]
    )
    teacher.get_by_text("The network reads no digit").first.wait_for(timeout=30_000)
    teacher.get_by_role("link", name="Present").click()  # the same session: the smiley goes along
    wait_idle(teacher)
    code = start_class(teacher)
    phones = [join(browser, app_url, code, name) for name in ("Ana", "Ben", "Cy")]
    ask(teacher)
    phone = phones[0]
    phone.get_by_role("button", name="not a digit").wait_for(timeout=10_000)
    wait_idle(phone)
    within_reach(phone)
    assert answer_buttons(phone).count() == 11
    sidebar = phone.get_by_test_id("stSidebar").bounding_box()
    assert sidebar is None or sidebar["x"] + sidebar["width"] <= 0, sidebar  # closed: nothing over the question
    phone.screenshot(path=ARTIFACTS / "class-phone-question-390x844.png")
    assert serious_violations(phone) == []  # axe-core on the Class page as a student answers
    phone.get_by_role("button", name="8", exact=True).click()
    phone.get_by_text("Your answer: 8").wait_for(timeout=10_000)
    teacher.get_by_text("1 answered").wait_for(timeout=15_000)
    main_button(teacher, "Reveal").click()
    teacher.get_by_text("The network: not a digit.").wait_for(timeout=10_000)
    assert teacher.get_by_text(re.compile(r"The network: \d")).count() == 0
    phone.get_by_text("You chose 8; the network: not a digit.").wait_for(timeout=10_000)
    wait_idle(teacher)
    title = teacher.locator("h1").filter(has_text=" / ").first.bounding_box()
    assert title["y"] + title["height"] / 2 < PROJECTOR["height"] / 2, title  # the slide's title: upper half

    ask(teacher, "What comes out of a cell?")  # numbers as choices: the marker must still find its bar
    for pupil in phones:
        answer_buttons(pupil).first.wait_for(timeout=10_000)
        answer_buttons(pupil).first.click()
    teacher.get_by_text("3 answered").wait_for(timeout=15_000)
    main_button(teacher, "Reveal").click()
    teacher.locator(".js-plotly-plot .annotation-text").filter(has_text="the network").wait_for(timeout=10_000)
    wait_idle(teacher)
    marker = teacher.locator(".js-plotly-plot .annotation-text").filter(has_text="the network").bounding_box()
    colours = teacher.locator(".js-plotly-plot .bars path").evaluate_all("ps => ps.map(p => p.style.fill)")
    bars = teacher.locator(".js-plotly-plot .bars path").all()
    highlighted = [bar.bounding_box() for bar, colour in zip(bars, colours) if colour == HIGHLIGHT]
    assert len(highlighted) == 1 and abs(centre_x(highlighted[0]) - centre_x(marker)) < highlighted[0]["width"], (
        highlighted,
        marker,
    )
    teacher.screenshot(path=ARTIFACTS / "class-projector-reveal-1280x720.png")
    assert serious_violations(teacher) == []  # the projector with the class bar and a reveal
    phone.get_by_text("You chose").first.wait_for(timeout=10_000)
    wait_idle(phone)
    phone.screenshot(path=ARTIFACTS / "class-phone-reveal-390x844.png")
    frame = phone.locator(".js-plotly-plot").first.bounding_box()
    for title in phone.locator(".js-plotly-plot .xtitle, .js-plotly-plot .ytitle").all():  # inside the frame
        box = title.bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"], (box, frame)
    for page in (teacher, *phones):
        assert page.locator("[data-testid='stException']").count() == 0


def test_the_lesson_page_leads_a_class_of_three_phones(app_url, browser):
    teacher = open_app(browser, f"{app_url}/lesson?lesson=reading&step=1", **PROJECTOR)
    code = start_class(teacher)
    phones = [join(browser, app_url, code, name) for name in ("Ana", "Ben", "Cy")]
    for step in (2, 3, 4):
        for page in (teacher, *phones):  # the teacher presses Next once the class has the step in front of it
            wait_idle(page)
        main_button(teacher, "Next ▶").click()  # never waits for the teacher's own prediction
        for phone in phones:  # each phone follows without a reload (how fast: bench/classroom.py)
            phone.get_by_text(re.compile(rf"^{step} / 12 · ")).first.wait_for(timeout=PATIENCE_MS)
        wait_idle(teacher)
        if step == 2:  # the step before its question is asked
            wait_idle(phones[0])
            teacher.screenshot(path=ARTIFACTS / "lesson-class-projector-step-1280x720.png")
            phones[0].screenshot(path=ARTIFACTS / "lesson-class-phone-step-390x844.png")
        main_button(teacher, "Ask the class").click()  # one press asks the step's own question
        asked = teacher.get_by_test_id("stMarkdownContainer").filter(has_text="Asked:").first
        prompt = asked.inner_text().removeprefix("Asked: ").split(" (")[0]
        for phone in phones:
            phone.get_by_text(prompt).first.wait_for(timeout=PATIENCE_MS)
            answer_buttons(phone).first.wait_for(timeout=PATIENCE_MS)
        wait_idle(phones[0])
        within_reach(phones[0])
        phones[0].screenshot(path=ARTIFACTS / f"lesson-class-phone-question-{step}-390x844.png")
        if step == 2:  # two votes, the second beside the first
            for vote, say in ((0, "Second vote"), (1, "You chose: first vote")):
                for phone in phones:
                    answer_buttons(phone).nth(vote).click()
                    phone.get_by_text("Your answer:").wait_for(timeout=PATIENCE_MS)
                teacher.get_by_text("3 answered").wait_for(timeout=PATIENCE_MS)
                main_button(teacher, "Vote again" if vote == 0 else "Reveal").click()
                for phone in phones:
                    phone.get_by_text(say).first.wait_for(timeout=PATIENCE_MS)
            legend = teacher.locator(".js-plotly-plot .legendtext")
            legend.filter(has_text="second vote").wait_for(timeout=10_000)
            assert "first vote" in " ".join(legend.all_text_contents())
            wait_idle(phones[0])
            phones[0].screenshot(path=ARTIFACTS / "lesson-class-phone-reveal-390x844.png")
        if step == 3:  # the teacher's reload keeps the class, its step and its open question
            teacher.reload()
            teacher.get_by_text(f"Class {code}").first.wait_for(timeout=30_000)
            main_button(teacher, "Reveal").wait_for(timeout=10_000)
            assert "step=3" in teacher.url
            wait_idle(teacher)
            assert serious_violations(teacher) == []  # axe-core: the Lesson page with a class and a question
            main_button(teacher, "Reveal").click()
            teacher.get_by_text("The network:").wait_for(timeout=10_000)
            wait_idle(teacher)
            title = teacher.locator("h1").filter(has_text="Step 3 of 12").bounding_box()
            assert title["y"] + title["height"] / 2 < PROJECTOR["height"] / 2, title  # the class bar above it
        teacher.screenshot(path=ARTIFACTS / f"lesson-class-projector-{step}-1280x720.png")
    teacher.locator(".st-key-class_bar").get_by_role("button", name="End the class").click()
    for page in (teacher, *phones):
        if page is not teacher:
            page.get_by_text("This class has ended").wait_for(timeout=PATIENCE_MS)
        assert page.locator("[data-testid='stException']").count() == 0


def test_an_unknown_code_gets_one_sentence(app_url, browser):
    student = open_app(browser, f"{app_url}/class?class=ZZZZZZ", **PHONE)
    main_button(student, "Join").click()
    student.get_by_text("There is no running class with that code").wait_for(timeout=10_000)
    assert student.locator("[data-testid='stException']").count() == 0


def test_a_lesson_spans_two_replicas_sharing_postgresql():
    done = under_postgresql("harness.classroom")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
