"""What training at the budget costs: seconds a batch, and how long Stop takes, for networks up to the limit.

    python bench/train_budget.py [--batch 256] [--json]

For each network (the bundled family, LeNet-5, and made-up ones just under the training budget of
cnnviz.training.budget) a real TrainingJob starts on the offline digits; once a few batches are done,
Stop is pressed and the time until the worker thread has ended is measured (the user's wait).
"""

import argparse
import json
import time

import torch

from cnnviz.data.mnist import load_offline_sample
from cnnviz.network.classes import DIGITS
from cnnviz.network.layers import Architecture, parse_layers
from cnnviz.training.budget import MAX_TRAINING_MULTIPLY_ADDS, check_budget
from cnnviz.training.engine import TrainConfig
from cnnviz.training.jobs import TrainingJob

NETWORKS = {
    "bundled family": "conv 16 5, relu, maxpool 2, conv 32 5, relu, maxpool 2, flatten, linear 128, relu",
    "lenet5": "conv 6 5 pad 2, tanh, avgpool 2, conv 16 5 pad 0, tanh, avgpool 2, flatten, linear 120, tanh",
    "wide, near the budget": "conv 32 5, relu, maxpool 2, conv 48 5, relu, maxpool 2, flatten, linear 128, relu",
    "deep, near the budget": "conv 16 3, relu, conv 24 3, relu, maxpool 2, conv 48 3, relu, conv 48 3, relu, "
    "maxpool 2, flatten, linear 128, relu",
}


def measure(layers: str, batch: int, digits) -> dict:
    architecture = Architecture(parse_layers(layers), DIGITS)
    check_budget(architecture)
    job = TrainingJob(
        lambda: digits, architecture, TrainConfig(epochs=1, batch_size=batch), digits.images[:1, None].float()
    )
    job.start()
    while job.progress().batch < 3 and job.alive:  # a few batches: past the first, slower one
        time.sleep(0.05)
    batches, started = job.progress().batch, time.perf_counter()
    while job.progress().batch < batches + 3 and job.alive:
        time.sleep(0.01)
    per_batch = (time.perf_counter() - started) / 3
    pressed = time.perf_counter()
    job.stop()
    job.join()
    return {
        "multiply_adds_millions": round(architecture.multiply_adds / 1e6, 2),
        "seconds_per_batch": round(per_batch, 3),
        "stop_seconds": round(time.perf_counter() - pressed, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256, help="digits a batch (the Train page allows up to 256)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)
    digits = load_offline_sample()
    results = {name: measure(layers, args.batch, digits) for name, layers in NETWORKS.items()}
    results["budget_multiply_adds_millions"] = MAX_TRAINING_MULTIPLY_ADDS / 1e6
    if args.json:
        print(json.dumps(results))
        return
    for name, result in results.items():
        print(f"{name:24s} {result}")


if __name__ == "__main__":
    main()
