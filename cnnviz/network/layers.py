"""A network described as an ordered list of layers: the kinds, their checks, a text form, shapes and presets.

Each kind is a small frozen dataclass that can check its own numbers, say what it does to a shape
and what it is called, and turn into PyTorch modules. `Architecture` is the list plus the class
names; the last layer, linear to one output per class, is added by the model. Everything here may
come from an uploaded file's header, so every number is checked before anything is built, and an
impossible stack is refused with one sentence naming the layer.

The text form (python -m cnnviz train --layers, and the Train page) is one layer per line or comma:

    conv 16 5 [stride 2] [pad 0]   channels, kernel; padding defaults to kernel // 2 (same size at stride 1)
    relu | tanh | sigmoid | leaky | gelu   an activation (cnnviz.network.functions)
    maxpool 2 [stride 2] | avgpool 2 [stride 2]   pooling window (stride defaults to the window)
    bn                             batch norm
    dropout 0.3
    flatten
    linear 120                     a fully connected layer of 120 units
    res(conv 16 3, bn, relu, conv 16 3, bn)   a residual block: its layers' output plus its input
"""

import numbers
import re
from collections import OrderedDict
from dataclasses import dataclass, field, fields, replace
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.network import classes as names
from cnnviz.network.functions import FUNCTIONS, Function
from cnnviz.network.modules import ResidualBlock, SeededDropout

IMAGE_SIZE = 28  # MNIST images are 28 x 28 pixels, one channel
MAX_LAYERS = 40  # in all, residual blocks' layers counted
MAX_CHANNELS = 256
MAX_KERNEL = 11
MAX_STRIDE = 4
MAX_PADDING = 5
MAX_POOL = 4
MAX_UNITS = 4096
POOLS = ("max", "avg")


class LayerError(ValueError):
    """A layer list that cannot make a network; the message names the layer and why."""


def _whole(value, low: int, high: int) -> bool:
    """Whether value is a whole number (not a bool or float) from low to high."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and low <= value <= high


def _need(ok: bool, message: str) -> None:
    if not ok:
        raise LayerError(message)


@dataclass(frozen=True)
class Shape:
    """What flows between layers: maps (channels, height, width), or a flat vector (units,)."""

    channels: int
    height: int = 0  # 0 for a flat vector
    width: int = 0

    @property
    def flat(self) -> bool:
        return self.height == 0

    @property
    def size(self) -> int:
        return self.channels if self.flat else self.channels * self.height * self.width

    def __str__(self) -> str:
        return f"{self.channels:,}" if self.flat else f"{self.channels} x {self.height} x {self.width}"


@dataclass(frozen=True)
class Layer:
    """What every kind of layer has: a name (made from its kind and place unless given) and its text form.

    Each kind is the one record of everything the app builds, computes, draws and says about it: how
    its module is built, its name and caption for learners, the line of an exported model.py, the
    range of its values (and so its colour scale), the window a cell of it reads, and its rule in the
    written-out backward pass. Nothing elsewhere asks which kind a layer is; it asks the layer.
    """

    kind: ClassVar[str] = ""
    name: str = field(default="", kw_only=True)  # unique in the network; old files give their own
    drawn: ClassVar[bool] = True  # whether the overview draws its output (flatten and dropout change nothing seen)
    centred: ClassVar[bool] = False  # whether its values centre on zero: a colour scale centred on zero, always
    has_kernel: ClassVar[bool] = False  # a convolution: it has filters, the player slides them, Grad-CAM reads it
    starts_group: ClassVar[bool] = False  # the maps view groups a layer with what follows it (a conv, a block)
    per_cell: ClassVar[bool] = False  # acts on each cell alone (batch norm, activations): the chain after a conv
    keeps_maps: ClassVar[bool] = False  # pooling after it still pools the same maps (per-cell layers, dropout)
    pools: ClassVar[bool] = False  # keeps one number of each window: its colours are those of the maps it pools
    in_block: ClassVar[bool] = True  # may stand inside a residual block
    arithmetic: ClassVar[str | None] = None  # how one cell of its maps is taken apart (a view for each way)
    drops: ClassVar[bool] = False  # switches units off at random while training (dropout)

    def check(self) -> None:
        """LayerError unless every number is a sensible one."""

    def output(self, shape: Shape) -> Shape:
        """The shape this layer makes of its input's (LayerError naming the problem if it cannot)."""
        return shape

    @property
    def title(self) -> str:
        """How pages name the layer ("Conv 5x5 stride 2")."""
        return self.kind.title()

    @property
    def text(self) -> str:
        """The layer in the text form (parse_layers reads it back)."""
        return self.kind

    @property
    def stem(self) -> str:
        """The start of the names this app gives such layers (conv1, relu2, fc1)."""
        return self.kind

    @property
    def inner(self) -> tuple["Layer", ...]:
        """The layers inside it (a residual block's), in order."""
        return ()

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The smallest and largest values its output can take (None: no bound): its colour scale's ends."""
        return None, None

    @property
    def window(self) -> tuple[int, int, int] | None:
        """(size, stride, padding) of the window one output cell reads, for a layer that slides one."""
        return None

    @property
    def words(self) -> str:
        """What it does, in a sentence for a learner ("" where the view's own words say it)."""
        return ""

    def module(self, shape: Shape) -> nn.Module:
        """Its PyTorch module, for an input of this shape."""
        raise LayerError(f"{self.kind} has no module")

    def code(self, shape: Shape) -> str:
        """The same module as one line of Python, for an exported model.py."""
        raise LayerError(f"{self.kind} has no code")

    def operation(self, shape: Shape) -> str:
        """What it does in a few words, under its stage in the overview (shape: its output's)."""
        return f"{shape.height}x{shape.width}"

    def multiply_adds(self, shape: Shape) -> int:
        """Multiply-adds of one forward pass of one image through it, for an input of this shape."""
        return 0

    def weights(self, shape: Shape) -> int:
        """How many numbers it learns (weights and biases), for an input of this shape."""
        return 0

    def input_gradient(self, module: nn.Module, x, y, grad, weights: dict, biases: dict):
        """Its own rule in the backward pass: the gradient of its input from that of its output (the gradients of
        its weights go into weights and biases under its name)."""
        raise LayerError(f"no backward rule for {self.kind}")

    def to_dict(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "name"}
        return {"kind": self.kind, **values, "name": self.name}


