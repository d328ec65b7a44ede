"""Models a student may open that cost minutes, answer NaN, nest their header deep, or name classes in Markdown,
hidden characters or look-alikes: each refused in one sentence, or shown literally."""

import json

import pytest
import torch
from PIL import Image
from safetensors.torch import save

from cnnviz.errors import InputError
from cnnviz.network.classes import DIGITS
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.reading.files import loads_limited
from cnnviz.training import checkpoints

from command_line import run_cli, strict_json

# --- class names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names, words",
    [
        (("8\u200b", "3"), "invisible"),
        (("a\u202eb", "c"), "invisible"),
        (("tab\there", "x"), "invisible"),
        (("Ｏ", "O"), "look alike"),
        (("cat", "CAT"), "look alike"),
    ],
)
def test_class_names_with_hidden_characters_or_lookalikes_are_refused(names, words):
    with pytest.raises(ValueError, match=words):
        ModelConfig(classes=names)


def test_a_model_whose_class_names_are_markdown_shows_them_literally():
    from ui.models import model_entry

    from page_support import page

    names = ("![x](http://example.invalid/t.png)", "[click](http://example.invalid)", "$x^2$", "<b>bold</b>")
    entry = model_entry("markdown names", build_model(ModelConfig(classes=names), seed=0))
    for view in ("The decision", "Why this answer?", "Can it be fooled?"):
        at = page("explore", run=False)
        at.session_state["session_models"] = {entry.name: entry}
        at.session_state["current_model"] = entry.name
        at.session_state["model"] = entry.name
        at.session_state["view"] = view
        at.run()
        assert not at.exception, at.exception
        shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [m.label for m in at.metric]
        for text in shown:
            assert "](http" not in text.replace("\\]\\(http", ""), f"a class name became a link or an image: {text}"
            assert "<b>" not in text.replace("\\<b\\>", ""), f"a class name became HTML: {text}"
            assert "$x^2$" not in text.replace("\\$x^2\\$", ""), f"a class name became LaTeX: {text}"


def test_every_digit_class_name_is_still_allowed():
    assert ModelConfig(classes=DIGITS).classes == DIGITS


# --- models that cost minutes or answer NaN -------------------------------------------


def weights(config: ModelConfig, change=None) -> bytes:
    model = build_model(config, seed=0)
    state = model.state_dict()
    if change:
        change(state)
    return save({k: v.contiguous() for k, v in state.items()}, metadata={"cnnviz_config": json.dumps(config.to_dict())})


def test_a_model_far_bigger_than_a_classroom_needs_is_refused_in_one_sentence_naming_the_limit():
    config = ModelConfig(conv_channels=(256, 64), kernel_size=11)
    data = weights(config)
    with pytest.raises(InputError, match=r"million multiply-adds, the limit is 60 million"):
        checkpoints.from_bytes(data, "big.safetensors")


@pytest.mark.parametrize(
    "config, change",
    [
        (ModelConfig(batch_norm=True), lambda s: s["bn1.running_var"].fill_(-1.0)),
        (ModelConfig(), lambda s: [v.fill_(1e30) for k, v in s.items() if k.endswith("weight")]),
        (ModelConfig(batch_norm=True), lambda s: (s["bn1.running_var"].fill_(1e-30), s["bn1.weight"].fill_(3e38))),
    ],
    ids=["negative-variance", "weights-1e30", "extreme-statistics"],
)
def test_finite_weights_whose_answers_are_not_numbers_are_refused(tmp_path, config, change):
    path = tmp_path / "overflow.safetensors"
    path.write_bytes(weights(config, change))
    with pytest.raises(InputError, match="variance|overflow"):
        checkpoints.load(path)
    for command in (["predict"], ["explain", "--method", "saliency"]):
        image = tmp_path / "seven.png"
        Image.new("L", (28, 28), 0).save(image)
        result = run_cli(*command, image, "--model", path, "--json")
        answers = strict_json(result.stdout)
        assert len(answers) == 1 and "error" in answers[0] and "Traceback" not in result.stderr


# --- headers nested deep ---------------------------------------------------------------------


def test_a_config_nested_100000_deep_is_refused_without_recursion(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    data = save({"conv1.weight": torch.zeros(1, 1, 5, 5)}, metadata={"cnnviz_config": deep})
    with pytest.raises(InputError, match="no valid cnnviz model config"):
        checkpoints.from_bytes(data)
    with pytest.raises(ValueError, match="nested more than 8"):
        loads_limited(deep, 10**6, 8)
    path = tmp_path / "deep.safetensors"
    path.write_bytes(data)
    image = tmp_path / "x.png"
    Image.new("L", (28, 28), 0).save(image)
    result = run_cli("predict", image, "--model", path, "--json")
    assert "error" in strict_json(result.stdout)[0] and "Traceback" not in result.stderr
