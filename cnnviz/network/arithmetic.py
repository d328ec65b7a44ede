"""How each number in the network is computed, worked out from the model's own weights and activations.

Every function takes what one forward pass captured (cnnviz.network.capture.ActivationCapture) and
returns the pieces of one computation, so a page can show them and a test can check them.
"""

from dataclasses import dataclass

import numpy as np
import torch

from cnnviz.network.model import POOL_SIZE, Block, DigitCNN


@dataclass(frozen=True)
class BatchNormStep:
    """Batch norm of one channel in eval mode: (x - mean) / sqrt(var + eps) * gamma + beta, from running statistics."""

    mean: float  # running mean of the conv's output over the training batches
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
    relu: float  # the value after ReLU, as the model computed it
    norm: BatchNormStep | None = None  # the block's batch norm of this channel, if it has one

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
    def normalised(self) -> float:
        """What ReLU reads: the value after batch norm, or the value itself without it."""
        return self.value if self.norm is None else self.norm(self.value)


def layer_input(activations: dict[str, np.ndarray], image: torch.Tensor, block: Block) -> np.ndarray:
    """What a block's conv reads, (C_in, H, W): the input image for the first block, else the pooled maps before it."""
    return image[0].numpy() if block.source is None else activations[block.source]


def norm_step(norm: torch.nn.BatchNorm2d, channel: int) -> BatchNormStep:
    """What one channel's batch norm does in eval mode, with its running statistics."""
    return BatchNormStep(
        float(norm.running_mean[channel]),
        float(norm.running_var[channel]),
        float(norm.eps),
        float(norm.weight[channel]),
        float(norm.bias[channel]),
    )


def conv_pixel(
    model: DigitCNN,
    activations: dict[str, np.ndarray],
    image: torch.Tensor,
    layer: str,
    channel: int,
    row: int,
    col: int,
) -> ConvPixel:
    """Take apart activations[layer][channel, row, col]: input patch, kernel, products, bias (and batch norm)."""
    block = model.block(layer)
    conv = getattr(model, layer)
    inputs = layer_input(activations, image, block)
    height, width = activations[layer].shape[1:]
    if not (0 <= channel < conv.out_channels and 0 <= row < height and 0 <= col < width):
        raise ValueError(
            f"{layer} has {conv.out_channels} channels of {height} x {width}; no ({channel}, {row}, {col})"
        )
    k, pad = conv.kernel_size[0], conv.padding[0]
    padded = np.pad(inputs, ((0, 0), (pad, pad), (pad, pad)))  # zeros where the kernel hangs over the edge
    patch = padded[:, row : row + k, col : col + k]
    with torch.no_grad():
        norm = norm_step(getattr(model, block.norm), channel) if block.norm else None
    return ConvPixel(
        layer,
        channel,
        row,
        col,
        patch.copy(),
        conv.weight[channel].detach().numpy().copy(),
        float(conv.bias[channel].detach()),
        row - pad,
        col - pad,
        float(activations[block.relu][channel, row, col]),
        norm,
    )


def strongest_cell(maps: np.ndarray) -> tuple[int, int, int]:
    """(channel, row, col) of the largest value in maps (C, H, W): a number worth taking apart."""
    channel, row, col = np.unravel_index(int(np.argmax(maps)), maps.shape)
    return int(channel), int(row), int(col)


@dataclass(frozen=True)
class PoolWindow:
    """One max-pooling output: the 2 x 2 window it read and which cell it kept."""

    values: np.ndarray  # (2, 2) from the ReLU output
    top: int  # window position in the ReLU output
    left: int
    kept: tuple[int, int]  # (row, col) inside the window, first in reading order on ties (as PyTorch)
    pooled: float  # the pooling layer's output, as the model computed it


def pool_window(
    activations: dict[str, np.ndarray], block: Block, channel: int, row: int, col: int, size: int = POOL_SIZE
) -> PoolWindow:
    """The window behind activations[block.pool][channel, row, col]; ValueError for a cell the pooled map lacks."""
    height, width = activations[block.pool].shape[1:]
    if not (0 <= row < height and 0 <= col < width):
        raise ValueError(f"{block.pool} is {height} x {width}: it has no cell ({row}, {col})")
    relu = activations[block.relu][channel]
    top, left = row * size, col * size
    values = relu[top : top + size, left : left + size]
    kept = np.unravel_index(int(np.argmax(values)), values.shape)
    pooled = float(activations[block.pool][channel, row, col])
    return PoolWindow(values.copy(), top, left, (int(kept[0]), int(kept[1])), pooled)


@dataclass(frozen=True)
class SoftmaxSteps:
    """Logits to probabilities, one step at a time, at a temperature."""

    logits: np.ndarray  # (10,)
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


@dataclass(frozen=True)
class Contributions:
    """How the last layer's inputs add up to one digit's logit."""

    digit: int
    inputs: np.ndarray  # (hidden,) what the last layer reads
    weights: np.ndarray  # (hidden,) the digit's row of weights
    bias: float

    @property
    def terms(self) -> np.ndarray:
        """Each input times its weight: positive pushes the digit up, negative down."""
        return self.inputs * self.weights

    @property
    def logit(self) -> float:
        return float(self.terms.sum() + self.bias)


def class_contributions(model: DigitCNN, activations: dict[str, np.ndarray], digit: int) -> Contributions:
    """The terms of one output's logit (digit: its index) in the last fully connected layer."""
    last = getattr(model, model.head.logits)
    weights = last.weight[digit].detach().numpy().copy()
    return Contributions(digit, activations[model.head.dropout], weights, float(last.bias[digit].detach()))


def dropout_runs(
    model: DigitCNN, activations: dict[str, np.ndarray], runs: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """What training mode would give: (masks (runs, hidden), probabilities (runs, classes)).

    Dropout is the only layer that acts differently in training mode (for models without batch
    norm), so this redoes just the dropout and the last layer, leaving the shared model untouched.
    """
    rate = getattr(model, model.head.dropout).p
    generator = torch.Generator().manual_seed(seed)
    hidden = torch.from_numpy(activations[model.head.hidden_relu])
    keep = (torch.rand(runs, hidden.numel(), generator=generator) >= rate).float()
    with torch.no_grad():
        logits = getattr(model, model.head.logits)(hidden * keep / (1 - rate))
    return keep.numpy(), torch.softmax(logits, dim=1).numpy()


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
