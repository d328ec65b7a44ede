"""Live training charts: loss per batch, loss and accuracy per epoch, gradient sizes per layer."""

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.colors import DEFAULT, GRAY
from cnnviz.viz.figure import base_layout, image_axes, make_figure, percent_axis, plain, plain_all
from cnnviz.viz.tiles import tile, tile_centres

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


def epochs_figure(epochs: list) -> go.Figure:  # EpochEnd records (cnnviz.training.engine)
    """Loss (left) and accuracy (right) per epoch, training vs validation digits; the loss gap shaded and named."""
    x = [e.epoch for e in epochs]

    def line(values, name, colour, axis, dash="solid", **more):
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
            "marker": {"size": 8},
            "legendgroup": name,
            "showlegend": axis == 1,
            "hovertemplate": f"epoch %{{x}}<br>{name} %{{y:{fmt}}}<extra></extra>",
            **more,
        }

    has_val = bool(epochs) and epochs[0].val_loss is not None
    data = [line([e.train_loss for e in epochs], "training", DEFAULT.base, 1)]
    annotations = []
    if has_val:
        gap_fill = {"fill": "tonexty", "fillcolor": "rgba(213,94,0,0.15)"}
        data.append(line([e.val_loss for e in epochs], "validation", DEFAULT.highlight, 1, "dash", **gap_fill))
        gap = epochs[-1].val_loss - epochs[-1].train_loss
        annotations.append(
            {
                "x": x[-1],
                "y": (epochs[-1].val_loss + epochs[-1].train_loss) / 2,
                "xref": "x",
                "yref": "y",
                "text": f"gap {gap:+.2f}",
                "showarrow": False,
                "xanchor": "right",
                "font": {"size": 15, "color": "#7a2e00"},
            }
        )
    data.append(line([e.train_accuracy for e in epochs], "training", DEFAULT.base, 2))
    if has_val:
        data.append(line([e.val_accuracy for e in epochs], "validation", DEFAULT.highlight, 2, "dash"))
    ticks = {"dtick": max(1, len(x) // 8)}
    layout = base_layout(
        "Per epoch: training vs validation",
        400,
        xaxis={"domain": [0, 0.44], "title": {"text": "epoch"}, **ticks},
        yaxis={"title": {"text": "loss (shaded: the gap)"}, "rangemode": "tozero"},
        xaxis2={"domain": [0.56, 1], "title": {"text": "epoch"}, "anchor": "y2", **ticks},
        yaxis2={
            **percent_axis("accuracy", [e.train_accuracy for e in epochs] + [e.val_accuracy for e in epochs]),
            "anchor": "x2",
        },
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "xanchor": "left"},
        annotations=annotations,
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
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
        "Gradient size per layer",
        380,
        xaxis={"title": {"text": "batch"}},
        yaxis={"title": {"text": "gradient L2 norm (log scale)"}, "type": "log", "dtick": 1, "exponentformat": "power"},
        legend=LEGEND,
    )
    return make_figure(data, layout)


def augmentation_figure(original: np.ndarray, seen: np.ndarray, count: int = 12) -> go.Figure:
    """The first digits of a batch as stored (top row) and as the network saw them, augmented (bottom row)."""
    count = min(count, len(original))
    pairs = np.concatenate([original[:count], seen[:count]])  # (2 * count, 28, 28)
    z, where = tile(pairs, columns=count)
    heatmap = {
        "type": "heatmap",
        "z": z,
        "customdata": where,
        "colorscale": GRAY,
        "zmin": 0,
        "zmax": 1,
        "showscale": False,
        "hovertemplate": "digit %{customdata[0]}, row %{customdata[1]}, col %{customdata[2]}: %{z:.2f}<extra></extra>",
        "hoverongaps": False,
    }
    x, y = image_axes(f"the batch's first {count} digits", "")
    y.update(showticklabels=True, tickvals=tile_centres(2, 28), ticktext=["stored", "seen"])
    return make_figure([heatmap], base_layout("The batch being trained on now", 260, xaxis=x, yaxis=y))


def sweep_figure(
    values: np.ndarray,
    answers: np.ndarray,
    current: float,
    axis_title: str,
    classes: tuple[str, ...],
    palette=DEFAULT,
) -> go.Figure:
    """Each class's probability (answers: (len(values), classes)) across a change's values, the current one marked."""
    shown = [c for c in range(answers.shape[1]) if answers[:, c].max() >= 0.05]  # the classes that ever matter
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": values,
            "y": answers[:, c],
            "name": plain(classes[c]),
            "line": {"width": 3},
            "hovertemplate": "%{fullData.name}: %{y:.1%} at %{x}<extra></extra>",
        }
        for c in shown
    ]
    layout = base_layout(
        "The answer across the whole range",
        360,
        xaxis={"title": {"text": axis_title}},
        yaxis=percent_axis("probability", low=0.0),
        shapes=[
            {
                "type": "line",
                "x0": current,
                "x1": current,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": palette.highlight, "width": 3, "dash": "dot"},
            }
        ],
        legend={"title": {"text": "digit"}},
    )
    return make_figure(data, layout)


