"""Benchmark the "why did it say that" views: attributions, a full evaluation, what filters look for, fooling it.

    python bench/insight.py [--mnist-dir DIR] [--json] [--repeats N]

Medians in milliseconds (seconds for the once-per-model work), measured in one run on one photo
sample with the bundled model. The evaluation uses the MNIST test set when --mnist-dir is given,
else the 500 held-out sample digits.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import torch

from cnnviz.data.mnist import load_offline_sample, split
from cnnviz.data.samples import list_samples
from cnnviz.insight.attribution import METHODS, attribute
from cnnviz.insight.evaluation import evaluate, held_out_digits
from cnnviz.insight.excitation import dreamed_inputs, strongest_patches
from cnnviz.insight.robustness import CHANGES, smallest_fooling_epsilon, sweep
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(action, repeats: int) -> float:
    """Median wall time of action() in seconds, after one warm-up call."""
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist-dir", type=Path, help="folder with the MNIST test set's IDX files")
    parser.add_argument("--repeats", type=int, default=10, help="timed repetitions of the quick measurements")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    torch.set_num_threads(2)
    model = checkpoints.load_bundled()
    prepared = preprocess_bytes(next(s for s in list_samples() if s.kind == "photo").path.read_bytes())
    result = {}
    for method in METHODS:
        seconds = median_seconds(lambda m=method: attribute(model, prepared.tensor, m, 3), args.repeats)
        result[f"{method}_ms"] = round(seconds * 1000, 1)
    digits = held_out_digits(args.mnist_dir)
    result["evaluation_digits"] = len(digits)
    result["evaluation_s"] = round(median_seconds(lambda: evaluate(model, digits), 3), 2)
    train, _ = split(load_offline_sample(), 0.1, 0)
    started = time.perf_counter()
    for layer in model.conv_layers():
        strongest_patches(model, train, layer)
    result["top9_every_channel_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    for layer in model.conv_layers():
        dreamed_inputs(model, layer)
    result["dreams_every_channel_s"] = round(time.perf_counter() - started, 2)
    result["sweep_all_changes_ms"] = round(
        median_seconds(lambda: [sweep(model, prepared.pixels, change) for change in CHANGES], args.repeats) * 1000, 1
    )
    pgd = median_seconds(lambda: smallest_fooling_epsilon(model, prepared.pixels, 10), 3)
    result["pgd_search_ms"] = round(pgd * 1000)
    if args.json:
        print(json.dumps(result))
        return
    for name, value in result.items():
        print(f"{name:28s} {value}")
    print("targets: each attribution <= 200 ms, evaluation of 10,000 digits <= 10 s, top-9 of every channel <= 10 s")


if __name__ == "__main__":
    main()
