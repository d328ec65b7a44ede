"""The short explanations shown beside each stage of the network, in plain words for a classroom.

Texts that name colours are functions of the palette, so the words always match the chart beside them.
"""

import math

import numpy as np

from cnnviz.network.kinds import Residual
from cnnviz.viz.colors import DEFAULT, Palette

OVERVIEW = (
    "The whole network, left to right: the input, every layer's maps, the dense layers and the answer. Hover or tap "
    "for numbers; click or tap any cell to see how it was computed (or Tab to it and use the arrow keys), or a class "
    "to see what pushed it."
)

PLAYER = (
    "Press Play and watch the window slide. In a convolution, at every position the kernel multiplies the numbers "
    "under it by its weights, adds them up with the bias, and writes one cell of the output map; in pooling, each "
    "window is reduced to one number. Step goes one cell at a time."
)

PREPROCESSING = (
    "The network was trained on MNIST: white digits on black, 28 x 28 pixels, centred the same way. "
    "Your image is turned into exactly that, step by step. If a photo is read wrong, the reason is often here."
)


def lighting_step(stroke_width: float, shading: float) -> str:
    """What evening the lighting did, from its numbers (shading: how much the paper's brightness varied)."""
    if shading >= 0.04:
        done = f"The paper's shading (its brightness varied by {shading:.0%}) is subtracted and the contrast stretched"
    else:
        done = "The lighting is already even, so only the contrast is stretched"
    return f"{done}: ink becomes white. Thickest stroke: about {stroke_width:.0f} pixels."


def filters(palette: Palette = DEFAULT) -> str:
    """What a filter is, in the palette's colours."""
    return (
        "Each filter is a small grid of weights the network learned during training. Sliding it over the image gives "
        f"a feature map: {palette.words['positive']} weights reward bright pixels under them, "
        f"{palette.words['negative']} weights punish them. The bias is added afterwards."
    )


FILTERS_DEEP = (
    "A deeper filter looks at every feature map of the layer before: it has one small kernel per input map and adds "
    "up what they find into a single new map. Left, how strongly each filter reads each input map; right, one "
    "filter's kernels, large."
)


def conv(palette: Palette = DEFAULT) -> str:
    """What a feature map before ReLU shows, in the palette's colours."""
    return (
        "Each map is one filter slid over the input: a pixel's value is the sum of the weights times the pixels "
        f"under them, plus the bias. {palette.words['positive'].capitalize()} means the pattern the filter looks for "
        f"is there; {palette.words['negative']} means its opposite is."
    )


def activations_words(model) -> str:
    """What the network's activation functions do, each once (each layer's own words, cnnviz.network.layers)."""
    said = dict.fromkeys(info.spec.words for info in model.layers() if info.spec.per_cell and info.spec.words)
    return " ".join(said)


def pooling_words(model) -> str:
    """What the network's pooling does (max or average, and its window), or that it has none."""
    pools = [info for info in model.layers() if info.spec.pools]
    if not pools:
        return "This network has no pooling: convolutions with a stride larger than 1 make the maps smaller instead."
    return pools[0].spec.words


def pooling_detail(pool) -> str:
    """The pooling view's explanation, for the pooling layer it shows (None: the network has none)."""
    if pool is None:
        return "Pooling makes maps smaller by reducing each window to one number."
    if pool.spec.largest:
        return (
            "Max-pooling keeps the largest number of each window and forgets the rest: the outlined cell won. "
            "The network keeps where a pattern was strongest, not exactly where."
        )
    return "Average pooling keeps the mean of each window: nothing is dropped, every value counts a little."


def no_pooling(model, layer: str) -> str:
    """Why the pooling view has nothing to show for this selection."""
    if not any(info.spec.pools for info in model.layers()):
        return (
            "This network has no pooling layer: its convolutions move their kernel by more than one pixel (a stride), "
            "which makes the maps smaller instead. Watch it in the convolution player."
        )
    return f"No pooling reads the maps of {layer}. Click a cell of a layer followed by pooling, or of a pooling layer."


NORM = (
    "Batch norm rescales each channel with numbers it measured over the training batches: subtract the mean, divide "
    "by the spread, then apply a learned scale and shift. In use, it is a fixed scale and shift per channel."
)

