"""The reveal: how the class answered, one bar per choice, the network's answer in the highlight colour."""

import plotly.graph_objects as go

from cnnviz.viz.colors import Palette
from cnnviz.viz.figure import base_layout, make_figure, plain_all


def class_answers_figure(choices: tuple[str, ...], counts: list[int], correct: int, palette: Palette) -> go.Figure:
    """A bar per choice: how many chose it; the right one (what the network did) highlighted."""
    total = sum(counts)
    right = counts[correct] if counts else 0
    title = f"The class: {right} of {total} chose {plain_all([choices[correct]])[0]}" if total else "No answers"
    bars = {
        "type": "bar",
        "x": plain_all(choices),
        "y": counts,
        "text": [str(c) if c else "" for c in counts],
        "textposition": "outside",
        "hovertemplate": "%{x}: %{y} answers<extra></extra>",
        "marker": {"color": [palette.highlight if i == correct else palette.base for i in range(len(choices))]},
    }
    layout = base_layout(
        title,
        360,
        xaxis={"type": "category", "title": {"text": "answer (highlighted: what the network did)"}},
        yaxis={"title": {"text": "students"}, "range": [0, max([*counts, 1]) * 1.25], "dtick": max(1, total // 5)},
        showlegend=False,
        annotations=[
            {
                "x": plain_all(choices)[correct],
                "y": counts[correct] if counts else 0,
                "yshift": 22,
                "text": "the network ▼",
                "showarrow": False,
                "font": {"size": 16, "color": "#1a1a1a"},
            }
        ],
    )
    return make_figure([bars], layout)
