"""The short explanations shown beside each stage of the network, in plain words for a classroom.

Texts that name colours are functions of the palette, so the words always match the chart beside them.
"""

from cnnviz.colors import DEFAULT, Palette

INTRO = (
    "Give the network a handwritten digit and follow it through every stage: how the picture is prepared, "
    "the filters the network learned, what each layer detects, and how it makes up its mind. "
    "Hover over any chart to read the exact numbers."
)

OVERVIEW = (
    "The whole network, left to right: the input, each conv layer's maps, ReLU, max-pooling, the dense layer and the "
    "answer. Hover for numbers; click any cell to see how it was computed, or a class to see what pushed it."
)

PLAYER = (
    "Press Play and watch the kernel slide: at every position it multiplies the numbers under it by its weights, adds "
    "them up with the bias, and writes one cell of the output map. Step goes one cell at a time."
)

PREPROCESSING = (
    "The network was trained on MNIST: white digits on black, 28 x 28 pixels, centred the same way. "
    "Your image is turned into exactly that, step by step. If a photo is read wrong, the reason is often here."
)

INPUT_TENSOR = (
    "This grid of 784 numbers is all the network ever sees. Dark pixels are about -0.42, the brightest ink about 2.8."
)


def filters(palette: Palette = DEFAULT) -> str:
    """What a filter is, in the palette's colours."""
    return (
        "Each filter is a small grid of weights the network learned during training. Sliding it over the image gives "
        f"a feature map: {palette.words['positive']} weights reward bright pixels under them, "
        f"{palette.words['negative']} weights punish them. The bias is added afterwards."
    )


FILTERS_DEEP = (
    "A second-layer filter looks at every feature map of the layer before, so it has one small grid per input "
    "channel (one row each here) and combines them into a single new map."
)


def conv(palette: Palette = DEFAULT) -> str:
    """What a feature map before ReLU shows, in the palette's colours."""
    return (
        "Each map is one filter slid over the input: a pixel's value is the sum of the weights times the pixels "
        f"under them, plus the bias. {palette.words['positive'].capitalize()} means the pattern the filter looks for "
        f"is there; {palette.words['negative']} means its opposite is."
    )


RELU = "ReLU keeps positive values and sets every negative value to zero: only evidence *for* a pattern goes on."

POOLING = (
    "Max-pooling looks at each 2 x 2 window and keeps only its largest value, halving the width and height. "
    "Coloured cells won their window and are passed on; grey cells are dropped (windows of zeros stay blank)."
)

POOLED = "What pooling passes to the next layer: a smaller map that keeps where each pattern was strongest."

CLASSIFIER = (
    "The last pooled maps are flattened into one long list of numbers. Fully connected layers weigh all of them "
    "to give one score per digit (the logits); softmax turns the scores into probabilities that add up to 100 %."
)

TRAINING = (
    "Training shows the network thousands of labelled digits. After each batch, backpropagation works out how "
    "every weight should change to lower the loss, and the optimiser nudges the weights that way. "
    "Watch the loss fall and the filters take shape."
)

TRAINING_LIVE = (
    "The filters start as random noise and turn into stroke and edge detectors; the probe digit's feature maps "
    "and the network's answer for it change with them."
)

GRADIENTS = (
    "Gradients are the nudges backpropagation computes for each layer's weights. Large at first, they shrink as "
    "the loss falls; a layer whose gradient is near zero has stopped learning."
)

ARITHMETIC = (
    "Every number in a feature map is a small sum. Pick a layer, channel and cell (or click a cell in the map) "
    "to see the patch of input it reads, the filter's weights, their products, and how they add up."
)

ARITHMETIC_SHORT = (
    "One cell of a feature map, taken apart: the patch of input under the filter, the filter's weights, "
    "their products, and how they add up with the bias."
)

DEEPER = (
    "A deeper layer's filters read every map of the layer before and add up what they find there, so each of its "
    "maps can respond to a combination of the patterns found below. Its maps are smaller: pooling halved them."
)

POOL_DETAIL = "Max-pooling keeps the largest of four numbers and forgets the rest: the outlined cell won."

SOFTMAX_DETAIL = (
    "Softmax raises e to the power of each logit, then divides by the total, so the answers are positive and add "
    "up to 100 %. Subtracting the largest logit first changes nothing but keeps the numbers small."
)

TEMPERATURE = (
    "Dividing the logits by a temperature before softmax: below 1 the network sounds more certain, above 1 less. "
    "The ranking never changes."
)


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
