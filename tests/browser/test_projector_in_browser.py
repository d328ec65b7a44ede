"""On a 1280 x 720 projector: dark tick labels, Sandbox charts of a sensible shape, Present paged by keys."""

import pytest

from browser_support import ARTIFACTS, open_app, wait_drawn, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WIDTH, HEIGHT = 1280, 720

TICK_COLOURS = """() => [...document.querySelectorAll('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text')]
    .map(t => getComputedStyle(t).fill)"""
CHART_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .map(p => { const b = p.getBoundingClientRect(); return [b.width, b.height, p.layout.title.text]; })"""


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of an "rgb(r, g, b)" colour against white."""
    channels = [int(part) / 255 for part in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("where", ["/?view=The+decision", "/sandbox"])
def test_tick_labels_are_dark_enough_for_a_projector(app_url, browser, where):
    page = open_app(browser, app_url + where, width=WIDTH, height=HEIGHT)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .xtick text').length > 0")
    colours = page.evaluate(TICK_COLOURS)
    assert colours and min(contrast_on_white(c) for c in colours) >= 4.5, set(colours)


def test_every_sandbox_chart_is_wide_enough_and_not_too_tall(app_url, browser):
    page = open_app(browser, f"{app_url}/sandbox", width=WIDTH, height=HEIGHT)
    for toggle in ("ReLU after the convolution", "2 x 2 max-pooling after that"):
        page.get_by_text(toggle).click()
        wait_drawn(page)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 7")
    boxes = page.evaluate(CHART_BOXES)
    for width, height, title in boxes:
        assert width >= 250 and height <= 2 * width, (title, width, height)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sandbox-1280x720.png"), full_page=True)


def test_every_present_stage_keeps_next_on_screen_and_the_arrow_key_advances(app_url, browser):
    page = open_app(browser, f"{app_url}/present", width=WIDTH, height=HEIGHT)
    title = page.locator("h1").first
    total = int(title.inner_text().split(" / ")[1].split(" ")[0])
    for number in range(1, total + 1):
        page.locator("h1").filter(has_text=f"{number} / {total}").wait_for()
        wait_idle(page)
        box = page.get_by_role("button", name="Next ▶").bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, (number, box)
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(ARTIFACTS / f"present-{number}-1280x720.png"))
        if number < total:
            page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    page.locator("h1").filter(has_text=f"{total - 1} / {total}").wait_for()
    assert f"stage={total - 1}" in page.url


SLIDE = """() => {
    const scroller = document.querySelector("[data-testid='stMain']");
    const small = [];
    const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
            if (el.shadowRoot) walk(el.shadowRoot);
            if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            const box = el.getBoundingClientRect();
            if (!box.width || !box.height) continue;
            if (el.closest("[data-testid='stIconMaterial'], [data-testid='stTooltipIcon']")) continue;
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size < 20) small.push(`${size}px: ${el.textContent.trim().slice(0, 40)}`);
        }
    };
    walk(scroller);
    return {overflow: scroller.scrollHeight - scroller.clientHeight, small};
}"""


def test_every_present_slide_fits_the_projector_with_no_text_under_20_px(app_url, browser):
    page = open_app(browser, f"{app_url}/present", width=WIDTH, height=HEIGHT)
    total = int(page.locator("h1").first.inner_text().split(" / ")[1].split(" ")[0])  # as many as the model has
    for stage in range(1, total + 1):
        page.goto(f"{app_url}/present?stage={stage}")
        wait_drawn(page)
        slide = page.evaluate(SLIDE)
        assert slide["overflow"] <= 2, f"stage {stage} runs {slide['overflow']} px below the screen"
        assert slide["small"] == [], (stage, slide["small"][:5])
