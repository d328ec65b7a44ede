"""The network built from its list of layers, and the older one-family config that files saved before still use.

`Network` is an `nn.Sequential` whose children are named after the layers (conv1, relu1, pool1, ...;
a residual block is a child holding its own layers), so walking it is the forward pass and every
layer's output has a readable name. The output layer, linear to one output per class, comes last.
"""

import numbers
from collections import OrderedDict
from dataclasses import asdict, dataclass
from dataclasses import replace as replaced

import torch
from torch import nn

from cnnviz.network import classes as names
from cnnviz.network.classes import DIGITS
from cnnviz.network.kinds import Activation, BatchNorm, Conv, Dropout, Flatten, Linear, Pool
from cnnviz.network.layer import IMAGE_SIZE, Layer
from cnnviz.network.layers import Architecture, Shape
from cnnviz.network.modules import ResidualBlock, SeededDropout  # noqa: F401 - where the app's modules are found

MAX_BLOCKS = IMAGE_SIZE.bit_length() - 1  # each block halves the maps: 4 blocks take 28 x 28 down to 1 x 1
MAX_CHANNELS = 256  # limits for configs read from files: far above what the Train page builds
MAX_KERNEL = 11
MAX_HIDDEN = 4096


def _whole(value, low: int, high: int) -> bool:
    """Whether value is a whole number (not a bool or float) from low to high."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True)
class ModelConfig:
    """The one family files saved before layer lists describe: conv -> [batch norm] -> ReLU -> max-pool blocks,
    one fully connected layer, dropout. Still read from old files, and a short way to name such a network."""

    conv_channels: tuple[int, ...] = (16, 32)  # output channels of each conv block
    kernel_size: int = 5  # square kernels; padding keeps the map size ("same" convolution)
    hidden_units: int = 128  # width of the fully connected layer before the logits
    dropout: float = 0.3  # dropout rate before the last layer (only active while training)
    batch_norm: bool = False  # BatchNorm2d between each conv and its ReLU
    classes: tuple[str, ...] = DIGITS  # names of the outputs, in order

    def __post_init__(self):
        # A config may come from an uploaded file's header: check every type and range before anything is built.
        channels, kernel, hidden, dropout = self.conv_channels, self.kernel_size, self.hidden_units, self.dropout
        if isinstance(channels, (str, bytes)) or not isinstance(channels, (list, tuple)):
            raise ValueError("conv_channels must be a list of channel counts")
        if not channels or len(channels) > MAX_BLOCKS or not all(_whole(c, 1, MAX_CHANNELS) for c in channels):
            raise ValueError(
                f"conv_channels needs 1 to {MAX_BLOCKS} whole numbers of channels, each 1 to {MAX_CHANNELS}"
            )
        if not _whole(kernel, 1, MAX_KERNEL) or kernel % 2 == 0:
            raise ValueError(f"kernel_size must be an odd whole number from 1 to {MAX_KERNEL}, such as 3 or 5")
        if not _whole(hidden, 1, MAX_HIDDEN):
            raise ValueError(f"hidden_units must be a whole number from 1 to {MAX_HIDDEN}")
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0.0 <= dropout < 1.0:
            raise ValueError("dropout must be a number in [0, 1)")
        if not isinstance(self.batch_norm, bool):
            raise ValueError("batch_norm must be true or false")
        names.check_class_names(self.classes)
        object.__setattr__(self, "conv_channels", tuple(int(c) for c in channels))
        object.__setattr__(self, "classes", tuple(self.classes))

    def architecture(self) -> Architecture:
        """The same network as a list of layers, named as files of this family name them."""
        layers: list[Layer] = []
        for number, channels in enumerate(self.conv_channels, start=1):
            layers.append(Conv(channels, self.kernel_size, name=f"conv{number}"))
            if self.batch_norm:
                layers.append(BatchNorm(name=f"bn{number}"))
            layers += [Activation("relu", name=f"relu{number}"), Pool("max", 2, name=f"pool{number}")]
        layers += [
            Flatten(name="flatten"),
            Linear(self.hidden_units, name="fc1"),
            Activation("relu", name="relu_fc"),
            Dropout(self.dropout, name="dropout"),
        ]
        return Architecture(tuple(layers), self.classes)

    def to_dict(self) -> dict:
        """Plain dict for JSON (tuples become lists), as files of this family hold it."""
        return {**asdict(self), "conv_channels": list(self.conv_channels), "classes": list(self.classes)}

    @classmethod
    def from_dict(cls, values: dict) -> "ModelConfig":
        """From a file's header; unknown keys are an error, missing ones take their defaults."""
        return cls(**values)


