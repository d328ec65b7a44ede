"""A dense (fully connected) layer: every unit weighs every number of its input."""

from dataclasses import dataclass
from typing import ClassVar

from torch import nn

from cnnviz.network.layer import MAX_UNITS, Layer, Shape, is_whole, need, read_number


@dataclass(frozen=True)
class Linear(Layer):
    kind: ClassVar[str] = "linear"
    centred: ClassVar[bool] = True
    in_block: ClassVar[bool] = False
    anchor: ClassVar[bool] = True
    noun: ClassVar[str] = "dense layer"
    heads: ClassVar[tuple[str, ...]] = ("linear", "dense", "fc")
    syntax: ClassVar[str] = "linear UNITS"
    units: int = 128

    @classmethod
    def from_words(cls, head, numbers, options):
        need(len(numbers) == 1, "linear takes its units: linear 120")
        return cls(units=read_number(numbers[0], "units"))

    def check(self) -> None:
        need(is_whole(self.units, 1, MAX_UNITS), f"needs 1 to {MAX_UNITS} units")

    def output(self, shape: Shape) -> Shape:
        need(shape.flat, "comes before flatten: put a flatten before the first linear layer")
        return Shape(self.units)

    @property
    def title(self) -> str:
        return f"Dense {self.units}"

    @property
    def text(self) -> str:
        return f"linear {self.units}"

    @property
    def stem(self) -> str:
        return "fc"

    def module(self, shape: Shape) -> nn.Module:
        return nn.Linear(shape.size, self.units)

    def code(self, shape: Shape) -> str:
        return f"nn.Linear({shape.size}, {self.units})"

    def multiply_adds(self, shape: Shape) -> int:
        return shape.size * self.units

    def weights(self, shape: Shape) -> int:
        return (shape.size + 1) * self.units

    def input_gradient(self, module, x, y, grad, weights, biases):
        weights[self.name], biases[self.name] = grad.T @ x, grad.sum(dim=0)  # y = W x + b
        return grad @ module.weight
