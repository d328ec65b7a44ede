"""Pooling: each window of a map becomes one number, its largest (max) or its mean (avg)."""

from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.network.layer import MAX_POOL, Layer, Shape, is_whole, need, read_number

POOLS = ("max", "avg")


@dataclass(frozen=True)
class Pool(Layer):
    kind: ClassVar[str] = "pool"
    pools: ClassVar[bool] = True
    arithmetic: ClassVar[str] = "pool"
    heads: ClassVar[tuple[str, ...]] = ("maxpool", "avgpool", "pool")
    syntax: ClassVar[str] = "maxpool N, avgpool N [stride S]"
    mode: str = "max"
    size: int = 2
    stride: int | None = None  # None: the window size

    @classmethod
    def from_words(cls, head, numbers, options):
        need(len(numbers) <= 1, f"{head} takes its window: {head} 2")
        size = read_number(numbers[0], "the window") if numbers else 2
        return cls(mode="avg" if head == "avgpool" else "max", size=size, stride=options.pop("stride", None))

    @property
    def step(self) -> int:
        return self.size if self.stride is None else self.stride

    @property
    def largest(self) -> bool:
        """Whether it keeps each window's largest value (max-pooling) rather than its mean."""
        return self.mode == "max"

    def check(self) -> None:
        need(self.mode in POOLS, "pools by max or avg")
        need(is_whole(self.size, 1, MAX_POOL), f"needs a window of 1 to {MAX_POOL}")
        need(self.stride is None or is_whole(self.stride, 1, MAX_POOL), f"needs a stride of 1 to {MAX_POOL}")

    def output(self, shape: Shape) -> Shape:
        need(not shape.flat, "comes after flatten: pooling needs maps")
        height, width = ((side - self.size) // self.step + 1 for side in (shape.height, shape.width))
        need(
            height >= 1 and width >= 1,
            f"would make the {shape.height} x {shape.width} maps smaller than 1 x 1",
        )
        return Shape(shape.channels, height, width)

    @property
    def title(self) -> str:
        return f"{'Max' if self.largest else 'Avg'} pool {self.size}x{self.size}" + (
            f" stride {self.step}" if self.step != self.size else ""
        )

    @property
    def noun(self) -> str:
        return "max-pooling" if self.largest else "average pooling"

    @property
    def text(self) -> str:
        return f"{self.mode}pool {self.size}" + (
            f" stride {self.stride}" if self.stride not in (None, self.size) else ""
        )

    @property
    def window(self) -> tuple[int, int, int]:
        return self.size, self.step, 0

    @property
    def words(self) -> str:
        size = f"{self.size} x {self.size}"
        if self.largest:
            return (
                f"Max-pooling looks at each {size} window and keeps only its largest value: where a pattern was found."
            )
        return f"Average pooling replaces each {size} window by the mean of its values: every value counts a little."

    def module(self, shape: Shape) -> nn.Module:
        return (nn.MaxPool2d if self.largest else nn.AvgPool2d)(self.size, stride=self.step)

    def code(self, shape: Shape) -> str:
        return f"{'nn.MaxPool2d' if self.largest else 'nn.AvgPool2d'}({self.size}, stride={self.step})"

    def operation(self, shape: Shape) -> str:
        return f"keeps the {'largest' if self.largest else 'mean'}, {shape.height}x{shape.width}"

    def input_gradient(self, module, x, y, grad, weights, biases):
        if self.largest:  # only each window's winner gets the gradient
            _, winners = F.max_pool2d(x, self.size, self.step, return_indices=True)
            return F.max_unpool2d(grad, winners, self.size, self.step, output_size=x.shape[-2:])
        share = torch.full((x.shape[1], 1, self.size, self.size), 1.0 / (self.size * self.size))  # equal shares
        spread = F.conv_transpose2d(grad, share, stride=self.step, groups=x.shape[1])
        return F.pad(spread, (0, x.shape[3] - spread.shape[3], 0, x.shape[2] - spread.shape[2]))
