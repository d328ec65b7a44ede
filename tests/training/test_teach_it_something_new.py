"""Transfer learning: new classes on the frozen conv layers of the digit model, from the command line and the core."""

import json

import pytest
import torch
from safetensors import safe_open

from cnnviz.training import checkpoints
from cnnviz.training.checkpoints import load_bundled
from cnnviz.training.progress import State
from cnnviz.training.teaching import TeachingJob
from cnnviz.training.transfer import Examples, accuracy, check_examples, fit, transfer_model
from harness.teaching_corpus import SYMBOLS, as_examples, drawings, write_folder
from harness.waiting import wait_until

from command_line import run_cli
from image_files import bad_files


@pytest.fixture(scope="module")
def taught_on_disk(tmp_path_factory):
    root = tmp_path_factory.mktemp("teach")
    folder = write_folder(root / "examples", drawings(5, seed=1))
    (folder / "star" / "notes.txt").write_bytes(bad_files()["text_renamed_png"])  # refused, the rest still taught
    out = root / "taught.safetensors"
    result = run_cli("teach", folder, "--out", out, "--json")
    return root, out, result


def test_teach_saves_a_model_of_the_new_classes(taught_on_disk):
    _, out, result = taught_on_disk
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["classes"] == sorted(SYMBOLS)  # folder names, in order
    assert report["examples"] == {name: 5 for name in sorted(SYMBOLS)}
    assert report["frozen"] == ["conv1", "conv2"]
    assert [p["file"].rsplit("/", 1)[-1] for p in report["refused"]] == ["notes.txt"]
    with safe_open(str(out), "pt") as file:
        assert json.loads(file.metadata()["cnnviz_classes"]) == sorted(SYMBOLS)


def test_the_conv_layers_are_bit_for_bit_the_base_models(taught_on_disk):
    _, out, _ = taught_on_disk
    taught, base = checkpoints.load(out), load_bundled()
    for conv in base.conv_layers():
        for name, tensor in base.layer(conv).module.state_dict().items():
            assert torch.equal(taught.layer(conv).module.state_dict()[name], tensor), (conv, name)
    assert taught.fc2.out_features == len(SYMBOLS)


def test_predict_names_the_new_classes(taught_on_disk):
    root, out, _ = taught_on_disk
    new = write_folder(root / "new", drawings(2, seed=7))
    files = sorted(new.glob("*/*.png"))
    result = run_cli("predict", *files, "--model", out, "--json")
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    for answer in answers:
        assert answer["classes"] == sorted(SYMBOLS)
        assert len(answer["probabilities"]) == len(SYMBOLS)
        assert answer["label"] in SYMBOLS
    right = sum(answer["label"] == path.parent.name for path, answer in zip(files, answers))
    assert right >= len(files) - 1


@pytest.mark.parametrize(
    "layout, message",
    [({"only": 5}, "2 to 100 names"), ({"star": 5, "heart": 2}, "at least 3 examples"), ({}, "2 to 100 names")],
)
def test_teach_refuses_folders_it_cannot_learn_from_in_one_line(tmp_path, layout, message):
    made = drawings(max(layout.values(), default=0), seed=3, names=("star",)) if layout else {}
    for name, count in layout.items():
        write_folder(tmp_path, {name: made["star"][:count]})
    result = run_cli("teach", tmp_path, "--out", tmp_path / "x.safetensors", "--json")
    assert result.returncode == 1
    assert message in json.loads(result.stdout)["error"]
    assert "Traceback" not in result.stderr and not (tmp_path / "x.safetensors").exists()


def taught_now(base, examples):
    """A teaching run to its end, as the Teach page runs it (in a background thread)."""
    job = TeachingJob(base, examples).start()
    assert job.join(timeout=120)
    return job.progress()


def test_transfer_keeps_the_base_untouched_and_trains_only_the_head():
    base = load_bundled()
    before = {k: v.clone() for k, v in base.state_dict().items()}
    model = transfer_model(base, ("a", "b"))
    trainable = {name.split(".")[0] for name, p in model.named_parameters() if p.requires_grad}
    assert trainable == {"fc1", "fc2"}
    examples = as_examples(drawings(4, seed=5, names=("star", "heart")))
    taught = fit(transfer_model(base, examples.classes), examples)
    for key, value in base.state_dict().items():
        assert torch.equal(value, before[key])
    assert taught.classes == ("star", "heart")
    assert accuracy(taught, examples) == 1.0  # it fits what it was shown


def test_teaching_holds_back_a_third_scores_both_networks_and_draws_the_curve():
    taught = taught_now(load_bundled(), as_examples(drawings(6, seed=1)))
    assert taught.state == State.FINISHED
    assert len(taught.held_out) == 2 * len(SYMBOLS) and len(taught.learned) == 4 * len(SYMBOLS)
    assert taught.transfer_accuracy >= 0.75 and 0 <= taught.scratch_accuracy <= 1
    assert [per_class for per_class, _, _ in taught.curve] == [1, 2, 3, 4]
    assert all(0 <= t <= 1 and 0 <= s <= 1 for _, t, s in taught.curve)


def test_three_examples_per_class_the_fewest_the_page_accepts_still_teach():
    taught = taught_now(load_bundled(), as_examples(drawings(3, seed=4, names=("star", "heart"))))
    assert taught.state == State.FINISHED, taught.message
    assert len(taught.held_out) == 2 and len(taught.learned) == 4  # one of each held back, two learned from
    assert taught.transfer_accuracy is not None and taught.scratch_accuracy is not None


def test_the_transfer_result_comes_first_and_stop_ends_a_teaching_at_once():
    job = TeachingJob(load_bundled(), as_examples(drawings(6, seed=1))).start()
    wait_until(lambda: job.progress().transfer_accuracy is not None or not job.alive, 60)
    first = job.progress()
    assert first.transfer is not None and first.curve == []  # the curve comes last
    job.stop()
    assert job.join(timeout=5) and job.progress().state in (State.STOPPED, State.FINISHED)


def test_too_few_examples_are_refused_in_words():
    examples = Examples(torch.zeros(4, 28, 28), torch.tensor([0, 0, 0, 1]), ("x", "y"))
    with pytest.raises(ValueError, match="y has fewer"):
        check_examples(examples)
