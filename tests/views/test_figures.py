"""Figures are valid Plotly, say what they show, and draw the numbers they are given.

Figures are built without Plotly's validation (cnnviz/viz/figure.py); this module finds every
public figure builder by introspection and validates what it builds, so none can slip through.
"""

import importlib
import inspect
import pkgutil
import re

import numpy as np
import plotly.graph_objects as go
import pytest

import cnnviz.viz
from cnnviz.network.backprop import Step
from cnnviz.network.capture import max_pool_winners
from cnnviz.training.engine import EpochEnd
from cnnviz.viz import feature_maps_figure, filters_figure, logits_figure, pooling_figure, probability_bars
from cnnviz.viz.colors import DEFAULT
from cnnviz.viz.inputs import pixelated, square
from cnnviz.viz.tables import number_table
from cnnviz.viz.tiles import tile

rng = np.random.default_rng(0)
MAPS = rng.normal(size=(16, 28, 28)).astype(np.float32)
RELU = np.maximum(MAPS, 0)
EPOCHS = [EpochEnd(e, 1 / e, 0.9, 1.1 / e, 0.88, 1.0) for e in range(1, 4)]
EXAMPLES = {  # one call per public figure builder
    "compare_figure": lambda f: f([("modern", EPOCHS), ("lenet5", EPOCHS[:2])]),
    "class_answers_figure": lambda f: f(tuple("0123456789"), [[0, 0, 1, 5, 0, 0, 0, 2, 1, 0]] * 2, 3, DEFAULT),
    "filters_figure": lambda f: f(rng.normal(size=(32, 16, 5, 5)), rng.normal(size=32), "Layer 2 filters"),
    "feature_maps_figure": lambda f: f(MAPS, "before ReLU", signed=True),
    "pooling_figure": lambda f: f(RELU, max_pool_winners(RELU), "pooling"),
    "logits_figure": lambda f: f(rng.normal(size=10), np.full(10, 0.1)),
    "probability_bars": lambda f: f(np.full(10, 0.1), "probe"),
    "channel_sums_figure": lambda f: f(rng.normal(size=16), 0.3, "sums"),
    "contributions_figure": lambda f: f(rng.normal(size=128), "7"),
    "runs_figure": lambda f: f(rng.random((5, 10)), np.full(10, 0.1), "runs"),
    "loss_figure": lambda f: f(list(rng.random(300)), 70),
    "epochs_figure": lambda f: f(EPOCHS),
    "grad_norms_figure": lambda f: f({"conv1": list(rng.random(50)), "fc2": list(rng.random(50))}),
    "filter_inputs_figure": lambda f: f(rng.normal(size=(32, 16, 5, 5)), "which maps each filter reads"),
    "sweep_figure": lambda f: f(np.arange(5.0), np.full((5, 10), 0.1), 2.0, "shift", tuple("0123456789")),
    "confusion_figure": lambda f: f(np.diag([5] * 10) + np.eye(10, k=1, dtype=int), tuple("0123456789")),
    "class_accuracy_figure": lambda f: f(np.linspace(0.9, 1.0, 10), tuple("0123456789")),
    "map_figure": lambda f: f(MAPS[0], "one map", signed=True),
    "augmentation_figure": lambda f: f(rng.random((20, 28, 28)), rng.random((20, 28, 28))),
    "rate_figure": lambda f: f(
        [Step(r, 2.0, 2.0 - r, np.full(10, 0.1), 0.9, None) for r in (1e-3, 1e-2, 1e-1)], 0.95, 1e-2
    ),
    "norms_figure": lambda f: f({"conv1": 0.5, "conv2": 2.0, "fc1": 6.0, "fc2": 1.5}),
    "curve_figure": lambda f: f([(1, 0.5, 0.3), (2, 0.8, 0.4)], ("circle", "cross")),
    "deletion_figure": lambda f: f(
        (0, 0.1, 0.2),
        {"saliency": np.array([0.9, 0.5, 0.2]), "Grad-CAM": np.array([0.9, 0.6, 0.3])},
        np.full(3, 0.9),
        "7",
    ),
    "scrambling_figure": lambda f: f(["trained", "down to fc2"], {"saliency": np.array([1.0, np.nan])}),
    "features_figure": lambda f: f(
        rng.random((2, 3)), ["channel 0, 1, 1", "channel 2, 0, 0", "channel 5, 3, 1"], ("o", "x")
    ),
}


