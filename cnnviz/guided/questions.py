"""The questions a lesson's steps ask before they show the answer, each answered from a real run (never typed in).

They are the class's Question (cnnviz.classroom.questions): a prompt, a few choices, the index of the right
one and an explanation with the numbers. The five the class already asks are reused as they are; the
others are made here from cnnviz.guided.evidence. QUESTIONS names them all, as a lesson file does.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cnnviz.classroom.questions import Question, make_question
from cnnviz.guided import evidence
from cnnviz.guided.evidence import BIG_RATE, READINGS, STEP_RATE, Evidence
from cnnviz.insight.verdict import DIGIT, UNSURE, verdict
from cnnviz.network.backprop import RATES

CLOSE = 0.01  # two accuracies closer than one point are "about the same"
FORGETS = 0.05  # a step that costs other digits more than 5 points has broken what was learned (backprop.TOO_BIG)


def _range_choice(value: float, edges: tuple[float, ...]) -> int:
    """Which of the ranges cut by edges holds the value."""
    return int(np.searchsorted(edges, value, side="right"))


def _chance(p: float) -> str:
    """A probability for people: a percentage, or "about 1 in 4,400,000" when it is too small to show as one."""
    if p >= 0.001:
        return f"{p:.1%}"
    if p < 1e-9:
        return "less than 1 in a billion"
    return f"about 1 in {float(f'{1 / p:.2g}'):,.0f}"


def _same_or_which(a: float, b: float) -> int:
    """0 if a is clearly higher, 1 if b is, 2 if they are about the same."""
    return 2 if abs(a - b) < CLOSE else (0 if a > b else 1)


def activation_question(ev: Evidence) -> Question | None:
    """What does the first activation do to the negative numbers of the first conv's maps?"""
    model, activations = ev.model, ev.activations
    activated = model.activated(model.conv_layers()[0])
    info = model.layer(activated)
    before, after = activations[info.source], activations[activated]
    negative = before < 0
    if activated == model.conv_layers()[0] or not negative.any():
        return None
    was, now = before[negative], after[negative]
    choices = ("They become 0", "They stay negative, only smaller", "They become small positive numbers")
    if np.all(now == 0):
        correct, words = 0, "every one of them is now 0"
    elif np.all(now < 0):
        correct, words = 1, f"they are still negative, from {now.min():.2f} to {now.max():.2f}"
    else:
        correct, words = 2, f"they are now between {now.min():.2f} and {now.max():.2f}"
    lowest = int(np.argmin(was))
    return Question(
        "activation",
        f"Before the activation, {negative.sum():,} of the {before.size:,} numbers in {info.source}'s maps are below "
        f"zero. What does {info.title} do to them?",
        choices,
        correct,
        f"After {info.title}, {words}: the most negative, {was[lowest]:.2f}, became {now[lowest]:.2f}.",
    )


def unchanged_question(ev: Evidence) -> Question:
    """Did reading the image change any weight? The weights' digest before and after says."""
    readings = ev.readings
    same = readings.before == readings.after
    tops = ", ".join(f"{p:.1%}" for p in readings.probabilities)
    return Question(
        "unchanged",
        "The network has just read your image. Did reading it change any of its weights (so it reads the next "
        "image a little better)?",
        ("Yes: it learned a little from it", "No: not one weight changed"),
        1 if same else 0,
        f"The fingerprint of all {sum(p.numel() for p in ev.model.parameters()):,} weights was "
        f"{readings.before[:12]} before and {readings.after[:12]} after reading it {READINGS} times"
        + (" (the same)" if same else " (different)")
        + f"; its top answer each time: {tops}. A network changes only while it is trained.",
    )


NUDGE_EDGES = (0.05, 0.15)  # the nudge question's ranges of epsilon (pixels from 0 to 1)


def nudge_question(ev: Evidence) -> Question:
    """How small a nudge (no pixel changed by more than epsilon) changes its answer?"""
    found = ev.nudge
    classes = ev.model.classes
    choices = (
        "Less than 0.05 per pixel",
        "From 0.05 to 0.15 per pixel",
        "More than 0.15 per pixel",
        "No nudge up to 0.30 changes it",
    )
    if found.new_label == found.label:
        correct = 3
        words = f"Nudges up to {found.epsilon:.2f} leave it on {classes[found.label]}."
    else:
        correct = _range_choice(found.epsilon, NUDGE_EDGES)
        words = (
            f"A nudge of at most {found.epsilon:.2f} per pixel (on a scale from 0 to 1) turns its "
            f"{classes[found.label]} into {classes[found.new_label]} ({found.probabilities.max():.0%}); "
            f"to us the digit looks the same."
        )
    return Question(
        "nudge",
        "A nudge changes every pixel a little, each in the direction that most lowers the network's answer. "
        "How big must the change per pixel (0 is black, 1 is white) be before the answer changes?",
        choices,
        correct,
        words + " It adds up numbers; it does not see shapes as we do.",
    )


