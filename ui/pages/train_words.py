"""The Train page's words: what each chart shows, written from the numbers of the run beside them."""

import numpy as np

from cnnviz.insight.verdict import percent

TRAINING = (
    "Training shows the network thousands of labelled digits. After each batch, backpropagation works out how "
    "every weight should change to lower the loss, and the optimiser nudges the weights that way. "
    "Watch the loss fall and the filters take shape."
)
LIVE = "The first layer's filters, the probe digit's feature maps and the network's answer for it, as they are now."
GRADIENTS = (
    "Gradients are the nudges backpropagation computes for each layer's weights: how much, and which way, each weight "
    "should change to lower the loss. A layer whose gradient falls to almost nothing has stopped learning."
)


def augmentation_words(augment: bool) -> str:
    """What the batch picture shows."""
    return "What the network is trained on right now: the digits as stored (top) and as it sees them (bottom)" + (
        ", warped, thickened or thinned at random." if augment else ": augmentation is off."
    )


def compare_story(runs: list[tuple[str, list]]) -> str:
    """Which of the runs did best on digits they never trained on, and by how much, from their last epochs."""
    finals = [
        (name, epochs[-1].val_accuracy) for name, epochs in runs if epochs and epochs[-1].val_accuracy is not None
    ]
    if len(finals) < 2:
        return ""
    finals.sort(key=lambda run: -run[1])
    (best, top), (worst, bottom) = finals[0], finals[-1]
    return (
        f"Best on validation digits: {best} with {top:.1%}; last: {worst} with {bottom:.1%}, "
        f"{(top - bottom) * 100:.1f} points behind."
    )


def gradient_story(grad_norms: dict[str, list[float]]) -> str:
    """What the gradient chart shows right now, in one or two sentences, from its numbers (grad_norms: one list per
    layer, by the layer's name for learners, first layer first)."""
    if not grad_norms or min(len(v) for v in grad_norms.values()) < 20:
        return "The gradient sizes appear after a few batches."
    start = {layer: float(np.mean(values[:10])) for layer, values in grad_norms.items()}
    peak = {layer: float(np.max(values)) for layer, values in grad_norms.items()}
    now = {layer: float(np.mean(values[-10:])) for layer, values in grad_norms.items()}
    grew = [layer for layer in grad_norms if peak[layer] > 2 * start[layer]]
    text = []
    if grew:
        text.append(
            f"At first the gradients grew (those of {', '.join(grew)}, by up to "
            f"{max(peak[g] / start[g] for g in grew):.0f}x) as the network left its random start."
        )
    shrinking = [layer for layer in grad_norms if now[layer] < 0.5 * peak[layer]]
    ratios = [now[layer] / peak[layer] for layer in shrinking]
    if len(shrinking) == 1:
        text.append(
            f"Since then the gradient of {shrinking[0]} has fallen to {percent(ratios[0])} of its peak: "
            "its loss is flattening out."
        )
    elif shrinking:
        low, high = percent(min(ratios)), percent(max(ratios))
        span = low if low == high else f"{low} to {high}"
        text.append(
            f"Since then the gradients of {', '.join(shrinking)} have fallen to {span} of their peaks: "
            "the loss is flattening out."
        )
    else:
        text.append("They are still near their largest: the network is still changing fast.")
    first, last = next(iter(now)), list(now)[-1]
    if now[first] < 0.02 * now[last]:
        text.append(
            f"The first layer's gradient is {percent(now[first] / now[last])} of the last one's: it fades on its way "
            "back (as it does through sigmoids), so the first layers learn slowly."
        )
    return " ".join(text)


def gap_story(
    train_loss: float, val_loss: float, train_accuracy: float, val_accuracy: float, dropout: bool, augment: bool
) -> str:
    """What the gap between training and validation means at the last epoch (dropout, augment: whether the run
    trained with them, which make its training figures harder than validation's)."""
    if val_accuracy > train_accuracy:
        harder = [
            *(["with dropout switching units off"] if dropout else []),
            *(["on augmented (harder) digits"] if augment else []),
        ]
        return (
            "Validation beats training here. That is expected: the training figures are averaged over the whole "
            f"epoch, while the network was still learning{', ' + ' and '.join(harder) if harder else ''}; validation "
            "is measured after it, on plain digits" + (" with dropout off." if dropout else ".")
        )
    gap = val_loss - train_loss
    if gap > 0.15 and train_accuracy - val_accuracy > 0.03:
        return (
            f"Overfitting: the loss on the training digits is {gap:.2f} lower than on digits the network never "
            f"trained on, and accuracy {(train_accuracy - val_accuracy) * 100:.0f} points higher. It is memorising its "
            "training digits. More digits, augmentation, dropout or weight decay narrow the gap."
        )
    return f"Training and validation agree (loss gap {gap:+.2f}): what it learns carries over to new digits."


def filters_story(change: float) -> str:
    """How far the first layer's filters have moved from their random start (change: relative, 0.35 = 35 %)."""
    if change < 0.05:
        return "The filters are still almost exactly their random start."
    return (
        f"The first layer's filters have changed by {change:.0%} of their size since their random start (epoch 0 "
        "below); compare their patterns with the start to see what training made of them."
    )