def figure_builders() -> dict:
    """Every public function of cnnviz.viz annotated to return a go.Figure (but the plumbing, make_figure)."""
    builders = {}
    for module_info in pkgutil.iter_modules(cnnviz.viz.__path__):
        module = importlib.import_module(f"cnnviz.viz.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__ and name != "make_figure":
                if inspect.signature(function).return_annotation in (go.Figure, "go.Figure"):
                    builders[name] = function
    return builders


BUILDERS = figure_builders()


def test_every_figure_builder_has_an_example():
    assert set(BUILDERS) == set(EXAMPLES), "add an example call for each new figure builder"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_figure_is_valid_plotly_with_title_and_axis_titles(name):
    figure = EXAMPLES[name](BUILDERS[name])
    validated = go.Figure(figure.to_dict())  # full validation: catches misspelt properties
    assert validated.layout.title.text
    assert validated.layout.xaxis.title.text
    assert all(trace.hovertemplate or trace.hoverinfo == "skip" for trace in validated.data)
    for trace in validated.data:
        if trace.type == "heatmap":  # named scales must be resolved: the browser knows few names
            assert not isinstance(trace.colorscale, str)


def test_mosaic_places_each_map_in_its_tile():
    maps = np.arange(3 * 2 * 2, dtype=np.float32).reshape(3, 2, 2)
    z, where = tile(maps, columns=2, gap=1)
    assert z.shape == (5, 5)
    assert np.array_equal(z[0:2, 3:5], maps[1]) and np.array_equal(z[3:5, 0:2], maps[2])
    assert np.isnan(z[2]).all() and np.isnan(z[3:5, 3:5]).all()
    assert tuple(where[4, 1]) == (2, 1, 1)


def test_signed_maps_use_a_scale_centred_on_zero():
    heatmap = feature_maps_figure(MAPS, "t", signed=True).data[0]
    assert heatmap.zmin == -heatmap.zmax and heatmap.zmax == pytest.approx(np.abs(MAPS).max())


def test_filters_figure_shows_every_weight_and_bias():
    weights, biases = rng.normal(size=(4, 3, 5, 5)), rng.normal(size=4)
    figure = filters_figure(weights, biases, "t")
    z, customdata = np.asarray(figure.data[0].z), np.asarray(figure.data[0].customdata)
    filled = customdata[..., 0] >= 0
    assert filled.sum() == weights.size
    for o, i, r, c in customdata[filled][:50]:
        assert weights[o, i, r, c] == pytest.approx(z[(customdata == [o, i, r, c]).all(axis=-1)][0])
    assert np.allclose(figure.data[1].y, biases)


def test_pooling_figure_colours_exactly_the_winners_of_windows_that_found_something():
    figure = pooling_figure(RELU, max_pool_winners(RELU), "t")
    kept, dropped = (np.asarray(trace.z, dtype=float) for trace in (figure.data[1], figure.data[0]))
    windows = RELU.reshape(16, 14, 2, 14, 2).max(axis=(2, 4))  # (16, 14, 14)
    assert np.isfinite(kept).sum() == (windows > 0).sum()  # one winner per window with something in it
    assert np.isfinite(dropped).sum() == 3 * (windows > 0).sum()  # all-zero windows are left blank
    assert np.nanmin(kept) > 0
    empty = np.asarray(figure.data[2].z, dtype=float)
    assert np.isfinite(empty).sum() == 4 * (windows == 0).sum()  # their four cells, in the faintest grey


@pytest.mark.parametrize("figure", ["logits", "probabilities"])
def test_the_answer_charts_highlight_the_prediction(figure):
    probabilities = np.array([0.01] * 9 + [0.91])
    if figure == "logits":
        built = logits_figure(np.arange(10.0), probabilities)
    else:
        built = probability_bars(probabilities, "t")
    colours = built.data[0].marker.color
    assert colours[9] != colours[0] and len(set(colours[:9])) == 1


def test_pixelated_repeats_pixels_without_blurring():
    small = np.array([[0.0, 1.0], [1.0, 0.0]])
    big = pixelated(small, min_side=8)
    assert big.shape == (8, 8) and set(np.unique(big)) == {0.0, 1.0}


def test_square_centres_any_shape_on_black():
    tall = np.full((10, 4), 200, dtype=np.uint8)
    out = square(tall)
    assert out.shape == (10, 10) and out[:, 3:7].min() == 200 and out[:, :3].max() == 0


def test_number_table_writes_every_number_in_a_cell_coloured_by_its_value():
    values = np.array([[-1.0, 0.0], [0.5, 2.0]])
    table = number_table(values, "<b>kernel</b>", top=3, left=7, marked=(1, 1))
    cells = re.findall(r'<td style="([^"]*)" title="row (\d+), column (\d+): ([-\d.]+)">([-\d.]+)</td>', table)
    assert [(int(r), int(c), float(text)) for _, r, c, _, text in cells] == [
        (3, 7, -1.0), (3, 8, 0.0), (4, 7, 0.5), (4, 8, 2.0)
    ]  # fmt: skip
    backgrounds = [re.search(r"background: (rgb\([^)]*\))", style).group(1) for style, *_ in cells]
    assert len(set(backgrounds)) == 4, "different values, different colours"
    assert "outline" in cells[3][0] and all("outline" not in style for style, *_ in cells[:3])
    assert "&lt;b&gt;kernel&lt;/b&gt;" in table, "the title is text, not markup"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_figure_says_what_it_shows_in_words(name):
    """The text alternative a screen reader gets instead of the chart names the chart and a number from it."""
    from cnnviz.viz.figure import describe

    figure = EXAMPLES[name](BUILDERS[name])
    words = describe(figure)
    assert words.startswith(figure.layout.title.text.split("<")[0][:20]) and any(c.isdigit() for c in words), words


@pytest.mark.parametrize("name", ["epochs_figure", "class_accuracy_figure", "compare_figure"])
def test_accuracy_axes_never_show_more_than_100_percent(name):
    figure = EXAMPLES[name](BUILDERS[name])
    axes = [figure.layout[name] for name in ("yaxis", "yaxis2") if name in figure.layout]
    assert any(axis.tickformat == ".0%" for axis in axes)
    for axis in axes:
        if axis.tickformat == ".0%":
            assert axis.tickvals is not None, "the ticks are chosen, not left to Plotly (which shows 102%)"
            assert max(axis.tickvals) <= 1.0
