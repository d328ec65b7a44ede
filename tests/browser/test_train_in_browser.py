"""The Train page in a real browser: open it first on a fresh server, train, watch the loss grow, stop;
axe-core while it learns."""

import pytest

from browser_support import ARTIFACTS, main_button, open_app, serious_violations, streamlit_server, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOSS_POINTS = """() => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')]
        .filter(p => p.layout && p.layout.title && String(p.layout.title.text).includes('Loss after every batch'));
    return plots.length ? Math.max(...plots.map(p => p._fullData[1].x.length)) : 0;  // _fullData: x decoded from base64
}"""


@pytest.fixture(scope="module")
def one_slot_server():
    """A server of its own: fresh (its first visit is to /train) and with room for one training job."""
    with streamlit_server(env={"CNNVIZ_MAX_TRAINING_JOBS": "1"}) as url:
        yield url


def test_train_page_opened_first_trains_live_and_stops(one_slot_server, browser):
    page = open_app(browser, f"{one_slot_server}/train", height=2400)  # the server's first visit, straight to /train
    nav = page.locator("[data-testid='stTopNav']")
    nav.get_by_text("Explore", exact=True).wait_for(timeout=15_000)  # navigation.py's, not the pages/ folder's
    wait_idle(page)
    assert "Train" in nav.inner_text() and "app" not in nav.inner_text().split()

    page.locator("[data-testid='stSidebar'] label").filter(has_text="Offline sample (5,000)").click()
    wait_idle(page)
    main_button(page, "Start").click()
    page.wait_for_function(f"({LOSS_POINTS})() > 0", timeout=60_000)
    first = page.evaluate(LOSS_POINTS)
    page.wait_for_function(f"({LOSS_POINTS})() > {first}", timeout=30_000)  # the chart grows by itself
    assert page.locator("[data-testid='stException']").count() == 0
    page.get_by_text("digits/s").first.wait_for(timeout=30_000)
    assert serious_violations(page) == []  # axe-core while it learns
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "train-live.png"))

    main_button(page, "Stop").click()
    page.get_by_role("button", name="Use in Explore").wait_for(timeout=15_000)
    stopped_at = page.evaluate(LOSS_POINTS)
    page.wait_for_timeout(2500)
    assert page.evaluate(LOSS_POINTS) == stopped_at, "the loss chart must stop growing after Stop"
    assert main_button(page, "Start").is_enabled()

    page.get_by_role("button", name="Use in Explore").click()
    page.wait_for_selector("h1:has-text('Explore')")
    wait_idle(page)
    page.get_by_text("model: Trained here", exact=False).wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0


def test_closing_the_tab_frees_the_training_slot(one_slot_server, browser):
    """With room for one job: a student starts a long run and closes the tab; another can then train."""
    url = one_slot_server
    first = open_app(browser, f"{url}/train")
    first.locator("[data-testid='stSidebar'] label").filter(has_text="Offline sample (5,000)").click()
    wait_idle(first)
    main_button(first, "Start").click()
    main_button(first, "Stop").wait_for()
    first.wait_for_function(
        "() => [...document.querySelectorAll('button')].some(b => b.innerText === 'Pause' && !b.disabled)"
    )

    second = open_app(browser, f"{url}/train")
    main_button(second, "Start").click()
    second.get_by_text("number 1 in line", exact=False).first.wait_for(timeout=30_000)  # once its data is loaded

    first.context.close()  # the first student closes the tab mid-run
    # the reaper looks every 5 s; the waiting run then starts by itself, and the page shows it, untouched
    second.get_by_text("digits/s").first.wait_for(timeout=30_000)
    assert "in line" not in second.locator("[data-testid='stMain']").inner_text()
