"""Every network works on every page and view: the presets (LeNet-5, sigmoid, strided, a residual net), the one
family older files hold (one to four conv blocks, batch norm or not), and a layer list edited freely."""

import pytest
import torch
from streamlit.testing.v1 import AppTest

from cnnviz.data.mnist import load_offline_sample
from cnnviz.network.classes import DIGITS
from cnnviz.network.layers import Architecture, parse_layers
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.network.presets import PRESETS, preset
from cnnviz.reading.preprocess import already_prepared
from ui import state
from ui.models import model_entry
from ui.views import CELL_VIEWS, TABS

from page_support import page

ARCHITECTURES = {
    **{name: preset(name, DIGITS) for name in PRESETS},
    "one-conv": ModelConfig(conv_channels=(8,)),
    "two-conv-bn": ModelConfig(conv_channels=(16, 32), batch_norm=True),
    "three-conv-bn-k7": ModelConfig(conv_channels=(4, 8, 8), kernel_size=7, batch_norm=True),
    "four-conv": ModelConfig(conv_channels=(4, 8, 8, 8), kernel_size=3),  # maps down to 3 x 3, pooled to 1 x 1
    "edited": Architecture(
        parse_layers("conv 6 3 stride 2 pad 0, leaky, res(conv 6 3, tanh), avgpool 3 stride 2, flatten, linear 20"),
        DIGITS,
    ),
    "gelu": Architecture(parse_layers("conv 8 3, gelu, maxpool 2, conv 8 3, gelu, flatten, linear 32, gelu"), DIGITS),
}


def with_model(name: str, at: AppTest) -> AppTest:
    """The page with this architecture chosen as the session's model (as "Use in Explore" does)."""
    model = build_model(ARCHITECTURES[name], seed=0).eval()
    entry = model_entry(f"Trained here: {name}", model)
    at.session_state["session_models"] = {entry.name: entry}
    at.session_state["current_model"] = entry.name
    at.session_state["model"] = entry.name
    return at


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_every_explore_view_works(name):
    at = with_model(name, page("explore", run=False))
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="model").value == f"Trained here: {name}"
    deepest = {}  # every kind of layer's cells, the deepest of each
    for info in build_model(ARCHITECTURES[name]).layers():
        if info.maps:
            deepest[info.spec.kind] = info.name
    for view in TABS:  # each tab in turn, as a student clicks through them
        at.session_state[state.VIEW_TABS] = view.label
        at.run()
        assert not at.exception, (view.id, at.exception)
        assert at.query_params[state.VIEW] == view.id  # the tab opened (the URL follows it)
        if view in CELL_VIEWS:
            for layer in deepest.values():
                at.selectbox(key=state.LAYER).set_value(layer).run()
                assert not at.exception, (view.id, layer, at.exception)


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_every_present_stage_works_for_a_digit_from_mistakes(name):
    digits = load_offline_sample()
    at = with_model(name, page("present", run=False))
    description = "digit #7 of the offline sample (true 3)"
    at.session_state[state.IMAGE] = (description, already_prepared(digits.images[7].numpy(), description))
    at.run()
    total = int(at.title[0].value.split(" / ")[1].split(" ")[0])
    assert total >= 7
    for _ in range(total - 1):
        next(b for b in at.button if b.label.startswith("Next")).click().run()
        assert not at.exception, (at.title[0].value, at.exception)
    assert at.title[0].value == f"{total} / {total} · The decision"


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_sandbox_works(name):
    at = with_model(name, page("sandbox", run=False))
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="sandbox_kernel").set_value("A learned filter of the first convolution").run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_mistakes_page_works(name):
    at = with_model(name, page("mistakes", run=False))
    at.run()
    assert not at.exception, at.exception
    assert [m.label for m in at.metric] == ["Read right", "Digits", "Mistakes"]


def test_the_overview_titles_every_stage_by_its_layer():
    from cnnviz.network.capture import ActivationCapture
    from cnnviz.viz.browser import stages_of

    for name, words in {
        "lenet5": ["Conv 5x5", "tanh", "Avg pool 2x2"],
        "strided": ["Conv 5x5 stride 2", "ReLU"],
        "tiny-resnet": ["Conv 3x3", "Batch norm", "+ skip", "Max pool 2x2"],
        "sigmoid": ["sigmoid"],
    }.items():
        model = build_model(ARCHITECTURES[name], seed=0).eval()
        image = torch.zeros(1, 1, 28, 28)
        titles = {stage["title"] for stage in stages_of(model, ActivationCapture(model)(image), image)}
        assert set(words) <= titles, (name, titles)
