"""A network described as an ordered list of layers: checked, named, and written in a text form.

Each kind of layer is a record of its own (cnnviz.network.kinds). `Architecture` is the list plus the
class names; the last layer, linear to one output per class, is added by the model. Everything here may
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

import re
from dataclasses import dataclass, fields, replace

from cnnviz.network import classes as names
from cnnviz.network.functions import FUNCTIONS
from cnnviz.network.kinds import BY_HEAD, BY_KIND, KINDS
from cnnviz.network.layer import IMAGE_SIZE, MAX_LAYERS, Layer, LayerError, Shape, need, read_number

__all__ = ["Architecture", "LayerError", "Shape", "SYNTAX", "layer_from_dict", "parse_layer", "parse_layers"]


def layer_from_dict(values: dict) -> Layer:
    """A layer from its dict form (as stored in a weights file); LayerError for anything else."""
    need(isinstance(values, dict), "a layer must be a dict")
    kind = BY_KIND.get(values.get("kind"))
    need(kind is not None, f"{values.get('kind')!r} is not a kind of layer ({', '.join(BY_KIND)})")
    values = {key: value for key, value in values.items() if key != "kind"}
    need(isinstance(values.get("name", ""), str) and len(values.get("name", "")) <= 32, "a name must be short text")
    if "body" in {f.name for f in fields(kind)}:
        body = values.get("body")
        need(isinstance(body, list), "a residual block needs a list of layers")
        values["body"] = tuple(layer_from_dict(layer) for layer in body)
    allowed = {f.name for f in fields(kind)}
    unknown = set(values) - allowed
    need(not unknown, f"{kind.kind} has no setting {', '.join(sorted(unknown))}")
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
        need(0 < count(self.layers) <= MAX_LAYERS, f"a network has 1 to {MAX_LAYERS} layers")
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
        need(shape.flat, "the last layer gives maps: end the list with flatten (and any linear layers after it)")
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
        need(isinstance(values, dict) and set(values) == {"layers", "classes"}, "needs layers and classes")
        need(isinstance(values["layers"], list), "layers must be a list")
        need(len(values["layers"]) <= MAX_LAYERS, f"a network has at most {MAX_LAYERS} layers")
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
    need(len(set(given)) == len(given), "layer names must be different")
    for name in given:
        need(re.fullmatch(NAME, name) is not None, f"{name!r} is not a layer name this app makes")
    return result


def walk_specs(layers):
    """Every layer, residual blocks and then their own layers, in order."""
    for layer in layers:
        yield layer
        yield from walk_specs(layer.inner)


# --- the text form ---------------------------------------------------------------------------

SYNTAX = " · ".join(kind.syntax for kind in KINDS)  # the text form in one line, for help texts


def _split(text: str) -> list[str]:
    """Top-level items of a layer list: separated by commas, semicolons or new lines, outside parentheses."""
    items, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            need(depth >= 0, "a ')' has no '(' before it")
        if char in ",;\n" and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    need(depth == 0, "a '(' is never closed")
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def parse_layer(item: str) -> Layer:
    """One layer from its text form ("conv 16 5 stride 2", "res(conv 16 3, relu)"), by the kind its first word names."""
    lowered = item.strip().lower()
    words = re.split(r"[\s(]", lowered, maxsplit=1)
    need(bool(words[0]), "an empty layer")
    head = words[0]
    kind = BY_HEAD.get(head)
    need(kind is not None, f"{item!r} is not a layer (the layers: {SYNTAX})")
    if kind.block:
        need(lowered.startswith(f"{head}(") and lowered.endswith(")"), f"{item!r}: a block is {head}(layer, ...)")
        return kind(body=tuple(parse_layer(part) for part in _split(item[item.index("(") + 1 : -1])))
    numbers, options = lowered.split()[1:], {}
    while len(numbers) >= 2 and numbers[-2] in ("stride", "pad", "padding"):
        options["pad" if numbers[-2] == "padding" else numbers[-2]] = read_number(
            numbers[-1], f"{item!r}: {numbers[-2]}"
        )
        numbers = numbers[:-2]
    layer = kind.from_words(head, numbers, options)
    need(not options, f"{item!r}: {head} takes no {' or '.join(options)}")
    return layer


def parse_layers(text: str) -> tuple[Layer, ...]:
    """Layers from the text form; LayerError naming the item that cannot be read."""
    need(len(text) <= 4000, "the layer list is too long")
    layers = []
    for number, item in enumerate(_split(text), start=1):
        try:
            layers.append(parse_layer(item))
        except LayerError as error:
            raise LayerError(f"layer {number}: {error}") from None
    return tuple(layers)
