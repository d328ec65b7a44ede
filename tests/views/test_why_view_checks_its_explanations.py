"""The "why this answer" view: a blank map says why in a sentence, and the checks draw their curves and words."""

import copy

import numpy as np
import torch

from cnnviz.training import checkpoints
from ui import state
from ui.models import model_entry
from ui.views.why import deletion_story, scrambling_story

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
    assert "in the maps of ReLU after the second convolution (relu2)" in said[-1]


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


def test_the_words_say_what_the_numbers_show():
    at_random = np.array([0.99, 0.97, 0.9, 0.8, 0.7, 0.6])
    curves = {"occlusion": np.array([0.99, 0.1, 0.05, 0.03, 0.02, 0.01]), "saliency": at_random + 0.0}
    words = deletion_story("7", curves, at_random)
    assert "falls from 99% to: occlusion 1%, saliency 60%; at random, 60%" in words
    assert "Occlusion found pixels this answer needs" in words and "saliency did no better than chance" in words
    signed = {"Grad-CAM": np.array([1.0, 0.1]), "occlusion": np.array([1.0, 0.2]), "saliency": np.array([1.0, 0.9])}
    ignored = {"Grad-CAM": np.array([1.0, 0.1]), "occlusion": np.array([1.0, 0.8]), "saliency": np.array([1.0, 0.9])}
    words = scrambling_story(signed, ignored)
    assert "Grad-CAM (0.10) and occlusion (0.20) give other maps: they depend on what the network learned" in words
    assert "Saliency (0.90) still looks much as before" in words
    assert "Sign ignored, occlusion (0.80) still marks the same pixels" in words
