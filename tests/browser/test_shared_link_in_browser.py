"""A teacher's shared link opens the same view in a real browser: sample, layer, cell, open tab and colours."""

import pytest

from browser_support import ARTIFACTS, open_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_shared_link_opens_the_chosen_cell_view_and_palette(app_url, browser):
    link = "/?sample=7+-+drawn+with+a+pen&layer=conv2&channel=5&row=3&col=4&view=Max-pooling&palette=Colour-blind+safe"
    page = open_app(browser, app_url + link, height=1400)
    page.get_by_text("The window at rows 2..3, columns 4..5", exact=False).wait_for(timeout=30_000)
    assert "The network reads 7" in page.locator("h2:has-text('The network ')").inner_text()
    assert page.get_by_role("tab", name="Pooling").get_attribute("aria-selected") == "true", "an old label still opens"
    assert "view=pooling" in page.url, "and the URL now names the view by its id"
    page.get_by_role("button", name="Settings").click()
    assert page.get_by_role("radio", name="Colour-blind safe").is_checked()
    assert "layer=conv2" in page.url and "channel=5" in page.url, "the link is still the link"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "shared-link.png"))


def test_a_parameter_given_twice_keeps_its_last_value_and_leaves_the_url(app_url, browser):
    page = open_app(browser, app_url + "/?row=3&row=5&sample=nonsense&sample=7+-+drawn+with+a+pen&layer=conv2")
    page.get_by_text("Row 5, column", exact=False).first.wait_for(timeout=30_000)
    assert "The network reads 7" in page.locator("h2:has-text('The network ')").inner_text()
    assert page.url.count("row=") == 1 and page.url.count("sample=") == 1, page.url
    assert page.locator("[data-testid='stException']").count() == 0
