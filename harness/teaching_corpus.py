"""Hand-drawn symbols of new classes, made up by cnnviz.data.handwriting: what a class might teach the network."""

from pathlib import Path

import torch

from cnnviz.data.handwriting import encode, symbols_by_many_writers
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training.transfer import Examples

SYMBOLS = ("star", "heart", "spiral", "lightning")


def drawings(per_class: int, seed: int, names=SYMBOLS) -> dict[str, list[bytes]]:
    """PNG files of each symbol, each by a different random writer, dark on light at 120-300 pixels."""
    made = symbols_by_many_writers(names, per_class, seed)
    return {name: [encode(image, "PNG") for image in images] for name, images in made.items()}


def write_folder(root: Path, made: dict[str, list[bytes]]) -> Path:
    """One folder per class under root, as `python -m cnnviz teach` reads them."""
    for name, files in made.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(files):
            (root / name / f"{name}_{i}.png").write_bytes(data)
    return root


def as_examples(made: dict[str, list[bytes]]) -> Examples:
    """The drawings read as the app reads them."""
    images, labels = [], []
    for label, files in enumerate(made.values()):
        for data in files:
            images.append(torch.from_numpy(preprocess_bytes(data).pixels))
            labels.append(label)
    return Examples(torch.stack(images), torch.tensor(labels), tuple(made))
