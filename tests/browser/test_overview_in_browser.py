"""The overview in a real browser: the network on a projector's first screen, a click takes a cell apart, Play."""

import re

import pytest

from harness.waiting import wait_until

from browser_support import ARTIFACTS, open_app, wait_drawn

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HEADLINE = "h2:has-text('The network ')"
IN_VIEW = "e => { const box = e.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; }"


def stage(page, name: str):
    return page.locator(f".cnnviz-overview figure[data-stage='{name}']")


def click_cell(page, name: str, channel: int, row: int, col: int):
    # The click is given to the canvas, not to a point of the screen: the overview may still redraw its figures
    # once after the page looks drawn, and Playwright then clicks the canvas that is there.
    point = stage(page, name).evaluate("(figure, where) => figure.__cell(...where)", [channel, row, col])
    stage(page, name).locator("canvas").click(position=point)
    wait_drawn(page)


def test_first_screen_of_a_projector_shows_the_answer_and_the_network(app_url, browser):
    page = open_app(browser, app_url, width=1280, height=720)
    stage(page, "conv1").wait_for()
    headline = page.locator(HEADLINE).bounding_box()
    assert headline and headline["y"] + headline["height"] <= 720
    visible = [
        name
        for name in ("input", "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "relu3", "probabilities")
        if (box := stage(page, name).locator("canvas").bounding_box())
        and box["y"] + box["height"] <= 720
        and box["x"] + box["width"] <= 1280
    ]
    assert len(visible) >= 3, visible
    assert {"input", "probabilities"} <= set(visible), "the input and the answer are on the first screen"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-1280x720.png"))


def test_clicking_a_cell_shows_its_arithmetic_and_puts_it_in_the_url(app_url, browser):
    page = open_app(browser, app_url)
    stage(page, "conv2").wait_for()
    click_cell(page, "conv2", 5, 3, 4)
    page.get_by_text("Row 3, column 4 of map 5", exact=False).wait_for(timeout=30_000)
    assert (
        re.search(r"[?&]layer=conv2", page.url)
        and re.search(r"[?&]row=3", page.url)
        and re.search(r"[?&]col=4", page.url)
    )
    page.get_by_text("all 16 maps of the max-pooling after the first convolution", exact=False).wait_for()  # pool1
    kernel = page.locator("[data-testid='stHtml'] .cnnviz-grid").filter(has_text="Kernel (weights)")
    assert kernel.count() == 1 and kernel.locator("td[title]").count() == 25  # every weight of a 5 x 5 kernel
    click_cell(page, "relu1", 2, 10, 12)  # a ReLU cell: its own arithmetic, max(0, x) (cells are ~1 px here)
    page.get_by_text("ReLU: max(0, ", exact=False).first.wait_for(timeout=30_000)
    row, col = (int(re.search(rf"[?&]{name}=(\d+)", page.url).group(1)) for name in ("row", "col"))
    assert abs(row - 10) <= 1 and abs(col - 12) <= 1 and "layer=relu1" in page.url
    click_cell(page, "conv1", 2, 10, 12)
    page.get_by_text("of the input image", exact=False).wait_for()
    assert "layer=" not in page.url  # conv1 is the default layer: it leaves the URL
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "overview-clicked.png"))


def test_a_clicked_cells_arithmetic_is_scrolled_into_view_on_a_projector(app_url, browser):
    page = open_app(browser, app_url, width=1280, height=720)
    stage(page, "conv2").wait_for()
    click_cell(page, "conv2", 5, 3, 4)
    sentence = page.get_by_text("Row 3, column 4 of map 5", exact=False).first
    sentence.wait_for(timeout=30_000)
    wait_until(lambda: sentence.evaluate(IN_VIEW), timeout=10, message="the arithmetic stayed below the fold")
    page.screenshot(path=str(ARTIFACTS / "overview-clicked-1280x720.png"))


def test_clicking_a_probability_opens_the_last_layer_for_that_digit(app_url, browser):
    page = open_app(browser, app_url)
    canvas = stage(page, "probabilities").locator("canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + box["height"] / 2 + box["height"] / 10 * 3.5)  # about the row of the 8
    wait_drawn(page)
    page.get_by_text("What pushed the score of", exact=False).first.wait_for(timeout=30_000)


def test_play_animates_the_convolution_in_the_browser(app_url, browser):
    page = open_app(browser, app_url)
    page.get_by_role("tab", name="Watch the convolution").click()
    wait_drawn(page)
    player = page.locator(".cnnviz-player")
    player.wait_for()
    player.get_by_role("button", name="⟲ Start over").click()
    assert player.get_attribute("data-position") == "0"
    status = player.locator(".status").inner_text()
    player.get_by_role("button", name="▶ Play").click()
    # the kernel slides several cells a second, with no rerun
    wait_until(lambda: int(player.get_attribute("data-position")) >= 3, 3, message="the kernel did not slide")
    assert player.locator(".status").inner_text() != status
    player.get_by_role("button", name="❚❚ Pause").click()
    held = player.get_attribute("data-position")
    page.wait_for_timeout(600)
    assert player.get_attribute("data-position") == held
    player.get_by_role("button", name="Step ▸").click()
    assert int(player.get_attribute("data-position")) == int(held) + 1
    player.get_by_role("button", name="Max-pooling", exact=True).click()
    assert "max(" in player.locator(".status").inner_text()
    page.screenshot(path=str(ARTIFACTS / "player.png"))


def draw_a_one(page):
    """The Draw source, and one stroke down the middle of its canvas."""
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text="Draw").click()
    canvas = page.locator("canvas.upper-canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 140, box["y"] + 50)
    page.mouse.down()
    page.mouse.move(box["x"] + 140, box["y"] + 230, steps=12)
    page.mouse.up()


def choose_lenet(page):
    """LeNet-5 in the Settings menu: more stages than the bundled network."""
    page.get_by_role("button", name="Settings").click()
    page.locator("[data-testid='stSelectbox']").filter(has_text="Model").click()
    page.get_by_role("option", name="LeNet-5", exact=False).first.click()
    page.keyboard.press("Escape")


@pytest.mark.parametrize("setup", [draw_a_one, choose_lenet], ids=["draw", "lenet5"])
def test_the_answer_stays_on_a_projectors_first_screen_when_the_network_is_wider(app_url, browser, setup):
    page = open_app(browser, app_url, width=1280, height=720)
    setup(page)
    wait_drawn(page)
    stage(page, "probabilities").wait_for()
    scroller = page.locator(".cnnviz-overview .scroller")
    wide = "s => s.scrollWidth > s.clientWidth + 8"  # wider than its frame: without the fix, the answer is cut off
    wait_until(lambda: scroller.evaluate(wide), 30, 0.2, "the stages never got wider than the page")
    box = stage(page, "probabilities").locator("canvas").bounding_box()
    frame = scroller.bounding_box()
    assert box["y"] + box["height"] <= 720, box
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, (box, frame)
    page.screenshot(path=str(ARTIFACTS / f"answer-in-sight-{setup.__name__}-1280x720.png"))
