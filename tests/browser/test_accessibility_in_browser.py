"""Every page against axe-core's WCAG 2.0/2.1 A and AA rules, and the overview from the keyboard alone."""

from urllib.parse import parse_qs, urlparse

import pytest

from browser_support import open_app, serious_violations, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["/?sample=7+-+drawn+with+a+pen", "/teach", "/sandbox", "/mistakes", "/present?stage=1", "/train", "/class"]
PAGES += ["/lesson?lesson=reading&step=2", "/lesson?lesson=learning&step=9"]
EXPLORE_VIEWS = ["preparing", "filters", "maps", "decision", "why", "fooled", "learning", "file"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_as_it_opens_has_no_serious_violation(app_url, browser, path):
    page = open_app(browser, app_url + path)
    wait_idle(page, settle_ms=1500)
    assert serious_violations(page) == []


@pytest.mark.parametrize("view", EXPLORE_VIEWS)
def test_every_explore_view_has_no_serious_violation(app_url, browser, view):
    page = open_app(browser, f"{app_url}/?sample=4+-+written+unclearly&view={view}")
    wait_idle(page, settle_ms=2000)
    assert serious_violations(page) == []


def test_tab_reaches_the_overview_and_arrow_keys_move_the_cell_in_the_url(app_url, browser):
    page = open_app(browser, f"{app_url}/?sample=7+-+drawn+with+a+pen")
    wait_idle(page, settle_ms=1500)
    overview = page.locator(".cnnviz-overview").first
    for _press in range(40):
        page.keyboard.press("Tab")
        if overview.evaluate("el => el.matches(':focus-within') || el === el.getRootNode().activeElement"):
            break
    else:
        pytest.fail("40 presses of Tab never reached the overview")
    assert overview.evaluate("el => getComputedStyle(el).outlineStyle") != "none"  # the focus is visible
    before, search = cell_in(page.url), page.evaluate("location.search")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("before => location.search !== before", arg=search)
    wait_idle(page)
    assert cell_in(page.url) != before, page.url


def cell_in(url: str) -> tuple:
    """The selected cell's row and column as the URL holds them."""
    query = parse_qs(urlparse(url).query)
    return query.get("row"), query.get("col")
