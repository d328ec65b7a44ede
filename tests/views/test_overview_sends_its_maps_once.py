"""The overview's maps are built once per model and image and fetched by the browser; a rerun sends the selection."""

import json
import urllib.error
import urllib.request

import pytest
import torch

from cnnviz.network.capture import ActivationCapture
from cnnviz.network.cells import Selection
from cnnviz.viz.browser import selected_cell, stages_of
from ui import maps


def test_maps_are_built_once_per_model_and_image(bundled):
    image = torch.zeros(1, 1, 28, 28)
    activations = ActivationCapture(bundled)(image)
    built = []

    def build():
        built.append(1)
        return stages_of(bundled, activations, image)

    first = maps.publish("model-a", "image-1", build)
    again = maps.publish("model-a", "image-1", build)
    assert first == again and len(built) == 1
    stages = json.loads(maps.kept(first))
    assert [stage["id"] for stage in stages][:2] == ["input", "conv1"] and stages[-1]["id"] == "probabilities"
    others = {maps.publish("model-b", "image-1", build), maps.publish("model-a", "image-2", build)}
    assert first not in others and len(others) == 2 and len(built) == 3


def test_an_address_names_neither_the_model_nor_the_image():
    where = maps.address("bundled", "0123456789abcdef")
    assert where.startswith(maps.PATH) and "bundled" not in where and "0123456789abcdef" not in where
    assert maps.kept(maps.PATH + "0" * 40) is None


def test_what_a_rerun_sends_is_the_selection_not_the_maps(bundled):
    outlined = selected_cell(bundled, Selection("conv2", 5, 3, 4))
    assert outlined["selected"] == {"layer": "conv2", "channel": 5, "row": 3, "col": 4}
    assert {mark["role"] for mark in outlined["marks"]} >= {"cell", "window"}
    assert len(json.dumps(outlined)) < 2_000  # the maps are about 260 KB


@pytest.mark.browser
def test_the_server_serves_only_maps_it_was_shown(app_url):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{app_url}{maps.PATH}{'0' * 40}", timeout=10)
    assert refused.value.code == 404
