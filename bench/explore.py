"""Benchmark the Explore page for one image: forward pass, figure building and a full page rerun.

    python bench/explore.py [--json] [--repeats N]

All three are measured in the same run; medians in milliseconds.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from cnnviz import checkpoints  # noqa: E402
from cnnviz.arithmetic import class_contributions, conv_pixel, pool_window  # noqa: E402
from cnnviz.features import ActivationCapture, max_pool_winners  # noqa: E402
from cnnviz.preprocess import preprocess_bytes  # noqa: E402
from cnnviz.samples import list_samples  # noqa: E402
from cnnviz.viz import feature_maps_figure, filters_figure, input_figure, pooling_figure, probabilities_figure  # noqa: E402
from cnnviz.viz.arithmetic import clickable_map, contributions_figure, number_grid  # noqa: E402


def median_ms(action, repeats: int) -> float:
    """Median wall time of action() in milliseconds, after one warm-up call."""
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def build_all_figures(model, activations, tensor):
    """Every figure the Explore page shows for one image (filters included, though the page caches them)."""
    figures = [input_figure(tensor[0, 0].numpy())]
    for block in model.blocks():
        name = block.conv
        layer = getattr(model, name)
        relu = activations[block.relu]
        figures += [
            filters_figure(layer.weight.detach().numpy(), layer.bias.detach().numpy(), name),
            feature_maps_figure(activations[name], name, signed=True),
            feature_maps_figure(relu, name, signed=False),
            pooling_figure(relu, max_pool_winners(relu), name),
            feature_maps_figure(activations[block.pool], name, signed=False),
        ]
    figures.append(probabilities_figure(activations[model.head.logits], activations["probabilities"]))
    # section 5, "how one number is computed", for one cell of layer 1
    pixel = conv_pixel(model, activations, tensor, "conv1", 0, 14, 14)
    window = pool_window(activations, model.blocks()[0], 0, 7, 7)
    figures += [clickable_map(activations["conv1"][0], "map", (14, 14), signed=True)]
    figures += [
        number_grid(values, "grid", pixel.top, pixel.left)
        for values in (pixel.patch[0], pixel.kernel[0], pixel.products[0])
    ]
    figures += [number_grid(window.values, "window", signed=False, marked=window.kept)]
    figures.append(contributions_figure(class_contributions(model, activations, 2).terms, 2))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--json", action="store_true", help='print {"forward_ms": ..., "figures_ms": ..., "rerun_ms": ...}'
    )
    parser.add_argument("--repeats", type=int, default=30, help="timed repetitions of each measurement")
    args = parser.parse_args()
    torch.set_num_threads(2)

    from streamlit.testing.v1 import AppTest

    sample = next(s for s in list_samples() if s.kind == "photo")
    model = checkpoints.load_bundled()
    capture = ActivationCapture(model)
    tensor = preprocess_bytes(sample.path.read_bytes()).tensor
    activations = capture(tensor)

    forward_ms = median_ms(lambda: capture(tensor), args.repeats)
    figures_ms = median_ms(lambda: build_all_figures(model, activations, tensor), args.repeats)
    page = AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=120).run()
    page.selectbox(key="sample").set_value(sample.title).run()
    rerun_ms = median_ms(page.run, args.repeats)

    result = {"forward_ms": round(forward_ms, 2), "figures_ms": round(figures_ms, 2), "rerun_ms": round(rerun_ms, 2)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"image: {sample.path.name}, {args.repeats} repeats, medians, threads {torch.get_num_threads()}")
        print(f"forward pass with capture of every layer  {forward_ms:8.2f} ms")
        print(
            f"building all {len(build_all_figures(model, activations, tensor))} figures"
            f"               {figures_ms:8.2f} ms"
        )
        print(f"full Explore page rerun (AppTest)          {rerun_ms:8.2f} ms   (target <= 100 ms)")


if __name__ == "__main__":
    main()
