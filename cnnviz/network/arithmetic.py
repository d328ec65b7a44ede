"""How each number in the network is computed, worked out from the model's own weights and activations.

Every function takes what one forward pass captured (cnnviz.network.capture.ActivationCapture)
and returns the pieces of one computation, so a page can show them and a test can check them:
a conv cell (the patch it reads, with its stride and padding), batch norm, an activation, a
pooling window (max or mean), a residual sum (its two inputs), a linear unit, softmax.
"""

import re
from dataclasses import dataclass

import numpy as np
import torch

from cnnviz.network.functions import FUNCTIONS
from cnnviz.network.model import LayerInfo, Network


def layer_input(activations: dict[str, np.ndarray], image: torch.Tensor, layer: LayerInfo) -> np.ndarray:
    """What a layer reads: the input image (C, H, W) for the first, else the output of the layer before it."""
    return image[0].numpy() if layer.source == "input" else activations[layer.source]


def _check_cell(maps: np.ndarray, name: str, channel: int, row: int, col: int) -> None:
    channels, height, width = maps.shape
    if not (0 <= channel < channels and 0 <= row < height and 0 <= col < width):
        raise ValueError(f"{name} has {channels} channels of {height} x {width}; no ({channel}, {row}, {col})")


@dataclass(frozen=True)
class BatchNormStep:
    """Batch norm of one channel in eval mode: (x - mean) / sqrt(var + eps) * gamma + beta, from running statistics."""

    mean: float  # running mean of the layer's input over the training batches
    var: float  # running variance
    eps: float
    gamma: float  # learned scale
    beta: float  # learned shift

    @property
    def scale(self) -> float:
        """gamma / sqrt(var + eps): the whole step is scale * x + shift."""
        return self.gamma / float(np.sqrt(self.var + self.eps))

    @property
    def shift(self) -> float:
        """beta - mean * scale."""
        return self.beta - self.mean * self.scale

    def __call__(self, x: float) -> float:
        return self.scale * x + self.shift


def norm_step(norm: torch.nn.BatchNorm2d, channel: int) -> BatchNormStep:
    """What one channel's batch norm does in eval mode, with its running statistics."""
    with torch.no_grad():
        return BatchNormStep(
            float(norm.running_mean[channel]),
            float(norm.running_var[channel]),
            float(norm.eps),
            float(norm.weight[channel]),
            float(norm.bias[channel]),
        )


def activation_formula(function: str, x: float) -> str:
    """The activation written out for one number: "max(0, 2.871)" (only the variable x replaced, not the x of max)."""
    return re.sub(r"\bx\b", f"{x:.3f}", FUNCTIONS[function].formula)


def activate(function: str, x: float) -> float:
    """An activation function applied to one number, as PyTorch does."""
    if function not in FUNCTIONS:
        raise ValueError(f"no activation {function!r}")
    return FUNCTIONS[function].value(x)


@dataclass(frozen=True)
class ChainStep:
    """One layer after a conv, at the same cell: batch norm or an activation, with its input and output."""

    layer: str
    title: str
    before: float
    after: float  # as the model computed it
    norm: BatchNormStep | None = None  # for batch norm
    function: str | None = None  # for an activation


@dataclass(frozen=True)
class ConvPixel:
    """One feature-map value of a conv layer, taken apart."""

    layer: str  # "conv1", "conv2", ...
    channel: int
    row: int
    col: int
    patch: np.ndarray  # (C_in, k, k): the layer's input under the kernel (0 where it hangs over the edge)
    kernel: np.ndarray  # (C_in, k, k): the filter's weights
    bias: float
    top: int  # patch position in the layer's input; may be negative where padding is used
    left: int
    stride: int
    padding: int
    output: float  # the conv layer's output there, as the model computed it
    chain: tuple[ChainStep, ...] = ()  # batch norm and activation after it, at the same cell

    @property
    def products(self) -> np.ndarray:
        """Element-wise products, (C_in, k, k)."""
        return self.patch * self.kernel

    @property
    def channel_sums(self) -> np.ndarray:
        """Sum of the products for each input channel, (C_in,)."""
        return self.products.sum(axis=(1, 2))

    @property
    def value(self) -> float:
        """Sum of all products plus the bias: the conv layer's output."""
        return float(self.products.sum() + self.bias)

    @property
    def relu(self) -> float:
        """The value at the end of the chain (after batch norm and the activation), or the conv's own."""
        return self.chain[-1].after if self.chain else self.output


def chain_after(model: Network, activations: dict[str, np.ndarray], layer: str, cell: tuple[int, int, int]):
    """The batch norm and activation layers that follow a layer (Network.chain) at one cell, with their numbers."""
    channel, row, col = cell
    steps, source = [], layer
    for name in model.chain(layer):
        info = model.layer(name)
        before, after = float(activations[source][channel, row, col]), float(activations[name][channel, row, col])
        function = getattr(info.spec, "function", None)  # an activation's; batch norm has its running statistics
        norm = None if function else norm_step(info.module, channel)
        steps.append(ChainStep(name, info.title, before, after, norm=norm, function=function))
        source = name
    return tuple(steps)


