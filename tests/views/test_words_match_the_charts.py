"""Every sentence the pages write from numbers says what the chart beside it shows: the same numbers.

Each test renders a view for a few images and models (the bundled one, and untrained networks whose
numbers are unlike a trained one's), reads the sentence and the chart's own data, and compares them.
"""

import base64
import json
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from cnnviz.network.classes import DIGITS
from cnnviz.network.model import build_model
from cnnviz.network.presets import PRESETS, preset
from cnnviz.training import checkpoints
from ui import state
from ui.models import model_entry
from ui.views.decision import TEMPERATURES

from page_support import headline, open_view, page

# Every bundled network (trained) and every preset (untrained: numbers unlike a trained network's).
MODELS = {
    "bundled": None,
    "bundled lenet5": checkpoints.LENET_WEIGHTS,
    **{name: preset(name, DIGITS) for name in PRESETS},
}
SAMPLES = ["3 - photo of paper", "7 - drawn with a pen", "1 - chalk on a board"]


def explore(model: str, sample: str, view: str):
    at = page("explore", run=False, sample=sample)
    if MODELS[model] is not None:
        network = MODELS[model]
        built = checkpoints.load(network) if isinstance(network, Path) else build_model(network, seed=4).eval()
        entry = model_entry(f"network {model}", built)
        at.session_state["session_models"] = {entry.name: entry}
        at.session_state["current_model"] = entry.name
        at.session_state["model"] = entry.name
    at.run()
    return open_view(at, view)


def decoded(value):
    """A chart's JSON with Plotly's packed arrays ({"dtype", "bdata"}) turned back into lists of numbers."""
    if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    if isinstance(value, dict):
        return {key: decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decoded(item) for item in value]
    return value


def figure(at, words: str):
    """The chart whose title holds these words, as a Plotly figure (its arrays decoded)."""
    for chart in at.get("plotly_chart"):
        found = go.Figure(decoded(json.loads(chart.proto.spec)))
        if words in (found.layout.title.text or ""):
            return found
    raise AssertionError(f"no chart titled with {words!r}")


def percents(text: str) -> list[float]:
    return [float(p) / 100 for p in re.findall(r"(\d+(?:\.\d+)?)%", text)]


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("sample", SAMPLES)
def test_the_headline_and_the_answer_bars_give_the_same_share(model, sample):
    at = explore(model, sample, "decision")
    words = headline(at).replace("\\", "")  # Markdown escapes aside
    bars = figure(at, "Softmax")
    best = max(bars.data[0].y)
    shares = percents(words)
    assert any(abs(share - best) < 0.006 for share in shares) or "not a digit" in words, (words, best)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_the_fooled_story_says_where_the_chart_changes_its_answer(model):
    at = explore(model, SAMPLES[0], "fooled")
    captions = [c.value.replace("\\", "") for c in at.caption]  # Markdown escapes aside
    story = next(c for c in captions if "top answer" in c or "Even unchanged" in c)
    sweep = figure(at, "whole range")
    lines = {trace.name: list(trace.y) for trace in sweep.data if trace.mode == "lines"}
    xs = [float(x) for x in next(trace.x for trace in sweep.data if trace.mode == "lines")]
    if "Even unchanged" in story:  # "Even unchanged the answer is not 3 here.": somewhere the chart tops it
        name = story.removeprefix("Even unchanged the answer is not ").removesuffix(" here.")
        assert name in lines and any(
            max(trace[i] for trace in lines.values()) > lines[name][i] for i in range(len(xs))
        ), story
    else:
        story_matches_the_sweep(story, xs, lines)


def story_matches_the_sweep(story: str, xs: list[float], lines: dict[str, list[float]]) -> None:
    """Where the story says the answer holds, its line tops the others; where it says it falls, it falls that low."""
    name = story.split(" stays the top answer")[0].split()[-1]
    values = np.array(lines[name])
    if "falls to" in story:  # "how sure it is falls to 18% at 60"
        low, at_value = re.search(r"falls to (\d+)% at (-?[\d.]+)", story).groups()
        index = (
            xs.index(float(at_value))
            if float(at_value) in xs
            else int(np.argmin(np.abs(np.array(xs) - float(at_value))))
        )
        assert abs(values[index] - int(low) / 100) < 0.006, (story, values[index])
    start, end = (
        (xs[0], xs[-1])
        if "whole range" in story
        else (float(v) for v in re.search(r"from (-?[\d.]+) to (-?[\d.]+)", story).groups())
    )
    others = {k: np.array(v) for k, v in lines.items() if k != name}
    for x, y in zip(xs, values):
        if start <= x <= end:
            assert all(y >= other[xs.index(x)] - 1e-9 for other in others.values()), (story, x)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_grad_cam_words_name_the_size_of_the_layer_it_looks_at(model):
    at = explore(model, SAMPLES[1], "why")
    layer = at.selectbox(key="why_layer").value
    words = next(c.value for c in at.caption if c.value.startswith("Grad-CAM"))
    height, width = re.search(r"\((\d+) x (\d+) here\)", words).groups()
    shown = at.selectbox(key="why_layer").format_func(layer)
    assert shown.endswith(f": {height} x {width}"), (words, shown)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 5.0, TEMPERATURES[-1]])
def test_the_temperature_story_gives_the_tables_shares(temperature):
    at = explore("bundled", SAMPLES[2], "decision")
    at.select_slider(key=state.TEMPERATURE).set_value(temperature).run()
    story = next(m.value for m in at.markdown if m.value.startswith("Sum of all exponentials"))
    table = at.dataframe[0].value
    shares = sorted(table.iloc[:, -1].to_numpy(), reverse=True)
    said = percents(story)
    assert abs(said[-2] - shares[0]) < 0.0006 and abs(said[-1] - shares[1]) < 0.0006, (story, shares[:2])
    if temperature == TEMPERATURES[-1]:
        assert shares[0] < 0.5, "the slider reaches a temperature where the answer visibly flattens"


def test_the_cell_view_sums_to_the_number_it_says_the_model_computed():
    at = explore("tiny-resnet", SAMPLES[0], "cell")
    for layer in ("conv2", "res1", "pool1", "relu1"):
        at.selectbox(key=state.LAYER).set_value(layer).run()
        said = [m.value.split("###", 1)[1] for m in at.markdown if "###" in m.value]
        assert said, layer
        total = float(re.search(r"= \*\*(-?[\d.]+)\*\*", said[0]).group(1))
        computed = [
            float(v)
            for v in re.findall(
                r"computed (-?[\d.]+)", " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
            )
        ]
        if computed:
            assert abs(computed[0] - total) < 0.0015, (layer, said[0], computed)
