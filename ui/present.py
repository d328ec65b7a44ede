"""Presenter mode's stages, built from the model's own blocks, each drawn large for the back of a classroom."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from cnnviz import lessons
from cnnviz.insight.verdict import verdict
from cnnviz.network.arithmetic import conv_pixel, pool_window, strongest_cell
from cnnviz.network.capture import PROBABILITIES, max_pool_winners
from cnnviz.network.model import POOL_SIZE, DigitCNN
from cnnviz.reading.preprocess import Preprocessed
from cnnviz.viz import feature_maps_figure, filters_figure, pooling_figure
from cnnviz.viz.browser import Selection
from cnnviz.viz.colors import Palette
from cnnviz.viz.inputs import pixelated, square
from cnnviz.viz.tables import number_table
from ui.charts import answer_charts, chart
from ui.markdown import headline
from ui.overview import components, convolution_player, network_overview


@dataclass(frozen=True)
class Stage:
    """One screen of the presentation."""

    title: str
    text: str
    show: Callable[[], None]
    wide: bool = False  # the picture needs the whole width: the words go above it, not beside it


def large(figure, height: int = 480, key: str | None = None) -> None:
    """A figure with projector-size type, no taller than a 720-pixel screen leaves room for."""
    figure.update_layout(font_size=22, title_font_size=26, height=height, margin={"t": 60, "b": 50})
    figure.update_xaxes(tickfont_size=20, title_font_size=22)
    figure.update_yaxes(tickfont_size=20, title_font_size=22)
    chart(figure, key=key or f"present_{figure.layout.title.text}")


def stages(
    model: DigitCNN, activations: dict[str, np.ndarray], prepared: Preprocessed, palette: Palette
) -> list[Stage]:
    """The presentation, first to last, for this model (any number of conv blocks) and image."""
    image = prepared.tensor
    first = model.blocks()[0]
    channel, row, col = strongest_cell(activations[first.relu])
    cell = Selection(first.conv, channel, row, col)

    def preparing():
        picked = [prepared.steps[0], prepared.steps[3], prepared.steps[6]]
        for column, step in zip(st.columns(3), picked):
            column.image(square(pixelated(step.image, 300)), caption=step.title, width="stretch")

    def whole():
        network_overview(model, activations, image, palette, cell, key="present_overview", height=460)

    def filters():
        conv = getattr(model, first.conv)
        large(filters_figure(conv.weight.detach().numpy(), conv.bias.detach().numpy(), "Layer 1 filters", palette))

    def arithmetic():
        pixel = conv_pixel(model, activations, image, first.conv, channel, row, col)
        st.markdown(
            f"### Map {channel}, row {row}, column {col}: {pixel.products.sum():.2f} (sum of products) "
            f"{'+' if pixel.bias >= 0 else '−'} {abs(pixel.bias):.2f} (bias) = **{pixel.value:.2f}**"
        )
        for column, values, title in zip(
            st.columns(3),
            (pixel.patch[0], pixel.kernel[0], pixel.products[0]),
            ("Input patch", "Kernel (weights)", "Patch × kernel"),
        ):
            column.html(number_table(values, title, pixel.top, pixel.left, palette=palette, font_size=20, width=420))

    def player():
        convolution_player(model, activations, image, palette, cell)

    def pooling():
        window = pool_window(activations, first, channel, row // POOL_SIZE, col // POOL_SIZE)
        left, right = st.columns([3, 2])
        with left:
            relu = activations[first.relu]
            large(
                pooling_figure(
                    relu[:8],
                    max_pool_winners(relu)[:8],
                    "What max-pooling keeps (8 maps)",
                    columns=4,
                    palette=palette,
                    width=640,
                ),
                height=440,
            )
        with right:
            st.html(
                number_table(
                    window.values,
                    "One window",
                    window.top,
                    window.left,
                    signed=False,
                    marked=window.kept,
                    palette=palette,
                    font_size=26,
                    width=300,
                    largest_cell=130,
                )
            )
            st.markdown(f"### max = **{window.pooled:.2f}**")

    def decision():
        probabilities = activations[PROBABILITIES]
        st.markdown(f"### {headline(verdict(probabilities, model.classes))}")
        answer_charts(
            activations[model.head.logits],
            probabilities,
            palette,
            model.classes,
            key="present_answer",
            show=lambda figure, key: large(figure, 420, key),
        )

    out = [
        Stage("The image the network gets", lessons.PREPROCESSING, preparing),
        Stage("The whole network", lessons.OVERVIEW, whole, wide=True),
        Stage("The filters it learned", lessons.filters(palette), filters),
        Stage("How one number is computed", lessons.ARITHMETIC_SHORT, arithmetic),
        Stage("Watch the convolution", lessons.PLAYER, player, wide=True),
        Stage("Layer 1: ReLU and max-pooling", f"{lessons.RELU} {lessons.POOLING}", pooling),
    ]
    for block in model.blocks()[1:]:

        def deeper(block=block):
            large(
                feature_maps_figure(
                    activations[block.relu], f"{block.title} after ReLU", signed=False, palette=palette, width=800
                ),
                height=480,
            )

        out.append(Stage(f"{block.title}: maps of maps", lessons.DEEPER, deeper))
    out.append(Stage("The decision", lessons.CLASSIFIER, decision))
    return out


def keys(on_key: Callable[[str], None]) -> None:
    """Arrow keys, space and page keys page through the stages (a small browser component listens for them)."""
    components()["keys"](
        key="present_keys", on_key_change=lambda: on_key((st.session_state.get("present_keys") or {}).get("key"))
    )