MISTAKE_EDGES = (0.01, 0.05, 0.2)  # the share of held-out digits read wrong, in four ranges


def mistakes_question(ev: Evidence) -> Question | None:
    """On digits it never trained on, how many does it read wrong?"""
    if not ev.model.config.is_digits:
        return None
    result = ev.runs.evaluation
    matrix = result.confusion.copy()
    np.fill_diagonal(matrix, 0)
    wrong, count = int(matrix.sum()), len(result.labels)
    names = ev.model.classes
    common = [divmod(int(i), matrix.shape[1]) for i in np.argsort(-matrix, axis=None, kind="stable")[:3]]
    often = ", ".join(f"a {names[t]} read as {names[r]} ({matrix[t, r]})" for t, r in common if matrix[t, r])
    often = f"; {'most often' if matrix[common[0]] > 1 else 'among them'} {often}" if often else ""
    return Question(
        "mistakes",
        f"It has never seen these {count:,} digits. How many of them does it read wrong?",
        ("Fewer than 1 in 100", "1 to 5 in 100", "5 to 20 in 100", "More than 20 in 100"),
        _range_choice(wrong / count, MISTAKE_EDGES),
        f"It reads {wrong:,} of {count:,} wrong ({wrong / count:.1%}){often}.",
    )


def not_a_digit_question(ev: Evidence) -> Question:
    """What does it say about a drawing of a house?"""
    _, probabilities = ev.non_digit
    said = verdict(probabilities, ev.model.classes)
    correct = {DIGIT: 0, UNSURE: 1}.get(said.kind, 2)
    return Question(
        "not-a-digit",
        f"Here is a drawing of a {evidence.NOT_A_DIGIT}, not a digit. What will the network say?",
        ("A digit, and it is sure", "Unsure between two digits", "It is not a digit"),
        correct,
        f"{said.headline}.",
    )


LOSS_EDGES = (0.1, 1.0, 3.0)


def loss_question(ev: Evidence) -> Question:
    """If the right answer were its second choice, how big would the loss be?"""
    found = ev.step[0]
    names = ev.model.classes
    p = float(found.probabilities[found.label])
    return Question(
        "loss",
        f"It gives {names[found.label]} a probability of {_chance(p)}. If {names[found.label]} were the right answer, "
        "the loss is minus the log of that probability. How big is the loss?",
        ("Below 0.1", "From 0.1 to 1", "From 1 to 3", "Above 3"),
        _range_choice(found.loss, LOSS_EDGES),
        f"The loss is −log({p:.3g}) = {found.loss:.3f}. Near 0 when the right answer gets almost all the "
        "probability; it grows without limit as that probability shrinks.",
    )


def step_question(ev: Evidence) -> Question:
    """After one gradient step towards the second choice, does this digit's loss go up or down?"""
    found, steps, _ = ev.step
    taken = steps[RATES.index(STEP_RATE)]
    names = ev.model.classes
    change = taken.loss_after - taken.loss_before
    correct = 2 if change == 0 else (0 if change < 0 else 1)
    return Question(
        "step",
        f"We tell it the right answer is {names[found.label]} and move every weight one step against its gradient "
        f"(learning rate {STEP_RATE:g}). For this image, does the loss go down or up?",
        ("Down", "Up", "It stays exactly the same"),
        correct,
        f"The loss goes from {taken.loss_before:.3f} to {taken.loss_after:.3f} ({change:+.3f}); "
        f"{names[found.label]} now gets {_chance(float(taken.probabilities_after[found.label]))}.",
    )


