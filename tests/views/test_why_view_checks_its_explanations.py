"""The "why this answer" view: a blank map says why in a sentence, and the checks draw their curves and words."""

import copy

import torch

from cnnviz.training import checkpoints
from ui import state
from ui.models import model_entry

from page_support import open_view, page

SAMPLE = "7 - drawn with a pen"


def why(model=None):
    at = page("explore", run=False, sample=SAMPLE)
    if model is not None:
        entry = model_entry("conv2 switched off", model)
        at.session_state[state.SESSION_MODELS] = {entry.name: entry}
        at.session_state[state.MODEL_WIDGET] = entry.name
        at.session_state[state.MODEL] = entry.name
    at.run()
    return open_view(at, "why")


def test_blank_maps_say_why_instead_of_showing_blank_squares():
    """With its last conv layer switched off, the network answers the same whatever the pixels: every map is 0."""
    silent = copy.deepcopy(checkpoints.load_bundled())
    with torch.no_grad():
        silent.conv2.weight.zero_()
        silent.conv2.bias.zero_()
    at = why(silent)
    assert not at.exception and len(at.image) == 0
    said = [info.value.replace("\\", "") for info in at.info]
    starts = ["Saliency is", "Integrated gradients are", "Occlusion is", "Grad-CAM is"]
    assert [text.split(" 0 everywhere")[0] for text in said] == starts
    assert "conv2" in said[-1]


def test_checking_draws_the_deletion_curves_then_the_scrambled_network():
    at = why()
    assert not at.exception and len(at.image) == 4 and not at.get("plotly_chart")
    at.toggle(key="why_check").set_value(True).run()
    assert not at.exception and len(at.get("plotly_chart")) == 1
    assert any("With half the pixels blanked, the probability of 7 falls from" in c.value for c in at.caption)
    at.toggle(key="why_scramble").set_value(True).run()
    assert not at.exception and len(at.get("plotly_chart")) == 2
    assert len(at.image) == 4 + 4, "one strip of maps per method, trained to fully scrambled"
    assert any("With every layer scrambled" in c.value for c in at.caption)
