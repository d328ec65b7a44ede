"""Nonsense on the command line is refused when it is parsed, and an unwritable --out before any training."""

import time

import pytest

from command_line import run_cli


@pytest.mark.parametrize(
    "arguments",
    [
        ["train", "--lr", "nan"],
        ["train", "--lr", "inf"],
        ["train", "--layers", "conv 8 5, dropout 1.5, flatten"],
        ["train", "--handwriting", "2000000000", "--dry-run"],
        ["train", "--epochs", "0"],
        ["train", "--val-fraction", "-0.1"],
        ["teach", ".", "--seed", "-1"],
        ["explain", "x.png", "--method", "saliency", "--target", "1e309"],
    ],
)
def test_nonsense_numbers_on_the_command_line_are_refused_at_parse_time(arguments):
    result = run_cli(*arguments)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "error: argument" in result.stderr


def test_an_unwritable_out_is_refused_before_training(tmp_path):
    folder = tmp_path / "not-here" / "w.safetensors"
    started = time.monotonic()
    result = run_cli("train", "--dry-run", "--data", "sample", "--out", folder)
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert "training on" not in result.stderr and time.monotonic() - started < 30  # refused before any data is made
