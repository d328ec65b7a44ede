"""The bundled sample images: one drawn digit per class plus a few photos of digits on paper.

Regenerate them with `python -m cnnviz.data.samples` (they are drawn by cnnviz.data.handwriting).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from cnnviz.data.handwriting import draw_digit, encode, photo_of_digit

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "assets" / "samples"
KINDS = {"pen": "drawn with a pen", "chalk": "white on black", "photo": "photo of paper"}
PHOTO_DIGITS = (2, 3, 4, 7, 9)
CHALK_DIGITS = (1, 5, 8)


@dataclass(frozen=True)
class Sample:
    """A sample image with the digit it shows."""

    label: int
    kind: str
    path: Path

    @property
    def title(self) -> str:
        """A name for menus, e.g. '7 - photo of paper'."""
        return f"{self.label} - {KINDS.get(self.kind, self.kind)}"


def list_samples(directory: Path = SAMPLES_DIR) -> list[Sample]:
    """Samples named digit_<label>_<kind>.<ext>, ordered by label then kind."""
    samples = []
    for path in sorted(directory.glob("digit_*")):
        match = re.fullmatch(r"digit_(\d)_(\w+)\.\w+", path.name)
        if match:
            samples.append(Sample(int(match[1]), match[2], path))
    return sorted(samples, key=lambda s: (s.label, list(KINDS).index(s.kind) if s.kind in KINDS else 99))


def make_samples(directory: Path = SAMPLES_DIR) -> list[Path]:
    """Draw and write every sample image; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {f"digit_{d}_pen.png": encode(draw_digit(d, 200, seed=d), "PNG", optimize=True) for d in range(10)}
    for d in CHALK_DIGITS:
        files[f"digit_{d}_chalk.png"] = encode(
            draw_digit(d, 200, seed=10 + d, ink=255, paper=0, pen=0.1), "PNG", optimize=True
        )
    for d in PHOTO_DIGITS:
        files[f"digit_{d}_photo.jpg"] = encode(photo_of_digit(d, seed=20 + d), "JPEG", quality=80)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return [directory / name for name in files]


if __name__ == "__main__":
    for written in make_samples():
        print(written)
