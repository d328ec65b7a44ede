"""The reveal: how the class answered, one bar per choice (and per vote), the network's answer highlighted."""

import textwrap

import plotly.graph_objects as go

from cnnviz.classroom.records import ROUNDS
from cnnviz.viz.colors import Palette
from cnnviz.viz.figure import MARGIN, base_layout, make_figure, plain, plain_all

MARKER = "the network ▼"
LINE = 26  # pixels a line of the 20-pixel title (or the legend) takes
TITLE_WIDTH = 32  # characters of the title on one line: it fits a phone's chart (about 350 pixels)


def tick_label(choice: str, choices: int) -> str:
    """A choice under its bar, in lines as wide as a bar's share of a phone's chart ("not a<br>digit" among eleven),
    broken between words only, so the last label stays inside its frame and every word reads whole."""
    width = max(6, 36 // choices)
    return "<br>".join(plain(line) for line in textwrap.wrap(choice, width, break_long_words=False))


def title_lines(*parts: str) -> list[str]:
    """Each part of a title on lines of its own, none wider than a phone's chart."""
    return [plain(line) for part in parts for line in textwrap.wrap(part, TITLE_WIDTH, break_long_words=False)]


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
        title = title_lines("No answers")
    elif len(votes) > 1:
        title = title_lines(
            f"The class: {votes[0][correct]} → {last[correct]} of {total} chose {choices[correct]}",
            "(first vote → second vote)",
        )
    else:
        title = title_lines(f"The class: {last[correct]} of {total} chose {choices[correct]}")
    most = max([1, *(max(counts) for counts in votes)])
    legend = len(votes) > 1
    top_margin = max(MARGIN["t"], 20 + LINE * (len(title) + legend))  # the title's lines, then the legend: apart
    height += top_margin - MARGIN["t"]  # the bars as tall as under a one-line title
    layout = base_layout(
        "<br>".join(title),
        height,
        margin={**MARGIN, "t": top_margin},
        barmode="group",
        xaxis={
            "tickmode": "array",
            "tickvals": positions,
            "ticktext": [
                f"<b>{label}</b>" if i == correct else label
                for i, label in enumerate(tick_label(c, len(choices)) for c in choices)
            ],
            "range": [-0.5, len(choices) - 0.5],
            "title": {"text": "answer (▼ the network's)"},
        },
        yaxis={"title": {"text": "students"}, "range": [0, most * 1.35], "dtick": max(1, most // 5)},
        showlegend=legend,
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
    # Plotly anchors a title of lines by its first: that one just under the top, the others below it
    layout["title"] |= {"yref": "container", "y": 1 - (10 + LINE / 2) / height, "yanchor": "middle"}
    return make_figure(bars, layout)
