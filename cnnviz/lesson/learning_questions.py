"""The questions of a lesson about how a network learns, each answered by a real run: the loss, one gradient step,
a step too big, a training run from random weights, overfitting, augmentation, the model's file, two designs,
transfer learning."""

import math

from cnnviz.classroom.questions import Question
from cnnviz.lesson import evidence
from cnnviz.lesson.choices import chance, range_choice, same_or_which
from cnnviz.lesson.evidence import BIG_RATE, STEP_RATE, Evidence
from cnnviz.network.backprop import RATES, TOO_BIG

LOSS_EDGES = (0.1, 1.0, 3.0)  # the loss question's ranges


def loss_question(ev: Evidence) -> Question:
    """If the right answer were its second choice, how big would the loss be?"""
    found = ev.step[0]
    names = ev.model.classes
    p = float(found.probabilities[found.label])
    return Question(
        "loss",
        f"It gives {names[found.label]} a probability of {chance(p)}. If {names[found.label]} were the right answer, "
        "the loss is minus the log of that probability. How big is the loss?",
        ("Below 0.1", "From 0.1 to 1", "From 1 to 3", "Above 3"),
        range_choice(found.loss, LOSS_EDGES),
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
        f"{names[found.label]} now gets {chance(float(taken.probabilities_after[found.label]))}.",
    )


def rate_question(ev: Evidence) -> Question | None:
    """After one step at a big learning rate, does it still read the other digits as well?"""
    _, steps, before = ev.step
    if math.isnan(before):
        return None
    after = steps[RATES.index(BIG_RATE)].others_accuracy
    correct = 1 if before - after > TOO_BIG else (2 if after - before > TOO_BIG else 0)
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
        range_choice(run.start_accuracy, START_EDGES),
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
        same_or_which(small.gap, large.gap),
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
        same_or_which(augmented.val_accuracy, plain.val_accuracy),
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
        range_choice(size / pictures, FILE_EDGES),
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
        same_or_which(a, b),
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
        same_or_which(transfer, scratch),
        f"On {len(taught.held_out)} drawings held back: frozen filters {transfer:.0%} right, from scratch "
        f"{scratch:.0%}. Filters shaped by thousands of digits already answer to strokes, and any drawing is made of "
        "strokes.",
    )
