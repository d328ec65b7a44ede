"""A one-conv-layer model saved by the CLI, opened on Explore, works on Explore, Sandbox and every Present stage."""

import pytest

from browser_support import ARTIFACTS, open_app, wait_drawn, wait_idle
from command_line import run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HEADLINE = "h2:has-text('The network ')"


@pytest.fixture(scope="module")
def one_conv_weights(tmp_path_factory):
    path = tmp_path_factory.mktemp("weights") / "one-conv.safetensors"
    layers = "conv 8 5, relu, maxpool 2, flatten, linear 32"
    fast = ("--media-copies", "0", "--handwriting", "0")  # the wiring; the data recipe is tested on the CLI
    result = run_cli("train", "--data", "sample", "--dry-run", *fast, "--layers", layers, "--out", path)
    assert result.returncode == 0, result.stderr
    return path


def no_exception(page):
    assert page.locator("[data-testid='stException']").count() == 0


def test_one_conv_model_works_on_every_page(one_conv_weights, app_url, browser):
    page = open_app(browser, app_url, width=1280, height=720)
    page.get_by_role("button", name="Settings").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(one_conv_weights))
    wait_drawn(page)
    page.keyboard.press("Escape")
    page.get_by_text("model: Opened: one-conv.safetensors", exact=False).wait_for()
    stages = page.locator(".cnnviz-overview figure[data-stage]")
    stages.first.wait_for()
    names = [stages.nth(i).get_attribute("data-stage") for i in range(stages.count())]
    assert "conv1" in names and "conv2" not in names, names
    no_exception(page)

    for tab in ("Watch the convolution", "Pooling", "Filters", "Every map", "The decision"):
        page.get_by_role("tab", name=tab).click()
        wait_drawn(page)
        no_exception(page)

    page.locator("[data-testid='stTopNav']").get_by_text("Sandbox", exact=True).click()
    page.get_by_text("model: Opened: one-conv.safetensors", exact=False).wait_for()
    wait_idle(page)
    no_exception(page)

    page.locator("[data-testid='stTopNav']").get_by_text("Present", exact=True).click()
    title = page.locator("h1").first
    title.wait_for()
    wait_idle(page)
    total = int(title.inner_text().split(" / ")[1].split(" ")[0])
    for number in range(2, total + 1):  # every stage, paged with the right-arrow key
        page.keyboard.press("ArrowRight")
        page.locator("h1").filter(has_text=f"{number} / {total}").wait_for()
        wait_idle(page)
        no_exception(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "one-conv-present-last.png"))
