"""Teach a trained digit network new classes from a few examples: transfer learning, and the same from scratch.

Transfer keeps the conv layers of the digit model exactly as they are (frozen) and trains only a new
classifier head on the features they extract; from scratch trains the same network, every layer,
from random weights on the same few examples. Both see every example many times, randomly warped
(the Train page's augmentation), so a handful per class is enough to learn from.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.data.mnist import augment, normalize
from cnnviz.errors import InputError
from cnnviz.network.classes import check_class_names
from cnnviz.network.model import Network, build_model
from cnnviz.network.walk import forward_to
from cnnviz.reading.decode import MAX_FILE_BYTES
from cnnviz.reading.files import read_limited
from cnnviz.reading.preprocess import preprocess_bytes

STEPS = 150  # steps of learning: each on up to BATCH examples, freshly warped
BATCH = 64
LEARNING_RATE = 3e-3
MIN_EXAMPLES = 3  # per class, to teach at all
CURVE_POINTS = 5  # examples-per-class counts the learning curve tries, at most
MAX_EXAMPLES = 50  # per class read from a folder: teaching stays a matter of seconds
READY_MADE = ("diamond", "square", "triangle", "house")  # alike enough that learning from scratch struggles
READY_PER_CLASS = 6


@dataclass(frozen=True)
class Examples:
    """A few labelled drawings of new classes, as network inputs."""

    images: torch.Tensor  # (N, 28, 28) float in [0, 1], ink bright (what preprocessing gives)
    labels: torch.Tensor  # (N,) int64 indices into classes
    classes: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, indices) -> "Examples":
        indices = torch.as_tensor(indices, dtype=torch.int64)
        return Examples(self.images[indices], self.labels[indices], self.classes)

    def split(self, held_out_per_class: int, seed: int = 0) -> tuple["Examples", "Examples"]:
        """(to learn from, to test on): held_out_per_class examples of each class kept back, chosen at random."""
        generator = torch.Generator().manual_seed(seed)
        learn, test = [], []
        for label in range(len(self.classes)):
            mine = torch.nonzero(self.labels == label).flatten()
            mine = mine[torch.randperm(len(mine), generator=generator)]
            test += mine[:held_out_per_class].tolist()
            learn += mine[held_out_per_class:].tolist()
        return self.subset(learn), self.subset(test)

    def first(self, per_class: int) -> "Examples":
        """The first per_class examples of each class."""
        keep = [
            i for label in range(len(self.classes)) for i in torch.nonzero(self.labels == label).flatten()[:per_class]
        ]
        return self.subset(keep)


def ready_made_examples(seed: int = 11, per_class: int = READY_PER_CLASS) -> Examples:
    """Drawings of a diamond, a square, a triangle and a house by made-up writers (six each), prepared as any image."""
    from cnnviz.data.handwriting import symbols_by_many_writers  # imported here: only a ready-made set needs it
    from cnnviz.reading.preprocess import preprocess_image

    made = symbols_by_many_writers(READY_MADE, per_class, seed)
    images = [torch.from_numpy(preprocess_image(image).pixels) for name in READY_MADE for image in made[name]]
    labels = [label for label, name in enumerate(READY_MADE) for _ in made[name]]
    return Examples(torch.stack(images).float(), torch.tensor(labels, dtype=torch.int64), READY_MADE)


def check_examples(examples: Examples) -> None:
    """ValueError unless there are two or more classes with MIN_EXAMPLES examples each."""
    counts = np.bincount(examples.labels.numpy(), minlength=len(examples.classes))
    if len(examples.classes) < 2:
        raise ValueError("give at least two new classes")
    short = [name for name, count in zip(examples.classes, counts) if count < MIN_EXAMPLES]
    if short:
        raise ValueError(f"every class needs at least {MIN_EXAMPLES} examples; {', '.join(short)} has fewer")


def scratch_model(base: Network, classes: tuple[str, ...], seed: int = 0) -> Network:
    """The same network as base, for these classes, every layer from random weights."""
    return build_model(base.config.with_classes(classes), seed=seed)


def transfer_model(base: Network, classes: tuple[str, ...], seed: int = 0) -> Network:
    """A new model whose layers up to flatten hold copies of base's weights, frozen, and whose head (the layers
    after flatten, and the output) is new, for these classes."""
    model = scratch_model(base, classes, seed)
    for name, layer in model.named_children():
        layer.load_state_dict(getattr(base, name).state_dict())  # copies: base stays apart
        layer.requires_grad_(False)
        if name == model.flatten_name:
            break
    return model


def frozen_front(model: Network) -> int:
    """How many of the model's first layers have no trainable weights (frozen, or none at all): their output
    for an input never changes while the rest learns."""
    count = 0
    for layer in model.children():
        if any(p.requires_grad for p in layer.parameters()):
            break
        count += 1
    return count


def fit(model: Network, examples: Examples, steps: int = STEPS, seed: int = 0, keep_going=lambda: True) -> Network:
    """Train the model's trainable parameters on the examples: each step, up to BATCH of them, freshly warped.

    The frozen layers at the front (transfer learning's conv layers) are run once, on every warped
    batch together, before the steps: the same numbers as running them at each step, in a fraction
    of the time. Stops early, keeping what it learned, when keep_going() turns False.
    """
    generator = torch.Generator().manual_seed(seed)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=LEARNING_RATE, weight_decay=1e-3)
    layers = list(model.children())
    front, back = (
        torch.nn.Sequential(*layers[: frozen_front(model)]),
        torch.nn.Sequential(*layers[frozen_front(model) :]),
    )
    batches = []
    for _ in range(steps):
        chosen = (
            examples
            if len(examples) <= BATCH
            else examples.subset(torch.randperm(len(examples), generator=generator)[:BATCH])
        )
        batches.append((augment(chosen.images, generator), chosen.labels))
    model.eval()  # frozen layers keep their running statistics and never drop out
    with torch.no_grad():
        inputs = front(normalize(torch.cat([images for images, _ in batches])))  # (steps x B, ...) features
    back.train()
    start = 0
    for _, labels in batches:
        if not keep_going():
            break
        features = inputs[start : start + len(labels)]
        start += len(labels)
        loss = F.cross_entropy(back(features), labels)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
    return model.eval()


@torch.no_grad()
def accuracy(model: Network, examples: Examples) -> float:
    """Share of the examples the model names right."""
    if not len(examples):
        return float("nan")
    return float((model.eval()(normalize(examples.images)).argmax(dim=1) == examples.labels).float().mean())


def curve_sizes(learned: Examples) -> list[int]:
    """The examples-per-class counts a learning curve tries: 1 up to all of the fewest class's, at most CURVE_POINTS."""
    fewest = int(np.bincount(learned.labels.numpy(), minlength=len(learned.classes)).min())
    return sorted({int(n) for n in np.linspace(1, fewest, min(CURVE_POINTS, fewest))})


def read_folder(directory: Path) -> tuple[Examples, list[dict]]:
    """Examples from one folder per class (the folder's name is the class name), and each file that was refused."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"{directory} is not a folder: give one holding a folder of examples per new class.")
    folders = sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith("."))
    classes = tuple(folder.name for folder in folders)
    try:
        check_class_names(classes)  # the names must make a valid model: 2 to 100, each 1 to 40 characters
    except ValueError as error:
        raise InputError(f"{directory}: the class folders' names do not fit ({error}).") from None
    images, labels, refused = [], [], []
    for label, folder in enumerate(folders):
        files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        for path in files[:MAX_EXAMPLES]:
            try:
                images.append(torch.from_numpy(preprocess_bytes(read_limited(path, MAX_FILE_BYTES, "images")).pixels))
                labels.append(label)
            except InputError as error:
                refused.append({"file": str(path), "error": str(error)})
    if not images:
        raise InputError(f"{directory}: no readable example images in its class folders.")
    examples = Examples(torch.stack(images), torch.tensor(labels, dtype=torch.int64), classes)
    try:
        check_examples(examples)
    except ValueError as error:
        raise InputError(f"{directory}: {error}.") from None
    return examples, refused


def class_names(text: str) -> tuple[str, ...]:
    """Class names typed with commas between them; ValueError in words unless they make a valid model."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    check_class_names(names)  # 2 to 100 different, visible names of 1 to 40 characters, or ValueError saying so
    return names


@torch.no_grad()
def class_features(model: Network, examples: Examples, count: int = 40) -> tuple[np.ndarray, list[str]]:
    """What the frozen layers hand the new head: (classes, count) class means of the features that differ most,
    and where each sits in the last pooled maps ("channel 3, 2, 1": channel, row, column)."""
    features = forward_to(model, normalize(examples.images), model.features)
    maps, features = features.shape[1:], features.flatten(1)
    means = np.stack([features[examples.labels == c].mean(dim=0).numpy() for c in range(len(examples.classes))])
    chosen = np.argsort(-means.std(axis=0), kind="stable")[:count]
    places = [f"channel {c}, {r}, {k}" for c, r, k in zip(*np.unravel_index(chosen, tuple(maps)))]
    return means[:, chosen], places