@dataclass(frozen=True)
class LayerInfo:
    """One layer of a built network, as pages and the maths need it."""

    name: str  # the key of its output in an activation capture
    spec: Layer
    module: nn.Module
    source: str  # the layer whose output it reads ("input" for the image)
    shape: Shape  # of its output
    residual: str | None = None  # the residual block it is inside of, if any
    number: int = 0  # 1-based place among the layers of its kind (conv 1, conv 2, ...)
    input_shape: Shape | None = None  # of what it reads

    @property
    def projects(self) -> bool:
        """Whether it is a residual block whose skip goes through a 1x1 conv (its layers change the shape)."""
        return bool(self.spec.inner) and self.spec.projects(self.input_shape)

    @property
    def title(self) -> str:
        """Its kind and settings, numbered where that helps: "Conv 1: 5x5", "ReLU", "+ skip"."""
        return self.spec.title

    @property
    def maps(self) -> bool:
        """Whether its output is maps (channels of rows and columns) rather than a flat vector."""
        return not self.shape.flat


OUTPUT = "output"  # the kind of the last layer's LayerInfo: linear, one output per class


class Network(nn.Sequential):
    """The layers of an Architecture, in order, then the output layer (linear, one output per class)."""

    def __init__(self, architecture: Architecture):
        children, infos = OrderedDict(), []
        shape, source, counts = Shape(1, IMAGE_SIZE, IMAGE_SIZE), "input", {}

        def note(layer: Layer, module: nn.Module, source: str, shape: Shape, read: Shape, residual=None) -> None:
            counts[layer.kind] = counts.get(layer.kind, 0) + 1
            infos.append(LayerInfo(layer.name, layer, module, source, shape, residual, counts[layer.kind], read))

        for layer in architecture.layers:
            module = layer.module(shape)
            children[layer.name] = module
            inner_source, inner_shape = source, shape
            for inner in layer.inner:  # a residual block's own layers
                read, inner_shape = inner_shape, inner.output(inner_shape)
                note(inner, getattr(module.body, inner.name), inner_source, inner_shape, read, layer.name)
                inner_source = inner.name
            read, shape = shape, layer.output(shape)
            note(layer, module, source, shape, read)
            source = layer.name
        output = Linear(len(architecture.classes), name=output_name(architecture))
        children[output.name] = nn.Linear(architecture.feature_shape.size, output.units)
        infos.append(
            LayerInfo(output.name, output, children[output.name], source, Shape(output.units), input_shape=shape)
        )
        super().__init__(children)
        self.config = architecture
        self._infos = tuple(infos)
        self._by_name = {info.name: info for info in infos}

    @property
    def classes(self) -> tuple[str, ...]:
        """Names of the outputs, in order."""
        return self.config.classes

    def layers(self) -> tuple[LayerInfo, ...]:
        """Every layer, in the order they act (a residual block's own layers before the block's sum)."""
        return self._infos

    def layer(self, name: str) -> LayerInfo:
        """The layer of this name; ValueError naming the valid ones otherwise."""
        if name not in self._by_name:
            raise ValueError(f"no layer {name!r}; this model has {', '.join(self._by_name)}")
        return self._by_name[name]

    def conv_layers(self) -> list[str]:
        """Names of the conv layers, first to last."""
        return [info.name for info in self._infos if info.spec.has_kernel]

    def map_layers(self) -> list[str]:
        """Names of the layers whose output is maps (whose cells can be taken apart)."""
        return [info.name for info in self._infos if info.maps]

    def groups(self) -> list[list[str]]:
        """The map layers in groups that belong together: a conv with its batch norm, activation and pooling;
        a residual block with its own layers and its sum."""
        out: list[list[str]] = []
        for info in self._infos:
            if not info.maps or info.residual is not None:
                continue
            if info.spec.inner:
                out.append([*(layer.name for layer in info.spec.inner), info.name])
            elif info.spec.starts_group or not out:
                out.append([info.name])
            else:
                out[-1].append(info.name)
        return out

    @property
    def output(self) -> LayerInfo:
        """The last layer: one output per class (its outputs are the logits)."""
        return self._infos[-1]

    @property
    def features(self) -> str:
        """The last layer whose output is maps: what the flat part (flatten, then linear layers) reads."""
        return [info.name for info in self._infos if info.maps and info.residual is None][-1]

    @property
    def flatten_name(self) -> str:
        """The flatten layer: everything before it extracts features, everything after it decides."""
        return next(info.name for info in self._infos if info.shape.flat)

    def chain(self, name: str) -> list[str]:
        """The batch norm and activation layers that directly follow a layer, in order ([relu1] after conv1)."""
        out, source, inside = [], name, self.layer(name).residual
        for info in self._infos:
            if info.source == source and info.residual == inside:
                if not info.spec.per_cell:
                    break
                out.append(info.name)
                source = info.name
        return out

    def activated(self, name: str) -> str:
        """What a layer's maps become before anything else happens to them: the end of its chain (relu1 for
        conv1), or the layer itself."""
        return (self.chain(name) or [name])[-1]


