"""Questions a class answers before the reveal, each made from the network's own numbers for one image.

Every question has a few choices and exactly one right answer, computed here (never typed in), so the
reveal can put the class's answers beside what the network really did.
"""

from dataclasses import dataclass

import numpy as np
import torch

from cnnviz.insight.verdict import chosen_answer, verdict
from cnnviz.network.capture import PROBABILITIES
from cnnviz.network.cells import default_selection
from cnnviz.network.classes import is_digits
from cnnviz.network.model import Network

HIGHER_TEMPERATURE = 3.0  # "a higher temperature": the decision view's slider reaches it


@dataclass(frozen=True)
class Question:
    """What the students see (prompt, choices; pictures for choices drawn as thumbnails) and the right answer."""

    kind: str
    prompt: str
    choices: tuple[str, ...]
    correct: int  # index into choices
    explanation: str  # said at the reveal, from the numbers
    pictures: tuple[list[list[float]], ...] = ()  # one small grey picture (values 0..1) per choice, or none


def digit_question(model: Network, activations: dict[str, np.ndarray]) -> Question | None:
    """Which answer will the network give? One button per output: each class, and "not a digit" where the model
    has that output; the right one is what its verdict says (as Explore's headline). None if it gives none."""
    classes = tuple(model.classes)
    said = verdict(activations[PROBABILITIES], classes)
    best = chosen_answer(said, classes)
    if best is None:
        return None
    return Question(
        "digit",
        "Which digit will the network say?" if is_digits(classes) else "Which class will the network say?",
        classes,
        best,
        f"{said.headline}.",
    )


def map_question(model: Network, activations: dict[str, np.ndarray]) -> Question:
    """Which of four first-layer filters makes the brightest map once activated? Thumbnails of the filters."""
    conv = model.conv_layers()[0]
    activated = activations[model.activated(conv)]
    totals = activated.reshape(len(activated), -1).sum(axis=1)
    order = np.argsort(-totals)
    picked = sorted({int(order[0]), *(int(c) for c in order[len(order) // 2 :: max(1, len(order) // 6)][:3])})
    while len(picked) < min(4, len(order)):  # fewer distinct ones than hoped: fill from the top
        picked = sorted({*picked, int(order[len(picked)])})
    weights = model.layer(conv).module.weight.detach()[:, 0]  # each filter's weights on the input
    pictures = []
    for channel in picked:
        kernel = weights[channel]
        span = float(kernel.abs().max()) or 1.0
        pictures.append(((kernel / span + 1) / 2).tolist())  # 0.5 is zero, white positive, black negative
    best = picked.index(int(order[0]))
    return Question(
        "map",
        f"Which of these {model.layer(conv).title} filters will make the brightest map?",
        tuple(f"Filter {channel}" for channel in picked),
        best,
        f"Filter {picked[best]}'s map adds up to {totals[picked[best]]:.1f} after the activation, the most of these "
        f"({', '.join(f'{totals[c]:.1f}' for c in picked)}).",
        tuple(pictures),
    )


def cell_question(model: Network, activations: dict[str, np.ndarray]) -> Question:
    """What number comes out of the first conv's strongest cell? Four choices, one the true sum."""
    cell = default_selection(model, activations)
    value = float(activations[cell.layer][cell.channel, cell.row, cell.col])
    bias = float(model.layer(cell.layer).module.bias.detach()[cell.channel])
    candidates = [value, -value, value - bias if abs(bias) > 0.05 else value / 2, value * 2 + 0.5, value / 3]
    choices: list[float] = []
    for candidate in candidates:
        if all(abs(candidate - other) > 0.05 for other in choices):
            choices.append(round(candidate, 2))
    choices = choices[:4]
    order = sorted(range(len(choices)), key=lambda i: choices[i])
    shown = [choices[i] for i in order]
    return Question(
        "cell",
        f"What number comes out of {model.layer(cell.layer).title}, map {cell.channel}, row {cell.row}, "
        f"column {cell.col} (the patch times the kernel, added up, plus the bias)?",
        tuple(f"{v:.2f}" for v in shown),
        order.index(0),
        f"The products add up to {value - bias:.2f}; with the bias {bias:+.2f} the cell holds {value:.2f}.",
    )


def pool_question(model: Network, activations: dict[str, np.ndarray]) -> Question | None:
    """Which value of one window does the first pooling layer keep? None if the network does not pool."""
    pool = next((info for info in model.layers() if info.spec.pools), None)
    if pool is None or pool.source == "input":
        return None
    source, size, step = activations[pool.source], pool.spec.size, pool.spec.step
    found = None  # (distinct values, top value, channel, row, col): the window with most to think about
    for channel in range(source.shape[0]):
        for row in range(0, source.shape[1] - size + 1, step):
            for col in range(0, source.shape[2] - size + 1, step):
                window = source[channel, row : row + size, col : col + size].ravel()
                score = (len(set(np.round(window, 2).tolist())), float(window.max()))
                if found is None or score > found[:2]:
                    found = (*score, channel, row, col)
    _, _, channel, row, col = found
    values = [round(float(v), 2) for v in source[channel, row : row + size, col : col + size].ravel()]
    biggest = pool.spec.mode == "max"
    kept = round(max(values) if biggest else float(np.mean(values)), 2)
    choices = list(dict.fromkeys(values))[:4] if biggest else list(dict.fromkeys([*values[:3], kept]))
    if kept not in choices:
        choices[-1] = kept
    return Question(
        "pool",
        f"A {size}x{size} window of map {channel} (row {row}, column {col}) holds "
        f"{', '.join(f'{v:.2f}' for v in values)}. Which value comes out of {pool.title}?",
        tuple(f"{v:.2f}" for v in choices),
        choices.index(kept),
        f"{pool.title} keeps {kept:.2f}: " + ("the largest in the window." if biggest else "the window's mean."),
    )


def temperature_question(model: Network, activations: dict[str, np.ndarray]) -> Question:
    """At a higher temperature, does the top probability rise or fall?"""
    logits = torch.from_numpy(np.asarray(activations[model.output.name], dtype=np.float64))
    now = float(torch.softmax(logits, 0).max())
    hotter = float(torch.softmax(logits / HIGHER_TEMPERATURE, 0).max())
    falls = hotter < now
    return Question(
        "temperature",
        f"The top answer has {now:.0%} now. At temperature {HIGHER_TEMPERATURE:g} (the logits divided by "
        f"{HIGHER_TEMPERATURE:g}), does the top probability rise or fall?",
        ("It rises", "It falls"),
        1 if falls else 0,
        f"It {'falls' if falls else 'rises'} from {now:.0%} to {hotter:.0%}: dividing the logits brings them closer "
        "together, so softmax spreads the probability more evenly.",
    )


KINDS = {  # what the teacher chooses from, in the order a lesson meets them
    "digit": ("Which digit will it say?", digit_question),
    "map": ("Which map lights up most?", map_question),
    "cell": ("What comes out of a cell?", cell_question),
    "pool": ("What does pooling keep?", pool_question),
    "temperature": ("Hotter softmax: up or down?", temperature_question),
}
NONE_TO_ASK = {  # why a kind has no question for this network and image
    "digit": "This network gives no answer for this image (its numbers overflow): there is nothing to guess.",
    "pool": "This network has no pooling layer to ask about.",
}


def make_question(kind: str, model: Network, activations: dict[str, np.ndarray]) -> Question | None:
    """The question of this kind for this image and model, or None when there is none (NONE_TO_ASK says why)."""
    return KINDS[kind][1](model, activations)
