"""The CNN the app opens up: conv -> ReLU -> max-pool blocks, then a small classifier."""

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass

import torch
from torch import nn

IMAGE_SIZE = 28  # MNIST images are 28 x 28 pixels, one channel
NUM_CLASSES = 10
# PyTorch draws weight initialisation and dropout from one process-wide generator. Runs in
# different threads take turns with it under this lock, so a seed gives the same run even
# when several students train at once.
GLOBAL_RNG_LOCK = threading.Lock()


@dataclass(frozen=True)
class ModelConfig:
    """Shape of the network; every field is a plain value so it fits in a file header."""

    conv_channels: tuple[int, ...] = (16, 32)  # output channels of each conv block
    kernel_size: int = 5  # square kernels; padding keeps the map size ("same" convolution)
    hidden_units: int = 128  # width of the fully connected layer before the logits
    dropout: float = 0.3  # dropout rate before the last layer (only active while training)
    batch_norm: bool = False  # BatchNorm2d between each conv and its ReLU

    def __post_init__(self):
        object.__setattr__(self, "conv_channels", tuple(int(c) for c in self.conv_channels))
        if not self.conv_channels or min(self.conv_channels) < 1:
            raise ValueError("conv_channels needs at least one positive channel count")
        if self.kernel_size < 1 or self.kernel_size % 2 == 0:
            raise ValueError("kernel_size must be an odd number such as 3 or 5")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        if IMAGE_SIZE >> len(self.conv_channels) < 1:
            raise ValueError(f"at most {IMAGE_SIZE.bit_length() - 1} conv blocks fit a 28 x 28 image")

    def to_dict(self) -> dict:
        """Plain dict for JSON (tuples become lists)."""
        return {**asdict(self), "conv_channels": list(self.conv_channels)}

    @classmethod
    def from_dict(cls, values: dict) -> "ModelConfig":
        """Inverse of to_dict; unknown keys are an error."""
        return cls(**values)


class DigitCNN(nn.Sequential):
    """conv{i} -> [bn{i}] -> relu{i} -> pool{i} for each block, then flatten -> fc1 -> relu_fc -> dropout -> fc2.

    A flat Sequential with named layers: every intermediate tensor has a readable name
    ("conv1", "relu1", "pool1", ...) for activation capture.
    """

    def __init__(self, config: ModelConfig = ModelConfig()):
        layers = OrderedDict()
        in_channels = 1
        for i, out_channels in enumerate(config.conv_channels, start=1):
            layers[f"conv{i}"] = nn.Conv2d(in_channels, out_channels, config.kernel_size, padding=config.kernel_size // 2)
            if config.batch_norm:
                layers[f"bn{i}"] = nn.BatchNorm2d(out_channels)
            layers[f"relu{i}"] = nn.ReLU()
            layers[f"pool{i}"] = nn.MaxPool2d(2)
            in_channels = out_channels
        layers["flatten"] = nn.Flatten()
        with torch.no_grad():  # the flattened size, from a dummy forward rather than hand arithmetic
            flat_size = nn.Sequential(layers)(torch.zeros(1, 1, IMAGE_SIZE, IMAGE_SIZE)).shape[1]
        layers["fc1"] = nn.Linear(flat_size, config.hidden_units)
        layers["relu_fc"] = nn.ReLU()
        layers["dropout"] = nn.Dropout(config.dropout)
        layers["fc2"] = nn.Linear(config.hidden_units, NUM_CLASSES)
        super().__init__(layers)
        self.config = config

    def conv_layers(self) -> list[str]:
        """Names of the conv layers, first to last."""
        return [f"conv{i}" for i in range(1, len(self.config.conv_channels) + 1)]


def build_model(config: ModelConfig = ModelConfig(), seed: int | None = None) -> DigitCNN:
    """A freshly initialised model; with a seed the initial weights are reproducible."""
    if seed is None:
        return DigitCNN(config)
    with GLOBAL_RNG_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return DigitCNN(config)
