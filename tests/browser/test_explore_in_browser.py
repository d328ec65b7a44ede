"""The Explore page in a real browser: upload, draw with the mouse, a bad file, the webcam."""

from pathlib import Path

import pytest

from cnnviz.data.handwriting import draw_digit, encode
from cnnviz.data.samples import list_samples

from browser_support import ARTIFACTS, open_app, wait_drawn, wait_idle
from image_files import bad_files

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HEADLINE = "h2:has-text('The network ')"


def choose_source(page, source: str):
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text=source).click()
    wait_idle(page)


def upload(page, path):
    page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    wait_drawn(page)


def test_uploaded_digit_is_read_and_every_chart_on_screen_is_drawn(app_url, browser, tmp_path):
    page = open_app(browser, app_url, height=2000)
    choose_source(page, "Upload")
    image = tmp_path / "seven.png"
    image.write_bytes(encode(draw_digit(7, 240, seed=4), "PNG"))
    upload(page, image)
    assert "The network reads 7" in page.locator(HEADLINE).inner_text()
    stages = page.locator(".cnnviz-overview figure[data-stage] canvas")  # the overview: one canvas per stage
    stages.first.wait_for()
    assert stages.count() >= 9  # input, conv, ReLU, pool twice, dense, output
    grids = page.locator("[data-testid='stHtml'] table")  # the open tab: input patch, kernel, products
    grids.nth(2).wait_for()
    assert grids.count() == 3 and all(grids.nth(i).locator("td[title]").count() == 25 for i in range(3))
    assert page.locator("[data-testid='stException']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explore-upload.png"))


@pytest.mark.parametrize(
    "case, digit, message, our_errors",
    [
        ("truncated_png", 2, "damaged", 1),  # refused by cnnviz: one st.error
        (
            "over_8_mb",
            6,
            "8.0MB or smaller",
            0,
        ),  # refused by Streamlit's limit in .streamlit/config.toml, before our code
    ],
)
def test_refused_upload_shows_one_sentence_and_keeps_the_result(
    app_url, browser, tmp_path, case, digit, message, our_errors
):
    page = open_app(browser, app_url)
    choose_source(page, "Upload")
    good, bad = tmp_path / "good.png", tmp_path / f"{case}.png"
    good.write_bytes(encode(draw_digit(digit, 200), "PNG"))
    bad.write_bytes(bad_files()[case])
    upload(page, good)
    assert f"The network reads {digit}" in page.locator(HEADLINE).inner_text()
    upload(page, bad)
    page.get_by_text(message, exact=False).first.wait_for()
    assert page.locator("[data-testid='stAlertContentError']").count() == our_errors
    assert f"The network reads {digit}" in page.locator(HEADLINE).inner_text()
    assert page.locator("[data-testid='stException']").count() == 0


def test_digit_drawn_with_the_mouse_is_read(app_url, browser):
    page = open_app(browser, app_url)
    choose_source(page, "Draw")
    canvas = page.locator("canvas.upper-canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    x0, y0 = box["x"], box["y"]
    # a "7": a bar across the top, then a long stroke down to the lower left
    for stroke in ([(80, 60), (200, 60)], [(200, 60), (170, 130), (120, 230)]):
        page.mouse.move(x0 + stroke[0][0], y0 + stroke[0][1])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(x0 + x, y0 + y, steps=12)
        page.mouse.up()
        page.wait_for_selector(HEADLINE)  # the stroke was read: the next one is drawn on what the page now shows
        wait_drawn(page)
    page.locator(HEADLINE).filter(has_text="The network reads 7").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "explore-draw.png"))


def test_webcam_snapshot_gives_a_result_or_a_clear_sentence(app_url, browser):
    page = open_app(browser, app_url, camera=True)
    choose_source(page, "Webcam")
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.readyState >= 2; }")
    page.get_by_role("button", name="Take Photo").click()
    wait_drawn(page)
    # Chromium's fake camera shows a moving test pattern, not a digit: either outcome is fine, a traceback is not.
    outcome = page.locator(f"{HEADLINE}, [data-testid='stAlertContentError']")
    outcome.first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0


def test_several_students_at_once_each_see_their_own_digit(app_url, browser):
    samples = [s for s in list_samples() if s.kind == "pen"][1:9:2]  # four different digits
    pages = [open_app(browser, app_url) for _ in samples]
    for page, sample in zip(pages, samples):  # choose quickly, without waiting: the reruns overlap
        page.locator("[data-testid='stSelectbox']").filter(has_text="Sample image").click()
        page.get_by_role("option", name=sample.title).click()
    for page, sample in zip(pages, samples):
        page.locator(HEADLINE).filter(has_text=f"reads {sample.label}").wait_for()
        wait_idle(page)
        assert f"The network reads {sample.label}" in page.locator(HEADLINE).inner_text()
        assert page.locator("[data-testid='stException']").count() == 0


def test_take_home_downloads_hold_this_images_numbers_a_worksheet_and_the_code(app_url, browser, tmp_path):
    import io
    import zipfile

    import numpy as np
    import torch

    page = open_app(browser, f"{app_url}/?sample=3+-+drawn+with+a+pen")
    saved = {}
    for label in ("Download activations (.npz)", "Print a worksheet (.pdf)", "Download as PyTorch code (.zip)"):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        saved[label] = tmp_path / download.value.suggested_filename
        download.value.save_as(saved[label])
    arrays = np.load(saved["Download activations (.npz)"])
    assert list(arrays)[0] == "input" and list(arrays)[-1] == "probabilities"
    assert int(np.argmax(arrays["probabilities"])) == 3 and arrays["probabilities"].sum() == pytest.approx(1, abs=1e-5)
    relu = torch.relu(torch.from_numpy(arrays["conv1"]))
    assert np.allclose(arrays["pool1"], torch.nn.functional.max_pool2d(relu, 2).numpy(), atol=1e-6)
    assert saved["Print a worksheet (.pdf)"].read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(io.BytesIO(saved["Download as PyTorch code (.zip)"].read_bytes())) as code:
        assert {"model.py", "weights.safetensors"} <= {Path(name).name for name in code.namelist()}
    assert page.locator("[data-testid='stException']").count() == 0
