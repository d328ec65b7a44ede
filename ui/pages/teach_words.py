"""The Teach page's words: what teaching does, and how the two networks did, from their numbers."""

from cnnviz.training.transfer import MAX_EXAMPLES, MIN_EXAMPLES

TEACH = (
    "Teach the network something new from a few examples: name two or more new classes (letters, shapes, symbols), "
    f"give each {MIN_EXAMPLES} to {MAX_EXAMPLES} drawings, and teach. Transfer learning keeps the digit network's "
    "conv layers exactly as they are (frozen) and trains only a new head on the features they extract; beside it, the "
    "same network learns everything from scratch from the same few examples. The same number of examples of every "
    "class, a third of the smallest class's (at least one), is held back to test both."
)
WHY = (
    "The frozen filters were shaped by thousands of digits to respond to bits of pen strokes, and any drawing is "
    "made of strokes too. The new head only has to learn which of these features mark each new "
    "class; from scratch, the network must find the features too, from a handful of examples."
)


def held_back_words(learned, held_out) -> str:
    """How the Teach page scores: which examples were held back, from the counts."""
    classes = len(held_out.classes)
    back = len(held_out) // classes
    each = f"{back} of each class" if back * classes == len(held_out) else f"about {back} of each class"
    return (
        f"Scored on {len(held_out)} examples held back ({each}), never seen while learning; both networks learned "
        f"from the other {len(learned)}. With so few, one example is {1 / max(1, len(held_out)):.0%} of the score."
    )


def teach_story(transfer: float, scratch: float, held_out: int, curve: list[tuple[int, float, float]]) -> str:
    """How the two networks did on the held-out examples and along the learning curve, from their numbers."""
    if transfer > scratch:
        text = f"On {held_out} held-out examples: transfer learning {transfer:.0%} right, from scratch {scratch:.0%}."
    elif transfer == scratch:
        text = f"On {held_out} held-out examples both got {transfer:.0%} right."
    else:
        text = (
            f"On {held_out} held-out examples, from scratch got {scratch:.0%} right and transfer learning "
            f"{transfer:.0%}: the frozen filters lack features these classes need (a model trained longer on digits "
            "has more)."
        )
    ahead = [(n, t, s) for n, t, s in curve if t > s]
    if ahead:
        n, t, s = max(ahead, key=lambda point: point[1] - point[2])
        text += (
            f" The frozen filters help most with {n} example{'s' if n > 1 else ''} per class: {t:.0%} against {s:.0%}."
        )
    elif all(t == s for _, t, s in curve):
        text += " Along the learning curve the two agree: these classes are easy to tell apart, with or without them."
    return text