RESIDUAL = Residual().words

CLASSIFIER = (
    "The last maps are flattened into one long list of numbers. Fully connected layers weigh all of them "
    "to give one score per class (the logits); softmax turns the scores into probabilities that add up to 100 %."
)


def classifier(model) -> str:
    """How the network decides, with its own "not a digit" output if it has one."""
    if model.config.rejects:
        return CLASSIFIER + (
            " Besides the ten digits it has an eleventh output, not a digit, trained on letters, shapes and "
            "scribbles: when it wins, the image is called not a digit, and the other ten still show which digit "
            "it looks most like."
        )
    return CLASSIFIER


TRAINING = (
    "Training shows the network thousands of labelled digits. After each batch, backpropagation works out how "
    "every weight should change to lower the loss, and the optimiser nudges the weights that way. "
    "Watch the loss fall and the filters take shape."
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
        f"Best on validation digits: {best} ({top:.1%}); last: {worst} ({bottom:.1%}), "
        f"{(top - bottom) * 100:.1f} points behind."
    )


TRAINING_LIVE = (
    "The first layer's filters, the probe digit's feature maps and the network's answer for it, as they are now."
)

GRADIENTS = (
    "Gradients are the nudges backpropagation computes for each layer's weights: how much, and which way, each weight "
    "should change to lower the loss. A layer whose gradient falls to almost nothing has stopped learning."
)


def gradient_story(grad_norms: dict[str, list[float]]) -> str:
    """What the gradient chart shows right now, in one or two sentences, from its numbers."""
    if not grad_norms or min(len(v) for v in grad_norms.values()) < 20:
        return "The gradient sizes appear after a few batches."
    start = {layer: float(np.mean(values[:10])) for layer, values in grad_norms.items()}
    peak = {layer: float(np.max(values)) for layer, values in grad_norms.items()}
    now = {layer: float(np.mean(values[-10:])) for layer, values in grad_norms.items()}
    grew = [layer for layer in grad_norms if peak[layer] > 2 * start[layer]]
    text = []
    if grew:
        text.append(
            f"At first the gradients grew ({', '.join(grew)} by up to {max(peak[g] / start[g] for g in grew):.0f}x) "
            "as the network left its random start."
        )
    shrinking = [layer for layer in grad_norms if now[layer] < 0.5 * peak[layer]]
    ratios = [now[layer] / peak[layer] for layer in shrinking]
    if len(shrinking) == 1:
        text.append(
            f"Since then the gradient of {shrinking[0]} has fallen to {share(ratios[0])} of its peak: "
            "its loss is flattening out."
        )
    elif shrinking:
        low, high = share(min(ratios)), share(max(ratios))
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
            f"The first layer's gradient is {share(now[first] / now[last])} of the last one's: it fades on its way "
            "back (as it does through sigmoids), so the first layers learn slowly."
        )
    return " ".join(text)


def count(number: int, thing: str) -> str:
    """A count with its noun: "1 digit", "12 digits"."""
    return f"{number:,} {thing}{'' if number == 1 else 's'}"


def share(ratio: float) -> str:
    """A ratio as a percentage that never reads "0%" for something that is not zero."""
    if ratio <= 0:
        return "0%"
    if ratio < 0.01:
        return "below 1%"
    return f"{ratio:.0%}"


