"""How well a model reads what students bring, and how honest its confidence is.

    python bench/reading.py [--model WEIGHTS] [--mnist-dir DIR] [--json] [--per-set N]

Sets (none of them seen in training: other seeds, and MNIST's test set, which is for evaluation only):
- mnist-test: the official MNIST test set as it is (needs --mnist-dir).
- many-writers: MNIST test digits rewritten with thick pens, scanned small, dark on light (needs --mnist-dir).
- mouse-drawn: generated digits of every style, drawn on the canvas.
- small-on-a-page: JPEG photos of a page (640 x 480 to 1600 x 1200) with one digit 110-300 pixels tall.
- photo-like: generated digits photographed on paper.
- font-digits: digits typed in the machine's fonts and printed on paper (fonts are never used for training).
- not-digits: generated letters, shapes, scribbles and patterned paper, and letters typed in fonts.
For each: accuracy, the share flagged "unsure" or "not a digit", and for digits the most confused pairs.
"""

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from cnnviz.data import corpus, media
from cnnviz.data.glyphs import DIGIT_STYLES
from cnnviz.data.handwriting import Writer, draw_glyph, encode
from cnnviz.data.mnist import load_mnist_test, normalize
from cnnviz.errors import InputError
from cnnviz.insight.calibration import expected_calibration_error
from cnnviz.insight.verdict import DIGIT, answer_probabilities, verdict
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints

ROOT = Path(__file__).resolve().parent.parent

FONT_DIRS = [Path("/usr/share/fonts/truetype")]
LETTERS = "ABCDEFGHJKLMNPRTUVWXYabdefhkmnrtuvwxy#%&@?+=*"


def fonts() -> list[Path]:
    """TrueType fonts on this machine (none on a bare CI machine: the font sets are then empty)."""
    return sorted(path for folder in FONT_DIRS if folder.exists() for path in folder.rglob("*.ttf"))


