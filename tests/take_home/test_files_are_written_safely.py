"""Every command that writes checks the place first, says so in one sentence, and leaves a file whole or not there.

The tests run as root, for whom every permission check passes: an unwritable place is one no one can
write (/proc), a device (/dev/full), or a disk that fills up halfway (a file-size limit on the process).
"""

import json
import resource
import subprocess
import sys

import pytest

from cnnviz.data.handwriting import draw_digit, encode
from cnnviz.data.samples import list_samples
from cnnviz.errors import InputError
from cnnviz.saving import TEMPORARY, write_file, write_folder
from cnnviz.training import checkpoints

from command_line import run_cli

IMAGE = list_samples()[0].path
LONG = "x" * 300  # longer than any file system's longest name (255 bytes)


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """A folder of examples teach can learn from: two classes, three drawings each."""
    folder = tmp_path_factory.mktemp("examples")
    for name, digits in (("ones", (1, 1, 1)), ("sevens", (7, 7, 7))):
        (folder / name).mkdir()
        for seed, digit in enumerate(digits):
            (folder / name / f"{seed}.png").write_bytes(encode(draw_digit(digit, 120, seed=seed), "PNG"))
    return folder


def command(name: str, out, examples=None) -> list:
    """The arguments of one writing command aimed at out."""
    return {
        "activations": ["activations", IMAGE, "--out", out],
        "worksheet": ["worksheet", IMAGE, "--out", out],
        "teach": ["teach", examples, "--out", out],
        "train": ["train", "--dry-run", "--data", "sample", "--out", out],
        "export": ["export", checkpoints.BUNDLED_WEIGHTS, "--out", out],
    }[name]


def refused_in_one_sentence(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert all(word in result.stderr for word in words), result.stderr
    assert "training on" not in result.stderr, "refused before any work"


@pytest.mark.parametrize("name", ["activations", "worksheet", "teach", "train", "export"])
def test_a_name_too_long_is_one_sentence(tmp_path, examples, name):
    result = run_cli(*command(name, tmp_path / LONG, examples))
    refused_in_one_sentence(result, "300 bytes long", "at most 255")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["activations", "worksheet", "train"])
@pytest.mark.parametrize("place", ["/dev/full", "/proc/cnnviz-out"], ids=["device", "unwritable"])
def test_a_place_that_cannot_take_a_file_is_refused_first(name, place):
    result = run_cli(*command(name, place))
    refused_in_one_sentence(result, place)


def test_export_without_room_for_its_weights_leaves_nothing(tmp_path):
    """A disk that fills after model.py is written: neither file is left behind, nor a temporary one."""

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))  # model.py fits, the weights do not

    result = subprocess.run(
        [sys.executable, "-m", "cnnviz", "export", str(checkpoints.BUNDLED_WEIGHTS), "--out", str(tmp_path / "home")],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_disk,
    )
    refused_in_one_sentence(result, "nothing was saved")
    assert list(tmp_path.iterdir()) == []


def test_export_makes_no_chain_of_missing_folders(tmp_path):
    result = run_cli(*command("export", tmp_path / "typo" / "deeper" / "home"))
    refused_in_one_sentence(result, "does not exist")
    assert list(tmp_path.iterdir()) == []


def test_export_replaces_an_earlier_export_only_with_force(tmp_path):
    home = tmp_path / "home"
    first = run_cli(*command("export", home))
    assert first.returncode == 0, first.stderr
    assert str(home.absolute() / "model.py") in first.stdout, "it says where the files went"
    (home / "model.py").write_text("# my notes")
    again = run_cli(*command("export", home))
    refused_in_one_sentence(again, "--force")
    assert (home / "model.py").read_text() == "# my notes"
    forced = run_cli(*command("export", home), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "def build()" in (home / "model.py").read_text()
    assert sorted(p.name for p in home.iterdir()) == ["model.py", "weights.safetensors"]


def test_a_dry_run_saves_nothing_unless_told_where(tmp_path):
    result = run_cli("train", "--dry-run", "--data", "sample", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "nothing saved" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_is_whole_or_as_it_was(tmp_path, monkeypatch):
    target = tmp_path / "weights.safetensors"
    target.write_bytes(b"the old file")

    def disk_full(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(InputError, match="no space left on device"):
        write_file(target, b"the new file, only half of which fits")
    assert target.read_bytes() == b"the old file"
    assert [p.name for p in tmp_path.iterdir()] == ["weights.safetensors"]
    monkeypatch.undo()
    assert write_file(target, b"the new file") == target.absolute() and target.read_bytes() == b"the new file"
    assert not any(p.name.startswith(TEMPORARY) for p in tmp_path.iterdir())


def test_a_folder_is_all_its_files_or_none(tmp_path, monkeypatch):
    written = []

    def second_fails(descriptor):
        written.append(descriptor)
        if len(written) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", second_fails)
    with pytest.raises(InputError, match="nothing was saved"):
        write_folder(tmp_path / "home", {"model.py": b"code", "weights.safetensors": b"numbers"})
    assert list(tmp_path.iterdir()) == []


def test_teach_says_where_it_saved(tmp_path, examples):
    result = run_cli(*command("teach", tmp_path / "taught.safetensors", examples), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["out"] == str((tmp_path / "taught.safetensors").absolute())
