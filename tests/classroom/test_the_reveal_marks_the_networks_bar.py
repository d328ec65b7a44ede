"""The reveal's figure (cnnviz/viz/classroom.py): the marker stands on the network's bar for every kind of choice
(numbers that Plotly would read as positions, filters, words, sentences), and a second vote stands beside the first;
labels break between words only, and the title's lines fit a phone."""

import plotly.graph_objects as go
import pytest

from cnnviz.viz.classroom import MARKER, TITLE_WIDTH, class_answers_figure
from cnnviz.viz.colors import DEFAULT

CHOICES = {
    "numbers": ("-0.41", "0.52", "1.54", "3.10"),
    "filters": ("Filter 0", "Filter 5", "Filter 9", "Filter 14"),
    "words": ("It rises", "It falls"),
    "digits": (*"0123456789", "not a digit"),
    "sentences": ("They become 0", "They stay negative, only smaller", "They become small positive numbers"),
}


@pytest.mark.parametrize("kind", list(CHOICES))
@pytest.mark.parametrize("votes", [1, 2])
def test_the_marker_stands_on_the_networks_bar(kind, votes):
    choices = CHOICES[kind]
    correct = 1
    counts = [[n + v for n in range(len(choices))] for v in range(votes)]
    figure = go.Figure(class_answers_figure(choices, counts, correct, DEFAULT).to_dict())  # validated
    marker = next(a for a in figure.layout.annotations if a.text == MARKER)
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert len(bars) == votes
    for bar in bars:  # each bar stands at its index, the choice written under it as a label
        assert list(bar.x) == list(range(len(choices)))
        assert bar.marker.color[correct] == DEFAULT.highlight
    assert marker.x == correct  # a position, never a choice's text that reads as a number
    assert list(figure.layout.xaxis.tickvals) == list(range(len(choices)))
    labels = [t.replace("<br>", " ").replace("<b>", "").replace("</b>", "") for t in figure.layout.xaxis.ticktext]
    assert labels == list(choices) and figure.layout.xaxis.ticktext[correct].startswith("<b>")  # no word broken
    assert all(len(line) <= TITLE_WIDTH for line in figure.layout.title.text.split("<br>"))  # a phone shows it whole
    if votes == 2:
        assert [bar.name for bar in bars] == ["first vote", "second vote"] and figure.layout.showlegend
        assert "first vote → second vote" in figure.layout.title.text
