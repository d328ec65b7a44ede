"""The CNN the app opens up: conv -> ReLU -> max-pool blocks, then a small classifier.

The model describes its own structure (`blocks()`, `head`, `classes`): pages, figures and the
arithmetic views iterate over that description instead of spelling layer names.
"""

import numbers
import unicodedata
from collections import OrderedDict
from dataclasses import asdict, dataclass

import torch
from torch import nn

IMAGE_SIZE = 28  # MNIST images are 28 x 28 pixels, one channel
DIGITS = tuple(str(d) for d in range(10))
NOT_A_DIGIT = "not a digit"  # an extra last output a digit model may have: "none of the ten", trained on non-digits
POOL_SIZE = 2  # every block ends in 2 x 2 max-pooling
MAX_BLOCKS = IMAGE_SIZE.bit_length() - 1  # each block halves the maps: 4 blocks take 28 x 28 down to 1 x 1
MAX_CHANNELS = 256  # limits for configs read from files: far above what the Train page builds (64, 512)
MAX_KERNEL = 11
MAX_HIDDEN = 4096
MAX_CLASSES = 100
HIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}  # control, format (zero-width, bidi), unassigned


def check_class_names(names) -> None:
    """ValueError in words unless these make a model's classes: 2 to MAX_CLASSES different, printable names.

    Names may come from an uploaded file: control and invisible characters (a zero-width space,
    a right-to-left mark) are refused, and names that look the same once normalised are the same name.
    """
    if isinstance(names, (str, bytes)) or not isinstance(names, (list, tuple)):
        raise ValueError("classes must be a list of names")
    if not 2 <= len(names) <= MAX_CLASSES or not all(isinstance(c, str) and 0 < len(c.strip()) <= 40 for c in names):
        raise ValueError(f"classes needs 2 to {MAX_CLASSES} names of 1 to 40 characters")
    for name in names:
        hidden = [c for c in name if unicodedata.category(c) in HIDDEN_CATEGORIES]
        if hidden:
            raise ValueError(
                f"the class name {name.encode('unicode_escape').decode()!r} holds an invisible or control character "
                f"(U+{ord(hidden[0]):04X}); names must be plain, visible text"
            )
    seen = [unicodedata.normalize("NFKC", name).casefold().strip() for name in names]
    if len(set(seen)) != len(seen):
        raise ValueError("classes needs different names (names that look alike count as the same)")


