"""Benchmark live training: the app's engine (worker thread, progress record, probe, snapshots) vs a bare loop.

    python bench/train.py [--json] [--epochs N] [--rounds N] [--pairs]

Both train the same model with the same batch size, augmentation and thread count on the offline
MNIST sample, alternating in one run. The machine is noisy, so each round pairs one run of each
and the ratio reported is the median of the rounds' ratios; throughputs are medians too. With
--pairs, two jobs also train at once (two students), and the slower one is compared with one alone.

Everything torch does here runs in short-lived threads, as in the Streamlit server, whose main
thread runs no torch. This matters: once the main thread has run parallel torch work, its
OpenMP workers count against the cores, libgomp then cuts the spin-waiting of every other
thread's workers, and a worker thread trains about 30 % slower (measured here on 2 cores).
"""

import argparse
import json
import math
import statistics
import threading
import time
from dataclasses import replace

import torch
import torch.nn.functional as F

from cnnviz.data.mnist import augment, load_offline_sample, normalize, split
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.training.engine import TrainConfig
from cnnviz.training.jobs import TrainingJob
from cnnviz.training.progress import State
from cnnviz.training.registry import JobRegistry


def bare_loop(train_set, model_config: ModelConfig, config: TrainConfig) -> float:
    """Digits per second of a plain PyTorch loop (pytorch/examples style) doing the same work per batch."""
    model = build_model(model_config, seed=config.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    generator = torch.Generator().manual_seed(config.seed)
    model.train()
    seen, started = 0, time.perf_counter()
    for _ in range(config.epochs):
        order = torch.randperm(len(train_set), generator=generator)
        for start in range(0, len(train_set), config.batch_size):
            indices = order[start : start + config.batch_size]
            pixels = train_set.images[indices].float() / 255
            if config.augment:
                pixels = augment(pixels, generator)
            loss = F.cross_entropy(model(normalize(pixels)), train_set.labels[indices])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seen += len(indices)
    return seen / (time.perf_counter() - started)


def engine_in_thread(digits, model_config: ModelConfig, config: TrainConfig) -> float:
    """Digits per second of a TrainingJob run exactly as the Train page runs it, polled like the page polls it."""
    job = TrainingJob(lambda: digits, model_config, config, torch.zeros(1, 1, 28, 28)).start()
    while job.alive:
        job.progress()  # the page's live view reads a copy every second
        time.sleep(1.0)
    progress = job.progress()
    assert progress.state == State.FINISHED, progress.message
    return progress.images_per_second


def two_jobs_at_once(digits, model_config: ModelConfig, config: TrainConfig) -> list[float]:
    """Digits per second of each of two TrainingJobs started at once through the server's registry (two students)."""
    registry = JobRegistry(max_jobs=2)
    jobs = [
        registry.start(
            f"student {seed}",
            lambda seed=seed: TrainingJob(
                lambda: digits, model_config, replace(config, seed=seed), torch.zeros(1, 1, 28, 28)
            ),
        )
        for seed in (0, 1)
    ]
    while any(job.alive for job in jobs):
        time.sleep(0.5)
    assert all(job.progress().state == State.FINISHED for job in jobs)
    return [job.progress().images_per_second for job in jobs]


def in_fresh_thread(function, *args):
    """function(*args) run in a new thread; returns its result."""
    result = []
    worker = threading.Thread(target=lambda: result.append(function(*args)))
    worker.start()
    worker.join()
    return result[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--json", action="store_true", help='print {"engine_img_per_s": ..., "bare_img_per_s": ..., "ratio": ...}'
    )
    parser.add_argument("--epochs", type=int, default=2, help="epochs per measurement")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds of both")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for both")
    parser.add_argument("--pairs", action="store_true", help="also time two jobs at once against one alone")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    digits = in_fresh_thread(load_offline_sample)
    train_set, _ = in_fresh_thread(split, digits, 0.1, 0)
    model_config, config = ModelConfig(), TrainConfig(epochs=args.epochs, batch_size=64)
    bare, engine = [], []
    for _ in range(args.rounds):
        bare.append(in_fresh_thread(bare_loop, train_set, model_config, config))
        engine.append(engine_in_thread(digits, model_config, config))
    ratio = statistics.median(e / b for e, b in zip(engine, bare))
    result = {
        "engine_img_per_s": round(statistics.median(engine)),
        "bare_img_per_s": round(statistics.median(bare)),
        "ratio": round(ratio, 3),
    }
    if args.pairs:  # each of two jobs at once against one job alone, measured in the same rounds
        paired = [min(two_jobs_at_once(digits, model_config, config)) / alone for alone in engine[: args.rounds]]
        result["two_jobs_each_vs_alone"] = round(statistics.median(paired), 3)
    if args.json:
        print(json.dumps(result))
    else:
        batches = math.ceil(len(train_set) / config.batch_size) * config.epochs
        print(
            f"{args.rounds} rounds of {config.epochs} epochs ({batches} batches of {config.batch_size}) each, "
            f"{args.threads} threads, medians"
        )
        print(
            f"bare PyTorch loop            {result['bare_img_per_s']:8,} digits/s   rounds: {[round(b) for b in bare]}"
        )
        print(
            f"engine in the page's thread  {result['engine_img_per_s']:8,} digits/s   "
            f"rounds: {[round(e) for e in engine]}"
        )
        print(f"ratio engine / bare          {result['ratio']:8.3f}   (median of the rounds' ratios; target >= 0.9)")
        print(f"one epoch on the offline sample: {len(train_set) / statistics.median(engine):.1f} s")
        if args.pairs:
            print(
                f"two jobs at once, the slower of them vs one alone: {result['two_jobs_each_vs_alone']:.3f}"
                "   (median of rounds; target >= 0.45)"
            )


if __name__ == "__main__":
    main()
