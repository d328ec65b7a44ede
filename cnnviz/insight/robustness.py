"""How easily the network is fooled: its answers as the digit is turned, scaled, shifted, noised or partly erased,
and adversarial examples (FGSM, PGD) that change the answer with a change too small to see.

Everything works on the network's input as pixels (28, 28) in [0, 1], ink bright; the same
normalisation as the app is applied before the model sees them.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.data.mnist import normalize
from cnnviz.network.model import Network

CHANGES = {  # name: (values to try, what a value means)
    "rotation": (np.arange(-90, 91, 5, dtype=np.float32), "degrees, clockwise"),
    "scale": (np.round(np.arange(0.3, 1.61, 0.05), 2).astype(np.float32), "times its size"),
    "shift": (np.arange(-10, 11, 1, dtype=np.float32), "pixels to the right"),
    "noise": (np.round(np.arange(0.0, 0.81, 0.04), 2).astype(np.float32), "noise strength (0-1)"),
    "erase": (np.arange(0, 15, 1, dtype=np.float32), "side of an erased square at the centre, pixels"),
}


def changed(pixels: np.ndarray, change: str, value: float, seed: int = 0) -> np.ndarray:
    """The digit (28, 28) in [0, 1] with one change applied (see CHANGES)."""
    image = torch.from_numpy(np.asarray(pixels, dtype=np.float32))[None, None]
    if change in ("rotation", "scale", "shift"):
        angle = np.deg2rad(value) if change == "rotation" else 0.0
        zoom = value if change == "scale" else 1.0
        dx = -2 * value / 28 if change == "shift" else 0.0
        matrix = torch.tensor(
            [[np.cos(angle) / zoom, -np.sin(angle) / zoom, dx], [np.sin(angle) / zoom, np.cos(angle) / zoom, 0.0]],
            dtype=torch.float32,
        )[None]
        grid = F.affine_grid(matrix, image.shape, align_corners=False)
        return F.grid_sample(image, grid, align_corners=False, padding_mode="zeros")[0, 0].numpy()
    if change == "noise":
        rng = np.random.default_rng(seed)
        return np.clip(pixels + value * rng.standard_normal(pixels.shape), 0, 1).astype(np.float32)
    if change == "erase":
        out = np.array(pixels, dtype=np.float32)
        side = int(value)
        if side:
            top = 14 - side // 2
            out[top : top + side, top : top + side] = 0
        return out
    raise ValueError(f"unknown change {change!r}; choose one of {', '.join(CHANGES)}")


@torch.no_grad()
def sweep(model: Network, pixels: np.ndarray, change: str, values: np.ndarray | None = None) -> np.ndarray:
    """Softmax answers (len(values), classes) for the digit changed by each value, in one batch."""
    values = CHANGES[change][0] if values is None else values
    batch = torch.from_numpy(np.stack([changed(pixels, change, float(v)) for v in values]))
    return torch.softmax(model.eval()(normalize(batch)), dim=1).numpy()


@dataclass(frozen=True)
class Adversarial:
    """An input nudged to change the network's answer, and what it took."""

    method: str  # "fgsm" or "pgd"
    epsilon: float  # the largest change allowed to any pixel (0-1)
    pixels: np.ndarray  # (28, 28) the nudged digit, in [0, 1]
    perturbation: np.ndarray  # (28, 28) nudged minus original; |each| <= epsilon
    label: int  # the class read before
    new_label: int  # the class read after
    probabilities: np.ndarray  # the answer after


def adversarial(model: Network, pixels: np.ndarray, epsilon: float, steps: int = 1) -> Adversarial:
    """FGSM (steps = 1) or PGD (several smaller signed-gradient steps, kept within epsilon) against the current answer.

    Each step moves every pixel by the sign of the loss gradient: the direction that most quickly
    makes the network less sure of what it reads now.
    """
    model = model.eval()
    original = torch.from_numpy(np.asarray(pixels, dtype=np.float32))[None]
    with torch.no_grad():
        label = int(model(normalize(original)).argmax())
    x = original.clone()
    step = epsilon if steps == 1 else 2.5 * epsilon / steps
    for _ in range(steps):
        x.requires_grad_(True)
        loss = F.cross_entropy(model(normalize(x)), torch.tensor([label]))
        (gradient,) = torch.autograd.grad(loss, x)
        with torch.no_grad():
            x = original + (x + step * gradient.sign() - original).clamp(-epsilon, epsilon)
            x = x.clamp(0, 1)
    with torch.no_grad():
        probabilities = torch.softmax(model(normalize(x)), dim=1)[0].numpy()
    nudged = x[0].numpy()
    return Adversarial(
        "fgsm" if steps == 1 else "pgd",
        epsilon,
        nudged,
        nudged - original[0].numpy(),
        label,
        int(probabilities.argmax()),
        probabilities,
    )


def smallest_fooling_epsilon(model: Network, pixels: np.ndarray, steps: int, largest: float = 0.3) -> Adversarial:
    """The adversarial example with the smallest epsilon (searched in steps of 0.01) that changes the answer."""
    for epsilon in np.arange(0.01, largest + 1e-6, 0.01):
        found = adversarial(model, pixels, float(round(epsilon, 2)), steps)
        if found.new_label != found.label:
            return found
    return found
