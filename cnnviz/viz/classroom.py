"""The reveal: how the class answered, one bar per choice (and per vote), the network's answer highlighted."""

import textwrap

import plotly.graph_objects as go

from cnnviz.classroom.records import ROUNDS
from cnnviz.viz.colors import Palette
from cnnviz.viz.figure import base_layout, make_figure, plain, plain_all

MARKER = "the network ▼"


def tick_label(choice: str) -> str:
    """A choice under its bar: words on lines of their own ("not a<br>digit"), so a phone's narrow chart keeps
    the last label inside its frame."""
    return "<br>".join(plain(line) for line in textwrap.wrap(choice, 6)) if len(choice) > 6 else plain(choice)


def class_answers_figure(
    choices: tuple[str, ...], votes: list[list[int]], correct: int, palette: Palette, height: int = 360
) -> go.Figure:
    """A bar per choice for each vote held ("first vote", "second vote" side by side): how many chose it; the
    network's choice in the highlight colour, its label in bold and a marker above it (seen even if nobody chose it).

    The bars stand at 0, 1, 2, ... with the choices as tick labels: a choice that reads as a number ("0.52")
    is still a label, and the marker stands on the network's bar whatever the choices say.
    """
    votes = [list(counts) for counts in votes] or [[0] * len(choices)]
    positions = list(range(len(choices)))
    colours = [palette.highlight if i == correct else palette.base for i in positions]
    last = votes[-1]
    total = sum(last)
    bars = [
        {
            "type": "bar",
            "name": ROUNDS[n] if len(votes) > 1 else "answers",
            "x": positions,
            "y": counts,
            "customdata": plain_all(choices),
            "text": [str(c) if c else "" for c in counts],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": f"%{{customdata}}: %{{y}} ({ROUNDS[n]})<extra></extra>",
            "marker": {"color": colours, "opacity": 1.0 if n == len(votes) - 1 else 0.45},
        }
        for n, counts in enumerate(votes)
    ]
    if not total:
        title = "No answers"
    elif len(votes) > 1:
        title = (
            f"The class: {votes[0][correct]} → {last[correct]} of {total} chose {plain(choices[correct])} "
            "(first vote → second vote)"
        )
    else:
        title = f"The class: {last[correct]} of {total} chose {plain(choices[correct])}"
    top = max([1, *(max(counts) for counts in votes)])
    layout = base_layout(
        title,
        height,
        barmode="group",
        xaxis={
            "tickmode": "array",
            "tickvals": positions,
            "ticktext": [f"<b>{tick_label(c)}</b>" if i == correct else tick_label(c) for i, c in enumerate(choices)],
            "range": [-0.5, len(choices) - 0.5],
            "title": {"text": "answer (▼ the network's)"},
        },
        yaxis={"title": {"text": "students"}, "range": [0, top * 1.35], "dtick": max(1, top // 5)},
        showlegend=len(votes) > 1,
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
        annotations=[
            {
                "x": correct,
                "y": max(counts[correct] for counts in votes),
                "yshift": 26,
                "text": MARKER,
                "showarrow": False,
                "font": {"size": 16, "color": "#1a1a1a"},
            }
        ],
    )
    return make_figure(bars, layout)