def conv_pixel(
    model: Network,
    activations: dict[str, np.ndarray],
    image: torch.Tensor,
    layer: str,
    channel: int,
    row: int,
    col: int,
) -> ConvPixel:
    """Take apart activations[layer][channel, row, col]: input patch, kernel, products, bias, then what follows."""
    info = model.layer(layer)
    if not info.spec.has_kernel:
        raise ValueError(f"{layer} is not a conv layer; the conv layers are {', '.join(model.conv_layers())}")
    conv = info.module
    _check_cell(activations[layer], layer, channel, row, col)
    inputs = layer_input(activations, image, info)
    k, pad, stride = conv.kernel_size[0], conv.padding[0], conv.stride[0]
    padded = np.pad(inputs, ((0, 0), (pad, pad), (pad, pad)))  # zeros where the kernel hangs over the edge
    top, left = row * stride, col * stride  # in padded coordinates
    patch = padded[:, top : top + k, left : left + k]
    return ConvPixel(
        layer,
        channel,
        row,
        col,
        patch.copy(),
        conv.weight[channel].detach().numpy().copy(),
        float(conv.bias[channel].detach()),
        top - pad,
        left - pad,
        stride,
        pad,
        float(activations[layer][channel, row, col]),
        chain_after(model, activations, layer, (channel, row, col)),
    )


def strongest_cell(maps: np.ndarray) -> tuple[int, int, int]:
    """(channel, row, col) of the largest value in maps (C, H, W): a number worth taking apart."""
    channel, row, col = np.unravel_index(int(np.argmax(maps)), maps.shape)
    return int(channel), int(row), int(col)


@dataclass(frozen=True)
class PoolWindow:
    """One pooling output: the window it read and what it made of it (the largest value, or the mean)."""

    layer: str
    mode: str  # "max" or "avg"
    values: np.ndarray  # (size, size) of the pooling layer's input
    top: int  # window position in the pooling layer's input
    left: int
    kept: tuple[int, int] | None  # max: (row, col) inside the window, first in reading order on ties (as PyTorch)
    pooled: float  # the pooling layer's output, as the model computed it
    row: int  # the pooled cell
    col: int

    @property
    def size(self) -> int:
        return self.values.shape[0]


def pool_window(activations: dict[str, np.ndarray], layer: LayerInfo, channel: int, row: int, col: int) -> PoolWindow:
    """The window behind activations[layer][channel, row, col]; ValueError for a cell the pooled map lacks."""
    spec = layer.spec
    if not spec.pools:
        raise ValueError(f"{layer.name} is not a pooling layer")
    _check_cell(activations[layer.name], layer.name, channel, row, col)
    source = activations[layer.source][channel]
    top, left = row * spec.step, col * spec.step
    values = source[top : top + spec.size, left : left + spec.size]
    kept = None
    if spec.largest:
        index = np.unravel_index(int(np.argmax(values)), values.shape)
        kept = (int(index[0]), int(index[1]))
    pooled = float(activations[layer.name][channel, row, col])
    return PoolWindow(layer.name, spec.mode, values.copy(), top, left, kept, pooled, row, col)


def pool_after(model: Network, layer: str) -> LayerInfo | None:
    """The pooling layer that reads this layer's maps, directly or after batch norm and activations; None if none."""
    source = layer
    for info in model.layers():
        if info.source != source:
            continue
        if info.spec.pools:
            return info
        if not info.spec.keeps_maps:
            return None
        source = info.name
    return None


