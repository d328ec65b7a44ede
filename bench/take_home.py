"""How often the exported model.py gives the app's answer, on photos, drawings and non-digits our own code makes.

    python bench/take_home.py [--per-set N] [--model WEIGHTS] [--json]

Exports the model, writes each picture as an image file, runs `python model.py FILES --json` and
`python -m cnnviz predict FILES --json`, and prints per set: the share with the same digit (digits),
the share both call "not a digit" among those predict calls so (non-digits), and whole-answer agreement.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from cnnviz.data import corpus
from cnnviz.data.glyphs import DIGIT_STYLES
from cnnviz.data.handwriting import encode
from cnnviz.training import checkpoints

SETS = {  # set name: (kind of picture, media it is made on)
    "photos": ("handwriting", ("photo", "paper", "scan")),
    "drawings": ("handwriting", ("canvas", "marker", "pencil", "chalk")),
    "not-digits": ("other", ("photo", "paper", "scan", "canvas")),
}


def picture(kind: str, media: tuple[str, ...], index: int, seed: int) -> bytes:
    """One picture as PNG or JPEG bytes, made by the same generators the training recipe uses (other seeds)."""
    rng = np.random.default_rng([seed, corpus.KINDS[kind], index])
    medium = media[int(rng.integers(len(media)))]
    if kind == "handwriting":
        digit = index % 10
        glyph = list(DIGIT_STYLES[digit].values())[int(rng.integers(len(DIGIT_STYLES[digit])))]
    else:
        glyph = corpus.scribble(rng)
    made = corpus._picture(corpus._coverage(glyph, rng, medium), rng, medium)
    if isinstance(made, np.ndarray):  # a canvas drawing: RGBA pixels
        made = Image.fromarray(made)
    return encode(made, "JPEG" if medium == "photo" and made.mode == "RGB" else "PNG", quality=85)


def run(command: list[str], cwd: Path) -> list[dict]:
    return json.loads(subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-set", type=int, default=300)
    parser.add_argument("--model", type=Path, default=checkpoints.BUNDLED_WEIGHTS)
    parser.add_argument("--seed", type=int, default=9300, help="seed of the pictures (training uses others)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        subprocess.run([sys.executable, "-m", "cnnviz", "export", str(args.model), "--out", str(folder / "home")])
        for name, (kind, media) in SETS.items():
            files = []
            for index in range(args.per_set):
                path = folder / f"{name}-{index}.img"
                path.write_bytes(picture(kind, media, index, args.seed))
                files.append(str(path))
            exported = run([sys.executable, str(folder / "home" / "model.py"), *files, "--json"], folder)
            app = run([sys.executable, "-m", "cnnviz", "predict", *files, "--model", str(args.model), "--json"], folder)
            same = [mine == theirs for mine, theirs in zip(exported, app, strict=True)]
            result = {"n": len(files), "same_answer": round(float(np.mean(same)), 4)}
            if kind == "handwriting":
                read = [(m.get("label"), a.get("label")) for m, a in zip(exported, app) if "label" in a]
                result["same_digit"] = round(float(np.mean([m == a for m, a in read])), 4)
            rejected = [
                m.get("verdict") == "not a digit" for m, a in zip(exported, app) if a.get("verdict") == "not a digit"
            ]
            result["same_not_a_digit"] = round(float(np.mean(rejected)), 4) if rejected else None
            result["predict_not_a_digit"] = len(rejected)
            results[name] = result
    if args.json:
        print(json.dumps(results))
        return
    for name, result in results.items():
        print(name, result)


if __name__ == "__main__":
    main()
