"""What the answer means in words: a digit, unsure between two, or not a digit at all.

Read off the (calibrated) probabilities. The bundled model has an eleventh output, "not a digit",
trained on letters, shapes, scribbles and empty paper: when it wins, the image is not a digit,
and the other ten still say which digit it resembles. A model without that output (an older
file, or one trained on the Train page) is read from how flat its answer is.
"""

import math
from dataclasses import dataclass

import numpy as np

from cnnviz.errors import InputError
from cnnviz.network.classes import DIGITS, NOT_A_DIGIT, with_article

# Chosen on held-out digits and non-digits (bench/reading.py): with the bundled model about 2 % of MNIST's
# test digits are called unsure or not a digit, and about 95 % of letters, shapes, scribbles and blank pages.
SURE = 0.5  # the top answer's probability at least this ...
MARGIN = 0.15  # ... and this far ahead of the second: a plain answer
TWO_WAY = 0.6  # otherwise, the two top answers together at least this: unsure between them
LEANING = 0.35  # or the top answer alone at least this: unsure, leaning to it
DIGIT, UNSURE = "digit", "unsure"  # the kinds of verdict, with NOT_A_DIGIT
OVERFLOW = "overflow"  # the model's numbers are not numbers for this image (NaN or infinite)


def percent(share: float, decimals: int = 0) -> str:
    """A share as a percentage that never rounds to "100%" or "0%" when it is not exactly that ("over 99.9%",
    "below 1%"): a network that gives 99.97% is not 100% sure."""
    text = f"{share:.{decimals}%}"
    smallest = 10 ** -(decimals + 2)  # the last digit shown, as a share: 0.01 for "12%", 0.001 for "12.3%"
    if share < 1 and text == f"{1:.{decimals}%}":
        return f"over {1 - smallest:.{decimals}%}"
    if share > 0 and text == f"{0:.{decimals}%}":
        return f"below {smallest:.{decimals}%}"
    return text


@dataclass(frozen=True)
class Verdict:
    """The network's answer in words."""

    kind: str  # DIGIT, UNSURE, NOT_A_DIGIT or OVERFLOW
    best: str  # the answer class with the highest probability ("not a digit" is never one)
    runner_up: str  # the second highest
    confidence: float  # the best class's probability
    runner_up_confidence: float
    of_digits: bool = True  # whether the classes are the ten digits (else a class's own new symbols)
    rejection: float | None = None  # the probability of "not a digit", for a model that has that output

    @property
    def words(self) -> str:
        """The answer as a student would say it: "an 8", "probably a 1, maybe a 7"."""
        if self.kind == DIGIT:
            return with_article(self.best)
        if self.kind == UNSURE:
            return f"probably {with_article(self.best)}, maybe {with_article(self.runner_up)}"
        if self.kind == OVERFLOW:
            return "no answer: this model's numbers overflow"
        return "this does not look like a digit" if self.of_digits else "this looks like none of its classes"

    @property
    def lead(self) -> str:
        """How the headline starts, before the answer: "The network reads", "The network is unsure:"."""
        if self.kind == UNSURE:
            return "The network is unsure:"
        return "The network gives" if self.kind == OVERFLOW else "The network reads"

    @property
    def headline_parts(self) -> tuple[str, str]:
        """(what the network reads, how sure): the headline after its lead, in two halves for a page to style."""
        if self.kind == DIGIT:
            return self.best, f"({percent(self.confidence, 1)} sure)"
        if self.kind == UNSURE:
            return self.words, f"({percent(self.confidence)} and {percent(self.runner_up_confidence)})"
        if self.kind == OVERFLOW:
            return "no answer", "(this model's numbers overflow for this image: NaN or infinite)"
        nothing = "no digit" if self.of_digits else "nothing it knows"
        if self.rejection is not None:  # the digits' own bars are tiny here: name the highest, never as a likeness
            return nothing, (
                f"({NOT_A_DIGIT}: {percent(self.rejection)}; of the {'digits' if self.of_digits else 'classes'}, "
                f"{self.best} scores highest, at {percent(self.confidence, 1)})"
            )
        return nothing, f"(no answer stands out: its best guess, {self.best}, gets only {percent(self.confidence)})"

    @property
    def headline(self) -> str:
        """One line for the top of a page, as plain text (class names go in as they are)."""
        answer, detail = self.headline_parts
        return f"{self.lead} {answer} {detail}"

    def to_json(self) -> dict:
        """The verdict for predict --json."""
        out = {"verdict": self.kind}
        if self.kind == UNSURE:
            pair = [self.best, self.runner_up]
            out["between"] = [int(name) for name in pair] if self.of_digits else pair
        return out


OVERFLOW_WORDS = (
    "This model's numbers overflow for this image: its answer is not a number (NaN or infinite), so it gives none."
)


def probabilities_of(model, image) -> np.ndarray:
    """The model's softmax answer for one input (1, 1, 28, 28); InputError if its numbers overflow."""
    import torch

    with torch.no_grad():
        probabilities = torch.softmax(model(image), dim=1)[0].numpy().astype(np.float64)
    if not np.isfinite(probabilities).all():
        raise InputError(OVERFLOW_WORDS)
    return probabilities


def answer_probabilities(probabilities: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """The probabilities of the answer classes alone (without "not a digit"), scaled to add up to 1.

    What the network would say if it had to name a digit: for a non-digit, which digit it resembles.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if classes[-1] != NOT_A_DIGIT:
        return probabilities
    answers = probabilities[:-1]
    total = answers.sum()
    return answers / total if total > 0 else np.full(len(answers), 1 / len(answers))


def verdict(probabilities: np.ndarray, classes: tuple[str, ...]) -> Verdict:
    """The verdict on one answer's probabilities (in the order of classes)."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    rejects = classes[-1] == NOT_A_DIGIT
    answers = classes[:-1] if rejects else tuple(classes)
    scores = probabilities[:-1] if rejects else probabilities
    of_digits = answers == DIGITS
    if not np.isfinite(probabilities).all():
        return Verdict(OVERFLOW, answers[0], answers[1], math.nan, math.nan, of_digits)
    order = np.argsort(scores)[::-1]
    best, second = float(scores[order[0]]), float(scores[order[1]])
    rejection = float(probabilities[-1]) if rejects else None
    kind = verdict_kind(best, second, rejection)
    return Verdict(kind, answers[order[0]], answers[order[1]], best, second, of_digits, rejection)


def verdict_kind(best: float, second: float, rejection: float | None) -> str:
    """The rule, from the top two answers' probabilities and that of "not a digit" (None: the model has no such
    output): DIGIT, UNSURE or NOT_A_DIGIT. Exported model.py files carry this function's text."""
    if rejection is not None and rejection > best:
        return NOT_A_DIGIT
    if best >= SURE and best - second >= MARGIN:
        return DIGIT
    if best + second >= TWO_WAY or best >= LEANING:
        return UNSURE
    return NOT_A_DIGIT


def chosen_answer(said: Verdict, classes: tuple[str, ...]) -> int | None:
    """The network's own answer as an index into its outputs (classes), as its verdict has it: "not a digit"
    when it reads none and has that output, else its best class; None when its numbers overflow (no answer).

    What a person may guess the network says is every output: the answer classes and "not a digit".
    """
    if said.kind == OVERFLOW:
        return None
    if said.kind == NOT_A_DIGIT and classes[-1] == NOT_A_DIGIT:
        return len(classes) - 1
    return list(classes).index(said.best)
