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


def value_scale(values: np.ndarray, signed: bool, palette: Palette) -> dict:
    """Heatmap colour settings: centred on zero for signed values, from zero up for non-negative ones."""
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
