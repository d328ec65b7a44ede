"""The questions of a lesson about how a network reads: what the activation does, whether reading changes a weight,
how small a nudge fools it, how many new digits it reads wrong, what it says about a drawing that is not a digit."""

import numpy as np

from cnnviz.classroom.questions import Question
from cnnviz.insight.verdict import DIGIT, UNSURE, verdict
from cnnviz.lesson import evidence
from cnnviz.lesson.choices import range_choice
from cnnviz.lesson.evidence import READINGS, Evidence
from cnnviz.network.naming import learner_name


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
        f"Before the activation, {negative.sum():,} of the {before.size:,} numbers in the maps of "
        f"{learner_name(model, info.source)} are below zero. What does {info.title} do to them?",
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
        correct = range_choice(found.epsilon, NUDGE_EDGES)
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
        range_choice(wrong / count, MISTAKE_EDGES),
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
