"""Dropout: while training, units switched off at random; in use, nothing."""

from dataclasses import dataclass
from typing import ClassVar

from torch import nn

from cnnviz.network.layer import Layer, Shape, need, read_number
from cnnviz.network.modules import SeededDropout


@dataclass(frozen=True)
class Dropout(Layer):
    kind: ClassVar[str] = "dropout"
    drawn: ClassVar[bool] = False
    drops: ClassVar[bool] = True
    keeps_maps: ClassVar[bool] = True
    heads: ClassVar[tuple[str, ...]] = ("dropout",)
    syntax: ClassVar[str] = "dropout RATE"
    rate: float = 0.3

    @classmethod
    def from_words(cls, head, numbers, options):
        need(len(numbers) <= 1, "dropout takes its rate: dropout 0.3")
        return cls(rate=read_number(numbers[0], "the rate", float) if numbers else 0.5)

    def check(self) -> None:
        need(
            isinstance(self.rate, (int, float)) and not isinstance(self.rate, bool) and 0 <= self.rate < 1,
            "needs a rate from 0 up to (not including) 1",
        )

    @property
    def title(self) -> str:
        return f"Dropout {self.rate:g}"

    @property
    def text(self) -> str:
        return f"dropout {self.rate:g}"

    def module(self, shape: Shape) -> nn.Module:
        return SeededDropout(self.rate)

    def code(self, shape: Shape) -> str:
        return f"nn.Dropout({self.rate:g})"

    def input_gradient(self, module, x, y, grad, weights, biases):
        return grad  # dropout is off in use: it passes the gradient unchanged
