"""How a lesson question's right choice is picked from a measured number: which range holds it, which of two is
clearly bigger, and a probability in words."""

import numpy as np

CLOSE = 0.01  # two accuracies closer than one point are "about the same"


def range_choice(value: float, edges: tuple[float, ...]) -> int:
    """Which of the ranges cut by edges holds the value."""
    return int(np.searchsorted(edges, value, side="right"))


def chance(p: float) -> str:
    """A probability for people: a percentage, or "about 1 in 4,400,000" when it is too small to show as one."""
    if p >= 0.001:
        return f"{p:.1%}"
    if p < 1e-9:
        return "less than 1 in a billion"
    return f"about 1 in {float(f'{1 / p:.2g}'):,.0f}"


def same_or_which(a: float, b: float) -> int:
    """0 if a is clearly higher, 1 if b is, 2 if they are about the same."""
    return 2 if abs(a - b) < CLOSE else (0 if a > b else 1)
