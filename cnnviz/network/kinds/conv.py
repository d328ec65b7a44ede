"""A convolution: filters that slide over the maps, each making a map of its own."""

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from cnnviz.network.layer import (
    MAX_CHANNELS,
    MAX_KERNEL,
    MAX_PADDING,
    MAX_STRIDE,
    Layer,
    Shape,
    is_whole,
    need,
    read_number,
)


@dataclass(frozen=True)
class Conv(Layer):
    kind: ClassVar[str] = "conv"
    centred: ClassVar[bool] = True
    has_kernel: ClassVar[bool] = True
    starts_group: ClassVar[bool] = True
    anchor: ClassVar[bool] = True
    noun: ClassVar[str] = "convolution"
    arithmetic: ClassVar[str] = "conv"
    heads: ClassVar[tuple[str, ...]] = ("conv",)
    syntax: ClassVar[str] = "conv CHANNELS KERNEL [stride S] [pad P] (pad defaults to KERNEL // 2)"
    channels: int
    kernel: int
    stride: int = 1
    padding: int | None = None  # None: kernel // 2

    @classmethod
    def from_words(cls, head, numbers, options):
        need(len(numbers) == 2, "conv takes channels and kernel: conv 16 5")
        channels, kernel = read_number(numbers[0], "channels"), read_number(numbers[1], "the kernel")
        return cls(channels, kernel, options.pop("stride", 1), options.pop("pad", None))

    @property
    def pad(self) -> int:
        return self.kernel // 2 if self.padding is None else self.padding

    def check(self) -> None:
        need(is_whole(self.channels, 1, MAX_CHANNELS), f"needs 1 to {MAX_CHANNELS} channels")
        need(is_whole(self.kernel, 1, MAX_KERNEL), f"needs a kernel of 1 to {MAX_KERNEL}")
        need(is_whole(self.stride, 1, MAX_STRIDE), f"needs a stride of 1 to {MAX_STRIDE}")
        need(self.padding is None or is_whole(self.padding, 0, MAX_PADDING), f"needs a padding of 0 to {MAX_PADDING}")

    def output(self, shape: Shape) -> Shape:
        need(not shape.flat, "comes after flatten: a convolution needs maps")
        height, width = ((side + 2 * self.pad - self.kernel) // self.stride + 1 for side in (shape.height, shape.width))
        need(
            height >= 1 and width >= 1,
            f"would make the {shape.height} x {shape.width} maps smaller than 1 x 1 (kernel {self.kernel}, "
            f"padding {self.pad})",
        )
        return Shape(self.channels, height, width)

    @property
    def title(self) -> str:
        return f"Conv {self.kernel}x{self.kernel}" + (f" stride {self.stride}" if self.stride > 1 else "")

    @property
    def text(self) -> str:
        text = f"conv {self.channels} {self.kernel}"
        if self.stride != 1:
            text += f" stride {self.stride}"
        if self.padding is not None and self.padding != self.kernel // 2:
            text += f" pad {self.padding}"
        return text

    @property
    def window(self) -> tuple[int, int, int]:
        return self.kernel, self.stride, self.pad

    def module(self, shape: Shape) -> nn.Module:
        return nn.Conv2d(shape.channels, self.channels, self.kernel, stride=self.stride, padding=self.pad)

    def code(self, shape: Shape) -> str:
        settings = f"kernel_size={self.kernel}, stride={self.stride}, padding={self.pad}"
        return f"nn.Conv2d({shape.channels}, {self.channels}, {settings})"

    def operation(self, shape: Shape) -> str:
        return f"{shape.channels} filters, {shape.height}x{shape.width}"

    def multiply_adds(self, shape: Shape) -> int:
        return self.output(shape).size * shape.channels * self.kernel * self.kernel

    def weights(self, shape: Shape) -> int:
        return self.channels * (shape.channels * self.kernel * self.kernel + 1)

    def input_gradient(self, module, x, y, grad, weights, biases):
        # dW correlates x with dy, dx convolves dy with W (stride and padding kept)
        weights[self.name] = torch.nn.grad.conv2d_weight(x, module.weight.shape, grad, module.stride, module.padding)
        biases[self.name] = grad.sum(dim=(0, 2, 3))
        return torch.nn.grad.conv2d_input(x.shape, module.weight, grad, module.stride, module.padding)
