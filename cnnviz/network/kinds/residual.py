"""A residual block: a few layers whose output is added to their input (a skip connection)."""

from collections import OrderedDict
from dataclasses import dataclass
from typing import ClassVar

from torch import nn

from cnnviz.network.layer import Layer, Shape, need
from cnnviz.network.modules import ResidualBlock


@dataclass(frozen=True)
class Residual(Layer):
    """A few layers whose output is added to their input (through a 1x1 conv when the shapes differ)."""

    kind: ClassVar[str] = "res"
    centred: ClassVar[bool] = True
    starts_group: ClassVar[bool] = True
    anchor: ClassVar[bool] = True
    noun: ClassVar[str] = "residual block"
    in_block: ClassVar[bool] = False
    arithmetic: ClassVar[str] = "residual"
    heads: ClassVar[tuple[str, ...]] = ("res", "residual")
    syntax: ClassVar[str] = "res(LAYER, ...)"
    block: ClassVar[bool] = True
    body: tuple[Layer, ...] = ()

    def check(self) -> None:
        need(0 < len(self.body) <= 8, "needs 1 to 8 layers inside")
        for layer in self.body:
            need(layer.in_block, "may hold only conv, activation, pool, bn, dropout")
            layer.check()

    def output(self, shape: Shape) -> Shape:
        need(not shape.flat, "comes after flatten: a skip connection here needs maps")
        out = self.body_output(shape)
        if (out.height, out.width) != (shape.height, shape.width):
            need(
                shape.height % out.height == 0 and shape.height // out.height == shape.width // out.width,
                f"turns {shape.height} x {shape.width} into {out.height} x {out.width}, which a 1x1 conv with a "
                "stride cannot match",
            )
        return out

    def body_output(self, shape: Shape) -> Shape:
        """What its layers make of an input of this shape."""
        for layer in self.body:
            shape = layer.output(shape)
        return shape

    def projects(self, shape: Shape) -> bool:
        """Whether the skip goes through a 1x1 conv (the body changes the channels or the size)."""
        return self.body_output(shape) != shape

    def shortcut_code(self, shape: Shape) -> str:
        """The skip connection's module as Python source."""
        out = self.body_output(shape)
        if out == shape:
            return "nn.Identity()"
        return f"nn.Conv2d({shape.channels}, {out.channels}, 1, stride={shape.height // out.height}, bias=False)"

    @property
    def title(self) -> str:
        return "+ skip"

    @property
    def text(self) -> str:
        return f"res({', '.join(layer.text for layer in self.body)})"

    @property
    def inner(self) -> tuple[Layer, ...]:
        return self.body

    @property
    def words(self) -> str:
        return (
            "A skip connection adds a block's input to what its layers made of it: the layers only have to learn a "
            "correction. The gradient flows back along the skip unchanged, so deep networks still learn."
        )

    def module(self, shape: Shape) -> nn.Module:
        body, out = OrderedDict(), shape
        for inner in self.body:
            body[inner.name] = inner.module(out)
            out = inner.output(out)
        shortcut = (
            nn.Identity()
            if out == shape
            else nn.Conv2d(shape.channels, out.channels, 1, stride=shape.height // out.height, bias=False)
        )
        return ResidualBlock(nn.Sequential(body), shortcut)

    def operation(self, shape: Shape) -> str:
        return "its layers + its input"

    def _through_body(self, shape: Shape, count) -> int:
        total = 0
        for layer in self.body:
            total += count(layer, shape)
            shape = layer.output(shape)
        return total

    def multiply_adds(self, shape: Shape) -> int:
        skip = shape.channels * self.body_output(shape).size if self.projects(shape) else 0  # the 1x1 conv
        return skip + self._through_body(shape, lambda layer, at: layer.multiply_adds(at))

    def weights(self, shape: Shape) -> int:
        skip = shape.channels * self.body_output(shape).channels if self.projects(shape) else 0
        return skip + self._through_body(shape, lambda layer, at: layer.weights(at))

    def to_dict(self) -> dict:
        return {"kind": self.kind, "body": [layer.to_dict() for layer in self.body], "name": self.name}
