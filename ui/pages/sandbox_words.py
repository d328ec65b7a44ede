"""The Sandbox page's words: what each experiment shows, and what the dropout runs did, from their numbers."""

import numpy as np

INTRO = (
    "Try convolution yourself on your current image: pick a kernel, change its size, stride, padding and dilation, "
    "and switch on ReLU and max-pooling to build a conv block step by step."
)
SHIFT = (
    "A conv layer uses the same weights at every position, so moving the digit moves its feature maps with it. "
    "Pooling and the layers after it make the answer hold up under small shifts."
)
DROPOUT = (
    "While training, dropout switches off a random part of the last hidden layer on every pass, so the network "
    "cannot lean on a few units. In eval mode (as here everywhere else) it does nothing: "
    "every run gives the same answer."
)
NO_DROPOUT = (
    "This network has no dropout layer (LeNet-5, for one, was published before dropout was invented): in training "
    "mode and in eval mode it answers the same."
)


def dropout_story(runs: np.ndarray, dropped: float, units: int, classes: tuple[str, ...]) -> str:
    """What the training-mode runs (R, classes) of the dropout demo show, from their numbers (dropped: the share of
    units switched off, over all runs)."""
    answers = runs.argmax(axis=1)
    spread = float((runs.max(axis=0) - runs.min(axis=0)).max())
    text = f"Each run switched off about {dropped:.0%} of the {units} hidden units, a different set each time. "
    if len(set(answers.tolist())) > 1:
        names = ", ".join(sorted({classes[a] for a in answers}))
        return text + f"The runs disagree ({names}): this input is close to a boundary between classes."
    if spread < 0.02:
        return text + (
            f"Every run still answers {classes[answers[0]]}, its probability moving by {spread:.1%} at most: the "
            "digit is clear enough that the other hidden units carry it. Draw an unclear digit to see the runs "
            "disagree."
        )
    return text + f"Every run answers {classes[answers[0]]}, but how sure it is moves by up to {spread:.0%}."
