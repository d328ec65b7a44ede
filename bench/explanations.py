"""Are the explanations true? Blank maps, the deletion test and the scrambling test, for both bundled models.

    python bench/explanations.py [--per-kind N] [--scrambled N] [--seed S] [--json]

The set, made by our own generators with seeds no training run uses, read by the app's preprocessing:
photos of a page, small digits on big pages, mouse drawings on the canvas, the other media (paper, marker,
pencil, chalk, a small scan), and the bundled sample images; non-digits (letters, shapes, scribbles,
patterned paper) are counted apart. Each map explains the answer the model gives (as `explain` does).

For each model and method it prints:
- blank: how many maps are 0 everywhere, on the digits and on the non-digits. "grad-cam before its ReLU"
  is Grad-CAM on the conv's own output, as cnnviz computed it before (for comparison).
- the deletion test: the mean probability of the answer with 0, 10, ... 50 % of the pixels blanked in the
  map's order and in a random one; on how many digits the map's curve lies lower (its mean over the six
  points, the area under the curve, is smaller) than the random one's, and clearly lower (by at least 0.05,
  the rule the app's sentence uses).
- the scrambling test on --scrambled digits spread over the set: the mean rank correlation with the trained
  network's map after each step of re-randomising the learned layers from the output down, as the maps are
  drawn (signed) and with the sign ignored.
"""

import argparse
import json
import time

import numpy as np
import torch
from captum.attr import LayerGradCam

from cnnviz.data import corpus
from cnnviz.data.mnist import normalize
from cnnviz.data.samples import list_samples
from cnnviz.insight.attribution import METHODS, attribute
from cnnviz.insight.faithfulness import CLEARLY, FRACTIONS, cascading_randomisation, deletion, learned_layers
from cnnviz.insight.verdict import answer_probabilities
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints

KINDS = {  # the digit sets: what students bring
    "photos": ("photo",),
    "small on a page": ("small on a page",),
    "mouse drawings": ("canvas",),
    "other media": ("paper", "marker", "pencil", "chalk", "scan"),
}
BEFORE = "grad-cam before its ReLU"


def the_set(per_kind: int, seed: int) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """({kind: network inputs (N, 1, 28, 28)} of digits, non-digits (M, 1, 28, 28)), all as the app reads them."""
    digits = {}
    for offset, (kind, media) in enumerate(KINDS.items()):
        images, _ = corpus.handwriting(per_kind, seed=seed + offset, workers=2, media_used=media)
        digits[kind] = normalize(images)
    digits["samples"] = torch.cat([preprocess_bytes(sample.path.read_bytes()).tensor for sample in list_samples()])
    others = normalize(corpus.not_digits(per_kind, seed=seed + len(KINDS), workers=2))
    return digits, others


def grad_cam_before_its_relu(model, image: torch.Tensor, target: int) -> np.ndarray:
    """Grad-CAM on the last conv's own output (before its activation), rectified: what cnnviz showed before."""
    private = model.eval()
    layer = private.layer(private.conv_layers()[-1]).module
    return LayerGradCam(private, layer).attribute(image.clone(), target=target, relu_attributions=True).detach().numpy()


def measure(model, images: torch.Tensor, digits: bool) -> dict:
    """Blank counts and deletion curves of every method over images (N, 1, 28, 28)."""
    with torch.no_grad():
        probabilities = torch.softmax(model(images), dim=1).numpy()
    out = {"n": len(images), "blank": {method: 0 for method in (*METHODS, BEFORE)}, "confident": 0}
    curves = {method: ([], []) for method in METHODS}
    blank_confident = {method: 0 for method in (*METHODS, BEFORE)}
    for image, answer in zip(images, probabilities):
        image = image[None]
        target = int(answer_probabilities(answer, model.classes).argmax())
        confident = answer[target] >= 0.9
        out["confident"] += int(confident)
        before = not grad_cam_before_its_relu(model, image, target).max() > 0
        out["blank"][BEFORE] += int(before)
        blank_confident[BEFORE] += int(before and confident)
        for method in METHODS:
            found = attribute(model, image, method, target)
            out["blank"][method] += int(found.blank)
            blank_confident[method] += int(found.blank and confident)
            if digits:
                checked = deletion(model, image, found.values, target)
                curves[method][0].append(checked.by_map)
                curves[method][1].append(checked.at_random)
    out["blank_when_confident"] = blank_confident
    if digits:
        out["deletion"] = {}
        for method, (by_map, at_random) in curves.items():
            by_map, at_random = np.array(by_map), np.array(at_random)
            out["deletion"][method] = {
                "by_map": [round(float(p), 4) for p in by_map.mean(axis=0)],
                "at_random": [round(float(p), 4) for p in at_random.mean(axis=0)],
                "faster": int((by_map.mean(axis=1) < at_random.mean(axis=1)).sum()),
                "clearly_faster": int((by_map.mean(axis=1) < at_random.mean(axis=1) - CLEARLY).sum()),
                "n": len(by_map),
            }
    return out


