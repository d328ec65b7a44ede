"""Layers named as a learner reads them: "the first convolution", "ReLU after the second convolution".

A convolution, a dense layer and a residual block (the kinds whose record is an anchor) are named by
their place among their kind; the layers that act on what one of them made (an activation, pooling,
batch norm, dropout) are named after it. The code's own names (conv1, relu2) go beside, in small type.
"""

from cnnviz.network.model import LayerInfo, Network

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
INPUT = "input"  # what the first layer reads, as the model's layers name it


def ordinal(number: int) -> str:
    """1 -> "first" ... 10 -> "tenth", then "11th", "21st", "22nd"."""
    if 1 <= number <= len(ORDINALS):
        return ORDINALS[number - 1]
    suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _place(model: Network, info: LayerInfo) -> str:
    """ "first ", "second ", ... among the layers of its kind (the output aside), or "" when it is the only one."""
    same = [other.name for other in model.layers()[:-1] if other.spec.kind == info.spec.kind]
    return "" if len(same) == 1 else f"{ordinal(same.index(info.name) + 1)} "


def _anchor(model: Network, info: LayerInfo) -> LayerInfo | None:
    """The nearest anchor (a convolution, a dense layer, a residual block) whose output this layer acts on."""
    source = info.source
    while source != INPUT:
        found = model.layer(source)
        if found.spec.anchor:
            return found
        source = found.source
    return None


def learner_name(model: Network, name: str) -> str:
    """How a sentence names a layer: "the first convolution", "ReLU after the first convolution", "the max-pooling
    after the second convolution", "the output layer"; "the input image" for the input."""
    if name == INPUT:
        return "the input image"
    if "." in name:  # a part inside a layer (a residual block's "res2.skip", in gradient sizes): named after it
        outer, part = name.split(".", 1)
        return f"{learner_name(model, outer)}'s {part}"
    info = model.layer(name)
    if info is model.output:
        return "the output layer"
    spec = info.spec
    if not spec.anchor:
        anchor = _anchor(model, info)
        if anchor is not None:
            return f"{spec.article} {spec.noun} after {learner_name(model, anchor.name)}".strip()
    return f"the {_place(model, info)}{spec.noun}"


def capitalised(text: str) -> str:
    """The text with its first letter a capital, the rest as it is ("ReLU" stays "ReLU")."""
    return text[:1].upper() + text[1:]