def rate_figure(steps, others_before: float, chosen: float, palette=DEFAULT) -> go.Figure:
    """One step at each learning rate: the digit's loss after it, and accuracy on other digits after it."""
    rates = [s.rate for s in steps]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": rates,
            "y": [s.loss_after for s in steps],
            "name": "this digit's loss after the step",
            "line": {"color": palette.base, "width": 3},
            "hovertemplate": "learning rate %{x}<br>loss after %{y:.3f}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": rates,
            "y": [s.others_accuracy for s in steps],
            "yaxis": "y2",
            "name": "accuracy on other digits",
            "line": {"color": palette.highlight, "width": 3, "dash": "dash"},
            "hovertemplate": "learning rate %{x}<br>other digits %{y:.0%}<extra></extra>",
        },
    ]
    marks = [(steps[0].loss_before, "y", "loss before", palette.base), (others_before, "y2", "before", "#777777")]
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": axis,
            "y0": value,
            "y1": value,
            "line": {"color": colour, "width": 1, "dash": "dot"},
        }
        for value, axis, _, colour in marks
    ]
    shapes.append(
        {
            "type": "line",
            "x0": chosen,
            "x1": chosen,
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "line": {"color": "#1a1a1a", "width": 2, "dash": "dot"},
        }
    )
    layout = base_layout(
        "One step at each learning rate",
        440,
        xaxis={"title": {"text": "learning rate (log scale)"}, "type": "log", "exponentformat": "power"},
        yaxis={"title": {"text": "loss of this digit"}, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": "other digits right"},
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.05],
            "dtick": 0.25,
            "tickformat": ".0%",
            "showgrid": False,
        },
        shapes=shapes,
        legend={"orientation": "h", "x": 0, "y": -0.3, "yanchor": "top"},  # under the axis: never over a line
        margin={"l": 10, "r": 10, "t": 60, "b": 110},
    )
    return make_figure(data, layout)


def norms_figure(norms: dict[str, float], palette=DEFAULT) -> go.Figure:
    """Size of each layer's weight gradient for one digit, first layer on the left."""
    data = [
        {
            "type": "bar",
            "x": list(norms),
            "y": list(norms.values()),
            "marker": {"color": palette.base},
            "hovertemplate": "%{x}<br>gradient L2 norm %{y:.4g}<extra></extra>",
        }
    ]
    layout = base_layout(
        "How big each layer's gradient is",
        320,
        xaxis={"title": {"text": "layer (the gradient flows right to left)"}, "type": "category"},
        yaxis={"title": {"text": "gradient L2 norm"}},
    )
    return make_figure(data, layout)


def curve_figure(curve: list[tuple[int, float, float]], classes: tuple[str, ...], palette=DEFAULT) -> go.Figure:
    """Accuracy on held-out examples against examples per class: transfer learning and learning from scratch."""
    per_class = [point[0] for point in curve]
    lines = [("frozen digit filters + new head", 1, palette.highlight, "solid"), ("from scratch", 2, "#555555", "dash")]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": per_class,
            "y": [point[column] for point in curve],
            "name": name,
            "line": {"color": colour, "width": 3, "dash": dash},
            "marker": {"size": 10},
            "hovertemplate": f"{name}<br>%{{x}} per class: %{{y:.0%}} right<extra></extra>",
        }
        for name, column, colour, dash in lines
    ]
    layout = base_layout(
        "More examples, better answers",
        360,
        xaxis={"title": {"text": "examples learned per class"}, "dtick": 1},
        yaxis=percent_axis("held-out examples right", low=0.0),
        legend={**LEGEND, "y": 0.05, "yanchor": "bottom"},
    )
    return make_figure(data, layout)


def features_figure(means: np.ndarray, places: list[str], classes: tuple[str, ...], palette=DEFAULT) -> go.Figure:
    """The frozen layers' features the new head reads: each class's average of the features that differ most."""
    heatmap = {
        "type": "heatmap",
        "z": means,
        "x": [str(i) for i in range(len(places))],
        "customdata": np.broadcast_to(np.asarray(places, dtype=object), means.shape),
        "y": plain_all(classes),
        "colorscale": palette.sequential,
        "zmin": 0,
        "colorbar": {"title": {"text": "average"}},
        "hovertemplate": "%{y}: %{customdata} of the last pooled maps averages %{z:.2f}<extra></extra>",
    }
    layout = base_layout(
        "What the new head reads: features of the frozen layers, averaged per class",
        int(150 + 40 * len(classes)),
        xaxis={
            "title": {"text": f"the {len(places)} features that differ most between classes (hover: where each is)"},
            "type": "category",
            "showticklabels": False,
        },
        yaxis={"title": {"text": "class"}, "type": "category", "autorange": "reversed"},
    )
    return make_figure([heatmap], layout)


def compare_figure(runs: list[tuple[str, list]]) -> go.Figure:  # (name, EpochEnd records)
    """Several runs side by side: validation loss (left) and accuracy (right) per epoch, one colour per run."""
    data = []
    for number, (name, epochs) in enumerate(runs):
        colour = LAYER_COLOURS[number % len(LAYER_COLOURS)]
        x = [e.epoch for e in epochs]
        for axis, values in ((1, [e.val_loss for e in epochs]), (2, [e.val_accuracy for e in epochs])):
            suffix = "" if axis == 1 else "2"
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": x,
                    "y": values,
                    "name": plain(name),
                    "legendgroup": str(number),
                    "showlegend": axis == 1,
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "line": {"color": colour, "width": 3},
                    "marker": {"size": 7},
                    "hovertemplate": "%{fullData.name}<br>epoch %{x}: %{y:.3f}<extra></extra>",
                }
            )
    accuracies = [e.val_accuracy for _, epochs in runs for e in epochs]
    layout = base_layout(
        "Your runs: validation loss and accuracy per epoch",
        460,
        xaxis={"domain": [0, 0.44], "title": {"text": "epoch"}},
        yaxis={"title": {"text": "validation loss"}, "rangemode": "tozero"},
        xaxis2={"domain": [0.56, 1], "title": {"text": "epoch"}, "anchor": "y2"},
        yaxis2={**percent_axis("validation accuracy", accuracies), "anchor": "x2"},
        legend={"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 60, "b": 120},
    )
    return make_figure(data, layout)