def rate_question(ev: Evidence) -> Question | None:
    """After one step at a big learning rate, does it still read the other digits as well?"""
    _, steps, before = ev.step
    if math.isnan(before):
        return None
    after = steps[RATES.index(BIG_RATE)].others_accuracy
    correct = 1 if before - after > FORGETS else (2 if after - before > FORGETS else 0)
    return Question(
        "rate",
        f"The same step, but {BIG_RATE / STEP_RATE:g} times as long (learning rate {BIG_RATE:g}). It read "
        f"{before:.0%} of {evidence.OTHER_DIGITS} other digits right before. After this one step?",
        ("About as well (within 5 points)", "Much worse: it forgets", "Much better"),
        correct,
        f"After one step at {BIG_RATE:g} it reads {after:.0%} of them right ({(after - before) * 100:+.0f} points). "
        "A step that big moves every weight far enough to undo what thousands of digits taught it.",
    )


START_EDGES = (0.3, 0.7)


def start_question(ev: Evidence) -> Question:
    """Before any training, with random weights, how many digits does a network read right?"""
    runs = evidence.training_runs()
    run = runs.large
    return Question(
        "start",
        f"A new network starts with random weights. Before any training, how many of {runs.validation} digits will it "
        "read right?",
        ("About 1 in 10: a guess", "About half", "Most of them (over 70 %)"),
        _range_choice(run.start_accuracy, START_EDGES),
        f"With its random start it reads {run.start_accuracy:.0%} right: with ten digits to choose from, a guess is "
        f"right one time in ten. After {run.progress.step} steps of training on {run.digits:,} digits: "
        f"{run.val_accuracy:.0%}.",
    )


def overfit_question(ev: Evidence) -> Question:
    """Same network, same number of steps, 100 or 2,000 digits: which overfits more?"""
    runs = evidence.training_runs()
    small, large = runs.small, runs.large
    return Question(
        "overfit",
        f"The same network learns for the same {small.progress.step} steps: once from {small.digits} digits, seen "
        f"over and over, once from {large.digits:,}. Which one reads its own training digits much better than new "
        "ones (overfits)?",
        (f"The one that saw {small.digits} digits", f"The one that saw {large.digits:,} digits", "Both the same"),
        _same_or_which(small.gap, large.gap),
        f"{small.digits} digits: {small.train_accuracy:.0%} of its training digits right, {small.val_accuracy:.0%} of "
        f"new ones (a gap of {small.gap * 100:.0f} points); {large.digits:,} digits: {large.train_accuracy:.0%} and "
        f"{large.val_accuracy:.0%} ({large.gap * 100:.0f} points).",
    )


def augmentation_question(ev: Evidence) -> Question:
    """100 digits with augmentation or without: which reads new digits better?"""
    runs = evidence.training_runs()
    plain, augmented = runs.small, runs.augmented
    return Question(
        "augmentation",
        f"Two networks learn from the same {plain.digits} digits. One sees each digit a little rotated, shifted and "
        "thickened every time (augmentation). Which reads new digits better?",
        ("With augmentation", "Without", "Both the same"),
        _same_or_which(augmented.val_accuracy, plain.val_accuracy),
        f"With augmentation {augmented.val_accuracy:.0%} of {runs.validation} new digits right, without "
        f"{plain.val_accuracy:.0%}; on their own training digits {augmented.train_accuracy:.0%} and "
        f"{plain.train_accuracy:.0%}.",
    )


FILE_EDGES = (0.1, 1.0)


def file_size_question(ev: Evidence) -> Question:
    """Is the model's file big enough to hold the digits it learned from?"""
    digits = evidence.sample_training_digits()
    pictures = digits * 28 * 28  # one byte a pixel
    size = ev.runs.file_bytes
    numbers = sum(p.numel() for p in ev.model.parameters())
    return Question(
        "file-size",
        f"The {digits:,} training digits of the offline sample, stored as pictures, take {pictures / 2**20:.1f} MB. "
        "How big is the network's whole file?",
        ("Less than a tenth of that", "Between a tenth and the same", "Bigger than that"),
        _range_choice(size / pictures, FILE_EDGES),
        f"Its file is {size / 1024:,.0f} KB ({size / pictures:.0%} of the pictures) and holds {numbers:,} numbers: "
        "weights and biases, not one picture. What it learned is spread across them.",
    )