def _whole(value, low: int, high: int) -> bool:
    """Whether value is a whole number (not a bool or float) from low to high."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True)
class ModelConfig:
    """Shape of the network; every field is a plain value so it fits in a file header."""

    conv_channels: tuple[int, ...] = (16, 32)  # output channels of each conv block
    kernel_size: int = 5  # square kernels; padding keeps the map size ("same" convolution)
    hidden_units: int = 128  # width of the fully connected layer before the logits
    dropout: float = 0.3  # dropout rate before the last layer (only active while training)
    batch_norm: bool = False  # BatchNorm2d between each conv and its ReLU
    classes: tuple[str, ...] = DIGITS  # names of the outputs, in order: digits, or a class's own new symbols

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
        classes = self.classes
        check_class_names(classes)
        if NOT_A_DIGIT in classes[:-1] or (classes[-1] == NOT_A_DIGIT and len(classes) < 3):
            raise ValueError(f"{NOT_A_DIGIT!r} can only be the last class, after two or more others")
        object.__setattr__(self, "conv_channels", tuple(int(c) for c in channels))
        object.__setattr__(self, "kernel_size", int(kernel))
        object.__setattr__(self, "hidden_units", int(hidden))
        object.__setattr__(self, "dropout", float(dropout))
        object.__setattr__(self, "classes", tuple(classes))

    @property
    def is_digits(self) -> bool:
        """Whether the outputs are the ten digits (the bundled task), perhaps with "not a digit", not new classes."""
        return self.answers == DIGITS

    @property
    def rejects(self) -> bool:
        """Whether the last output is "not a digit": a class of its own, trained on letters, shapes and scribbles."""
        return self.classes[-1] == NOT_A_DIGIT

    @property
    def answers(self) -> tuple[str, ...]:
        """The classes an image can be read as: every output but "not a digit"."""
        return self.classes[:-1] if self.rejects else self.classes

    def to_dict(self) -> dict:
        """Plain dict for JSON (tuples become lists)."""
        return {**asdict(self), "conv_channels": list(self.conv_channels), "classes": list(self.classes)}

    @classmethod
    def from_dict(cls, values: dict) -> "ModelConfig":
        """Inverse of to_dict; unknown keys are an error, missing ones take their defaults."""
        return cls(**values)


@dataclass(frozen=True)
class Block:
    """One conv stage, by the names of its layers; each name is also a key of an activation capture."""

    number: int  # 1-based, as people count layers
    conv: str  # e.g. "conv1"
    norm: str | None  # "bn1" with batch norm, else None
    relu: str
    pool: str
    source: str | None  # the layer whose output the conv reads; None for the input image

    @property
    def title(self) -> str:
        """How pages name the block: "Layer 1"."""
        return f"Layer {self.number}"


@dataclass(frozen=True)
class Head:
    """The classifier after the conv blocks, by layer name."""

    flatten: str
    hidden: str  # fully connected layer
    hidden_relu: str
    dropout: str
    logits: str  # the last layer: one score per class


HEAD = Head(flatten="flatten", hidden="fc1", hidden_relu="relu_fc", dropout="dropout", logits="fc2")


class Dropout(nn.Dropout):
    """nn.Dropout that can draw its masks from a generator of its own.

    A training run sets `generator`, so runs in different threads neither share PyTorch's global
    random state nor wait for each other, and a seed gives the same run every time.
    """

    generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0 or self.generator is None:
            return super().forward(x)
        keep = torch.rand(x.shape, generator=self.generator) >= self.p
        return x * keep / (1 - self.p)


class DigitCNN(nn.Sequential):
    """conv{i} -> [bn{i}] -> relu{i} -> pool{i} for each block, then flatten -> fc1 -> relu_fc -> dropout -> fc2.

    A flat Sequential with named layers: walking it is the forward pass, and every intermediate
    tensor has a readable name for activation capture.
    """

    def __init__(self, config: ModelConfig = ModelConfig()):
        layers = OrderedDict()
        in_channels = 1
        for block in blocks_of(config):
            layers[block.conv] = nn.Conv2d(
                in_channels, config.conv_channels[block.number - 1], config.kernel_size, padding=config.kernel_size // 2
            )
            in_channels = config.conv_channels[block.number - 1]
            if block.norm:
                layers[block.norm] = nn.BatchNorm2d(in_channels)
            layers[block.relu] = nn.ReLU()
            layers[block.pool] = nn.MaxPool2d(POOL_SIZE)
        layers[HEAD.flatten] = nn.Flatten()
        with torch.no_grad():  # the flattened size, from a dummy forward rather than hand arithmetic
            flat_size = nn.Sequential(layers)(torch.zeros(1, 1, IMAGE_SIZE, IMAGE_SIZE)).shape[1]
        layers[HEAD.hidden] = nn.Linear(flat_size, config.hidden_units)
        layers[HEAD.hidden_relu] = nn.ReLU()
        layers[HEAD.dropout] = Dropout(config.dropout)
        layers[HEAD.logits] = nn.Linear(config.hidden_units, len(config.classes))
        super().__init__(layers)
        self.config = config
        self.head = HEAD
        self._blocks = blocks_of(config)

    @property
    def classes(self) -> tuple[str, ...]:
        """Names of the outputs, in order."""
        return self.config.classes

    def blocks(self) -> tuple[Block, ...]:
        """The conv blocks, first to last."""
        return self._blocks

    def block(self, conv: str) -> Block:
        """The block whose conv layer has this name; ValueError naming the valid ones otherwise."""
        for block in self._blocks:
            if block.conv == conv:
                return block
        raise ValueError(f"no conv layer {conv!r}; this model has {', '.join(self.conv_layers())}")

    def conv_layers(self) -> list[str]:
        """Names of the conv layers, first to last."""
        return [block.conv for block in self._blocks]


def blocks_of(config: ModelConfig) -> tuple[Block, ...]:
    """The blocks a model with this config has (the one place their layer names are made)."""
    blocks = []
    for number in range(1, len(config.conv_channels) + 1):
        source = blocks[-1].pool if blocks else None
        norm = f"bn{number}" if config.batch_norm else None
        blocks.append(Block(number, f"conv{number}", norm, f"relu{number}", f"pool{number}", source))
    return tuple(blocks)


def build_model(config: ModelConfig = ModelConfig(), seed: int | None = None) -> DigitCNN:
    """A freshly initialised model; with a seed the initial weights are reproducible.

    Initialisation draws from a generator of its own (not PyTorch's global one), so models
    built in different threads at once never disturb each other.
    """
    model = DigitCNN(config)
    if seed is not None:
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for module in model.modules():
                if isinstance(module, (nn.Conv2d, nn.Linear)):
                    initialise(module, generator)
    return model


def initialise(layer: nn.Conv2d | nn.Linear, generator: torch.Generator) -> None:
    """PyTorch's default initialisation (Kaiming-uniform weights, uniform bias) drawn from a given generator."""
    fan_in = layer.weight[0].numel()
    bound = 1 / fan_in**0.5  # kaiming_uniform_ with a = sqrt(5), as nn.Conv2d and nn.Linear reset their parameters
    layer.weight.uniform_(-bound, bound, generator=generator)
    if layer.bias is not None:
        layer.bias.uniform_(-bound, bound, generator=generator)


def multiply_adds(model: nn.Module) -> int:
    """Multiply-adds of one forward pass on one 28 x 28 image: each conv and linear layer's, from its output shape.

    Counted by running the model once (on the meta device when the model is there: no memory, no time).
    """
    total = 0

    def count(layer: nn.Module, inputs, output: torch.Tensor) -> None:
        nonlocal total
        if isinstance(layer, nn.Conv2d):
            kernel = layer.in_channels // layer.groups * layer.kernel_size[0] * layer.kernel_size[1]
            total += output[0].numel() * kernel
        elif isinstance(layer, nn.Linear):
            total += layer.in_features * layer.out_features

    layers = [layer for layer in model.modules() if isinstance(layer, (nn.Conv2d, nn.Linear))]
    handles = [layer.register_forward_hook(count) for layer in layers]
    try:
        device = next(model.parameters()).device
        with torch.no_grad():
            model(torch.zeros(1, 1, IMAGE_SIZE, IMAGE_SIZE, device=device))
    finally:
        for handle in handles:
            handle.remove()
    return total
