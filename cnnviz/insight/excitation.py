"""What excites each channel of a conv layer: its strongest patches among training digits, and an image made for it.

Two classic ways to see what a filter looks for: the nine pieces of real digits (receptive fields)
where the channel answers most strongly, and an input optimised to make it answer strongly
(activation maximisation, kept plausible by small random shifts, a blur and a pull towards paper).
"""

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.data.mnist import BLACK, MNIST_MEAN, MNIST_STD, WHITE, Digits, normalize
from cnnviz.errors import InputError
from cnnviz.network.model import Network
from cnnviz.network.walk import forward_to
from cnnviz.saving import write_file

TOP = 9  # patches per channel
CHUNK = 500  # digits per forward pass while searching
DREAM_STEPS = 120


@dataclass(frozen=True)
class ReceptiveField:
    """The input pixels one cell of a layer's maps can see."""

    size: int  # pixels on a side
    jump: int  # input pixels between neighbouring cells
    start: float  # input position of cell 0's centre


@dataclass(frozen=True)
class StrongestPatches:
    """A conv layer's channels, each with the digits and places it answers to most strongly."""

    layer: str
    field: ReceptiveField
    patches: np.ndarray  # (C, TOP, size, size) in [0, 1], ink bright: what the cell saw
    values: np.ndarray  # (C, TOP) the activation after ReLU there
    digits: np.ndarray  # (C, TOP) index of the digit in the searched set


def receptive_field(model: Network, layer: str) -> ReceptiveField:
    """The input pixels one cell of a layer sees, from the convs and pools before it (any kernel, stride, padding).

    Each conv or pool of kernel k, stride s, padding p: the field grows by (k - 1) input steps, its
    centre moves by ((k - 1) / 2 - p) steps, and one step of its output is s steps of its input.
    Inside a residual block the path through its layers is the longer one, so it is the one followed.
    """
    size, jump, start = 1, 1, 0.0
    for info in model.layers():
        if info.spec.window is not None:  # a conv or a pooling layer
            k, stride, padding = info.spec.window
            size += (k - 1) * jump
            start += ((k - 1) / 2 - padding) * jump
            jump *= stride
        if info.name == layer:
            return ReceptiveField(size, jump, start)
    raise ValueError(f"no layer {layer!r}; this model has {', '.join(model.map_layers())}")


@torch.no_grad()
def strongest_patches(model: Network, digits: Digits, layer: str, top: int = TOP) -> StrongestPatches:
    """For every channel of a conv layer, the top digits (one place each) where it answers most strongly after ReLU."""
    model = model.eval()
    activated = model.activated(layer)  # its maps after batch norm and the activation: what the next layer reads
    best, where = [], []
    for start in range(0, len(digits), CHUNK):
        maps = forward_to(model, normalize(digits.images[start : start + CHUNK]), activated)  # (n, C, H, W)
        flat = maps.flatten(2)
        value, position = flat.max(dim=2)  # the strongest place of each channel in each digit
        best.append(value)
        where.append(position)
    best, where = torch.cat(best), torch.cat(where)  # (N, C)
    width = maps.shape[-1]
    count = min(top, len(digits))
    values, chosen = best.topk(count, dim=0)  # (top, C)
    field = receptive_field(model, layer)
    half = field.size // 2
    images = F.pad(digits.images.float() / 255, (half, half, half, half))  # paper beyond the edges
    patches = np.zeros((best.shape[1], count, field.size, field.size), dtype=np.float32)
    for channel in range(best.shape[1]):
        for rank in range(count):
            index = int(chosen[rank, channel])
            row, col = divmod(int(where[index, channel]), width)
            top_row = round(field.start + row * field.jump - (field.size - 1) / 2) + half
            left = round(field.start + col * field.jump - (field.size - 1) / 2) + half
            patches[channel, rank] = images[index, top_row : top_row + field.size, left : left + field.size].numpy()
    return StrongestPatches(layer, field, patches, values.T.numpy(), chosen.T.numpy())


