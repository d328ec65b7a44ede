"""Every network the Train page can build works on every page and view: one to three conv layers, batch norm or not."""

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.network.model import ModelConfig, build_model
from ui import widgets
from ui.models import model_entry

from page_support import page

ARCHITECTURES = {
    "one-conv": ModelConfig(conv_channels=(8,)),
    "one-conv-bn": ModelConfig(conv_channels=(8,), batch_norm=True),
    "two-conv": ModelConfig(conv_channels=(8, 16)),
    "two-conv-bn": ModelConfig(conv_channels=(16, 32), batch_norm=True),
    "three-conv-k3": ModelConfig(conv_channels=(4, 8, 16), kernel_size=3),
    "three-conv-bn-k7": ModelConfig(conv_channels=(4, 8, 8), kernel_size=7, batch_norm=True),
    "four-conv": ModelConfig(conv_channels=(4, 8, 8, 8), kernel_size=3),  # maps down to 3 x 3, pooled to 1 x 1
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
@pytest.mark.parametrize("view", widgets.VIEWS)
def test_every_explore_view_works(name, view):
    at = with_model(name, page("explore", run=False))
    at.session_state[widgets.VIEW] = view
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="model").value == f"Trained here: {name}"
    if view in widgets.CELL_VIEWS:
        deepest = build_model(ARCHITECTURES[name]).conv_layers()[-1]
        at.selectbox(key=widgets.LAYER).set_value(deepest).run()
        assert not at.exception, at.exception


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_every_present_stage_works(name):
    at = with_model(name, page("present", run=False))
    at.run()
    total = int(at.title[0].value.split(" / ")[1].split(" ")[0])
    assert total == 6 + len(ARCHITECTURES[name].conv_channels)  # one stage per block after the first
    for _ in range(total - 1):
        next(b for b in at.button if b.label.startswith("Next")).click().run()
        assert not at.exception, (at.title[0].value, at.exception)
    assert at.title[0].value.startswith(f"{total} / {total}")


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_sandbox_works(name):
    at = with_model(name, page("sandbox", run=False))
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="sandbox_kernel").set_value("A learned filter of layer 1").run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_mistakes_page_works(name):
    at = with_model(name, page("mistakes", run=False))
    at.run()
    assert not at.exception, at.exception
    assert [m.label for m in at.metric] == ["Read right", "Digits", "Mistakes"]
