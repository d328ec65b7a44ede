"""The Mistakes page in a real browser: click a square of the confusion matrix, open one of its digits in Explore."""

import re

import pytest

from browser_support import ARTIFACTS, open_app, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUSIEST_MISTAKE = """() => {
    const plot = document.querySelector('.js-plotly-plot');
    const data = plot._fullData[0], xaxis = plot._fullLayout.xaxis, yaxis = plot._fullLayout.yaxis;
    let best = -1;
    data.customdata.forEach((count, i) => {
        if (data.x[i] !== data.y[i] && count > 0 && (best < 0 || count > data.customdata[best])) best = i;
    });
    const box = plot.getBoundingClientRect();
    return {x: box.left + xaxis._offset + xaxis.d2p(data.x[best]), y: box.top + yaxis._offset + yaxis.d2p(data.y[best]),
            read: data.x[best], truth: data.y[best], count: data.customdata[best]};
}"""


def test_a_clicked_square_shows_its_digits_and_one_opens_in_explore(app_url, browser):
    page = open_app(browser, f"{app_url}/mistakes")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    wait_idle(page)
    square = page.evaluate(BUSIEST_MISTAKE)
    page.mouse.click(square["x"], square["y"])
    heading = page.get_by_role("heading", name=f"True {square['truth']}, read {square['read']}")
    heading.wait_for(timeout=30_000)
    assert f"{square['count']} digit" in heading.inner_text()
    wait_idle(page)
    page.get_by_role("button", name="Explore").first.click()
    page.locator("h2:has-text('The network ')").wait_for(timeout=30_000)
    wait_idle(page)
    headline = page.locator("h2:has-text('The network ')").inner_text()
    assert re.search(rf"(reads|unsure: probably an?) {square['read']}\b", headline), headline  # the digit it got wrong
    page.get_by_text("picked on the Mistakes page", exact=False).wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "mistake-in-explore.png"))
    page.get_by_role("button", name="Back to my own image").click()
    page.get_by_text("picked on the Mistakes page", exact=False).wait_for(state="detached")
