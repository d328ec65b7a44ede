"""An activation: one function applied to every cell alone (its record is in cnnviz.network.functions)."""

from dataclasses import dataclass
from typing import ClassVar

from torch import nn

from cnnviz.network.functions import FUNCTIONS, Function
from cnnviz.network.layer import Layer, Shape, need


@dataclass(frozen=True)
class Activation(Layer):
    kind: ClassVar[str] = "act"
    per_cell: ClassVar[bool] = True
    keeps_maps: ClassVar[bool] = True
    arithmetic: ClassVar[str] = "activation"
    heads: ClassVar[tuple[str, ...]] = (*FUNCTIONS, "leaky_relu", "leakyrelu")
    syntax: ClassVar[str] = ", ".join(FUNCTIONS)
    article: ClassVar[str] = ""  # a function is named by its name: "ReLU after the first convolution"
    function: str = "relu"

    @classmethod
    def from_words(cls, head, numbers, options):
        need(not numbers, f"{head} takes no numbers")
        return cls(function="leaky" if head.startswith("leaky") else head)

    def check(self) -> None:
        need(self.function in FUNCTIONS, f"is not an activation this app knows ({', '.join(FUNCTIONS)})")

    @property
    def of(self) -> Function:
        """Its function's record (cnnviz.network.functions)."""
        return FUNCTIONS[self.function]

    @property
    def title(self) -> str:
        return self.of.title

    @property
    def noun(self) -> str:
        return self.of.title

    @property
    def text(self) -> str:
        return self.function

    @property
    def stem(self) -> str:
        return self.function

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        return self.of.low, self.of.high

    @property
    def words(self) -> str:
        return self.of.words

    def module(self, shape: Shape) -> nn.Module:
        return self.of.module()

    def code(self, shape: Shape) -> str:
        return self.of.code

    def operation(self, shape: Shape) -> str:
        return self.of.squash

    def input_gradient(self, module, x, y, grad, weights, biases):
        return grad * self.of.slope(x, y)
