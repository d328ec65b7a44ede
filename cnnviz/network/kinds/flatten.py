"""Flatten: the maps laid out as one long list of numbers, for the dense layers after it."""

from dataclasses import dataclass
from typing import ClassVar

from torch import nn

from cnnviz.network.layer import Layer, Shape


@dataclass(frozen=True)
class Flatten(Layer):
    kind: ClassVar[str] = "flatten"
    drawn: ClassVar[bool] = False
    in_block: ClassVar[bool] = False
    noun: ClassVar[str] = "flattening"
    heads: ClassVar[tuple[str, ...]] = ("flatten",)
    syntax: ClassVar[str] = "flatten"

    def output(self, shape: Shape) -> Shape:
        return shape if shape.flat else Shape(shape.size)

    def module(self, shape: Shape) -> nn.Module:
        return nn.Flatten()

    def code(self, shape: Shape) -> str:
        return "nn.Flatten()"

    def input_gradient(self, module, x, y, grad, weights, biases):
        return grad.reshape(x.shape)
