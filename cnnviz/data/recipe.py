"""What the bundled model learns from: MNIST digits, the same on other media, generated handwriting, non-digits.

MNIST's 5,000-digit sample alone is narrow: neat pen strokes, one writer population, always a
digit. The recipe adds each training digit again on random media (marker, pencil, chalk, a photo
of a page, a small scan, the canvas), digits of every style from cnnviz.data.handwriting, and letters,
shapes, scribbles and patterned paper that the model learns to give equal odds. Validation digits
are held out before anything is made from them. No font-rendered digits and no other digit data
set are used: independent checks are built from such sources.
"""

from dataclasses import dataclass, replace

import torch

from cnnviz.data import corpus
from cnnviz.data.mnist import Digits, split


@dataclass(frozen=True)
class DataRecipe:
    """How much of each kind of training data; the defaults make the bundled model."""

    mnist_repeats: int = 5  # each MNIST training digit appears this many times per epoch as it is (they are the core)
    media_copies: int = 2  # each MNIST training digit is also put on this many random media
    handwriting: int = 10_000  # generated digits, every style, every medium
    not_digits: int = 6_000  # letters, shapes, scribbles and patterned paper, trained towards equal odds
    val_handwriting: int = 1_500  # generated digits held out for validation (and calibration)
    seed: int = 0  # seeds every generated item

    def scaled(self, fraction: float) -> "DataRecipe":
        """The same recipe with every generated amount scaled (a quick check of the whole set-up)."""
        return replace(
            self,
            handwriting=round(self.handwriting * fraction),
            not_digits=round(self.not_digits * fraction),
            val_handwriting=round(self.val_handwriting * fraction),
        )


@dataclass(frozen=True)
class TrainingData:
    """Everything one training run reads."""

    train: Digits
    val: Digits
    outliers: torch.Tensor  # (N, 28, 28) uint8 non-digits


def _joined(parts: list[tuple[torch.Tensor, torch.Tensor]], source: str) -> Digits:
    return Digits(torch.cat([images for images, _ in parts]), torch.cat([labels for _, labels in parts]), source)


def training_data(
    digits: Digits, recipe: DataRecipe, val_fraction: float, split_seed: int, workers: int = 2, log=lambda message: None
) -> TrainingData:
    """The training digits, validation digits and non-digits the recipe makes from a set of MNIST digits."""
    train, val = split(digits, val_fraction, split_seed)
    seed = recipe.seed * 1000
    train_parts = [(train.images, train.labels)] * max(1, recipe.mnist_repeats)
    val_parts = [(val.images, val.labels)]
    for copy in range(recipe.media_copies):
        log(f"putting {len(train):,} MNIST digits on other media ({copy + 1} of {recipe.media_copies})")
        train_parts.append(corpus.mnist_on_media(train.images, train.labels, seed=seed + 100 + copy, workers=workers))
    if recipe.media_copies and len(val):
        val_parts.append(corpus.mnist_on_media(val.images, val.labels, seed=seed + 400, workers=workers))
    if recipe.handwriting:
        log(f"writing {recipe.handwriting:,} digits in many styles")
        train_parts.append(corpus.handwriting(recipe.handwriting, seed=seed + 200, workers=workers))
    if recipe.val_handwriting and len(val):
        val_parts.append(corpus.handwriting(recipe.val_handwriting, seed=seed + 500, workers=workers))
    outliers = torch.zeros(0, 28, 28, dtype=torch.uint8)
    if recipe.not_digits:
        log(f"drawing {recipe.not_digits:,} letters, shapes, scribbles and patterned pages")
        outliers = corpus.not_digits(recipe.not_digits, seed=seed + 300, workers=workers)
    extra = sum(len(labels) for _, labels in train_parts[max(1, recipe.mnist_repeats) :])
    train_set = _joined(train_parts, f"{train.source}, plus {extra:,} digits on other media and in other styles")
    val_set = _joined(val_parts, f"{val.source}, with the same on other media and in other styles") if len(val) else val
    return TrainingData(train_set, val_set, outliers)
