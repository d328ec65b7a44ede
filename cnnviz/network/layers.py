"""A network described as an ordered list of layers: the kinds, their checks, a text form, shapes and presets.

Each kind is a small frozen dataclass that can check its own numbers, say what it does to a shape
and what it is called, and turn into PyTorch modules. `Architecture` is the list plus the class
names; the last layer, linear to one output per class, is added by the model. Everything here may
come from an uploaded file's header, so every number is checked before anything is built, and an
impossible stack is refused with one sentence naming the layer.

The text form (python -m cnnviz train --layers, and the Train page) is one layer per line or comma:

    conv 16 5 [stride 2] [pad 0]   channels, kernel; padding defaults to kernel // 2 (same size at stride 1)
    relu | tanh | sigmoid | leaky  an activation
    maxpool 2 [stride 2] | avgpool 2 [stride 2]   pooling window (stride defaults to the window)
    bn                             batch norm
    dropout 0.3
    flatten
    linear 120                     a fully connected layer of 120 units
    res(conv 16 3, bn, relu, conv 16 3, bn)   a residual block: its layers' output plus its input
"""

import numbers
import re
from dataclasses import dataclass, field, fields, replace
from typing import ClassVar

from cnnviz.network import classes as names

IMAGE_SIZE = 28  # MNIST images are 28 x 28 pixels, one channel
MAX_LAYERS = 40  # in all, residual blocks' layers counted
MAX_CHANNELS = 256
MAX_KERNEL = 11
MAX_STRIDE = 4
MAX_PADDING = 5
MAX_POOL = 4
MAX_UNITS = 4096
ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky")  # leaky: leaky ReLU, slope 0.01 below zero
ACTIVATION_TITLES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "leaky": "leaky ReLU"}
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
    """What every kind of layer has: a name (made from its kind and place unless given) and its text form."""

    kind: ClassVar[str] = ""
    name: str = field(default="", kw_only=True)  # unique in the network; old files give their own

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

    def to_dict(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "name"}
        return {"kind": self.kind, **values, "name": self.name}


@dataclass(frozen=True)
class Conv(Layer):
    kind: ClassVar[str] = "conv"
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


@dataclass(frozen=True)
class Activation(Layer):
    kind: ClassVar[str] = "act"
    function: str = "relu"

    def check(self) -> None:
        _need(self.function in ACTIVATIONS, f"is not an activation this app knows ({', '.join(ACTIVATIONS)})")

    @property
    def title(self) -> str:
        return ACTIVATION_TITLES[self.function]

    @property
    def text(self) -> str:
        return self.function


@dataclass(frozen=True)
class Pool(Layer):
    kind: ClassVar[str] = "pool"
    mode: str = "max"
    size: int = 2
    stride: int | None = None  # None: the window size

    @property
    def step(self) -> int:
        return self.size if self.stride is None else self.stride

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
        return f"{'Max' if self.mode == 'max' else 'Avg'} pool {self.size}x{self.size}" + (
            f" stride {self.step}" if self.step != self.size else ""
        )

    @property
    def text(self) -> str:
        return f"{self.mode}pool {self.size}" + (
            f" stride {self.stride}" if self.stride not in (None, self.size) else ""
        )


@dataclass(frozen=True)
class BatchNorm(Layer):
    kind: ClassVar[str] = "bn"

    def output(self, shape: Shape) -> Shape:
        _need(not shape.flat, "comes after flatten: this batch norm works on maps")
        return shape

    @property
    def title(self) -> str:
        return "Batch norm"


@dataclass(frozen=True)
class Dropout(Layer):
    kind: ClassVar[str] = "dropout"
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


@dataclass(frozen=True)
class Flatten(Layer):
    kind: ClassVar[str] = "flatten"

    def output(self, shape: Shape) -> Shape:
        return shape if shape.flat else Shape(shape.size)


@dataclass(frozen=True)
class Linear(Layer):
    kind: ClassVar[str] = "linear"
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


@dataclass(frozen=True)
class Residual(Layer):
    """A few layers whose output is added to their input (through a 1x1 conv when the shapes differ)."""

    kind: ClassVar[str] = "res"
    body: tuple[Layer, ...] = ()

    def check(self) -> None:
        _need(0 < len(self.body) <= 8, "needs 1 to 8 layers inside")
        for layer in self.body:
            _need(
                not isinstance(layer, (Residual, Flatten, Linear)), "may hold only conv, activation, pool, bn, dropout"
            )
            layer.check()

    def output(self, shape: Shape) -> Shape:
        _need(not shape.flat, "comes after flatten: a skip connection here needs maps")
        out = shape
        for layer in self.body:
            out = layer.output(out)
        if (out.height, out.width) != (shape.height, shape.width):
            _need(
                shape.height % out.height == 0 and shape.height // out.height == shape.width // out.width,
                f"turns {shape.height} x {shape.width} into {out.height} x {out.width}, which a 1x1 conv with a "
                "stride cannot match",
            )
        return out

    def projects(self, shape: Shape) -> bool:
        """Whether the skip goes through a 1x1 conv (the body changes the channels or the size)."""
        out = shape
        for layer in self.body:
            out = layer.output(out)
        return out != shape

    @property
    def title(self) -> str:
        return "+ skip"

    @property
    def text(self) -> str:
        return f"res({', '.join(layer.text for layer in self.body)})"

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
    if kind is Residual:
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
    return sum(1 + (count(layer.body) if isinstance(layer, Residual) else 0) for layer in layers)


# The names this app gives (and gave) layers: a kind and a number, or the one family's relu_fc and dropout.
# Nothing else is accepted from a file: a layer named like a model attribute ("config") would shadow it.
NAME = r"(conv|bn|relu|tanh|sigmoid|leaky|pool|dropout|fc|res)\d+|flatten\d*|relu_fc|dropout"
NAMES = {"conv": "conv", "bn": "bn", "pool": "pool", "dropout": "dropout", "linear": "fc", "res": "res"}


def named(layers: tuple[Layer, ...]) -> tuple[Layer, ...]:
    """The layers with a unique name each: given names kept, the rest made from the kind and a count
    (conv1, relu2, pool1, fc1, res1, ...), counted through residual blocks."""
    counts: dict[str, int] = {}
    taken = {layer.name for layer in walk_specs(layers) if layer.name}

    def fresh(layer: Layer) -> str:
        stem = layer.function if isinstance(layer, Activation) else NAMES.get(layer.kind, layer.kind)
        while True:
            counts[stem] = counts.get(stem, 0) + 1
            name = stem if isinstance(layer, Flatten) and counts[stem] == 1 else f"{stem}{counts[stem]}"
            if name not in taken:
                taken.add(name)
                return name

    def name_all(items) -> tuple[Layer, ...]:
        out = []
        for layer in items:
            if isinstance(layer, Residual):
                layer = replace(layer, name=layer.name or fresh(layer), body=name_all(layer.body))
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
        if isinstance(layer, Residual):
            yield from walk_specs(layer.body)


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
        if head in ("relu", "tanh", "sigmoid", "leaky", "leaky_relu", "leakyrelu"):
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
        f"{item!r} is not a layer (conv, relu, tanh, sigmoid, leaky, maxpool, avgpool, bn, dropout, "
        "flatten, linear, res(...))"
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
