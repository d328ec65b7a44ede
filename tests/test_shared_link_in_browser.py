"""A teacher's shared link opens the same layer and pixel in a real browser; clicking a cell takes it apart."""

import re

import pytest

from browser_support import ARTIFACTS, chromium, open_app, streamlit_server, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELL_POSITION = """([title, row, col]) => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => String(p.layout.title.text).includes(title));
    const box = plot.querySelector('.nsewdrag').getBoundingClientRect();
    const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
    return [box.left + xa.l2p(col), box.top + ya.l2p(row)];
}"""


def test_shared_link_opens_the_chosen_layer_and_pixel_and_a_click_picks_another():
    with streamlit_server() as url, chromium() as browser:
        page = open_app(browser, f"{url}/?sample=7+-+drawn+with+a+pen&layer=conv2&channel=5&row=3&col=4", height=4000)
        detail = page.get_by_text("Row 3, column 4 of channel 5", exact=False)
        detail.wait_for(timeout=30_000)
        assert "The network reads 7" in page.locator("h2:has-text('The network reads')").inner_text()
        page.get_by_text("all 16 maps of pooling layer 1", exact=False).wait_for()  # layer 2 reads the pooled maps of layer 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "shared-link.png"))

        title = "Layer 2, channel 5: click a cell"
        page.get_by_text("click a cell").first.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)  # let the chart settle where it scrolled to
        x, y = page.evaluate(CELL_POSITION, [title, 9, 11])
        page.mouse.move(x, y)
        hovered = page.locator(".hoverlayer").filter(has_text="click to take it apart")
        hovered.wait_for()
        row, col = re.search(r"row (\d+), column (\d+)", hovered.text_content()).groups()
        assert (row, col) != ("3", "4")
        page.mouse.click(x, y)
        page.get_by_text(f"Row {row}, column {col} of channel 5", exact=False).wait_for(timeout=30_000)
        wait_idle(page)
        assert f"row={row}" in page.url and f"col={col}" in page.url
