"""The CNN the app opens up: conv -> ReLU -> max-pool blocks, then a small classifier.

The model describes its own structure (`blocks()`, `head`, `classes`): pages, figures and the
arithmetic views iterate over that description instead of spelling layer names.
"""

from collections import OrderedDict
from dataclasses import asdict, dataclass

import torch
from torch import nn

IMAGE_SIZE = 28  # MNIST images are 28 x 28 pixels, one channel
DIGITS = tuple(str(d) for d in range(10))
POOL_SIZE = 2  # every block ends in 2 x 2 max-pooling


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
        object.__setattr__(self, "conv_channels", tuple(int(c) for c in self.conv_channels))
        object.__setattr__(self, "classes", tuple(str(c) for c in self.classes))
        if not self.conv_channels or min(self.conv_channels) < 1:
            raise ValueError("conv_channels needs at least one positive channel count")
        if self.kernel_size < 1 or self.kernel_size % 2 == 0:
            raise ValueError("kernel_size must be an odd number such as 3 or 5")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        if IMAGE_SIZE >> len(self.conv_channels) < 1:
            raise ValueError(f"at most {IMAGE_SIZE.bit_length() - 1} conv blocks fit a 28 x 28 image")
        if (
            len(self.classes) < 2
            or len(set(self.classes)) != len(self.classes)
            or not all(c.strip() for c in self.classes)
        ):
            raise ValueError("classes needs at least two different, non-empty names")

    @property
    def is_digits(self) -> bool:
        """Whether the outputs are the ten digits (the bundled task) rather than new classes."""
        return self.classes == DIGITS

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