def dreamed_inputs(model: Network, layer: str, steps: int = DREAM_STEPS, seed: int = 0) -> np.ndarray:
    """For every channel of a conv layer, an input (28 x 28, [0, 1]) optimised to excite it everywhere.

    Gradient ascent on the channel's mean activation after ReLU, with random shifts of up to two
    pixels, a light blur every few steps and a small pull towards blank paper, so the result looks
    like strokes rather than noise. All channels are optimised together, one image each.
    """
    model = model.eval()
    activated = model.activated(layer)
    channels = model.layer(layer).shape.channels
    generator = torch.Generator().manual_seed(seed)
    low, high = BLACK, WHITE
    x = (low + 0.6 * torch.rand(channels, 1, 28, 28, generator=generator)).requires_grad_(True)  # ReLU lets some pass
    optimiser = torch.optim.Adam([x], lr=0.05)
    blur = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]).view(1, 1, 3, 3) / 16
    wanted = torch.arange(channels)
    for step in range(steps):
        dy, dx = (int(v) for v in torch.randint(-2, 3, (2,), generator=generator))
        maps = forward_to(model, torch.roll(x, shifts=(dy, dx), dims=(2, 3)), activated)  # (C, C, H, W)
        excitement = maps[wanted, wanted].mean(dim=(1, 2))  # image c, channel c
        loss = -excitement.sum() + 0.02 * ((x - low) ** 2).mean(dim=(1, 2, 3)).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        with torch.no_grad():
            if step % 4 == 3:
                x.copy_(F.conv2d(x, blur, padding=1))
            x.clamp_(low, high)
    pixels = (x.detach()[:, 0] * MNIST_STD + MNIST_MEAN).clamp(0, 1)
    return pixels.numpy()


def weights_digest(model: Network) -> str:
    """A short digest of a model's weights and buffers: what is computed from them alone may be kept under it."""
    digest = hashlib.sha1()
    for name, tensor in model.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def _kept_at(folder: Path | None, kind: str, model: Network, layer: str, setting: int) -> Path | None:
    """Where what is computed from these weights alone is kept (None: nowhere)."""
    if folder is None:
        return None
    return folder / f"{kind}-{weights_digest(model)}-{re.sub(r'[^A-Za-z0-9_]', '_', layer)}-{setting}.npz"


def _read(path: Path | None) -> dict[str, np.ndarray] | None:
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as saved:
            return {name: saved[name] for name in saved.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None  # damaged: computed again


def _write(path: Path | None, **arrays: np.ndarray) -> None:
    if path is None:
        return
    out = io.BytesIO()
    np.savez(out, **arrays)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, out.getvalue())
    except (OSError, InputError):
        pass  # a folder that cannot be written only means computing again at the next start


def kept_patches(
    model: Network, digits: Callable[[], Digits], layer: str, folder: Path | None = None
) -> StrongestPatches:
    """A conv layer's strongest patches among digits(); with a folder, kept there under the weights' digest
    (searched once per weights, not once per start: digits() is called only then and must always be the same)."""
    path = _kept_at(folder, "patches", model, layer, TOP)
    saved = _read(path)
    if saved is not None and {"field", "patches", "values", "digits"} <= saved.keys():
        size, jump, start = saved["field"]
        field = ReceptiveField(int(size), int(jump), float(start))
        return StrongestPatches(layer, field, saved["patches"], saved["values"], saved["digits"])
    found = strongest_patches(model, digits(), layer)
    field = np.array([found.field.size, found.field.jump, found.field.start], dtype=np.float64)
    _write(path, field=field, patches=found.patches, values=found.values, digits=found.digits)
    return found


def kept_dreams(model: Network, layer: str, folder: Path | None = None) -> np.ndarray:
    """A conv layer's dreamed inputs (C, 28, 28); with a folder, kept there under the weights' digest."""
    path = _kept_at(folder, "dreams", model, layer, DREAM_STEPS)
    saved = _read(path)
    if saved is not None and "dreams" in saved:
        return saved["dreams"]
    dreams = dreamed_inputs(model, layer)
    _write(path, dreams=dreams)
    return dreams
