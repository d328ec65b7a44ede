"""Batch norm: each map scaled and shifted by statistics kept while training."""

from dataclasses import dataclass
from typing import ClassVar

from torch import nn

from cnnviz.network.layer import Layer, Shape, need


@dataclass(frozen=True)
class BatchNorm(Layer):
    kind: ClassVar[str] = "bn"
    centred: ClassVar[bool] = True
    per_cell: ClassVar[bool] = True
    keeps_maps: ClassVar[bool] = True
    arithmetic: ClassVar[str] = "norm"
    heads: ClassVar[tuple[str, ...]] = ("bn", "batchnorm", "norm")
    syntax: ClassVar[str] = "bn"
    noun: ClassVar[str] = "batch norm"

    def output(self, shape: Shape) -> Shape:
        need(not shape.flat, "comes after flatten: this batch norm works on maps")
        return shape

    @property
    def title(self) -> str:
        return "Batch norm"

    def module(self, shape: Shape) -> nn.Module:
        return nn.BatchNorm2d(shape.channels)

    def code(self, shape: Shape) -> str:
        return f"nn.BatchNorm2d({shape.channels})"

    def operation(self, shape: Shape) -> str:
        return "scale and shift"

    def weights(self, shape: Shape) -> int:
        return 2 * shape.channels

    def input_gradient(self, module, x, y, grad, weights, biases):
        # in use: y = (x - mean) / std * gamma + beta, a fixed scale and shift
        std = (module.running_var + module.eps).sqrt()[None, :, None, None]
        normalised = (x - module.running_mean[None, :, None, None]) / std
        weights[self.name], biases[self.name] = (grad * normalised).sum(dim=(0, 2, 3)), grad.sum(dim=(0, 2, 3))
        return grad * module.weight[None, :, None, None] / std
