"""Networks with names: today's family, LeNet-5 (1998), sigmoid everywhere, strided convolutions, a tiny ResNet."""

from cnnviz.network.layers import Architecture, parse_layers

PRESETS = {
    "modern": "conv 16 5, relu, maxpool 2, conv 32 5, relu, maxpool 2, flatten, linear 128, relu, dropout 0.3",
    # LeNet-5 (LeCun et al. 1998) for 28 x 28 input: its first conv is padded by 2, as if the image
    # were the paper's 32 x 32; plain tanh for its scaled tanh; average pooling without the paper's
    # trainable scale and bias; every C3 map reads all of S2's; softmax outputs for its RBF units.
    "lenet5": "conv 6 5 pad 2, tanh, avgpool 2, conv 16 5 pad 0, tanh, avgpool 2, flatten, "
    "linear 120, tanh, linear 84, tanh",
    "sigmoid": "conv 16 5, sigmoid, maxpool 2, conv 32 5, sigmoid, maxpool 2, flatten, linear 128, sigmoid, "
    "dropout 0.3",
    "strided": "conv 16 5 stride 2, relu, conv 32 5 stride 2, relu, flatten, linear 128, relu, dropout 0.3",
    "tiny-resnet": "conv 16 3, relu, res(conv 16 3, bn, relu, conv 16 3, bn), relu, maxpool 2, "
    "res(conv 32 3, bn, relu, conv 32 3, bn), relu, maxpool 2, flatten, linear 64, relu",
}
PRESET_WORDS = {
    "modern": "today's family: ReLU, max-pooling, dropout",
    "lenet5": "LeNet-5 (1998): tanh and average pooling",
    "sigmoid": "sigmoid everywhere: watch the gradients fade layer by layer",
    "strided": "no pooling: convolutions with stride 2 shrink the maps",
    "tiny-resnet": "two residual blocks: each adds its input back (a skip connection)",
}


def preset(name: str, classes: tuple[str, ...]) -> Architecture:
    """A named preset for these classes; ValueError naming the presets for any other name."""
    if name not in PRESETS:
        raise ValueError(f"no preset {name!r}; the presets are {', '.join(PRESETS)}")
    return Architecture(parse_layers(PRESETS[name]), classes)
