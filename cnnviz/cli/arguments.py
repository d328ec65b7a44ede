"""What the command line accepts: numbers checked at parse time, a layer list, a model to load."""

import argparse
import math
from pathlib import Path

from cnnviz.network.classes import DIGITS
from cnnviz.network.layers import Architecture, LayerError, parse_layers
from cnnviz.network.presets import PRESETS
from cnnviz.training import checkpoints
from cnnviz.training.budget import check_budget

MAX_GENERATED = 200_000  # generated items of one kind: about an hour of drawing on 2 cores


def whole(low: int, high: int):
    """An argparse type: a whole number from low to high, refused at parse time with the range."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low:,} to {high:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def decimal(low: float, high: float, low_inclusive: bool = True, high_inclusive: bool = True):
    """An argparse type: a finite decimal number in a range (NaN and infinity refused at parse time)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        above = value > low if not low_inclusive else value >= low
        below = value < high if not high_inclusive else value <= high
        if not (math.isfinite(value) and above and below):
            brackets = f"{'[' if low_inclusive else '('}{low:g}, {high:g}{']' if high_inclusive else ')'}"
            raise argparse.ArgumentTypeError(f"{text} is not a number in {brackets}")
        return value

    parse.__name__ = "number"
    return parse


def layer_list(text: str):
    """An argparse type: a layer list in the text form (see cnnviz.network.layers), or a preset's name; one that
    cannot make a network is refused at parse time, naming the layer."""
    try:
        layers = parse_layers(PRESETS.get(text, text))
        check_budget(Architecture(layers, DIGITS))  # numbers in range, shapes at least 1 x 1, flat, affordable
        return layers
    except LayerError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def load_model(path: Path | None):
    """The model at path, or the bundled one."""
    return checkpoints.load(path) if path else checkpoints.load_bundled()