def depth_question(ev: Evidence) -> Question:
    """LeNet-5 or today's network: does the one with more layers read held-out digits better?"""
    first, second = evidence.designs()
    deeper, shallower = (first, second) if first.weight_layers >= second.weight_layers else (second, first)
    a, b = deeper.evaluation.accuracy, shallower.evaluation.accuracy
    return Question(
        "depth",
        f"{deeper.name} has {deeper.weight_layers} layers with weights, {shallower.name} {shallower.weight_layers}. "
        f"Both learned from the same digits. Which reads {len(deeper.evaluation.labels):,} digits they never saw "
        "better?",
        (
            f"{deeper.name} ({deeper.weight_layers} layers)",
            f"{shallower.name} ({shallower.weight_layers} layers)",
            "Both the same",
        ),
        _same_or_which(a, b),
        f"{deeper.name}: {a:.2%} right; {shallower.name}: {b:.2%}. More layers are not better by themselves: how the "
        "layers are made (ReLU or tanh, max or average pooling) and the data matter as much.",
    )


def transfer_question(ev: Evidence) -> Question:
    """New shapes from a few drawings: frozen digit filters with a new head, or the network from scratch?"""
    taught = ev.runs.teaching
    transfer, scratch = taught.transfer_accuracy, taught.scratch_accuracy
    per_class = len(taught.learned) // len(taught.learned.classes)
    drawings = "a single drawing of each" if per_class == 1 else f"{per_class} drawings of each"
    return Question(
        "transfer",
        f"It must learn {len(taught.learned.classes)} new shapes ({', '.join(taught.learned.classes)}) from "
        f"{drawings}. Which names new drawings better: its digit filters, frozen, with a new last layer, or the same "
        "network learning everything from scratch?",
        ("Frozen digit filters + new last layer", "From scratch", "Both the same"),
        _same_or_which(transfer, scratch),
        f"On {len(taught.held_out)} drawings held back: frozen filters {transfer:.0%} right, from scratch "
        f"{scratch:.0%}. Filters shaped by thousands of digits already answer to strokes, and any drawing is made of "
        "strokes.",
    )


@dataclass(frozen=True)
class QuestionKind:
    """A question a lesson step may ask: its name for teachers, how it is made, and what students see meanwhile."""

    title: str
    ask: Callable[[Evidence], Question | None]  # None: this network has no such part (no pooling, not digits)
    shows: str = "image"  # beside the question: "image" (the current one), "non-digit" (the drawing), or ""
    wait: str = ""  # what a student waits for the first time it is asked (a run of a few seconds), or ""


def _classroom(kind: str) -> Callable[[Evidence], Question | None]:
    return lambda ev: make_question(kind, ev.model, ev.activations)


QUESTIONS = {  # by the name a lesson file uses
    "digit": QuestionKind("Which digit will it say?", _classroom("digit")),
    "map": QuestionKind("Which filter's map lights up most?", _classroom("map")),
    "cell": QuestionKind("What number comes out of this cell?", _classroom("cell")),
    "pool": QuestionKind("Which value does pooling keep?", _classroom("pool")),
    "temperature": QuestionKind("Hotter softmax: does the top rise or fall?", _classroom("temperature")),
    "activation": QuestionKind("What does the activation do to negative numbers?", activation_question),
    "unchanged": QuestionKind("Did reading the image change a weight?", unchanged_question),
    "nudge": QuestionKind("How small a nudge changes its answer?", nudge_question, wait="Searching for a nudge..."),
    "mistakes": QuestionKind("How many new digits does it read wrong?", mistakes_question, "", "Scoring it..."),
    "not-a-digit": QuestionKind("What does it say about a drawing of a house?", not_a_digit_question, "non-digit"),
    "loss": QuestionKind("How big is the loss?", loss_question, wait="Working out the gradient..."),
    "step": QuestionKind("One step: does the loss go up or down?", step_question, wait="Taking one step..."),
    "rate": QuestionKind("A step too big: does it forget?", rate_question, wait="Taking one step at every rate..."),
    "start": QuestionKind(
        "How many does a random network read right?", start_question, "", "Training three networks..."
    ),
    "overfit": QuestionKind("Which network overfits?", overfit_question, "", "Training three networks..."),
    "augmentation": QuestionKind(
        "Does augmentation help on new digits?", augmentation_question, "", "Training three networks..."
    ),
    "file-size": QuestionKind("Could its file hold the digits it saw?", file_size_question, ""),
    "depth": QuestionKind("Do more layers read better?", depth_question, "", "Scoring both networks..."),
    "transfer": QuestionKind("Frozen filters or from scratch?", transfer_question, "", "Teaching four shapes..."),
}


def ask(kind: str, ev: Evidence) -> Question | None:
    """The question of this kind for this model and image (None when the network has no such part)."""
    return QUESTIONS[kind].ask(ev)
