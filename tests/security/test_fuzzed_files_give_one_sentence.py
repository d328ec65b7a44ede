"""Fuzzing: mutated images of every supported format, and mutated weights files, give a result or one sentence.

Never another exception, never a hang, never a memory blow-up: each mutation is timed, and the
process's peak memory may grow only a little over the whole run.
"""

import resource
import time

import numpy as np
import pytest
import torch

from cnnviz.data.handwriting import draw_digit, encode
from cnnviz.errors import InputError
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints

MUTATIONS = 80  # per file
SECONDS = 2.0  # each mutated file must be dealt with in this time
GROWTH_MB = 400  # the process's peak memory may grow this much over a whole fuzz run


def mutate(data: bytes, rng: np.random.Generator) -> bytes:
    """One random mutation: flipped bytes, a cut, a repeated stretch, inserted noise or zeroed bytes."""
    data = bytearray(data)
    kind = int(rng.integers(5))
    if kind == 0:
        for _ in range(int(rng.integers(1, 9))):
            data[int(rng.integers(len(data)))] = int(rng.integers(256))
    elif kind == 1:
        data = data[: int(rng.integers(1, len(data)))]
    elif kind == 2:
        start = int(rng.integers(len(data)))
        data[start:start] = data[start : start + int(rng.integers(1, 200))] * int(rng.integers(2, 20))
    elif kind == 3:
        start = int(rng.integers(len(data)))
        data[start:start] = rng.integers(0, 256, int(rng.integers(1, 64)), dtype=np.uint8).tobytes()
    else:
        start = int(rng.integers(len(data)))
        data[start : start + int(rng.integers(1, 64))] = bytes(min(64, len(data) - start))
    return bytes(data)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


IMAGE = draw_digit(6, 64, seed=1)
FORMATS = {
    "PNG": encode(IMAGE, "PNG"),
    "JPEG": encode(IMAGE.convert("RGB"), "JPEG", quality=85),
    "GIF": encode(IMAGE.convert("P"), "GIF"),
    "BMP": encode(IMAGE, "BMP"),
    "WEBP": encode(IMAGE.convert("RGB"), "WEBP"),
    "TIFF": encode(IMAGE, "TIFF"),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_mutated_images_give_a_reading_or_one_sentence(fmt):
    rng = np.random.default_rng(list(map(ord, fmt)))
    before = peak_mb()
    for index in range(MUTATIONS):
        data = mutate(FORMATS[fmt], rng)
        started = time.monotonic()
        try:
            prepared = preprocess_bytes(data)
            assert prepared.tensor.shape == (1, 1, 28, 28) and torch.isfinite(prepared.tensor).all()
        except InputError as error:
            message = str(error)
            assert message and "\n" not in message and "Traceback" not in message, (index, message)
        assert time.monotonic() - started < SECONDS, f"mutation {index} took too long"
    assert peak_mb() - before < GROWTH_MB


def test_mutated_weights_give_a_model_that_answers_or_one_sentence():
    data = checkpoints.to_bytes(build_model(ModelConfig(conv_channels=(4,), hidden_units=16), seed=0))
    rng = np.random.default_rng(7)
    image = torch.zeros(1, 1, 28, 28)
    before = peak_mb()
    for index in range(3 * MUTATIONS):
        mutated = mutate(data, rng)
        started = time.monotonic()
        try:
            model = checkpoints.from_bytes(mutated, "fuzzed.safetensors")
            with torch.no_grad():
                assert torch.isfinite(model(image)).all(), index
        except InputError as error:
            assert str(error) and "\n" not in str(error), (index, str(error))
        assert time.monotonic() - started < SECONDS, f"mutation {index} took too long"
    assert peak_mb() - before < GROWTH_MB
