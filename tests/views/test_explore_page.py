"""The Explore page, run headless with AppTest: samples, uploads, webcam, drawing and bad files."""

import json

import numpy as np
import pytest
import torch
from safetensors.torch import save
from streamlit.testing.v1 import AppTest

from cnnviz.data.handwriting import draw_digit, encode, photo_of_digit
from cnnviz.data.samples import list_samples
from cnnviz.network.classes import with_article
from cnnviz.reading.preprocess import already_prepared
from ui import state
from ui.views import TABS

from image_files import bad_files
from page_support import ROOT, TIMEOUT, choose_source, headline, open_view, page


def explore() -> AppTest:
    return page("explore")


def test_app_entry_point_opens_explore():
    at = AppTest.from_file(str(ROOT / "navigation.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value.startswith("Explore")


def test_page_runs_and_shows_the_whole_network_first():
    at = explore()
    assert not at.exception
    assert [tab.label for tab in at.tabs] == [view.label for view in TABS]
    overview = at.get("bidi_component")
    assert len(overview) == 1, "one overview of the whole network"


@pytest.mark.parametrize(
    "view, charts, tables, images",
    [
        ("cell", 0, 3, 0),  # input patch, kernel, products: numbers in coloured cells
        ("player", 0, 0, 0),
        ("pooling", 0, 1, 0),  # the window
        ("preparing", 0, 0, 8),  # every preprocessing step
        # the open tab alone (conv 1, as at first): its filters, its strongest patches and made-up inputs
        # (mosaics), and one channel's nine patches and made-up input (images); conv 2's tab: see below
        ("filters", 3, 0, 2),
        ("maps", 0, 0, 0),
        ("decision", 3, 0, 0),  # logits, probabilities, contributions of the last layer
        ("why", 0, 0, 4),  # one picture per attribution method
        ("fooled", 1, 0, 4),  # the changed digit, the sweep; before, nudge, after
        ("file", 0, 0, 0),  # a table of the numbers each layer keeps
    ],
)
def test_every_view_runs_only_when_open(view, charts, tables, images):
    at = open_view(explore(), view)
    assert not at.exception
    assert len(at.get("plotly_chart")) == charts and len(at.image) == images
    assert sum(element.proto.body.count("<table") for element in at.get("html")) == tables
    components = {"player": 2, "maps": 3}.get(view, 1)  # the player; one big overview per layer
    assert len(at.get("bidi_component")) == components


def test_a_deeper_layers_filters_run_when_its_tab_is_opened():
    at = open_view(explore(), "filters")
    at.session_state[state.FILTER_TABS] = next(tab.label for tab in at.tabs if tab.label.endswith("(conv2)"))
    at.run()
    assert not at.exception
    # layer 2's input maps, one filter large, every weight; its strongest patches and made-up inputs
    assert {chart.key for chart in at.get("plotly_chart")} >= {"reach_conv2", "one_filter_conv2", "filters_conv2"}
    assert {"strongest_conv2", "dreams_conv2"} <= {chart.key for chart in at.get("plotly_chart")}
    assert len(at.image) == 2


@pytest.mark.parametrize("sample", list_samples()[::3], ids=lambda s: s.path.name)
def test_selected_sample_shows_its_prediction(sample):
    at = explore()
    at.selectbox(key="sample").set_value(sample.title).run()
    assert not at.exception
    if sample.kind == "unclear":
        assert headline(at).startswith(f"## The network is unsure: **probably {with_article(str(sample.label))}, maybe")
    else:
        assert headline(at).startswith(f"## The network reads **{sample.label}**")


def test_uploaded_image_is_predicted():
    at = explore()
    choose_source(at, "Upload")
    at.file_uploader[0].set_value(("seven.png", encode(draw_digit(7, 200, seed=3), "PNG"), "image/png")).run()
    assert not at.exception and not at.error
    assert headline(at).startswith("## The network reads **7**")


@pytest.mark.parametrize(
    "case", ["text_renamed_png", "truncated_png", "svg", "decompression_bomb_40000px", "blank_white"]
)
def test_bad_upload_shows_one_error_and_keeps_the_last_result(case):
    at = explore()
    choose_source(at, "Upload")
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
    choose_source(at, "Webcam")
    at.camera_input[0].set_value(("photo.jpg", encode(photo_of_digit(4, seed=2), "JPEG"), "image/jpeg")).run()
    assert not at.exception and not at.error
    assert headline(at).startswith("## The network reads **4**")


def test_empty_canvas_asks_for_a_drawing():
    at = explore()
    choose_source(at, "Draw")
    assert not at.exception
    assert any("canvas is empty" in i.value for i in at.info)


def test_an_uploaded_file_name_is_shown_literally_not_as_markdown():
    at = explore()
    choose_source(at, "Upload")
    name = "**bold** [link](http://x) $x^2$.png"
    at.file_uploader[0].set_value((name, encode(draw_digit(7, 200, seed=3), "PNG"), "image/png")).run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "Input: file" in c.value)
    assert r"\*\*bold\*\* \[link\]\(http\://x\) \$x^2\$\.png" in caption


@pytest.mark.parametrize(
    "config, words",
    [
        ({"conv_channels": [1], "hidden_units": 4_000_000}, "no valid cnnviz model config"),
        ({"hidden_units": -1}, "no valid cnnviz model config"),
        ({"kernel_size": 5.5}, "no valid cnnviz model config"),
    ],
)
def test_hostile_weights_on_the_page_get_one_sentence_and_the_model_picker_stays(config, words):
    at = explore()
    data = save({"conv1.weight": torch.zeros(1, 1, 5, 5)}, metadata={"cnnviz_config": json.dumps(config)})
    at.file_uploader(key="weights_file").set_value(("evil.safetensors", data, "application/octet-stream")).run()
    assert not at.exception
    assert len(at.error) == 1 and words in at.error[0].value
    assert at.selectbox(key="model").value.startswith("Bundled")
    at.run()
    assert not at.exception and headline(at).startswith("## The network reads")


def test_a_digit_picked_on_the_mistakes_page_is_shown_until_dropped():
    seven = 255 - np.asarray(draw_digit(7, 28, seed=2, pen=0.12))
    at = page("explore", run=False)
    at.session_state[state.PICKED] = ("digit #3 of a test set (true 7)", already_prepared(seven, "a test digit"))
    at.run()
    assert not at.exception and headline(at).startswith("## The network reads **7**")
    assert any("picked on the Mistakes page" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Back to my own image").click().run()
    assert not any("picked on the Mistakes page" in c.value for c in at.caption)


def test_guess_first_hides_the_answer_until_a_guess_then_compares():
    from ui import state

    at = page("explore", run=False)
    at.session_state[state.GUESS_FIRST] = True
    at.run()
    assert not at.exception
    assert not [m for m in at.markdown if m.value.startswith("## The network ")]
    assert not at.get("bidi_component") and not at.get("plotly_chart")  # no overview, no chart gives it away
    guess = next(g for g in at.get("button_group") if g.key and g.key.startswith("guess_"))
    guess.set_value("5").run()
    assert headline(at).startswith("## The network reads")
    assert any(i.value.startswith("You guessed 5; the network ") and "It gives 5 " in i.value for i in at.info)