def scrambling(model, images: torch.Tensor) -> dict:
    """The mean similarity to the trained network's map after each step of cascading randomisation, as drawn and
    with the sign ignored (a map gone blank counts as 0)."""
    with torch.no_grad():
        probabilities = torch.softmax(model(images), dim=1).numpy()
    signed, strength = {method: [] for method in METHODS}, {method: [] for method in METHODS}
    for image, answer in zip(images, probabilities):
        target = int(answer_probabilities(answer, model.classes).argmax())
        found = cascading_randomisation(model, image[None], target)
        for method in METHODS:
            signed[method].append(found.similarity[method])
            strength[method].append(found.strength[method])

    def means(scores: dict) -> dict:
        return {
            method: [round(float(v), 3) for v in np.nan_to_num(np.array(s)).mean(axis=0)]
            for method, s in scores.items()
        }

    return {"steps": ["trained", *learned_layers(model)], "similarity": means(signed), "sign_ignored": means(strength)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=40, help="generated images of each kind (and non-digits)")
    parser.add_argument("--scrambled", type=int, default=20, help="digits the scrambling test runs on")
    parser.add_argument("--seed", type=int, default=9100, help="seed of the generated set (training uses others)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    torch.set_num_threads(2)
    started = time.perf_counter()
    digits, others = the_set(args.per_kind, args.seed)
    every_digit = torch.cat(list(digits.values()))
    result = {"set": {kind: len(images) for kind, images in digits.items()} | {"non-digits": len(others)}}
    for name, model in (
        ("bundled", checkpoints.load_bundled()),
        ("lenet5", checkpoints.load(checkpoints.LENET_WEIGHTS)),
    ):
        result[name] = {
            "digits": measure(model, every_digit, digits=True),
            "photos": measure(model, digits["photos"], digits=False),
            "non-digits": measure(model, others, digits=False),
            "scrambling": scrambling(
                model, every_digit[:: max(1, len(every_digit) // args.scrambled)][: args.scrambled]
            ),
        }
    result["seconds"] = round(time.perf_counter() - started)
    if args.json:
        print(json.dumps(result))
        return
    print("set: " + ", ".join(f"{kind} {n}" for kind, n in result["set"].items()))
    shares = "/".join(f"{round(f * 100)}" for f in FRACTIONS)
    for name in ("bundled", "lenet5"):
        found = result[name]
        n, photos, others = found["digits"]["n"], found["photos"]["n"], found["non-digits"]["n"]
        print(f"\n{name}: maps that are 0 everywhere (digits read with >= 90 % of {found['digits']['confident']})")
        for method in (*METHODS, BEFORE):
            print(
                f"  {method:26s} digits {found['digits']['blank'][method]:3d}/{n}"
                f" ({found['digits']['blank'][method] / n:5.1%};"
                f" confident {found['digits']['blank_when_confident'][method]})"
                f"  photos {found['photos']['blank'][method]:3d}/{photos}"
                f"  non-digits {found['non-digits']['blank'][method]:3d}/{others}"
            )
        print(f"  deletion test, mean probability of the answer with {shares} % blanked:")
        for method, curve in found["digits"]["deletion"].items():
            print(f"  {method:26s} by the map {' '.join(f'{p:.2f}' for p in curve['by_map'])}")
            print(
                f"  {'':26s} at random  {' '.join(f'{p:.2f}' for p in curve['at_random'])}"
                f"   map falls faster on {curve['faster']}/{curve['n']}, clearly on {curve['clearly_faster']}"
            )
        scrambled = found["scrambling"]
        print(
            f"  scrambling test, mean rank correlation with the trained map, steps {' -> '.join(scrambled['steps'])}:"
        )
        for method, values in scrambled["similarity"].items():
            ignored = " ".join(f"{v:.2f}" for v in scrambled["sign_ignored"][method])
            print(f"  {method:26s} {' '.join(f'{v:.2f}' for v in values)}   sign ignored: {ignored}")
    print(f"\n{result['seconds']} s")


if __name__ == "__main__":
    main()
