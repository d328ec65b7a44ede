"""What every layer is: its limits, the shape it makes, the record each kind fills in (cnnviz.network.kinds).

Everything here may come from an uploaded file's header, so every number is checked before anything
is built, and an impossible stack is refused with one sentence (a LayerError) naming the layer.
"""

import numbers
from dataclasses import dataclass, field, fields
from typing import ClassVar

from torch import nn

IMAGE_SIZE = 28  # MNIST images are 28 x 28 pixels, one channel
MAX_LAYERS = 40  # in all, residual blocks' layers counted
MAX_CHANNELS = 256
MAX_KERNEL = 11
MAX_STRIDE = 4
MAX_PADDING = 5
MAX_POOL = 4
MAX_UNITS = 4096


class LayerError(ValueError):
    """A layer list that cannot make a network; the message names the layer and why."""


def is_whole(value, low: int, high: int) -> bool:
    """Whether value is a whole number (not a bool or float) from low to high."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and low <= value <= high


def need(ok: bool, message: str) -> None:
    """LayerError(message) unless ok."""
    if not ok:
        raise LayerError(message)


def read_number(word: str, what: str, kind=int):
    """A number of a layer's text form ("16" in "conv 16 5"); LayerError naming what it should have been."""
    try:
        value = kind(word)
    except ValueError:
        raise LayerError(f"{what} must be a {'whole ' if kind is int else ''}number, not {word!r}") from None
    need(kind is int or value == value, f"{what} must be a number")
    return value


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
    heads: ClassVar[tuple[str, ...]] = ()  # the words its text form starts with ("conv"; "maxpool", "avgpool")
    syntax: ClassVar[str] = ""  # its text form in a few words, for help texts and errors
    block: ClassVar[bool] = False  # its text form holds other layers: res(layer, layer, ...)
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
    anchor: ClassVar[bool] = False  # named by its own place ("the second convolution"); the others after the
    # anchor they follow ("ReLU after the second convolution"), see cnnviz.network.naming
    article: ClassVar[str] = "the"  # before its noun in a sentence ("" for a function's name: "ReLU after ...")

    @classmethod
    def from_words(cls, head: str, numbers: list[str], options: dict[str, int]) -> "Layer":
        """The layer its text form describes: its head word, the numbers after it, and the stride/pad options
        given (each kind pops those it takes; the others are refused)."""
        need(not numbers, f"{head} takes no numbers")
        return cls()

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
    def noun(self) -> str:
        """What a learner calls such a layer in a sentence ("convolution", "max-pooling", "ReLU")."""
        return self.kind

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
