"""One step of learning, slowly: the forward pass, the loss, the chain rule back through every layer, the update.

The backward pass is written out layer by layer (each layer's own local rule, applied from the
last layer to the first) rather than left to autograd, so every gradient it shows is one a
student can follow; the tests check each against `torch.autograd`. Dropout is off, as when the
network is used, so one digit always gives the same step.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.network.model import Network
from cnnviz.network.walk import walk

RATES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)  # the sweep's learning rates: too small to too big
TOO_SMALL = 0.05  # a step that takes less than 5 % off the digit's loss barely learns
TOO_BIG = 0.05  # a step that costs other digits more than 5 points of accuracy has broken what was learned


@dataclass(frozen=True)
class Backward:
    """A forward and backward pass of one labelled digit; gradients keyed by layer name, batch dimension dropped."""

    label: int
    loss: float
    probabilities: np.ndarray  # (classes,)
    output_gradients: dict[str, np.ndarray]  # dL/d(output) of every layer, last layer first
    weight_gradients: dict[str, np.ndarray]  # dL/d(weight) of every layer that has weights
    bias_gradients: dict[str, np.ndarray]

    def norms(self) -> dict[str, float]:
        """Size (L2 norm) of each layer's weight gradient, first layer first."""
        return {name: float(np.linalg.norm(g)) for name, g in reversed(list(self.weight_gradients.items()))}


@torch.no_grad()
def backward(model: Network, image: torch.Tensor, label: int) -> Backward:
    """Loss of one normalised digit (1, 1, 28, 28) against label, and the gradient of every layer by the chain rule.

    Layers are visited from the last to the first; each adds the gradient of its input to the layer
    that made that input, so a residual block's input collects two: through its layers, and
    straight along the skip (or through its 1x1 conv).
    """
    model = model.eval()
    steps = list(walk(model, image))
    logits = steps[-1].output
    probabilities = logits.softmax(dim=1)
    loss = -logits.log_softmax(dim=1)[0, label] + 0.0  # log_softmax: exact even when the probability rounds to 1
    grads = {steps[-1].layer.name: probabilities - F.one_hot(torch.tensor([label]), logits.shape[1]).to(logits.dtype)}
    outputs, weights, biases = {}, {}, {}

    def pass_on(source: str, grad: torch.Tensor) -> None:
        grads[source] = grads[source] + grad if source in grads else grad

    for step in reversed(steps):
        name = step.layer.name
        grad = grads.pop(name)
        outputs[name] = grad[0].numpy().copy()
        if step.layer.spec.inner:  # a residual block, y = body(x) + skip(x): the same gradient down both
            pass_on(step.layer.spec.inner[-1].name, grad)
            shortcut = step.layer.module.shortcut
            if step.layer.projects:  # through a 1x1 conv, not the identity
                skip_name = f"{name}.skip"
                weights[skip_name] = torch.nn.grad.conv2d_weight(
                    step.input, shortcut.weight.shape, grad, shortcut.stride
                )
                grad = torch.nn.grad.conv2d_input(step.input.shape, shortcut.weight, grad, shortcut.stride)
            pass_on(step.layer.source, grad)
        else:  # each layer's own rule (cnnviz.network.layers)
            spec = step.layer.spec
            pass_on(
                step.layer.source,
                spec.input_gradient(step.layer.module, step.input, step.output, grad, weights, biases),
            )
    return Backward(
        label,
        float(loss),
        probabilities[0].numpy(),
        outputs,
        {name: g.numpy() for name, g in weights.items()},
        {name: g.numpy() for name, g in biases.items()},
    )


@dataclass(frozen=True)
class Step:
    """The network after one gradient-descent step w - lr * g on every weight, and what it did to this digit."""

    rate: float
    loss_before: float
    loss_after: float
    probabilities_after: np.ndarray
    others_accuracy: float  # on other digits after the step (NaN when none were given)
    model: Network  # the stepped copy; the model stepped from is untouched


def step(
    model: Network, image: torch.Tensor, found: Backward, rate: float, score: Callable[[Network], float] | None = None
) -> Step:
    """Apply w - rate * g to a copy of the model; measure the digit's loss again, and score(copy): its accuracy on
    other digits (NaN without a score)."""
    stepped = copy.deepcopy(model).eval()
    with torch.no_grad():
        for info in stepped.layers():
            if info.name in found.weight_gradients:
                info.module.weight -= rate * torch.from_numpy(found.weight_gradients[info.name])
                info.module.bias -= rate * torch.from_numpy(found.bias_gradients[info.name])
            if f"{info.name}.skip" in found.weight_gradients:  # a residual block's 1x1 conv on its skip
                info.module.shortcut.weight -= rate * torch.from_numpy(found.weight_gradients[f"{info.name}.skip"])
        logits = stepped(image)[0]
    loss_after = float(-logits.log_softmax(dim=0)[found.label]) + 0.0  # + 0.0: no "-0.0"
    others_accuracy = score(stepped) if score is not None else float("nan")
    return Step(rate, found.loss, loss_after, logits.softmax(dim=0).numpy(), others_accuracy, stepped)


def rate_sweep(
    model: Network, image: torch.Tensor, found: Backward, score: Callable[[Network], float] | None = None, rates=RATES
) -> list[Step]:
    """One step at each learning rate, from the same model and gradient."""
    return [step(model, image, found, rate, score) for rate in rates]


def judge(found: Step, others_before: float = float("nan")) -> str:
    """How a step went: "small", "right", "overshot", "broke" (other digits), or "sure" (nothing to learn)."""
    if found.loss_before < 1e-3:
        return "sure"
    if others_before - found.others_accuracy > TOO_BIG:  # False when either is NaN
        return "broke"
    if found.loss_after > found.loss_before:
        return "overshot"
    if found.loss_before - found.loss_after < TOO_SMALL * found.loss_before:
        return "small"
    return "right"