def gap_story(train_loss: float, val_loss: float, train_accuracy: float, val_accuracy: float) -> str:
    """What the gap between training and validation means at the last epoch."""
    if val_accuracy > train_accuracy:
        return (
            "Validation beats training here. That is expected: the training figures are measured while dropout "
            "switches units off and on augmented (harder) digits; validation uses plain digits with dropout off."
        )
    gap = val_loss - train_loss
    if gap > 0.15 and train_accuracy - val_accuracy > 0.03:
        return (
            f"Overfitting: the loss on the training digits is {gap:.2f} lower than on digits the network never "
            f"trained on, and accuracy {train_accuracy - val_accuracy:.0%} higher. It is memorising its "
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


ARITHMETIC = (
    "Every number in a feature map is a small sum. Pick a layer, channel and cell (or click a cell in the map) "
    "to see the patch of input it reads, the filter's weights, their products, and how they add up."
)

PLAYER_SHORT = (
    "Press Play: the window slides, and at each place its products and the bias add up to one cell of the map."
)

DECISION_SHORT = (
    "The last maps become one long list of numbers; the dense layers weigh them into one score per class (the "
    "logits), and softmax turns the scores into probabilities that add up to 100 %."
)


def decision_short(model) -> str:
    """The decision in a few lines, for a projector."""
    extra = " An eleventh output, not a digit, wins for letters and shapes." if model.config.rejects else ""
    return DECISION_SHORT + extra


ARITHMETIC_SHORT = (
    "One cell of a feature map, taken apart: the patch of input under the filter, the filter's weights, "
    "their products, and how they add up with the bias."
)

DEEPER = (
    "A deeper layer's filters read every map of the layer before and add up what they find there, so each of its "
    "maps can respond to a combination of the patterns found below, over a larger part of the image."
)

SOFTMAX_DETAIL = (
    "Softmax raises e to the power of each logit, then divides by the total, so the answers are positive and add "
    "up to 100 %. Subtracting the largest logit first changes nothing but keeps the numbers small."
)

TEMPERATURE = (
    "Dividing the logits by a temperature before softmax: below 1 the network sounds more certain, above 1 less. "
    "The ranking never changes."
)


def temperature_story(steps, classes: tuple[str, ...]) -> str:
    """What the chosen temperature does to this answer, from its numbers (steps: arithmetic.SoftmaxSteps)."""
    order = np.argsort(steps.probabilities)[::-1]
    best, second = steps.probabilities[order[0]], steps.probabilities[order[1]]
    text = (
        f"Sum of all exponentials: **{steps.total:.4f}**; each probability is its exponential divided by that sum. "
        f"At temperature {steps.temperature:g} the top answer, {classes[order[0]]}, gets {best:.1%} and the next, "
        f"{classes[order[1]]}, {second:.1%}."
    )
    if steps.temperature > 1 and best < 0.5:
        text += " The answer has flattened out: raise the temperature further and every class tends to the same share."
    elif steps.temperature > 1:
        text += " Raise the temperature further to see the answer flatten out."
    elif steps.temperature < 1:
        text += " Below 1 the top answer is sharpened towards 100 %."
    return text


def contributions(palette: Palette = DEFAULT) -> str:
    """How to read the last layer's contributions chart, in the palette's colours."""
    return (
        "The last layer multiplies each of its inputs by a weight and adds them up, one sum per class. "
        f"{palette.words['highlight'].capitalize()} bars pushed the chosen class's score up; "
        f"{palette.words['base']} bars pushed it down."
    )


SANDBOX = (
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
    """What the training-mode runs (R, classes) of the dropout demo show, from their numbers."""
    answers = runs.argmax(axis=1)
    spread = float((runs.max(axis=0) - runs.min(axis=0)).max())
    text = f"Each run switched off {dropped:.0%} of the {units} hidden units, a different set each time. "
    if len(set(answers.tolist())) > 1:
        names = ", ".join(sorted({classes[a] for a in answers}))
        return text + f"The runs disagree ({names}): this input is close to a boundary between classes."
    if spread < 0.02:
        return text + (
            f"Every run still answers {classes[answers[0]]}, within {spread:.1%}: the digit is clear enough that "
            "the other hidden units carry it. Draw an unclear digit to see the runs disagree."
        )
    return text + f"Every run answers {classes[answers[0]]}, but how sure it is moves by up to {spread:.0%}."


WHY = (
    "Which pixels made the network give this score? Four ways of asking, each by Captum, PyTorch's attribution "
    "library. They often disagree: each measures something different."
)

METHOD_WORDS = {  # what each attribution method measures, and where it misleads
    "saliency": (
        "Saliency: how fast the score would change if each pixel alone got a little brighter (the gradient). "
        "Misleads: it is about tiny changes, so a pixel that already saturates a filter can look unimportant."
    ),
    "integrated-gradients": (
        "Integrated gradients: the gradient summed along the way from a blank image to this one; the map adds up "
        "to the score's change. Misleads: it depends on the blank baseline chosen."
    ),
    "occlusion": (
        "Occlusion: the score's drop when a 4 x 4 patch is blanked out, slid over the image. Misleads: it is blurred "
        "by the patch size, and a stroke the network can do without looks unimportant."
    ),
    "grad-cam": (
        "Grad-CAM: where in a conv layer's maps the gradient and the activity agree, enlarged to the image. "
        "Misleads: its resolution is the layer's ({height} x {width} here), and it shows only what pushed the score up."
    ),
}


def method_words(method: str, height: int, width: int) -> str:
    """What an attribution method measures and where it misleads (Grad-CAM with its layer's real size)."""
    return METHOD_WORDS[method].format(height=height, width=width)


BLANK_MAP = {  # why a map can be 0 everywhere, method by method
    "saliency": "Saliency is 0 everywhere: no small change of any one pixel moves the score of {target} "
    "(every unit those pixels reach is switched off).",
    "integrated-gradients": "Integrated gradients are 0 everywhere: the score of {target} does not change on the "
    "whole way from the blank image to this one.",
    "occlusion": "Occlusion is 0 everywhere: blanking any 4 x 4 patch leaves the score of {target} as it is.",
    "grad-cam": "Grad-CAM is 0 everywhere: in {layer}'s maps, weighted by how each map moves the score of {target}, "
    "no place comes out above 0 (the most is {largest:.3g}), and Grad-CAM shows only what pushed the score up.",
}


def blank_map_words(method: str, target: str, layer: str = "", largest: float | None = None) -> str:
    """Why a method's map is 0 everywhere, in one sentence instead of a blank square."""
    return BLANK_MAP[method].format(target=target, layer=layer, largest=largest if largest is not None else 0.0)


METHOD_NAMES = {
    "saliency": "saliency",
    "integrated-gradients": "integrated gradients",
    "occlusion": "occlusion",
    "grad-cam": "Grad-CAM",
}

CHECK = (
    "Check it: blank the pixels each map ranks highest, a tenth of the image at a time (blank: no ink, as the "
    "network's background), and watch the answer's probability (the deletion test of Samek et al., 2017). A map "
    "that found what the answer needs makes its line fall faster than blanking as many pixels at random (dashed)."
)

SCRAMBLE = (
    "Scramble the network: replace its learned weights by random ones, from the output layer down, one more layer "
    "at each step, and ask every method again (Adebayo et al., 2018). A method that explains what the network "
    "learned gives another map once the learning is gone; a map that stays alike shows the image more than the "
    "network. The number compares each map with the trained network's, as drawn (Spearman's rank correlation of "
    "their pixels: 1 the same order, 0 unrelated)."
)

CLEARLY = 0.05  # a map "removes the answer faster" when its curve's mean is this much below the random one's
ALIKE = 0.5  # a rank correlation from which a scrambled network's map "stays alike"


def deletion_story(target: str, by_map: dict[str, np.ndarray], at_random: np.ndarray) -> str:
    """What the deletion curves show, from their numbers: who removes the answer faster than chance."""
    half = ", ".join(f"{name} {curve[-1]:.0%}" for name, curve in by_map.items())
    text = (
        f"With half the pixels blanked, the probability of {target} falls from {at_random[0]:.0%} to: {half}; "
        f"at random, {at_random[-1]:.0%}. "
    )
    faster = [name for name, curve in by_map.items() if curve.mean() < at_random.mean() - CLEARLY]
    slower = [name for name in by_map if name not in faster]
    if faster:
        text += f"{_first_up(_joined(faster))} found pixels this answer needs (their lines fall faster)"
        text += f"; {_joined(slower)} did no better than chance." if slower else "."
    else:
        text += "No map did clearly better than chance here: none of them found what this answer needs."
    return text


def scrambling_story(similarity: dict[str, np.ndarray], strength: dict[str, np.ndarray]) -> str:
    """What the scrambled network's maps show, from the last step's numbers: which methods depend on the learning,
    and which still mark the same pixels once the sign is ignored."""
    last = {name: values[-1] for name, values in similarity.items()}
    changed = [f"{name} ({r:.2f})" for name, r in last.items() if np.isfinite(r) and r < ALIKE]
    changed += [f"{name} (blank)" for name, r in last.items() if not np.isfinite(r)]
    alike = [f"{name} ({r:.2f})" for name, r in last.items() if np.isfinite(r) and r >= ALIKE]
    parts = []
    if changed:
        parts.append(
            f"With every layer scrambled, {_joined(changed)} give other maps: "
            f"{'they depend' if len(changed) > 1 else 'it depends'} on what the network learned."
        )
    if alike:
        parts.append(
            f"{_first_up(_joined(alike))} still {'look' if len(alike) > 1 else 'looks'} much as before: "
            f"{'they show' if len(alike) > 1 else 'it shows'} the image more than what the network learned."
        )
    marked = [
        f"{name} ({strength[name][-1]:.2f})"
        for name, r in last.items()
        if np.isfinite(r) and r < ALIKE and np.isfinite(strength[name][-1]) and strength[name][-1] >= ALIKE
    ]
    if marked:
        parts.append(
            f"Sign ignored, {_joined(marked)} still {'mark' if len(marked) > 1 else 'marks'} the same pixels: where "
            "the ink is counts for any network, and the learning decides which way each pixel pushes."
        )
    return " ".join(parts)


def _first_up(text: str) -> str:
    """The text with its first letter a capital (and the others as they are: Grad-CAM stays Grad-CAM)."""
    return text[:1].upper() + text[1:]


def _joined(names: list[str]) -> str:
    """a; a and b; a, b and c."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def attribution_alt(method: str, values: np.ndarray) -> str:
    """An attribution map in words for screen readers: where it is strongest, from its numbers."""
    if not np.isfinite(values).all() or not np.abs(values).max() > 0:
        return f"{method}: nothing stands out (every value is 0)."
    row, col = np.unravel_index(int(np.argmax(values)), values.shape)
    low_row, low_col = np.unravel_index(int(np.argmin(values)), values.shape)
    return (
        f"{method}: pushed the score up most at row {row}, column {col} ({values[row, col]:.3g}); "
        f"down most at row {low_row}, column {low_col} ({values[low_row, low_col]:.3g})."
    )


LOOKS_FOR = (
    "What each channel answers to: left, the nine pieces of training digits (the part of the image one cell can "
    "see, its receptive field) where it fired most; right, an image optimised to make it fire everywhere."
)

FOOLED = (
    "Change the digit and watch the answer. The chart shows the probability of each digit across the whole range "
    "of the change: where the answer holds, and where it breaks."
)

ADVERSARIAL = (
    "An adversarial example: every pixel nudged a little in the direction that most quickly lowers the network's "
    "confidence (the sign of the gradient). FGSM takes one step; PGD takes several smaller ones and needs less."
)

MISTAKES = (
    "The network scored on digits it never trained on. Rows are the true digit, columns what it read: the diagonal "
    "is right, everything else a mistake. Click a cell to see its digits, and open any of them in Explore."
)


def attribution_colours(palette: Palette = DEFAULT) -> str:
    """What the attribution colours mean, in the palette's words."""
    return (
        f"{palette.words['positive'].capitalize()}: pushed the score up. {palette.words['negative'].capitalize()}: "
        "pushed it down. Clear: did not matter. The digit shows through in grey."
    )


def fooled_story(
    values: np.ndarray, answers: np.ndarray, label: int, neutral: float, unit: str, classes: tuple[str, ...]
) -> str:
    """Where the answer (label) holds around the unchanged digit (neutral), and how sure it stays, from a sweep's
    answers (len(values), classes): the same numbers the chart beside it draws."""
    read = answers.argmax(axis=1)
    name = classes[label]
    start = end = int(np.argmin(np.abs(values - neutral)))
    if read[start] != label:
        return f"Even unchanged the answer is not {name} here."
    while start > 0 and read[start - 1] == label:
        start -= 1
    while end < len(values) - 1 and read[end + 1] == label:
        end += 1
    held = answers[start : end + 1, label]
    lowest = int(np.argmin(held)) + start
    if start == 0 and end == len(values) - 1:
        text = f"{name} stays the top answer over the whole range ({values[0]:g} to {values[-1]:g} {unit})"
    else:
        text = f"{name} stays the top answer from {values[start]:g} to {values[end]:g} ({unit})"
        outside = [i for i in range(len(values)) if not start <= i <= end]
        nearest = min(outside, key=lambda i: abs(values[i] - neutral))
        text += f"; at {values[nearest]:g} it reads {classes[read[nearest]]} ({answers[nearest].max():.0%})"
    if held.min() < 0.5:
        text += (
            f", but how sure it is falls to {held.min():.0%} at {values[lowest]:g}: the answer holds only because "
            "every other class is lower still"
        )
    return text + "."


LEARNING_STEP = (
    "One step of learning, slowly. The forward pass gives a probability for each answer; the loss is "
    "minus the log of the probability of the right one. Backpropagation applies the chain rule from the last layer "
    "back to the first: each layer turns the gradient it receives into a gradient for its own weights and one for "
    "its input. Gradient descent then moves every weight against its gradient: w - learning rate x g."
)

ON_A_COPY = (
    "This step is tried on a copy of the network. The model in use has not changed: the headline, the Mistakes page "
    "and every other student read with the same weights as before."
)


def why_this_label(classes: tuple[str, ...], predicted: int, runner_up: int, label: int) -> str:
    """Why the view starts on a label the network did not give (a wrong answer, on purpose)."""
    if label == runner_up and label != predicted:
        return (
            f"It starts on {classes[label]}, the network's second choice, not its answer {classes[predicted]}: "
            "telling it the answer it already gives with near certainty leaves almost nothing to learn. Pick any "
            "answer to see the step that would move it there."
        )
    if label == predicted:
        return f"{classes[label]} is the network's own answer: the loss is small, and so is every gradient."
    return f"Telling it the answer is {classes[label]}: the step pulls every weight towards that answer."


def gradient_sizes_story(norms: dict[str, float]) -> str:
    """What the gradient-size chart of one step shows, from its numbers: how the gradient fades towards the input."""
    sizes = {name: value for name, value in norms.items() if value > 0}
    if len(sizes) < 2:
        return ""
    first, last = next(iter(sizes)), list(sizes)[-1]
    ratio = sizes[first] / sizes[last]
    if ratio < 0.05:
        return (
            f"The gradient reaching {first} is {ratio:.1%} of the one at {last}: it fades as it flows back through "
            "every layer, so the first layers barely learn (the vanishing gradient that ReLU was adopted to avoid)."
        )
    return f"The gradient at {first} is {ratio:.2g} times the one at {last}: every layer gets a share to learn from."


INSIDE = (
    "A trained model is a file of numbers: the weights and biases of each layer, and a short description of the "
    "layers. No picture it was trained on is stored in it."
)


def inside_story(total: int, size: int) -> str:
    """What the model file holds, from its numbers."""
    return (
        f"**{total:,} numbers**, about 4 bytes each ({size / 1024:,.0f} KB): the weights and biases it learned. "
        "No training image is in the file: one 28 x 28 digit alone would be 784 numbers, and the network saw "
        "tens of thousands. What it learned from them is spread across these weights."
    )


LEARNING_RATE = (
    "The learning rate decides how far one step goes. Too small and the loss hardly moves; too big and the step "
    "overshoots, and what the network knew about other digits is wrecked."
)


def step_story(judged: str, loss_before: float, loss_after: float, others_before: float, others_after: float) -> str:
    """One step's verdict (cnnviz.network.backprop.judge) in words, with its numbers."""
    words = {
        "sure": "It is already sure of this answer: the loss is almost zero, so is every gradient, and a step "
        "changes nothing. Pick another answer to see a big correction.",
        "broke": f"Too big: accuracy on other digits fell from {others_before:.0%} to {others_after:.0%}. "
        "The step fitted this one digit and broke what the network knew.",
        "overshot": f"Too big: the step overshot and the loss rose from {loss_before:.3f} to {loss_after:.3f}.",
        "small": f"Too small: the loss went only from {loss_before:.3f} to {loss_after:.3f}.",
        "right": f"About right: the loss fell from {loss_before:.3f} to {loss_after:.3f}"
        + ("." if math.isnan(others_after) else f" and other digits are still {others_after:.0%} right."),
    }
    return words[judged]


TEACH = (
    "Teach the network something new from a few examples: name two or more new classes (letters, shapes, symbols), "
    "give each three to ten drawings, and teach. Transfer learning keeps the digit network's conv layers exactly "
    "as they are (frozen) and trains only a new head on the features they extract; beside it, the same network "
    "learns everything from scratch from the same few examples. A third of each class's examples (at least one) are "
    "held back to test both."
)

TEACH_WHY = (
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
