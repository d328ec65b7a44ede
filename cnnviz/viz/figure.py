"""What every figure shares: its layout, image axes, colour ranges, and how it is built.

Figures are built from plain dicts by make_figure(), without Plotly's property validation:
that validation costs about 5 ms a figure, half of a page rerun. tests/test_figures.py builds
every public figure builder's figure with validation on, so a misspelt property still fails a test.
"""

import html

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.colors import Palette

FONT = {"size": 16, "color": "#1a1a1a"}  # readable on a projector: 16 px, 17:1 contrast on white
MARGIN = {"l": 10, "r": 10, "t": 60, "b": 40}


def image_axes(x_title: str, y_title: str) -> tuple[dict, dict]:
    """x and y axis settings for a heatmap read as an image: square cells, row 0 at the top, no grid."""
    x = {
        "title": {"text": x_title},
        "showticklabels": False,
        "showgrid": False,
        "zeroline": False,
        "constrain": "domain",
    }
    y = {
        "title": {"text": y_title},
        "showticklabels": False,
        "showgrid": False,
        "zeroline": False,
        "autorange": "reversed",
        "scaleanchor": "x",
        "scaleratio": 1,
        "constrain": "domain",
    }
    return x, y


def base_layout(title: str, height: int, **more) -> dict:
    """Layout shared by every figure: left-aligned title, projector-size dark type, margins that grow to fit labels."""
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}},
        "height": height,
        "font": FONT,
        "margin": MARGIN,
        "plot_bgcolor": "rgba(0,0,0,0)",
        # An empty template: pages show figures without Streamlit's theme (ui/charts.py), and Plotly's
        # default template would add about 3 ms of copying to every chart on every rerun.
        "template": {"layout": {}},
        "xaxis": {},
        "yaxis": {},
        **more,
    }
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            layout[name] = {"automargin": True, "ticks": "", "title": {"standoff": 8}, **axis}
    return layout


def make_figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from trace dicts (each with a "type") and a layout dict, skipping validation (see above)."""
    return go.Figure(data=data, layout=layout, _validate=False)


def value_scale(values: np.ndarray, signed: bool, palette: Palette, bounds: tuple[float, float] | None = None) -> dict:
    """Heatmap colour settings: centred on zero for signed values, from zero up for non-negative ones; from one
    end to the other of bounds when the values have them (tanh: -1 to 1)."""
    if bounds is not None:
        scale = palette.diverging if signed else palette.sequential
        return {"colorscale": scale, "zmin": bounds[0], "zmax": bounds[1], **({"zmid": 0} if signed else {})}
    if signed:
        limit = symmetric_range(values)
        return {"colorscale": palette.diverging, "zmin": -limit, "zmax": limit, "zmid": 0}
    finite = values[np.isfinite(values)]
    return {"colorscale": palette.sequential, "zmin": 0, "zmax": max(float(finite.max()) if finite.size else 0.0, 1e-6)}


def symmetric_range(values: np.ndarray) -> float:
    """The largest absolute value (at least a tiny positive number), for a colour scale centred on zero."""
    finite = np.abs(values[np.isfinite(values)])
    return float(max(finite.max() if finite.size else 0.0, 1e-6))


def plain(text: str) -> str:
    """Text from a user (a class name) for a figure: Plotly reads <b>, <a href> and the like in its labels,
    so they are escaped, and it shows them as typed. Never put such text inside a hovertemplate."""
    return html.escape(str(text), quote=False)


def plain_all(texts) -> list[str]:
    """plain() of each."""
    return [plain(text) for text in texts]


def _text(title) -> str:
    text = getattr(title, "text", None) if not isinstance(title, (str, dict)) else title
    if isinstance(title, dict):
        text = title.get("text")
    return html.unescape(str(text or "")).replace("<br>", " ")


def describe(figure: go.Figure) -> str:
    """A figure in one sentence, from its own numbers: what a screen reader says instead of the picture.

    Heatmaps name their strongest cell (a tiled mosaic: the map, row and column), bar charts their
    tallest bar, line charts each line's last value.
    """
    title = _text(figure.layout.title) or "A chart"
    parts = []
    for trace in figure.data:
        kind = trace.type
        if kind == "heatmap" and trace.z is not None:
            z = np.asarray(trace.z, dtype=np.float64)
            if not np.isfinite(z).any():
                continue
            index = np.unravel_index(int(np.nanargmax(np.where(np.isfinite(z), z, -np.inf))), z.shape)
            where = f"row {index[0]}, column {index[1]}"
            data = np.asarray(trace.customdata, dtype=object) if trace.customdata is not None else None
            if data is not None and data.ndim == 3 and data.shape[:2] == z.shape and data.shape[2] >= 3:
                channel, row, col = (data[index][i] for i in range(3))
                where = f"map {channel}, row {row}, column {col}"
            parts.append(f"strongest at {where}: {z[index]:.3g}")
        elif kind == "bar" and trace.y is not None and trace.x is not None:
            values, names = list(trace.y), list(trace.x)
            if trace.orientation == "h":
                values, names = names, values
            if values:
                best = int(np.nanargmax(np.asarray(values, dtype=np.float64)))
                parts.append(f"tallest bar {html.unescape(str(names[best]))}: {float(values[best]):.3g}")
        elif kind == "scatter" and trace.y is not None and any(y is not None for y in trace.y):
            name = html.unescape(str(trace.name)) if trace.name else "the line"
            last = [y for y in trace.y if y is not None][-1]  # a gap (None) is no value
            parts.append(f"{name} ends at {float(last):.3g}")
    return f"{title}: {'; '.join(parts[:6])}." if parts else f"{title}."


def percent_axis(title: str, values=(), low: float | None = None) -> dict:
    """An axis of shares from (about) the lowest value to 100 %: a little room above 100 % for the markers
    drawn there, but never a tick label beyond it (no "102 %")."""
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    if low is None:
        low = max(0.0, np.floor((min(finite) if finite else 0.0) * 10) / 10 - 0.05)
    span = 1.0 - low
    step = 0.05 if span <= 0.25 else 0.1 if span <= 0.5 else 0.2
    ticks = [round(v, 4) for v in np.arange(1.0, low - 1e-9, -step)][::-1]
    return {
        "title": {"text": title},
        "range": [low, 1.0 + 0.03 * span],
        "tickvals": ticks,
        "tickformat": ".0%",
    }
