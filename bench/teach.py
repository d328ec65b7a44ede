"""Transfer learning from the command line: time to teach four new symbols, and how many new drawings it names.

    python bench/teach.py [--per-class 5] [--held-out 20] [--json]

Four hand-drawn symbol classes (star, heart, spiral, lightning) by made-up writers, a few examples
each, are taught with `python -m cnnviz teach` in a fresh process (the time includes Python and
PyTorch starting); then other writers' drawings, never shown to it, are read with `predict`.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.teaching_corpus import drawings, write_folder

ROOT = Path(__file__).resolve().parent.parent


def cnnviz(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cnnviz", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-class", type=int, default=5, help="examples taught per class")
    parser.add_argument("--held-out", type=int, default=20, help="new drawings per class to name")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        examples = write_folder(root / "examples", drawings(args.per_class, seed=1))
        held_out = write_folder(root / "held_out", drawings(args.held_out, seed=2))
        started = time.perf_counter()
        taught = cnnviz("teach", examples, "--out", root / "taught.safetensors", "--json")
        seconds = time.perf_counter() - started
        if taught.returncode:
            sys.exit(taught.stdout + taught.stderr)
        files = sorted(held_out.glob("*/*.png"))
        answers = json.loads(cnnviz("predict", *files, "--model", root / "taught.safetensors", "--json").stdout)
        right = sum(answer.get("label") == path.parent.name for path, answer in zip(files, answers))
    result = {
        "classes": 4,
        "examples_per_class": args.per_class,
        "teach_seconds": round(seconds, 2),
        "teach_seconds_inside": json.loads(taught.stdout)["seconds"],
        "held_out": len(files),
        "named_right": right,
        "accuracy": round(right / len(files), 4),
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
