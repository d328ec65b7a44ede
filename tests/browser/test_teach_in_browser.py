"""The Teach page in a real browser: draw an example, teach both networks, and try them on a new drawing."""

import pytest

from browser_support import ARTIFACTS, open_app, serious_violations, wait_drawn, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DIAMOND = [(140, 50), (240, 150), (140, 250), (40, 150), (140, 50)]  # below the canvas toolbar


def draw(page, canvas_index: int, points) -> None:
    canvas = page.locator("canvas.upper-canvas").nth(canvas_index)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=10)
    page.mouse.up()
    wait_drawn(page)


def test_transfer_and_scratch_both_learn_from_the_page(app_url, browser):
    page = open_app(browser, f"{app_url}/teach")
    page.get_by_role("button", name="Use a ready-made set").click()
    page.get_by_text("6 examples").first.wait_for(timeout=30_000)
    wait_idle(page)
    draw(page, 0, DIAMOND)  # one of the student's own, added to the ready-made diamonds
    page.get_by_role("button", name="Add this drawing to diamond").click()
    page.get_by_text("diamond: 7 examples").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("button", name="Teach both networks").click()
    page.get_by_text("Frozen digit filters + new head").wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_text("More examples, better answers").wait_for(timeout=120_000)  # the curve comes last
    wait_drawn(page)
    metrics = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert len(metrics) == 2 and all(value.endswith("%") for value in metrics), metrics
    assert serious_violations(page) == []  # axe-core on both taught networks' results
    draw(page, 1, DIAMOND)
    page.get_by_text("Transfer: ").first.wait_for(timeout=30_000)
    page.get_by_text("From scratch: ").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "teach.png"), full_page=True)
