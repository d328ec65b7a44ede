"""Every page against axe-core's WCAG 2.0/2.1 A and AA rules, and the overview from the keyboard alone."""

from urllib.parse import parse_qs, urlparse

import pytest

from ui.views import TABS

from browser_support import open_app, serious_violations, wait_drawn, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["/?sample=7+-+drawn+with+a+pen", "/teach", "/sandbox", "/mistakes", "/present?stage=1", "/train", "/class"]
PAGES += ["/lesson?lesson=reading&step=2", "/lesson?lesson=learning&step=9"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_as_it_opens_has_no_serious_violation(app_url, browser, path):
    page = open_app(browser, app_url + path)
    wait_drawn(page)
    assert serious_violations(page) == []


def test_every_explore_view_has_no_serious_violation(app_url, browser):
    page = open_app(browser, f"{app_url}/?sample=4+-+written+unclearly")  # a student clicking through the tabs
    found = {}
    for view in TABS:
        page.get_by_role("tab", name=view.label, exact=True).click()
        page.wait_for_url(f"**view={view.id}**")
        wait_drawn(page)
        found[view.id] = serious_violations(page)
    assert found == {view.id: [] for view in TABS}


def test_tab_reaches_the_overview_and_arrow_keys_move_the_cell_in_the_url(app_url, browser):
    page = open_app(browser, f"{app_url}/?sample=7+-+drawn+with+a+pen")
    wait_drawn(page)
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
    row, col = (int(value[0]) for value in cell_in(page.url))
    page.keyboard.press("ArrowLeft")  # pressed quickly, one after the other: each moves on from the last
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    wanted = (str(max(row - 1, 0)), str(max(col - 2, 0)))
    page.wait_for_function(
        "want => { const q = new URLSearchParams(location.search); "
        "return q.get('row') === want[0] && q.get('col') === want[1]; }",
        arg=wanted,
        timeout=15_000,
    )


def cell_in(url: str) -> tuple:
    """The selected cell's row and column as the URL holds them."""
    query = parse_qs(urlparse(url).query)
    return query.get("row"), query.get("col")
