"""What a training run is asked for: the network, how to train it, which digits, and the probe to watch."""

from dataclasses import dataclass

from cnnviz.network.layers import Architecture, parse_layers
from cnnviz.network.presets import PRESETS
from cnnviz.training.engine import TrainConfig


@dataclass(frozen=True)
class Settings:
    """What the Train page's sidebar asks for, as plain values."""

    model: Architecture | None  # None while the layer list cannot make a network (the sidebar says why)
    training: TrainConfig
    source: str  # where the digits come from (see cnnviz.data.mnist.SOURCES)
    probe: str  # title of the sample digit to watch
    train_size: int | None  # training digits to use (None: all)
    slow_motion: bool  # one batch at a time, slowly enough to watch each
    arch: str  # the preset the layers started from

    @property
    def network_label(self) -> str:
        """What the network is called: its preset's name, or "an edited <preset>" once its layers were changed."""
        preset = Architecture(parse_layers(PRESETS[self.arch]), self.model.classes)
        return self.arch if preset.text == self.model.text else f"an edited {self.arch}"
