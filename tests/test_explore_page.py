"""The Explore page, run headless with AppTest: samples, uploads, webcam, drawing and bad files."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.handwriting import draw_digit, encode, photo_of_digit
from cnnviz.samples import list_samples
from image_files import bad_files

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # the first run imports torch and loads the model


def explore() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=TIMEOUT).run()


def headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("## The network reads"))


def test_app_entry_point_opens_explore():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value.startswith("Explore")


def test_page_runs_and_explains_every_stage():
    at = explore()
    assert not at.exception
    assert [h.value for h in at.header] == [
        "1 · Preparing the image", "2 · The learned filters", "3 · Feature maps, layer by layer", "4 · The decision",
        "5 · How one number is computed",
    ]
    # input, 2 filter figures, 4 per conv layer, probabilities; then the clickable map, 3 number grids,
    # the pooling window and the contributions of the last layer
    assert len(at.get("plotly_chart")) == 1 + 2 + 2 * 4 + 1 + 1 + 3 + 1 + 1
    assert len(at.image) == 8


@pytest.mark.parametrize("sample", list_samples()[::3], ids=lambda s: s.path.name)
def test_selected_sample_shows_its_prediction(sample):
    at = explore()
    at.selectbox(key="sample").set_value(sample.title).run()
    assert not at.exception
    assert headline(at).startswith(f"## The network reads **{sample.label}**")


def test_uploaded_image_is_predicted():
    at = explore()
    at.radio(key="source").set_value("Upload").run()
    at.file_uploader[0].set_value(("seven.png", encode(draw_digit(7, 200, seed=3), "PNG"), "image/png")).run()
    assert not at.exception and not at.error
    assert headline(at).startswith("## The network reads **7**")


@pytest.mark.parametrize("case", ["text_renamed_png", "truncated_png", "svg", "decompression_bomb_40000px", "blank_white"])
def test_bad_upload_shows_one_error_and_keeps_the_last_result(case):
    at = explore()
    at.radio(key="source").set_value("Upload").run()
    at.file_uploader[0].set_value(("two.png", encode(draw_digit(2, 200), "PNG"), "image/png")).run()
    assert headline(at).startswith("## The network reads **2**")
    at.file_uploader[0].set_value((f"{case}.png", bad_files()[case], "image/png")).run()
    assert not at.exception
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert headline(at).startswith("## The network reads **2**"), "the earlier result must stay on screen"
    at.file_uploader[0].set_value(("five.png", encode(draw_digit(5, 200), "PNG"), "image/png")).run()
    assert not at.error and headline(at).startswith("## The network reads **5**"), "the page stays usable"


def test_webcam_photo_is_predicted():
    at = explore()
    at.radio(key="source").set_value("Webcam").run()
    at.camera_input[0].set_value(("photo.jpg", encode(photo_of_digit(4, seed=2), "JPEG"), "image/jpeg")).run()
    assert not at.exception and not at.error
    assert headline(at).startswith("## The network reads **4**")


def test_empty_canvas_asks_for_a_drawing():
    at = explore()
    at.radio(key="source").set_value("Draw").run()
    assert not at.exception
    assert any("canvas is empty" in i.value for i in at.info)
