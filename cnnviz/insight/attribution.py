"""Which input pixels pushed the answer: saliency, integrated gradients, occlusion and Grad-CAM, all by Captum.

Captum (the PyTorch project's attribution library) does the work; this module picks sensible
settings for 28 x 28 digits and returns one map on the network's input grid. Captum attaches hooks
to the model it is given, so every call works on a private copy: other sessions share the model.
"""

import copy
from dataclasses import dataclass

import numpy as np
import torch

from cnnviz.data.mnist import BLACK
from cnnviz.network.model import Network

METHODS = ("saliency", "integrated-gradients", "occlusion", "grad-cam")
BLANK = BLACK  # the baseline "no ink": every pixel black
IG_STEPS = 128  # points on the path from the blank image to the digit, scored in one batch (sums within 0.5 %)
OCCLUSION_WINDOW = 4  # pixels of the grey patch slid over the digit
OCCLUSION_STRIDE = 2
BLANK_MAP = {  # why a map can be 0 everywhere, method by method: one sentence (explain --json's "blank", the page's)
    "saliency": "Saliency is 0 everywhere: no small change of any one pixel moves the score of {target} "
    "(every unit those pixels reach is switched off).",
    "integrated-gradients": "Integrated gradients are 0 everywhere: the score of {target} does not change on the "
    "whole way from the blank image to this one.",
    "occlusion": "Occlusion is 0 everywhere: blanking any 4 x 4 patch leaves the score of {target} as it is.",
    "grad-cam": "Grad-CAM is 0 everywhere: in the maps of {layer}, weighted by how each map moves the score of "
    "{target}, no place comes out above 0 (the most is {largest:.3g}), and Grad-CAM shows only what pushed the "
    "score up.",
}


@dataclass(frozen=True)
class Attribution:
    """One method's answer to "which pixels made the network say this"."""

    method: str
    target: int  # the class explained
    values: np.ndarray  # (28, 28) on the network's input grid: positive pushed the target up
    delta: float | None = None  # integrated gradients: how far the map's sum is from the output difference
    before_rectifying: float | None = None  # Grad-CAM: the largest weighted sum of maps, before negatives become 0
    layer: str | None = None  # Grad-CAM: the conv layer whose maps were weighed

    @property
    def blank(self) -> bool:
        """Whether every value is 0 (or not a number): a map that shows nothing."""
        return not np.abs(np.nan_to_num(self.values)).max() > 0


def blank_map_words(method: str, target: str, layer: str = "", largest: float | None = None) -> str:
    """Why a method's map is 0 everywhere, in one sentence instead of a blank square (layer: Grad-CAM's maps)."""
    return BLANK_MAP[method].format(target=target, layer=layer, largest=largest if largest is not None else 0.0)


def attribute(model: Network, image: torch.Tensor, method: str, target: int, layer: str | None = None) -> Attribution:
    """Attribute the target class's logit for image (1, 1, 28, 28) to the input pixels.

    Args:
        layer: Grad-CAM only, the conv layer whose maps are weighed (default: the last one). The maps are
            taken where the network uses them: after the activation that follows the conv (its ReLU), as
            Selvaraju et al. weigh them; before it, a conv's negative values would cancel what the ReLU drops.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if not 0 <= target < len(model.classes):
        raise ValueError(f"target must be a class index from 0 to {len(model.classes) - 1}")
    # Imported here: Captum's import costs about a second, which every command line call would pay.
    from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, Occlusion, Saliency

    private = copy.deepcopy(model).eval()  # Captum hooks into the model it is given
    inputs = image.detach().clone().requires_grad_(True)
    baseline = torch.full_like(inputs, BLANK)
    delta = before = name = None
    if method == "saliency":
        values = Saliency(private).attribute(inputs, target=target, abs=False)
    elif method == "integrated-gradients":
        values, deltas = IntegratedGradients(private).attribute(
            inputs,
            baselines=baseline,
            target=target,
            n_steps=IG_STEPS,
            internal_batch_size=IG_STEPS,
            return_convergence_delta=True,
        )
        delta = float(deltas.abs().max())
    elif method == "occlusion":
        values = Occlusion(private).attribute(
            inputs,
            sliding_window_shapes=(1, OCCLUSION_WINDOW, OCCLUSION_WINDOW),
            strides=(1, OCCLUSION_STRIDE, OCCLUSION_STRIDE),
            baselines=BLANK,
            target=target,
            perturbations_per_eval=64,
        )
    else:
        name = layer or private.conv_layers()[-1]
        if name not in private.conv_layers():
            raise ValueError(f"{name!r} is not a conv layer; this model has {', '.join(private.conv_layers())}")
        used = private.layer(private.activated(name)).module  # relu2 for conv2: the maps the next layer reads
        weighted = LayerGradCam(private, used).attribute(inputs, target=target, relu_attributions=False)
        before = float(weighted.detach().max())
        values = LayerAttribution.interpolate(weighted.clamp(min=0), inputs.shape[-2:], interpolate_mode="bilinear")
    return Attribution(method, target, values.detach()[0, 0].numpy().astype(np.float32), delta, before, name)
