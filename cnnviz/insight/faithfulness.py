"""Checks that an explanation can be trusted: the deletion test and the network-scrambling test.

Deletion (Samek et al. 2017): blank the pixels a map ranks highest, a tenth of the image at a time,
and watch the target's probability; a map that found what the answer needs makes it fall faster
than blanking the same number of pixels in a random order. Cascading randomisation (Adebayo et
al. 2018): replace the learned weights by fresh random ones, from the output layer down, one more
layer at a time; a method whose map hardly changes shows the image more than what the network learned.
"""

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from cnnviz.insight.attribution import BLANK, METHODS, attribute
from cnnviz.network.model import Network, initialise

FRACTIONS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)  # shares of the pixels blanked, nothing first
SEED = 0  # of the random order and of the scrambled weights: the same check gives the same numbers
CLEARLY = 0.05  # a map "removes the answer faster" when its curve's mean is this much below the random one's
ALIKE = 0.5  # a rank correlation from which a scrambled network's map "stays alike"


def clearly_faster(by_map: np.ndarray, at_random: np.ndarray) -> bool:
    """Whether blanking in a map's order removes the answer clearly faster than blanking at random."""
    return bool(np.mean(by_map) < np.mean(at_random) - CLEARLY)


@dataclass(frozen=True)
class Deletion:
    """The target's probability as pixels are blanked: in the map's order, and in a random one."""

    fractions: tuple[float, ...]
    by_map: np.ndarray  # (len(fractions),) probabilities, the first with nothing blanked
    at_random: np.ndarray  # the same pixels counts blanked in a seeded random order; starts at the same value


def random_order(seed: int = SEED, size: int = 28 * 28) -> np.ndarray:
    """Every pixel index (row-major) once, in a seeded random order."""
    return np.random.default_rng(seed).permutation(size)


def map_order(values: np.ndarray, seed: int = SEED) -> np.ndarray:
    """Pixel indices, the one that pushed the target up most first; ties (a flat region) in the random order."""
    tie_break = np.empty(values.size, dtype=np.int64)
    tie_break[random_order(seed, values.size)] = np.arange(values.size)
    return np.lexsort((tie_break, -values.ravel()))


def target_probability(model: Network, images: torch.Tensor, target: int) -> np.ndarray:
    """The network's probability of the target for each image (N, 1, 28, 28): softmax over all its outputs."""
    with torch.no_grad():
        return torch.softmax(model(images), dim=1)[:, target].numpy().astype(np.float64)


def blanked(image: torch.Tensor, order: np.ndarray, fractions=FRACTIONS) -> torch.Tensor:
    """One copy of image (1, 1, 28, 28) per fraction, its first fraction * pixels (in order) set to no ink."""
    pixels = image[0, 0].numel()
    copies = image.detach().repeat(len(fractions), 1, 1, 1)  # (F, 1, 28, 28)
    flat = copies.view(len(fractions), -1)
    for row, fraction in enumerate(fractions):
        flat[row, torch.from_numpy(order[: round(fraction * pixels)])] = BLANK
    return copies


def deletion(model: Network, image: torch.Tensor, values: np.ndarray, target: int, seed: int = SEED) -> Deletion:
    """The deletion test of one map (28, 28) for the target on image (1, 1, 28, 28), in one batch."""
    steps = FRACTIONS[1:]
    batch = torch.cat(
        [image.detach(), blanked(image, map_order(values, seed), steps), blanked(image, random_order(seed), steps)]
    )
    found = target_probability(model, batch, target)  # (1 + 2 * steps,): nothing blanked, by the map, at random
    start = found[:1]
    return Deletion(
        FRACTIONS, np.concatenate([start, found[1 : 1 + len(steps)]]), np.concatenate([start, found[1 + len(steps) :]])
    )


def similarity(first: np.ndarray, second: np.ndarray, signed: bool = True) -> float:
    """Spearman's rank correlation of two maps' pixels, -1 to 1: as drawn (signed), or of how strongly each pixel
    counts (signed=False: the sign ignored); NaN when either map is flat (every pixel the same: nothing to rank)."""
    from scipy.stats import spearmanr  # imported here: scipy.stats costs half a second the deletion test never needs

    a, b = first.ravel(), second.ravel()
    if not signed:
        a, b = np.abs(a), np.abs(b)
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


def _weights(module: nn.Module) -> nn.Conv2d | nn.Linear | None:
    """The learned weights a layer holds: its own (conv, linear), or a residual block's 1x1 conv shortcut."""
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        return module
    shortcut = getattr(module, "shortcut", None)
    return shortcut if isinstance(shortcut, nn.Conv2d) else None


def learned_layers(model: Network) -> list[str]:
    """The layers with learned weights (conv, linear, a residual block's shortcut conv), from the output down: the
    order they are scrambled. Batch norm's scales are kept."""
    return [info.name for info in reversed(model.layers()) if _weights(info.module) is not None]


@dataclass(frozen=True)
class Scrambled:
    """Maps of a network whose top layers' weights were replaced by random ones, one more layer at each step."""

    steps: tuple[str, ...]  # the layer scrambled at each step ("" for the first: the trained network)
    maps: dict[str, np.ndarray]  # method -> (len(steps), 28, 28)
    similarity: dict[str, np.ndarray]  # method -> (len(steps),) rank correlation with the trained network's map
    strength: dict[str, np.ndarray]  # the same with the sign ignored: how strongly each pixel counts


def cascading_randomisation(
    model: Network,
    image: torch.Tensor,
    target: int,
    methods: tuple[str, ...] = METHODS,
    layer: str | None = None,
    seed: int = SEED,
) -> Scrambled:
    """Each method's map for the target, first on the trained network, then with its learned layers re-randomised
    from the output down (cumulatively), with each map's similarity to the first (signed, and sign ignored).

    Args:
        layer: the conv layer Grad-CAM weighs (default: the last one).
    """
    scrambled = copy.deepcopy(model).eval()
    generator = torch.Generator().manual_seed(seed)
    steps = ("", *learned_layers(scrambled))
    maps = {method: [] for method in methods}
    for name in steps:
        if name:
            with torch.no_grad():
                initialise(_weights(scrambled.layer(name).module), generator)  # PyTorch's own, freshly drawn
        for method in methods:
            maps[method].append(attribute(scrambled, image, method, target, layer).values)
    stacked = {method: np.stack(found) for method, found in maps.items()}
    scores = {method: np.array([similarity(found[0], step) for step in found]) for method, found in stacked.items()}
    strength = {
        method: np.array([similarity(found[0], step, signed=False) for step in found])
        for method, found in stacked.items()
    }
    return Scrambled(steps, stacked, scores, strength)
