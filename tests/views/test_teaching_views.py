"""The teaching views with AppTest: the arithmetic panel, links that restore a view, sandbox and presenter mode."""

import json

import numpy as np
import pytest

from cnnviz.data.samples import list_samples
from cnnviz.network.capture import ActivationCapture
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints

from page_support import open_view, page


def sample_activations(title: str) -> dict:
    sample = next(s for s in list_samples() if s.title == title)
    return ActivationCapture(checkpoints.load_bundled())(preprocess_bytes(sample.path.read_bytes()).tensor)


def test_picking_a_cell_shows_its_sum_which_equals_the_activation():
    at = page("explore")
    at.selectbox(key="layer").set_value("conv2").run()
    at.number_input(key="channel").set_value(5).run()
    at.number_input(key="row").set_value(3).run()
    at.number_input(key="col").set_value(4).run()
    assert not at.exception
    assert any(m.value.startswith("**Row 3, column 4 of map 5**") for m in at.markdown)
    expected = sample_activations(at.selectbox(key="sample").value)["conv2"][5, 3, 4]
    assert any(f"The model itself computed {expected:.3f}" in c.value for c in at.caption)
    assert any(f"= **{expected:.3f}**" in m.value for m in at.markdown)
    relu = sample_activations(at.selectbox(key="sample").value)["relu2"][5, 3, 4]
    assert any(f"max(0, {expected:.3f}) = **{relu:.3f}**" in m.value for m in at.markdown), "the x of max stays"
    # the pickers are bound to the URL by Streamlit's frontend: tests/test_overview_in_browser.py checks the URL


def test_a_shared_link_opens_the_same_view():
    at = page(
        "explore", sample="7 - drawn with a pen", layer="conv2", channel=9, row=6, col=2, palette="Colour-blind safe"
    )
    assert not at.exception
    assert at.selectbox(key="sample").value == "7 - drawn with a pen"
    assert at.selectbox(key="layer").value == "conv2"
    assert (
        at.number_input(key="channel").value,
        at.number_input(key="row").value,
        at.number_input(key="col").value,
    ) == (9, 6, 2)
    assert at.radio(key="palette").value == "Colour-blind safe"
    assert any(
        "rgb(45,0,75)" in chart.proto.spec for chart in at.get("plotly_chart")
    )  # PuOr, the colour-blind-safe scale
    assert "[45, 0, 75]" in json.dumps(json.loads(at.get("bidi_component")[0].proto.json)["colours"]["diverging"])


def test_a_link_with_nonsense_falls_back_quietly():
    at = page("explore", layer="conv9", row="lots", col=999, sample="no such digit", palette="plaid", view="nowhere")
    assert not at.exception and not at.error
    assert at.selectbox(key="layer").value == "conv1"
    assert at.number_input(key="col").value in range(28)  # kept inside the map


def test_softmax_temperature_changes_the_probabilities():
    at = open_view(page("explore"), "decision")
    before = at.dataframe[0].value.iloc[:, -1].to_numpy()
    at.select_slider(key="temperature").set_value(3.0).run()
    after = at.dataframe[0].value.iloc[:, -1].to_numpy()
    assert not at.exception and after.max() < before.max() and np.argmax(after) == np.argmax(before)


def test_sandbox_runs_every_kernel_and_refuses_a_bad_one():
    at = page("sandbox")
    assert not at.exception
    for choice in ["Blur", "A learned filter of the first convolution", "Type your own"]:
        at.selectbox(key="sandbox_kernel").set_value(choice).run()
        assert not at.exception and any("Output shape" in m.value for m in at.markdown)
    at.text_area(key="sandbox_typed").set_value("1 2 3\n4 5").run()
    assert not at.exception and "square" in at.error[0].value
    at.selectbox(key="sandbox_kernel").set_value("Outline").run()
    at.slider(key="sandbox_stride").set_value(2).run()
    assert any("Output shape** 14 x 14" in m.value for m in at.markdown)


def test_dropout_runs_differ_and_eval_mode_does_not():
    at = page("sandbox")
    first = json.loads(next(c for c in at.get("plotly_chart") if "runs with dropout" in c.proto.spec).proto.spec)
    dots = [trace["y"] for trace in first["data"] if trace["type"] == "scatter"]
    assert len(dots) == 5 and dots[0] != dots[1]


@pytest.mark.parametrize("start", [1, 4])
def test_presenter_mode_steps_through_every_stage_numbered_as_in_the_url(start):
    at = page("present", stage=start)
    total = int(at.title[0].value.split(" / ")[1].split(" ")[0])
    assert at.title[0].value.startswith(f"{start} / {total}"), "stage=N in the URL shows stage N"
    while not next(b for b in at.button if b.label.startswith("Next")).disabled:
        next(b for b in at.button if b.label.startswith("Next")).click().run()
        assert not at.exception
    assert at.title[0].value.startswith(f"{total} / {total}") and any(
        "The network reads" in m.value for m in at.markdown
    )
    next(b for b in at.button if b.label.startswith("◀")).click().run()
    assert at.title[0].value.startswith(f"{total - 1} / {total}")


def test_a_nonsense_stage_in_the_url_opens_the_first():
    at = page("present", stage=0)
    assert not at.exception and at.title[0].value.startswith("1 / ")
