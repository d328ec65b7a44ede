"""What the answer means in words: a digit, unsure between two, or not a digit at all.

Read off the (calibrated) probabilities. The bundled model was also trained to spread its bets
evenly on letters, shapes, scribbles and empty paper, so a flat answer means "not a digit".
"""

from dataclasses import dataclass

import numpy as np

from cnnviz.model import DIGITS

# Chosen on held-out digits and non-digits (bench/reading.py): with the bundled model about 2 % of MNIST's
# test digits are called unsure or not a digit, and about 95 % of letters, shapes, scribbles and blank pages.
SURE = 0.5  # the top answer's probability at least this ...
MARGIN = 0.15  # ... and this far ahead of the second: a plain answer
TWO_WAY = 0.6  # otherwise, the two top answers together at least this: unsure between them
LEANING = 0.35  # or the top answer alone at least this: unsure, leaning to it
DIGIT, UNSURE, NOT_A_DIGIT = "digit", "unsure", "not a digit"


@dataclass(frozen=True)
class Verdict:
    """The network's answer in words."""

    kind: str  # DIGIT, UNSURE or NOT_A_DIGIT
    best: str  # the class with the highest probability
    runner_up: str  # the second highest
    confidence: float  # the best class's probability
    runner_up_confidence: float
    of_digits: bool = True  # whether the classes are the ten digits (else a class's own new symbols)

    @property
    def words(self) -> str:
        """The answer as a student would say it."""
        if self.kind == DIGIT:
            return f"a {self.best}"
        if self.kind == UNSURE:
            return f"probably a {self.best}, maybe a {self.runner_up}"
        return "this does not look like a digit" if self.of_digits else "this looks like none of its classes"

    @property
    def headline(self) -> str:
        """One line of markdown for the top of a page: what the network reads, and how sure it is."""
        if self.kind == DIGIT:
            return f"The network reads **{self.best}** &nbsp; ({self.confidence:.1%} sure)"
        if self.kind == UNSURE:
            return (
                f"The network reads **probably a {self.best}, maybe a {self.runner_up}** &nbsp; "
                f"({self.confidence:.0%} and {self.runner_up_confidence:.0%})"
            )
        return (
            f"The network reads **{'no digit' if self.of_digits else 'nothing it knows'}**: {self.words} &nbsp; "
            f"(its best guess, {self.best}, gets only {self.confidence:.0%})"
        )

    def to_json(self) -> dict:
        """The verdict for predict --json."""
        out = {"verdict": self.kind}
        if self.kind == UNSURE:
            pair = [self.best, self.runner_up]
            out["between"] = [int(name) for name in pair] if self.of_digits else pair
        return out


def verdict(probabilities: np.ndarray, classes: tuple[str, ...]) -> Verdict:
    """The verdict on one answer's probabilities (in the order of classes)."""
    order = np.argsort(probabilities)[::-1]
    best, second = float(probabilities[order[0]]), float(probabilities[order[1]])
    if best >= SURE and best - second >= MARGIN:
        kind = DIGIT
    elif best + second >= TWO_WAY or best >= LEANING:
        kind = UNSURE
    else:
        kind = NOT_A_DIGIT
    return Verdict(kind, classes[order[0]], classes[order[1]], best, second, tuple(classes) == DIGITS)