def window_of(pool: LayerInfo, row: int, col: int) -> tuple[int, int] | None:
    """The pooled cell whose window holds (row, col) of the pool's input (the first, where windows overlap);
    None for a cell no window covers (the last row or column of an odd map, which pooling drops)."""
    spec = pool.spec

    def first(index: int, limit: int) -> int | None:
        start = max(0, -(-(index - spec.size + 1) // spec.step))  # the first window that reaches index
        return start if start * spec.step <= index and start < limit else None

    found = first(row, pool.shape.height), first(col, pool.shape.width)
    return None if None in found else found


@dataclass(frozen=True)
class ResidualSum:
    """One cell of a residual block's output: what its layers made plus what the skip carried."""

    layer: str
    body: float  # the block's last layer, at this cell
    skip: float  # the block's input there (or its 1x1 conv, when the block changes the shape)
    value: float  # the block's output, as the model computed it
    projected: bool  # whether the skip went through a 1x1 conv


def residual_sum(
    model: Network,
    activations: dict[str, np.ndarray],
    image: torch.Tensor,
    layer: str,
    channel: int,
    row: int,
    col: int,
) -> ResidualSum:
    """The two numbers a residual block adds at one cell."""
    info = model.layer(layer)
    if not info.spec.inner:
        raise ValueError(f"{layer} is not a residual block")
    _check_cell(activations[layer], layer, channel, row, col)
    last = info.spec.inner[-1].name
    shortcut = info.module.shortcut
    inputs = layer_input(activations, image, info)
    projected = info.projects  # through a 1x1 conv, not the identity
    if projected:
        stride = shortcut.stride[0]
        column = inputs[:, row * stride, col * stride]
        skip = float((shortcut.weight[channel, :, 0, 0].detach().numpy() * column).sum())
    else:
        skip = float(inputs[channel, row, col])
    body = float(activations[last][channel, row, col])
    return ResidualSum(layer, body, skip, float(activations[layer][channel, row, col]), projected)


@dataclass(frozen=True)
class Contributions:
    """How one unit of a linear layer adds up: each input times its weight, plus the bias."""

    layer: str
    unit: int
    inputs: np.ndarray  # (in,) what the layer reads
    weights: np.ndarray  # (in,) the unit's row of weights
    bias: float

    @property
    def terms(self) -> np.ndarray:
        """Each input times its weight: positive pushes the unit up, negative down."""
        return self.inputs * self.weights

    @property
    def logit(self) -> float:
        return float(self.terms.sum() + self.bias)

    @property
    def digit(self) -> int:  # the output layer's unit is a class
        return self.unit


def unit_sum(model: Network, activations: dict[str, np.ndarray], layer: str, unit: int) -> Contributions:
    """The terms of one unit of a linear layer (the output layer's units are the classes' logits)."""
    info = model.layer(layer)
    linear = info.module
    if not info.shape.flat or getattr(linear, "weight", None) is None:
        raise ValueError(f"{layer} is not a linear layer")
    weights = linear.weight[unit].detach().numpy().copy()
    return Contributions(layer, unit, activations[info.source].reshape(-1), weights, float(linear.bias[unit].detach()))


def class_contributions(model: Network, activations: dict[str, np.ndarray], digit: int) -> Contributions:
    """The terms of one output's logit (digit: its index) in the output layer."""
    return unit_sum(model, activations, model.output.name, digit)


@dataclass(frozen=True)
class SoftmaxSteps:
    """Logits to probabilities, one step at a time, at a temperature."""

    logits: np.ndarray  # (classes,)
    temperature: float
    shifted: np.ndarray  # logits / T minus their maximum (the same result, without overflow)
    exps: np.ndarray  # e ** shifted
    total: float  # sum of exps
    probabilities: np.ndarray  # exps / total


def softmax_steps(logits: np.ndarray, temperature: float = 1.0) -> SoftmaxSteps:
    """Softmax of logits / temperature, keeping every intermediate."""
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    shifted = scaled - scaled.max()
    exps = np.exp(shifted)
    return SoftmaxSteps(np.asarray(logits), temperature, shifted, exps, float(exps.sum()), exps / exps.sum())


def last_dropout(model: Network) -> LayerInfo | None:
    """The network's last dropout layer (the one nearest the answer), if it has one."""
    dropouts = [info for info in model.layers() if info.spec.drops]
    return dropouts[-1] if dropouts else None


def dropout_runs(
    model: Network, activations: dict[str, np.ndarray], runs: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """What training mode would give: (masks (runs, units), probabilities (runs, classes)).

    Dropout and batch norm are the layers that act differently in training mode; this redoes the
    last dropout layer and every layer after it, the rest as they were, leaving the shared model untouched.
    """
    dropout = last_dropout(model)
    if dropout is None:
        raise ValueError("this network has no dropout layer")
    rate = dropout.spec.rate
    generator = torch.Generator().manual_seed(seed)
    seen = torch.from_numpy(activations[dropout.source]).reshape(1, -1)
    keep = (torch.rand(runs, seen.shape[1], generator=generator) >= rate).float()
    x = seen * keep / (1 - rate)
    after = False
    with torch.no_grad():
        for name, module in model.named_children():
            if after:
                x = module(x)
            after = after or name == dropout.name
    return keep.numpy(), torch.softmax(x, dim=1).numpy()


def shift_pixels(pixels: np.ndarray, down: int, right: int) -> np.ndarray:
    """The image moved by whole pixels, with black coming in at the edges."""
    shifted = np.zeros_like(pixels)
    h, w = pixels.shape
    src_rows = slice(max(0, -down), min(h, h - down))
    src_cols = slice(max(0, -right), min(w, w - right))
    dst_rows = slice(max(0, down), min(h, h + down))
    dst_cols = slice(max(0, right), min(w, w + right))
    shifted[dst_rows, dst_cols] = pixels[src_rows, src_cols]
    return shifted
