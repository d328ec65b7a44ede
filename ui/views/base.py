"""What every Explore view shares: the context it draws from, computed once per rerun, and the View record."""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import plotly.graph_objects as go

from cnnviz.insight.verdict import Verdict, answer_probabilities, verdict
from cnnviz.network.capture import PROBABILITIES
from cnnviz.network.cells import Selection
from cnnviz.network.model import Network
from cnnviz.reading.preprocess import Preprocessed
from cnnviz.viz.colors import Palette
from ui.charts import chart
from ui.models import ModelEntry, image_key


@dataclass(frozen=True)
class Context:
    """One image through one model, and how the page is set: what every view draws from (it never reruns the model)."""

    entry: ModelEntry
    description: str  # where the image came from, for people
    prepared: Preprocessed
    activations: dict[str, np.ndarray]  # one forward pass, every layer
    palette: Palette
    palette_name: str
    selection: Selection  # the cell the cell views take apart

    @property
    def model(self) -> Network:
        return self.entry.model

    @property
    def probabilities(self) -> np.ndarray:
        return self.activations[PROBABILITIES]

    @property
    def logits(self) -> np.ndarray:
        return self.activations[self.model.output.name]

    @property
    def predicted(self) -> int:
        """The output with the highest probability ("not a digit" included)."""
        return int(np.argmax(self.probabilities))

    @property
    def best_answer(self) -> int:
        """The answer class with the highest probability (never "not a digit")."""
        return int(np.argmax(answer_probabilities(self.probabilities, self.model.classes)))

    @cached_property
    def verdict(self) -> Verdict:
        return verdict(self.probabilities, self.model.classes)

    @cached_property
    def image_key(self) -> str:
        """A short digest of the network's input: caches of heavy views are kept per image."""
        return image_key(self.prepared.tensor)

    def at(self, selection: Selection) -> "Context":
        """The same context with another cell selected (Present picks its own)."""
        return Context(
            self.entry, self.description, self.prepared, self.activations, self.palette, self.palette_name, selection
        )


@dataclass(frozen=True)
class View:
    """One of Explore's views: a stable id (in URLs), a label (its tab), a short explanation, and what it draws.

    render(ctx, large) draws it at normal size, or large for a projector (Present draws the same views).
    """

    id: str
    label: str
    explanation: Callable[[Context], str]
    render: Callable[[Context, bool], None]
    aliases: tuple[str, ...] = ()  # other names links have used for it (old labels)
    about_cell: bool = False  # one of the views of the selected cell (a click keeps whichever is open)
    tab: bool = True  # shown as a tab on Explore (the network overview is always on top instead)


PHONE = ContextVar("phone", default=False)  # large pictures drawn for a phone (a student following Present)
SIZES = {  # (base, title, ticks and axis titles, most height): large type for a projector, or for a phone
    False: (22, 26, 20, 10_000),
    True: (13, 15, 12, 340),
}


@contextmanager
def phone_size():
    """Within it, large_chart draws a projector's picture for a phone's width: the same figure, smaller type."""
    token = PHONE.set(True)
    try:
        yield
    finally:
        PHONE.reset(token)


def large_chart(figure: go.Figure, height: int = 480, key: str | None = None, container=None) -> None:
    """A figure with projector-size type (20 px and up), no taller than a 720-pixel screen leaves room for."""
    base, title, ticks, most = SIZES[PHONE.get()]
    figure.update_layout(font_size=base, title_font_size=title, height=min(height, most), margin={"t": 60, "b": 50})
    figure.update_xaxes(tickfont_size=ticks, title_font_size=base)
    figure.update_yaxes(tickfont_size=ticks, title_font_size=base)
    figure.update_annotations(font_size=ticks)  # the numbers on tiles of a mosaic, subplot titles
    figure.update_traces(textfont_size=ticks, selector={"type": "bar"})  # the values on bars
    chart(figure, key=key or f"large_{figure.layout.title.text}", **({"container": container} if container else {}))


def show(figure: go.Figure, key: str, large: bool, height: int = 480, container=None) -> None:
    """A figure at normal size, or large for a projector."""
    if large:
        large_chart(figure, height, key, container)
    else:
        chart(figure, key=key, **({"container": container} if container else {}))
