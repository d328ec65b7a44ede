"""The guided lesson in Chromium on a 1280 x 720 projector: from the first step to the last by Next and the arrow
keys, each prediction before its reveal, the step in the URL, the score at the end; no serious accessibility
violation; a malformed lesson file gets one sentence."""

import re

import pytest

from browser_support import main_button, open_app, serious_violations, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_reading_lesson_walks_to_the_end_predicting_first(app_url, browser):
    page = open_app(browser, f"{app_url}/lesson?lesson=reading", width=1280, height=720)
    total = int(re.search(r"Step 1 of (\d+)", page.locator("h1").first.inner_text())[1])
    assert total >= 10
    waited, number = 0, 1
    while True:
        page.locator("h1").filter(has_text=f"Step {number} of {total}").wait_for()
        wait_idle(page)
        assert f"step={number}" in page.url and "lesson=reading" in page.url
        assert page.locator("[data-testid='stException']").count() == 0
        next_step = main_button(page, "Next ▶")
        choices = page.locator("[class*='st-key-lesson_choice_'] button")
        if choices.count():  # predict first: Next waits, and so does the arrow key
            assert next_step.is_disabled()
            waited += 1
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)
            wait_idle(page)
            assert f"step={number}" in page.url
            choices.first.click()
            page.locator("[data-testid='stAlertContainer']").first.wait_for()  # the reveal
            wait_idle(page)
            if number == 4:  # a prediction and its reveal on screen
                assert serious_violations(page) == []
        if number == total:
            break
        assert next_step.is_enabled()
        if number % 2:
            next_step.click()
        else:
            page.keyboard.press("ArrowRight")
        number += 1
    assert waited >= 4
    page.get_by_text(re.compile(r"You predicted \d+ of \d+ right")).wait_for()
    page.keyboard.press("ArrowLeft")
    page.locator("h1").filter(has_text=f"Step {total - 1} of {total}").wait_for()
    assert f"step={total - 1}" in page.url

    main_button(page, "Files").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "mine.toml", "mimeType": "application/toml", "buffer": b'title = "Mine"\n[[step]]\nid = 3\n'}]
    )
    error = page.get_by_text("That lesson file could not be opened.")
    error.wait_for()
    assert "Step 1 (line 3): id must be text in quotes" in error.inner_text()
