"""Benchmark the Explore page for one image: preprocessing, forward pass, first-screen figures and a page rerun.

    python bench/explore.py [--json] [--repeats N] [--model WEIGHTS]

All are measured in the same run; medians in milliseconds. --model measures another network (a preset
saved by `python -m cnnviz train --arch NAME`) instead of the bundled one, in the page as well.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from cnnviz.data import media
from cnnviz.data.handwriting import draw_digit, encode
from cnnviz.data.samples import list_samples
from cnnviz.network.arithmetic import conv_pixel, strongest_cell
from cnnviz.network.capture import ActivationCapture
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training import checkpoints
from cnnviz.viz.browser import Selection, overview
from cnnviz.viz.colors import DEFAULT
from cnnviz.viz.tables import number_table

ROOT = Path(__file__).resolve().parent.parent


def median_ms(action, repeats: int) -> float:
    """Median wall time of action() in milliseconds, after one warm-up call."""
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def build_first_screen(model, activations, tensor):
    """What Explore builds on its first screen: the overview's data and the open tab's arithmetic figures."""
    strongest = strongest_cell(activations[model.activated(model.conv_layers()[0])])
    selection = Selection(model.conv_layers()[0], *strongest)
    built = [overview(model, activations, tensor, DEFAULT, selection)]
    pixel = conv_pixel(model, activations, tensor, selection.layer, *strongest)
    built += [
        number_table(values[0], "grid", pixel.top, pixel.left) for values in (pixel.patch, pixel.kernel, pixel.products)
    ]
    return built


def big_photo() -> bytes:
    """A 12-megapixel JPEG photo of a page with one digit on it (4000 x 3000)."""
    rng = np.random.default_rng(0)
    coverage = draw_digit(4, 900, seed=3, pen=0.08)
    ink = np.asarray(coverage, dtype=np.float32) / 255
    return encode(media.photo(1 - ink, (4000, 3000), rng), "JPEG", quality=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"preprocess_12mp_ms": ..., "forward_ms": ..., "figures_ms": ..., "rerun_ms": ...}',
    )
    parser.add_argument("--repeats", type=int, default=30, help="timed repetitions of each measurement")
    parser.add_argument("--model", type=Path, help="a weights file to measure instead of the bundled model")
    args = parser.parse_args()
    torch.set_num_threads(2)

    from streamlit.testing.v1 import AppTest

    sample = next(s for s in list_samples() if s.kind == "photo")
    model = checkpoints.load(args.model) if args.model else checkpoints.load_bundled()
    capture = ActivationCapture(model)
    tensor = preprocess_bytes(sample.path.read_bytes()).tensor
    activations = capture(tensor)

    forward_ms = median_ms(lambda: capture(tensor), args.repeats)
    figures_ms = median_ms(lambda: build_first_screen(model, activations, tensor), args.repeats)
    photo = big_photo()
    preprocess_ms = median_ms(lambda: preprocess_bytes(photo), max(5, args.repeats // 3))
    page = AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=120)
    if args.model:  # the page's model picker, as opening the weights file on the page leaves it
        from ui import state
        from ui.models import model_entry

        name = f"Opened: {args.model.name}"
        page.session_state[state.SESSION_MODELS] = {name: model_entry(name, model)}
        page.session_state[state.MODEL] = page.session_state[state.MODEL_WIDGET] = name
    page.run()
    page.selectbox(key="sample").set_value(sample.title).run()
    rerun_ms = median_ms(page.run, args.repeats)
    shown = " ".join(c.value for c in page.caption).replace("\\", "")
    assert not page.exception and (not args.model or args.model.stem in shown), "the page used the model"

    result = {
        "preprocess_12mp_ms": round(preprocess_ms, 2),
        "forward_ms": round(forward_ms, 2),
        "figures_ms": round(figures_ms, 2),
        "rerun_ms": round(rerun_ms, 2),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"image: {sample.path.name}, {args.repeats} repeats, medians, threads {torch.get_num_threads()}")
        print(f"preprocessing a 12-megapixel JPEG photo   {preprocess_ms:8.2f} ms   (target < 30 ms)")
        print(f"forward pass with capture of every layer  {forward_ms:8.2f} ms")
        print(f"the first screen's overview and figures   {figures_ms:8.2f} ms")
        print(f"full Explore page rerun (AppTest)          {rerun_ms:8.2f} ms   (target <= 50 ms)")


if __name__ == "__main__":
    main()
