"""Activation functions, one record each: everything the app builds, computes, draws and says about one.

A record is the one place a function is written down: its PyTorch module and the line of code an
exported model.py builds it with, its value for one number and its slope (the backward pass), the
formula a page writes out for one number, the range its values take (and so its colour scale), and
the words a learner reads. FUNCTIONS is the table every other part of the app asks.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

LEAKY_SLOPE = 0.01  # leaky ReLU's slope below zero


@dataclass(frozen=True)
class Function:
    """One activation function."""

    name: str  # its word in the layer list ("relu") and in layer names (relu1)
    title: str  # as a learner reads it ("ReLU")
    module: Callable[[], nn.Module]  # a fresh PyTorch module
    code: str  # the same module as Python source, for the exported model.py
    formula: str  # written out for one number x ("max(0, x)")
    squash: str  # what it does, in a few words under its stage in the overview
    words: str  # what it does, in a sentence or two for a learner
    value: Callable[[float], float]  # its value for one number, as PyTorch computes it
    slope: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # d(output)/d(input) from input x and output y
    low: float | None = None  # the smallest value it can give (None: no bound)
    high: float | None = None  # the largest


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x > -700 else 0.0


def _gelu(x: float) -> float:
    return 0.5 * x * (1 + math.erf(x / math.sqrt(2)))


def _gelu_slope(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """GELU' = Φ(x) + x φ(x): the normal distribution's cumulative share plus x times its density."""
    return 0.5 * (1 + torch.erf(x / math.sqrt(2))) + x * torch.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


FUNCTIONS: dict[str, Function] = {
    function.name: function
    for function in (
        Function(
            "relu",
            "ReLU",
            nn.ReLU,
            "nn.ReLU()",
            "max(0, x)",
            "max(0, x)",
            "ReLU keeps positive values and sets every negative value to zero: only evidence *for* a pattern goes on.",
            lambda x: max(x, 0.0),
            lambda x, y: (x > 0).to(x.dtype),  # passes the gradient where the input was positive, stops it elsewhere
            low=0.0,
        ),
        Function(
            "tanh",
            "tanh",
            nn.Tanh,
            "nn.Tanh()",
            "tanh(x)",
            "squashed to -1..1",
            "tanh squashes every value into -1 to 1: small values pass almost unchanged, large ones flatten out.",
            math.tanh,
            lambda x, y: 1 - y * y,  # near 0 where the unit saturates
            low=-1.0,
            high=1.0,
        ),
        Function(
            "sigmoid",
            "sigmoid",
            nn.Sigmoid,
            "nn.Sigmoid()",
            "1 / (1 + e^-(x))",  # e^-(-1.000), never e^--1.000
            "squashed to 0..1",
            "Sigmoid squashes every value into 0 to 1 (0.5 at zero). Its slope is at most 0.25, so gradients shrink "
            "at every sigmoid they pass back through.",
            _sigmoid,
            lambda x, y: y * (1 - y),  # at most 0.25, so it shrinks at every layer
            low=0.0,
            high=1.0,
        ),
        Function(
            "leaky",
            "leaky ReLU",
            lambda: nn.LeakyReLU(LEAKY_SLOPE),
            f"nn.LeakyReLU({LEAKY_SLOPE})",
            f"x if x > 0, else {LEAKY_SLOPE} × x",
            f"x, or {LEAKY_SLOPE}x",
            f"Leaky ReLU keeps positive values and shrinks negative ones to {LEAKY_SLOPE:.0%}, so no unit is ever "
            "switched off completely.",
            lambda x: x if x > 0 else LEAKY_SLOPE * x,
            lambda x, y: torch.where(x > 0, 1.0, LEAKY_SLOPE).to(x.dtype),
        ),
        Function(
            "gelu",
            "GELU",
            nn.GELU,
            "nn.GELU()",
            "x × Φ(x)",
            "x × Φ(x): a smooth ReLU",
            "GELU multiplies each value by Φ(x), the share of a normal distribution below it: large positive values "
            "pass, large negative ones become 0, and near zero it bends smoothly (its lowest value is -0.17).",
            _gelu,
            _gelu_slope,
            low=-0.17,
        ),
    )
}