@dataclass(frozen=True)
class Conv(Layer):
    kind: ClassVar[str] = "conv"
    centred: ClassVar[bool] = True
    has_kernel: ClassVar[bool] = True
    starts_group: ClassVar[bool] = True
    arithmetic: ClassVar[str] = "conv"
    channels: int
    kernel: int
    stride: int = 1
    padding: int | None = None  # None: kernel // 2

    @property
    def pad(self) -> int:
        return self.kernel // 2 if self.padding is None else self.padding

    def check(self) -> None:
        _need(_whole(self.channels, 1, MAX_CHANNELS), f"needs 1 to {MAX_CHANNELS} channels")
        _need(_whole(self.kernel, 1, MAX_KERNEL), f"needs a kernel of 1 to {MAX_KERNEL}")
        _need(_whole(self.stride, 1, MAX_STRIDE), f"needs a stride of 1 to {MAX_STRIDE}")
        _need(self.padding is None or _whole(self.padding, 0, MAX_PADDING), f"needs a padding of 0 to {MAX_PADDING}")

    def output(self, shape: Shape) -> Shape:
        _need(not shape.flat, "comes after flatten: a convolution needs maps")
        height, width = ((side + 2 * self.pad - self.kernel) // self.stride + 1 for side in (shape.height, shape.width))
        _need(
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


@dataclass(frozen=True)
class Activation(Layer):
    kind: ClassVar[str] = "act"
    per_cell: ClassVar[bool] = True
    keeps_maps: ClassVar[bool] = True
    arithmetic: ClassVar[str] = "activation"
    function: str = "relu"

    def check(self) -> None:
        _need(self.function in FUNCTIONS, f"is not an activation this app knows ({', '.join(FUNCTIONS)})")

    @property
    def of(self) -> Function:
        """Its function's record (cnnviz.network.functions)."""
        return FUNCTIONS[self.function]

    @property
    def title(self) -> str:
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


@dataclass(frozen=True)
class Pool(Layer):
    kind: ClassVar[str] = "pool"
    pools: ClassVar[bool] = True
    arithmetic: ClassVar[str] = "pool"
    mode: str = "max"
    size: int = 2
    stride: int | None = None  # None: the window size

    @property
    def step(self) -> int:
        return self.size if self.stride is None else self.stride

    @property
    def largest(self) -> bool:
        """Whether it keeps each window's largest value (max-pooling) rather than its mean."""
        return self.mode == "max"

    def check(self) -> None:
        _need(self.mode in POOLS, "pools by max or avg")
        _need(_whole(self.size, 1, MAX_POOL), f"needs a window of 1 to {MAX_POOL}")
        _need(self.stride is None or _whole(self.stride, 1, MAX_POOL), f"needs a stride of 1 to {MAX_POOL}")

    def output(self, shape: Shape) -> Shape:
        _need(not shape.flat, "comes after flatten: pooling needs maps")
        height, width = ((side - self.size) // self.step + 1 for side in (shape.height, shape.width))
        _need(
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


@dataclass(frozen=True)
class BatchNorm(Layer):
    kind: ClassVar[str] = "bn"
    centred: ClassVar[bool] = True
    per_cell: ClassVar[bool] = True
    keeps_maps: ClassVar[bool] = True
    arithmetic: ClassVar[str] = "norm"

    def output(self, shape: Shape) -> Shape:
        _need(not shape.flat, "comes after flatten: this batch norm works on maps")
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


@dataclass(frozen=True)
class Dropout(Layer):
    kind: ClassVar[str] = "dropout"
    drawn: ClassVar[bool] = False
    drops: ClassVar[bool] = True
    keeps_maps: ClassVar[bool] = True
    rate: float = 0.3

    def check(self) -> None:
        _need(
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


@dataclass(frozen=True)
class Flatten(Layer):
    kind: ClassVar[str] = "flatten"
    drawn: ClassVar[bool] = False
    in_block: ClassVar[bool] = False

    def output(self, shape: Shape) -> Shape:
        return shape if shape.flat else Shape(shape.size)

    def module(self, shape: Shape) -> nn.Module:
        return nn.Flatten()

    def code(self, shape: Shape) -> str:
        return "nn.Flatten()"

    def input_gradient(self, module, x, y, grad, weights, biases):
        return grad.reshape(x.shape)


@dataclass(frozen=True)
class Linear(Layer):
    kind: ClassVar[str] = "linear"
    centred: ClassVar[bool] = True
    in_block: ClassVar[bool] = False
    units: int = 128

    def check(self) -> None:
        _need(_whole(self.units, 1, MAX_UNITS), f"needs 1 to {MAX_UNITS} units")

    def output(self, shape: Shape) -> Shape:
        _need(shape.flat, "comes before flatten: put a flatten before the first linear layer")
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


@dataclass(frozen=True)
class Residual(Layer):
    """A few layers whose output is added to their input (through a 1x1 conv when the shapes differ)."""

    kind: ClassVar[str] = "res"
    centred: ClassVar[bool] = True
    starts_group: ClassVar[bool] = True
    in_block: ClassVar[bool] = False
    arithmetic: ClassVar[str] = "residual"
    body: tuple[Layer, ...] = ()

    def check(self) -> None:
        _need(0 < len(self.body) <= 8, "needs 1 to 8 layers inside")
        for layer in self.body:
            _need(layer.in_block, "may hold only conv, activation, pool, bn, dropout")
            layer.check()

    def output(self, shape: Shape) -> Shape:
        _need(not shape.flat, "comes after flatten: a skip connection here needs maps")
        out = self.body_output(shape)
        if (out.height, out.width) != (shape.height, shape.width):
            _need(
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


KINDS: dict[str, type[Layer]] = {
    kind.kind: kind for kind in (Conv, Activation, Pool, BatchNorm, Dropout, Flatten, Linear, Residual)
}


def layer_from_dict(values: dict) -> Layer:
    """A layer from its dict form (as stored in a weights file); LayerError for anything else."""
    _need(isinstance(values, dict), "a layer must be a dict")
    kind = KINDS.get(values.get("kind"))
    _need(kind is not None, f"{values.get('kind')!r} is not a kind of layer ({', '.join(KINDS)})")
    values = {key: value for key, value in values.items() if key != "kind"}
    _need(isinstance(values.get("name", ""), str) and len(values.get("name", "")) <= 32, "a name must be short text")
    if "body" in {f.name for f in fields(kind)}:
        body = values.get("body")
        _need(isinstance(body, list), "a residual block needs a list of layers")
        values["body"] = tuple(layer_from_dict(layer) for layer in body)
    allowed = {f.name for f in fields(kind)}
    unknown = set(values) - allowed
    _need(not unknown, f"{kind.kind} has no setting {', '.join(sorted(unknown))}")
    return kind(**values)


@dataclass(frozen=True)
class Architecture:
    """A network: its layers, in order, and the names of its outputs (the last linear layer is added for them)."""

    layers: tuple[Layer, ...]
    classes: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(self.layers))
        object.__setattr__(self, "classes", tuple(self.classes) if isinstance(self.classes, list) else self.classes)
        names.check_class_names(self.classes)
        _need(0 < count(self.layers) <= MAX_LAYERS, f"a network has 1 to {MAX_LAYERS} layers")
        object.__setattr__(self, "layers", named(self.layers))
        shape = Shape(1, IMAGE_SIZE, IMAGE_SIZE)
        for number, layer in enumerate(self.layers, start=1):
            try:
                layer.check()
                shape = layer.output(shape)
            except LayerError as error:
                raise LayerError(f"layer {number} ({layer.text}) {error}") from None
        self.feature_shape  # noqa: B018 - checks that the list ends flat, as the output layer reads it

    @property
    def feature_shape(self) -> Shape:
        """What the output layer reads: the last layer's output, which must be flat."""
        shape = Shape(1, IMAGE_SIZE, IMAGE_SIZE)
        for layer in self.layers:
            shape = layer.output(shape)
        _need(shape.flat, "the last layer gives maps: end the list with flatten (and any linear layers after it)")
        return shape

    def shapes(self) -> list[tuple[Layer, Shape]]:
        """Each top-level layer with the shape it makes, first to last."""
        out, shape = [], Shape(1, IMAGE_SIZE, IMAGE_SIZE)
        for layer in self.layers:
            shape = layer.output(shape)
            out.append((layer, shape))
        return out

    def costs(self) -> list[tuple[str, int, int]]:
        """(layer, multiply-adds of one image, weights) of each layer, the output layer last."""
        out, shape = [], Shape(1, IMAGE_SIZE, IMAGE_SIZE)
        for layer in self.layers:
            out.append((layer.text, layer.multiply_adds(shape), layer.weights(shape)))
            shape = layer.output(shape)
        classes = len(self.classes)
        return [*out, (f"the output layer ({classes} outputs)", shape.size * classes, (shape.size + 1) * classes)]

    @property
    def multiply_adds(self) -> int:
        """Multiply-adds of one forward pass of one image."""
        return sum(cost for _, cost, _ in self.costs())

    @property
    def text(self) -> str:
        """The layers in the text form, one a line."""
        return "\n".join(layer.text for layer in self.layers)

    def with_classes(self, classes: tuple[str, ...]) -> "Architecture":
        return replace(self, classes=tuple(classes))

    @property
    def rejects(self) -> bool:
        """Whether the last output is "not a digit" (see cnnviz.network.classes)."""
        return names.rejects(self.classes)

    @property
    def answers(self) -> tuple[str, ...]:
        """The classes an image can be read as: every output but "not a digit"."""
        return names.answers(self.classes)

    @property
    def is_digits(self) -> bool:
        """Whether the answers are the ten digits."""
        return names.is_digits(self.classes)

    def to_dict(self) -> dict:
        return {"layers": [layer.to_dict() for layer in self.layers], "classes": list(self.classes)}

    @classmethod
    def from_dict(cls, values: dict) -> "Architecture":
        """From the dict form of a weights file's header; LayerError (a ValueError) for anything malformed."""
        _need(isinstance(values, dict) and set(values) == {"layers", "classes"}, "needs layers and classes")
        _need(isinstance(values["layers"], list), "layers must be a list")
        _need(len(values["layers"]) <= MAX_LAYERS, f"a network has at most {MAX_LAYERS} layers")
        return cls(tuple(layer_from_dict(layer) for layer in values["layers"]), values["classes"])


def count(layers) -> int:
    """Layers in all, residual blocks' own layers counted."""
    return sum(1 + count(layer.inner) for layer in layers)


# The names this app gives (and gave) layers: a kind and a number, or the one family's relu_fc and dropout.
# Nothing else is accepted from a file: a layer named like a model attribute ("config") would shadow it.
NAME = rf"(conv|bn|{'|'.join(FUNCTIONS)}|pool|dropout|fc|res)\d+|flatten\d*|relu_fc|dropout"


def named(layers: tuple[Layer, ...]) -> tuple[Layer, ...]:
    """The layers with a unique name each: given names kept, the rest made from the kind and a count
    (conv1, relu2, pool1, fc1, res1, ...), counted through residual blocks; the first flatten is just flatten."""
    counts: dict[str, int] = {}
    taken = {layer.name for layer in walk_specs(layers) if layer.name}

    def fresh(layer: Layer) -> str:
        while True:
            counts[layer.stem] = counts.get(layer.stem, 0) + 1
            name = "flatten" if layer.stem == "flatten" == layer.kind and counts["flatten"] == 1 else ""
            name = name or f"{layer.stem}{counts[layer.stem]}"
            if name not in taken:
                taken.add(name)
                return name

    def name_all(items) -> tuple[Layer, ...]:
        out = []
        for layer in items:
            if layer.inner:
                layer = replace(layer, name=layer.name or fresh(layer), body=name_all(layer.inner))
            elif not layer.name:
                layer = replace(layer, name=fresh(layer))
            out.append(layer)
        return tuple(out)

    result = name_all(layers)
    given = [layer.name for layer in walk_specs(result)]
    _need(len(set(given)) == len(given), "layer names must be different")
    for name in given:
        _need(re.fullmatch(NAME, name) is not None, f"{name!r} is not a layer name this app makes")
    return result


def walk_specs(layers):
    """Every layer, residual blocks and then their own layers, in order."""
    for layer in layers:
        yield layer
        yield from walk_specs(layer.inner)


# --- the text form ---------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    """Top-level items of a layer list: separated by commas, semicolons or new lines, outside parentheses."""
    items, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            _need(depth >= 0, "a ')' has no '(' before it")
        if char in ",;\n" and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    _need(depth == 0, "a '(' is never closed")
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def _number(word: str, what: str, kind=int):
    try:
        value = kind(word)
    except ValueError:
        raise LayerError(f"{what} must be a {'whole ' if kind is int else ''}number, not {word!r}") from None
    _need(kind is int or value == value, f"{what} must be a number")
    return value


def parse_layer(item: str) -> Layer:
    """One layer from its text form ("conv 16 5 stride 2")."""
    lowered = item.strip().lower()
    if lowered.startswith("res(") or lowered.startswith("residual("):
        _need(lowered.endswith(")"), f"{item!r}: a residual block is res(layer, layer, ...)")
        inner = item[item.index("(") + 1 : -1]
        return Residual(body=tuple(parse_layer(part) for part in _split(inner)))
    words = lowered.split()
    _need(bool(words), "an empty layer")
    head, rest = words[0], words[1:]
    options = {}
    while len(rest) >= 2 and rest[-2] in ("stride", "pad", "padding"):
        options["pad" if rest[-2] == "padding" else rest[-2]] = _number(rest[-1], f"{item!r}: {rest[-2]}")
        rest = rest[:-2]
    try:
        if head == "conv":
            _need(len(rest) == 2, "conv takes channels and kernel: conv 16 5")
            return Conv(
                _number(rest[0], "channels"),
                _number(rest[1], "the kernel"),
                options.pop("stride", 1),
                options.pop("pad", None),
            )
        if head in FUNCTIONS or head in ("leaky_relu", "leakyrelu"):
            _need(not rest, f"{head} takes no numbers")
            return Activation(function="leaky" if head.startswith("leaky") else head)
        if head in ("maxpool", "avgpool", "pool"):
            _need(len(rest) <= 1, f"{head} takes its window: {head} 2")
            return Pool(
                mode="avg" if head == "avgpool" else "max",
                size=_number(rest[0], "the window") if rest else 2,
                stride=options.pop("stride", None),
            )
        if head in ("bn", "batchnorm", "norm"):
            _need(not rest, "bn takes no numbers")
            return BatchNorm()
        if head == "dropout":
            _need(len(rest) <= 1, "dropout takes its rate: dropout 0.3")
            return Dropout(rate=_number(rest[0], "the rate", float) if rest else 0.5)
        if head == "flatten":
            _need(not rest, "flatten takes no numbers")
            return Flatten()
        if head in ("linear", "dense", "fc"):
            _need(len(rest) == 1, "linear takes its units: linear 120")
            return Linear(units=_number(rest[0], "units"))
    finally:
        _need(not options, f"{item!r}: {head} takes no {' or '.join(options)}")
    raise LayerError(
        f"{item!r} is not a layer (conv, {', '.join(FUNCTIONS)}, maxpool, avgpool, bn, dropout, flatten, linear, "
        "res(...))"
    )


SYNTAX = (  # the text form in one line, for help texts
    f"conv CHANNELS KERNEL [stride S] [pad P] (pad defaults to KERNEL // 2) · {', '.join(FUNCTIONS)} · maxpool N, "
    "avgpool N [stride S] · bn · dropout RATE · flatten · linear UNITS · res(LAYER, ...)"
)


def parse_layers(text: str) -> tuple[Layer, ...]:
    """Layers from the text form; LayerError naming the item that cannot be read."""
    _need(len(text) <= 4000, "the layer list is too long")
    layers = []
    for number, item in enumerate(_split(text), start=1):
        try:
            layers.append(parse_layer(item))
        except LayerError as error:
            raise LayerError(f"layer {number}: {error}") from None
    return tuple(layers)


# --- presets -----------------------------------------------------------------------------------

PRESETS = {
    "modern": "conv 16 5, relu, maxpool 2, conv 32 5, relu, maxpool 2, flatten, linear 128, relu, dropout 0.3",
    # LeNet-5 (LeCun et al. 1998) for 28 x 28 input: its first conv is padded by 2, as if the image
    # were the paper's 32 x 32; plain tanh for its scaled tanh; average pooling without the paper's
    # trainable scale and bias; every C3 map reads all of S2's; softmax outputs for its RBF units.
    "lenet5": "conv 6 5 pad 2, tanh, avgpool 2, conv 16 5 pad 0, tanh, avgpool 2, flatten, "
    "linear 120, tanh, linear 84, tanh",
    "sigmoid": "conv 16 5, sigmoid, maxpool 2, conv 32 5, sigmoid, maxpool 2, flatten, linear 128, sigmoid, "
    "dropout 0.3",
    "strided": "conv 16 5 stride 2, relu, conv 32 5 stride 2, relu, flatten, linear 128, relu, dropout 0.3",
    "tiny-resnet": "conv 16 3, relu, res(conv 16 3, bn, relu, conv 16 3, bn), relu, maxpool 2, "
    "res(conv 32 3, bn, relu, conv 32 3, bn), relu, maxpool 2, flatten, linear 64, relu",
}
PRESET_WORDS = {
    "modern": "today's family: ReLU, max-pooling, dropout",
    "lenet5": "LeNet-5 (1998): tanh and average pooling",
    "sigmoid": "sigmoid everywhere: watch the gradients fade layer by layer",
    "strided": "no pooling: convolutions with stride 2 shrink the maps",
    "tiny-resnet": "two residual blocks: each adds its input back (a skip connection)",
}


def preset(name: str, classes: tuple[str, ...]) -> Architecture:
    """A named preset for these classes; ValueError naming the presets for any other name."""
    if name not in PRESETS:
        raise ValueError(f"no preset {name!r}; the presets are {', '.join(PRESETS)}")
    return Architecture(parse_layers(PRESETS[name]), classes)