def output_name(architecture: Architecture) -> str:
    """The output layer's name: the next fc number after the list's own linear layers (fc2 for fc1)."""
    taken = {layer.name for layer in architecture.layers}
    number = 1 + sum(layer.stem == "fc" for layer in architecture.layers)
    while f"fc{number}" in taken:
        number += 1
    return f"fc{number}"


def as_architecture(config: "ModelConfig | Architecture") -> Architecture:
    return config.architecture() if isinstance(config, ModelConfig) else config


def build_model(config: "ModelConfig | Architecture" = ModelConfig(), seed: int | None = None) -> Network:
    """A freshly initialised model; with a seed the initial weights are reproducible.

    Initialisation draws from a generator of its own (not PyTorch's global one), so models
    built in different threads at once never disturb each other.
    """
    model = Network(as_architecture(config))
    if seed is not None:
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for module in model.modules():
                if getattr(module, "weight", None) is not None and module.weight.dim() > 1:  # convs and linear layers
                    initialise(module, generator)
    return model


def with_classes(config: "ModelConfig | Architecture", classes: tuple[str, ...]) -> Architecture:
    """The same layers for other outputs."""
    return replaced(as_architecture(config), classes=tuple(classes))


def initialise(layer: nn.Conv2d | nn.Linear, generator: torch.Generator) -> None:
    """PyTorch's default initialisation (Kaiming-uniform weights, uniform bias) drawn from a given generator."""
    fan_in = layer.weight[0].numel()
    bound = 1 / fan_in**0.5  # kaiming_uniform_ with a = sqrt(5), as nn.Conv2d and nn.Linear reset their parameters
    layer.weight.uniform_(-bound, bound, generator=generator)
    if layer.bias is not None:
        layer.bias.uniform_(-bound, bound, generator=generator)


def multiply_adds(model: Network) -> int:
    """Multiply-adds of one forward pass on one 28 x 28 image, each layer's from its record."""
    return model.config.multiply_adds