def typed(text: str, font: Path, rng: np.random.Generator) -> Image.Image:
    """One character typed in a font, printed on paper (dark on light), a little rotated."""
    size = int(rng.integers(40, 160))
    face = ImageFont.truetype(str(font), size)
    image = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(image).text((size // 2, size // 4), text, font=face, fill=255)
    coverage = np.asarray(image.rotate(rng.uniform(-8, 8), resample=Image.Resampling.BILINEAR), dtype=np.float32) / 255
    return media.ink_on_paper(coverage, rng)


def read_pictures(pictures: list) -> list[torch.Tensor | None]:
    """The network input of each picture (PIL image or encoded bytes), None where the app refuses it."""
    inputs = []
    for picture in pictures:
        if isinstance(picture, bytes):
            try:
                inputs.append(torch.from_numpy(preprocess_bytes(picture).pixels))
            except InputError:
                inputs.append(None)
        else:
            pixels = corpus.read(picture)
            inputs.append(None if pixels is None else torch.from_numpy(pixels.astype(np.float32) / 255))
    return inputs


def small_on_pages(count: int, seed: int) -> tuple[list[bytes], list[int]]:
    """JPEG photos of big pages, each with one digit 110-300 pixels tall, centred or off to a side."""
    files, labels = [], []
    for index in range(count):
        rng = np.random.default_rng([seed, index])
        digit = index % 10
        glyph = list(DIGIT_STYLES[digit].values())[int(rng.integers(len(DIGIT_STYLES[digit])))]
        width = int(rng.choice([640, 800, 1024, 1280, 1600]))
        height = width * 3 // 4
        side = int(rng.integers(110, 301))
        coverage = draw_glyph(glyph, side, Writer.random(rng, pen=float(rng.uniform(0.05, 0.12))), rng, margin=0.02)
        files.append(encode(media.photo(coverage, (width, height), rng), "JPEG", quality=85))
        labels.append(digit)
    return files, labels


def score(model, images: list[torch.Tensor | None], labels: list[int]) -> dict:
    """Accuracy, flagged share, calibration and confusions over a set (labels -1: not digits)."""
    kept = [(image, label) for image, label in zip(images, labels) if image is not None]
    refused = len(images) - len(kept)
    if not kept:
        return {"n": len(images), "refused": refused}
    batch = normalize(torch.stack([image for image, _ in kept]).float())
    with torch.no_grad():
        probabilities = torch.softmax(model(batch), dim=1).numpy()
    truth = np.array([label for _, label in kept])
    answers = np.stack([answer_probabilities(p, model.classes) for p in probabilities])  # the ten digits alone
    predicted = answers.argmax(axis=1)
    verdicts = [verdict(p, model.classes).kind for p in probabilities]
    flagged = np.array([v != DIGIT for v in verdicts])
    result = {"n": len(images), "refused": refused, "flagged": round((int(flagged.sum()) + refused) / len(images), 4)}
    if (truth >= 0).all():
        right = predicted == truth
        result["accuracy"] = round(float(right.sum()) / len(images), 4)  # refusals count as wrong
        result["ece"] = round(expected_calibration_error(probabilities[:, : answers.shape[1]], truth), 4)
        result["per_class"] = {d: round(float(right[truth == d].mean()), 3) for d in range(10) if (truth == d).any()}
        pairs = Counter((int(t), int(p)) for t, p in zip(truth, predicted) if t != p)
        result["confused"] = [f"{t}->{p}: {n}" for (t, p), n in pairs.most_common(5)]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="safetensors weights (default: the bundled model)")
    parser.add_argument("--mnist-dir", type=Path, help="folder with the MNIST test set's IDX files")
    parser.add_argument("--per-set", type=int, default=1000, help="items in each generated set")
    parser.add_argument("--seed", type=int, default=9000, help="seed of the generated sets (training uses others)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    torch.set_num_threads(2)
    model = checkpoints.load(args.model) if args.model else checkpoints.load_bundled()
    n, seed = args.per_set, args.seed
    results = {}

    if args.mnist_dir:
        test = load_mnist_test(args.mnist_dir)
        results["mnist-test"] = score(model, list(test.images.float() / 255), test.labels.tolist())
        subset = torch.randperm(len(test), generator=torch.Generator().manual_seed(seed))[:n]
        x, y = corpus.mnist_on_media(
            test.images[subset], test.labels[subset], seed=seed, workers=2, media_used=("scan", "marker", "paper")
        )
        results["many-writers"] = score(model, list(x.float() / 255), y.tolist())
    x, y = corpus.handwriting(n, seed=seed + 1, workers=2, media_used=("canvas",))
    results["mouse-drawn"] = score(model, list(x.float() / 255), y.tolist())
    files, labels = small_on_pages(max(50, n // 10), seed + 2)
    results["small-on-a-page"] = score(model, read_pictures(files), labels)
    x, y = corpus.handwriting(n, seed=seed + 3, workers=2, media_used=("photo",))
    results["photo-like"] = score(model, list(x.float() / 255), y.tolist())
    rng = np.random.default_rng(seed + 4)
    faces = fonts()
    if faces:
        digits = [int(d) for d in rng.integers(0, 10, n)]
        results["font-digits"] = score(
            model, read_pictures([typed(str(d), faces[int(rng.integers(len(faces)))], rng) for d in digits]), digits
        )
    others = list(corpus.not_digits(n, seed=seed + 5, workers=2).float() / 255)
    if faces:
        letters = [
            typed(LETTERS[int(rng.integers(len(LETTERS)))], faces[int(rng.integers(len(faces)))], rng)
            for _ in range(n // 2)
        ]
        others += read_pictures(letters)
    results["not-digits"] = score(model, others, [-1] * len(others))

    if args.json:
        print(json.dumps(results))
        return
    for name, result in results.items():
        line = f"{name:16s} n={result['n']:6d}"
        if "accuracy" in result:
            line += f"  accuracy {result['accuracy']:.2%}  flagged {result['flagged']:.1%}  ECE {result['ece']:.3f}"
            line += f"  confused {', '.join(result['confused'][:3])}"
        else:
            line += f"  flagged as unsure or not a digit {result['flagged']:.1%}"
        print(line)


if __name__ == "__main__":
    main()
