"""The two PyTorch modules of this app's own: dropout with its own random generator, and a residual block."""

import torch
from torch import nn


class SeededDropout(nn.Dropout):
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


class ResidualBlock(nn.Module):
    """Its layers' output plus its input: body(x) + shortcut(x); the shortcut is a 1x1 conv when shapes differ."""

    def __init__(self, body: nn.Sequential, shortcut: nn.Module):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x) + self.shortcut(x)
