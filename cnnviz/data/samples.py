"""The bundled sample images: one drawn digit per class, a few photos of digits on paper, and two unclear digits.

Regenerate them with `python -m cnnviz.data.samples` (they are drawn by cnnviz.data.handwriting).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from cnnviz.data.glyphs import line
from cnnviz.data.handwriting import draw_by_hand, draw_digit, encode, photo_of_digit

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "assets" / "samples"
KINDS = {
    "pen": "drawn with a pen",
    "chalk": "white on black",
    "photo": "photo of paper",
    "unclear": "written unclearly",
}
PHOTO_DIGITS = (2, 3, 4, 7, 9)
CHALK_DIGITS = (1, 5, 8)
# Digits written between two readings, so "probably a 4, maybe a 9" and the temperature slider have something to
# show: digit -> (the digit it could also be, its strokes, the writer's seed). The seeds were picked by reading
# the drawings with the bundled model (tests/test_samples_are_read_right.py checks the pair it names).
UNCLEAR = {
    4: (9, [line((0.62, 0.2), (0.34, 0.24), (0.3, 0.5), (0.74, 0.5)), line((0.68, 0.08), (0.64, 0.92))], 0),
    1: (7, [line((0.44, 0.14), (0.64, 0.1), (0.54, 0.9))], 1),
}


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
    """Samples named digit_<label>_<kind>.<ext>, ordered by label then kind, the unclear ones last."""
    samples = []
    for path in sorted(directory.glob("digit_*")):
        match = re.fullmatch(r"digit_(\d)_(\w+)\.\w+", path.name)
        if match:
            samples.append(Sample(int(match[1]), match[2], path))
    kinds = list(KINDS)
    return sorted(samples, key=lambda s: (s.kind == "unclear", s.label, kinds.index(s.kind) if s.kind in kinds else 99))


def default_sample(samples: list[Sample] | None = None) -> Sample:
    """The sample shown first: a photo of a 3 on paper, the kind of image students bring."""
    samples = samples if samples is not None else list_samples()
    return next((s for s in samples if (s.label, s.kind) == (3, "photo")), samples[0])


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
    for d, (_, strokes, seed) in UNCLEAR.items():
        files[f"digit_{d}_unclear.png"] = encode(draw_by_hand(strokes, 200, seed), "PNG", optimize=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return [directory / name for name in files]


if __name__ == "__main__":
    for written in make_samples():
        print(written)
