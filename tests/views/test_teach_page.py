"""The Teach page with AppTest, and every page with a model that names new classes instead of digits."""

import pytest

from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training.checkpoints import load_bundled
from cnnviz.training.transfer import fit, transfer_model
from harness.teaching_corpus import as_examples, drawings
from harness.waiting import wait_until
from ui import state
from ui.models import model_entry
from ui.views import TABS, by_id

from page_support import page


def as_pixels(data: bytes):
    return preprocess_bytes(data).pixels


def test_teaching_from_the_ready_made_set_scores_both_networks():
    at = page("teach")
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == ["No examples yet: draw some, upload some, or use the ready-made set."]
    at.button(key="teach_ready").click().run()
    assert [m.value for m in at.markdown if m.value.endswith("examples")] == [
        f"**{name}**: 6 examples" for name in ("diamond", "square", "triangle", "house")
    ]
    at.button(key="teach_go").click().run()
    assert not at.exception, at.exception
    finished(at)
    scores = {m.label: m.value for m in at.metric}
    assert set(scores) == {"Frozen digit filters + new head", "From scratch"}
    assert float(scores["Frozen digit filters + new head"].rstrip("%")) >= 75
    assert any(m.value.startswith("On 8 held-out examples") for m in at.markdown)
    assert any(c.value.startswith("Scored on 8 examples held back (2 of each class)") for c in at.caption)


def finished(at, timeout: float = 120.0):
    """Rerun the page, as its live part does by itself, until the teaching has ended."""
    wait_until(
        lambda: not at.session_state["teaching_job"][0].progress().active, timeout, 0.1, "the teaching did not end"
    )
    at.run()
    assert not at.exception, at.exception
    return at


def test_three_examples_per_class_teach_with_one_held_back_each():
    at = page("teach")
    at.text_input(key="teach_names").set_value("star, heart").run()
    for name, files in drawings(3, seed=4, names=("star", "heart")).items():
        at.session_state["teaching_examples"][name] = [as_pixels(data) for data in files]
    at.run()
    at.button(key="teach_go").click().run()
    finished(at)
    assert not at.error, [e.value for e in at.error]
    assert {m.label for m in at.metric} == {"Frozen digit filters + new head", "From scratch"}
    assert any(c.value.startswith("Scored on 2 examples held back (1 of each class)") for c in at.caption)


def test_renaming_the_classes_clears_the_last_teaching():
    at = page("teach")
    at.button(key="teach_ready").click().run()
    at.button(key="teach_go").click().run()
    finished(at)
    assert at.metric
    at.text_input(key="teach_names").set_value("diamond, square, triangle, house, star").run()
    assert not at.metric and "teaching_job" not in at.session_state


def test_a_class_name_list_that_cannot_make_a_model_says_so():
    at = page("teach")
    at.text_input(key="teach_names").set_value("only one").run()
    assert not at.exception
    assert "2 to 100 names" in at.error[0].value


def test_a_clear_button_empties_one_class():
    at = page("teach")
    at.button(key="teach_ready").click().run()
    at.button(key="teach_clear_square").click().run()
    assert "**square**: 0 examples" in [m.value for m in at.markdown]
    assert any("square has fewer" in i.value for i in at.info)


@pytest.fixture(scope="module")
def taught_entry():
    examples = as_examples(drawings(4, seed=1))
    model = fit(transfer_model(load_bundled(), examples.classes), examples, steps=20)
    return model_entry("Taught: shapes", model)


def with_taught(at, entry):
    at.session_state["session_models"] = {entry.name: entry}
    at.session_state["current_model"] = entry.name
    at.session_state["model"] = entry.name
    return at


@pytest.mark.parametrize("view", [view.id for view in TABS])
def test_explore_works_with_new_classes(taught_entry, view):
    at = with_taught(page("explore", run=False), taught_entry)
    at.session_state[state.VIEW_TABS] = by_id(view).label
    at.run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("name", ["sandbox", "present", "mistakes"])
def test_other_pages_work_with_new_classes(taught_entry, name):
    at = with_taught(page(name, run=False), taught_entry)
    at.run()
    assert not at.exception, at.exception
