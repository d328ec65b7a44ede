"""Live training charts: loss per batch, loss and accuracy per epoch, gradient sizes per layer."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.colors import DEFAULT
from cnnviz.train import EpochEnd
from cnnviz.viz.figure import base_layout, make_figure

MAX_POINTS = 2000  # raw points drawn per line; longer runs are thinned (the smoothed line uses every batch)
LEGEND = {"x": 0.99, "y": 0.99, "xanchor": "right", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.7)"}
LAYER_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]  # Okabe-Ito


def smooth(values: list[float] | np.ndarray, weight: float = 0.95) -> np.ndarray:
    """Exponential moving average with start-up bias correction (as TensorBoard draws it)."""
    values = np.asarray(values, dtype=np.float64)
    out = np.empty_like(values)
    average = 0.0
    for i, value in enumerate(values):
        average = weight * average + (1 - weight) * value
        out[i] = average / (1 - weight ** (i + 1))
    return out


def _thin(steps: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    stride = max(1, len(values) // MAX_POINTS)
    return steps[::stride], values[::stride]


def loss_figure(losses: list[float], batches_per_epoch: int) -> go.Figure:
    """Training loss after every batch (thin) and smoothed (thick), against the batch number."""
    steps = np.arange(1, len(losses) + 1)
    raw_x, raw_y = _thin(steps, np.asarray(losses))
    smooth_x, smooth_y = _thin(steps, smooth(losses))
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": raw_x,
            "y": raw_y,
            "name": "each batch",
            "line": {"color": "#9ECAE1", "width": 1},
            "hovertemplate": "batch %{x}<br>loss %{y:.3f}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": smooth_x,
            "y": smooth_y,
            "name": "smoothed",
            "line": {"color": DEFAULT.base, "width": 3},
            "hovertemplate": "batch %{x}<br>smoothed loss %{y:.3f}<extra></extra>",
        },
    ]
    layout = base_layout(
        "Loss after every batch",
        380,
        xaxis={
            "title": {"text": f"batch ({batches_per_epoch} per epoch)" if batches_per_epoch else "batch"},
            "rangemode": "tozero",
        },
        yaxis={"title": {"text": "cross-entropy loss"}, "rangemode": "tozero"},
        legend=LEGEND,
    )
    return make_figure(data, layout)


def epochs_figure(epochs: list[EpochEnd]) -> go.Figure:
    """Loss (left) and accuracy (right) per epoch, on the training and the validation digits."""
    x = [e.epoch for e in epochs]

    def line(values, name, colour, axis, dash="solid"):
        suffix = "" if axis == 1 else str(axis)
        fmt = ".3f" if axis == 1 else ".2%"
        return {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": values,
            "name": name,
            "xaxis": f"x{suffix}",
            "yaxis": f"y{suffix}",
            "line": {"color": colour, "width": 3, "dash": dash},
            "marker": {"size": 9},
            "legendgroup": name,
            "showlegend": axis == 1,
            "hovertemplate": f"epoch %{{x}}<br>{name} %{{y:{fmt}}}<extra></extra>",
        }

    has_val = bool(epochs) and epochs[0].val_loss is not None
    data = [
        line([e.train_loss for e in epochs], "training", DEFAULT.base, 1),
        line([e.train_accuracy for e in epochs], "training", DEFAULT.base, 2),
    ]
    if has_val:
        data += [
            line([e.val_loss for e in epochs], "validation", DEFAULT.highlight, 1, "dash"),
            line([e.val_accuracy for e in epochs], "validation", DEFAULT.highlight, 2, "dash"),
        ]
    layout = base_layout(
        "Per epoch: training vs validation",
        380,
        xaxis={"domain": [0, 0.44], "title": {"text": "epoch"}, "dtick": 1},
        yaxis={"title": {"text": "loss"}, "rangemode": "tozero"},
        xaxis2={"domain": [0.56, 1], "title": {"text": "epoch"}, "dtick": 1, "anchor": "y2"},
        yaxis2={"title": {"text": "accuracy"}, "tickformat": ".0%", "anchor": "x2"},
        legend={**LEGEND, "x": 0.43},  # inside the loss panel, which falls away from its top right
    )
    return make_figure(data, layout)


def grad_norms_figure(grad_norms: dict[str, list[float]]) -> go.Figure:
    """Size (L2 norm) of each layer's weight gradient per batch, smoothed, on a log scale."""
    data = []
    for colour, (layer, norms) in zip(LAYER_COLOURS * 4, grad_norms.items()):
        x, y = _thin(np.arange(1, len(norms) + 1), smooth(norms, 0.9))
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": x,
                "y": y,
                "name": layer,
                "line": {"color": colour, "width": 3},
                "hovertemplate": f"{layer}<br>batch %{{x}}<br>gradient size %{{y:.4f}}<extra></extra>",
            }
        )
    layout = base_layout(
        "Gradient size per layer (what backpropagation sends back)",
        380,
        xaxis={"title": {"text": "batch"}},
        yaxis={"title": {"text": "gradient L2 norm (log scale)"}, "type": "log"},
        legend=LEGEND,
    )
    return make_figure(data, layout)
