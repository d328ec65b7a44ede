"""One walk through the network: every layer's input and output, in the order they act.

Capture, the arithmetic, the written-out backward pass, excitation, transfer and attribution all
go through here, so they agree on what each layer read and made. The walk does what the model's
own forward pass does (tests check the two agree), one layer at a time, residual blocks included:
their own layers first, then the block's sum of its body and its skip.
"""

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import torch

from cnnviz.network.model import LayerInfo, Network


@dataclass(frozen=True)
class Step:
    """One layer at work: what it read and what it made (batch axis kept)."""

    layer: LayerInfo
    input: torch.Tensor
    output: torch.Tensor
    body: torch.Tensor | None = None  # a residual block's sum: what its layers made ...
    skip: torch.Tensor | None = None  # ... and what its skip connection carried (the input, or its 1x1 conv)


def walk(model: Network, image: torch.Tensor, stop: str | None = None) -> Iterator[Step]:
    """Run the model layer by layer on image (N, 1, 28, 28), yielding a Step for each; stop after the named one."""
    x = image
    for name, module in model.named_children():
        info = model.layer(name)
        if info.spec.inner:  # a residual block: its own layers, then the sum
            y = x
            for inner_name, inner in module.body.named_children():
                out = inner(y)
                yield Step(model.layer(inner_name), y, out)
                if inner_name == stop:
                    return
                y = out
            skip = module.shortcut(x)
            out = y + skip
            yield Step(info, x, out, body=y, skip=skip)
        else:
            out = module(x)
            yield Step(info, x, out)
        if name == stop:
            return
        x = out


def forward_to(model: Network, image: torch.Tensor, layer: str) -> torch.Tensor:
    """The named layer's output for image: the walk, stopped there."""
    steps = deque(walk(model, image, stop=layer), maxlen=1)  # only the last step's tensors are kept
    if not steps or steps[-1].layer.name != layer:
        raise ValueError(f"no layer {layer!r}; this model has {', '.join(info.name for info in model.layers())}")
    return steps[-1].output
