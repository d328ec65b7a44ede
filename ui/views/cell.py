"""How one number is computed: the selected cell of any layer, taken apart with the model's own weights."""

import numpy as np
import streamlit as st

from cnnviz.network.arithmetic import (
    activation_formula,
    conv_pixel,
    layer_input,
    norm_step,
    pool_window,
    residual_sum,
)
from cnnviz.viz import feature_maps_figure
from cnnviz.viz.arithmetic import channel_sums_figure
from cnnviz.viz.pictures import arithmetic_picture
from cnnviz.viz.tables import GRID_WIDTH, number_table, side_by_side
from ui import state
from ui.charts import chart
from ui.markdown import layer_label, layer_words
from ui.views.base import Context, View

EXPLANATION = (
    "Every number in a feature map is a small sum. Pick a layer, channel and cell (or click a cell in the map) "
    "to see the patch of input it reads, the filter's weights, their products, and how they add up."
)
SHORT = (  # for a projector (Present)
    "One cell of a feature map, taken apart: the patch of input under the filter, the filter's weights, "
    "their products, and how they add up with the bias."
)
NORM = (
    "Batch norm rescales each channel with numbers it measured over the training batches: subtract the mean, divide "
    "by the spread, then apply a learned scale and shift. In use, it is a fixed scale and shift per channel."
)


def _sign(value: float) -> str:
    return "+" if value >= 0 else "−"


def chain_lines(pixel) -> list[str]:
    """What happens to a conv's number next, one line a layer: batch norm, then the activation."""
    lines = []
    for step in pixel.chain:
        if step.norm is not None:
            norm = step.norm
            lines.append(
                f"batch norm: ({step.before:.3f} − {norm.mean:.3f} mean) / √({norm.var:.3f} variance + {norm.eps:g}) "
                f"× {norm.gamma:.3f} {_sign(norm.beta)} {abs(norm.beta):.3f} = **{step.after:.3f}**"
            )
        else:
            formula = activation_formula(step.function, step.before)
            lines.append(f"after {step.title}: {formula} = **{step.after:.3f}**")
    return lines


def conv_cell(ctx: Context, large: bool) -> None:
    """A conv cell: the patch it reads, the kernel, the products, their sum plus bias; then what follows it."""
    selection, model, palette = ctx.selection, ctx.model, ctx.palette
    pixel = conv_pixel(model, ctx.activations, ctx.prepared.tensor, selection.layer, *_cell(selection))
    info = model.layer(selection.layer)
    k = pixel.kernel.shape[-1]
    maps = "" if info.source == "input" else f"all {pixel.patch.shape[0]} maps of "
    step = f", moving {pixel.stride} pixels a step" if pixel.stride > 1 else ""
    reads = (
        f"**Row {selection.row}, column {selection.col} of map {selection.channel}** of "
        f"{layer_words(model, info.name, large)} reads the {k} x {k} patch at rows {pixel.top}..{pixel.top + k - 1}, "
        f"columns {pixel.left}..{pixel.left + k - 1} of {maps}{layer_words(model, info.source, large)}{step} "
        "(outside the image counts as 0)."
    )
    sums = (
        " + ".join(f"{s:.3f}" for s in pixel.channel_sums)
        if len(pixel.channel_sums) <= 4
        else f"{pixel.products.sum():.3f}"
    )
    lines = [f"### {sums} (sum of products) {_sign(pixel.bias)} {abs(pixel.bias):.3f} (bias) = **{pixel.value:.3f}**"]
    if not large:  # on a projector the tables come first and the sum under them (below)
        st.markdown(reads)
        st.markdown("  \n".join(lines + chain_lines(pixel)))
        st.caption(f"The model itself computed {pixel.output:.3f} here: the same number.")
    shown, label = 0, ""
    if pixel.patch.shape[0] > 1 and not large:
        chart(
            channel_sums_figure(
                pixel.channel_sums, pixel.bias, f"What each of the {len(pixel.channel_sums)} input maps adds", palette
            ),
            key="channel_sums",
        )
        order = [int(c) for c in np.argsort(-np.abs(pixel.channel_sums))]
        if state.input_channel() not in order:
            state.set_input_channel(order[0])  # start with the map that matters most here
        shown = st.selectbox(
            "Show the numbers of input map",
            order,
            key=state.INPUT_CHANNEL,
            format_func=lambda c: f"{c} (adds {pixel.channel_sums[c]:+.3f})",
        )
        label = f", input map {shown}"
    elif pixel.patch.shape[0] > 1:
        shown = int(np.argmax(np.abs(pixel.channel_sums)))
        label = f", input map {shown}"
    size = {"font_size": 20, "width": 400, "largest_cell": 64, "indices": False} if large else {}
    where = f": rows {pixel.top}..{pixel.top + k - 1}, columns {pixel.left}..{pixel.left + k - 1}" if large else ""
    tables = (
        (pixel.patch[shown], f"Input patch{label}{where}", pixel.top, pixel.left, "rows and columns of the input"),
        (pixel.kernel[shown], f"Kernel (weights){label}", 0, 0, "rows and columns of the kernel"),
        (pixel.products[shown], f"Patch × kernel{label}", 0, 0, "each patch number times the kernel number there"),
    )
    grids = [
        number_table(v, title, top, left, palette=palette, note=note, **size) for v, title, top, left, note in tables
    ]
    st.html(side_by_side(grids, size.get("width", GRID_WIDTH)))
    if large:  # one line: the sum, then what follows the conv
        st.markdown(" · ".join(line.removeprefix("### ") for line in lines + chain_lines(pixel)))
    else:
        st.download_button(
            "Download as picture",
            lambda: arithmetic_picture(pixel, shown, palette, layer_label(model, selection.layer)),  # when asked
            on_click="ignore",
            file_name=f"cnnviz-{selection.layer}-map{selection.channel}-row{selection.row}-col{selection.col}.png",
            mime="image/png",
            key="cell_picture",
            icon=":material/download:",
        )
    if pixel.patch.shape[0] > 1 and not large:
        every_map = (
            ("patches", pixel.patch, "The patch in every input map", False, "value"),
            ("products", pixel.products, "Patch × kernel in every input map", True, "product"),
        )
        for column, (key, values, title, signed, value) in zip(st.columns(2), every_map):
            figure = feature_maps_figure(
                values, title, signed, columns=8, palette=palette, width=540, tiles="input map", value=value
            )
            chart(figure, key=key, container=column)


def pool_cell(ctx: Context, large: bool) -> None:
    """A pooled cell: the window it read and what it kept (max) or made (mean)."""
    window = pool_window(ctx.activations, ctx.model.layer(ctx.selection.layer), *_cell(ctx.selection))
    show_window(window, ctx, large)


def show_window(window, ctx: Context, large: bool) -> None:
    """A pooling window as a table beside its sum in words."""
    left, right = st.columns([2, 3])
    size = {"font_size": 22, "width": 210, "largest_cell": 90} if large else {"font_size": 20, "width": 260}
    left.html(
        number_table(
            window.values,
            f"The {window.size} x {window.size} window",
            window.top,
            window.left,
            signed=bool((window.values < 0).any()),
            marked=window.kept,
            palette=ctx.palette,
            note="rows and columns of the map it pools",
            **size,
        )
    )
    values = ", ".join(f"{v:.3f}" for v in window.values.ravel())
    rows = f"rows {window.top}..{window.top + window.size - 1}, columns {window.left}..{window.left + window.size - 1}"
    if window.mode == "max":
        sum_line = f"### max({values}) = **{window.pooled:.3f}**"
        rest = f"the other {window.values.size - 1} values are dropped"
    else:
        sum_line = f"### mean({values}) = **{window.pooled:.3f}**"
        rest = "every value in the window counts a little"
    becomes = f"row {window.row}, column {window.col} of map {ctx.selection.channel}"
    right.markdown(
        f"The window at {rows}.  \n{sum_line}  \n"
        f"It becomes {becomes} of {layer_words(ctx.model, window.layer, large)}; {rest}."
    )


def activation_cell(ctx: Context, large: bool) -> None:
    """An activation's cell: the number it read and what it made of it."""
    selection, info = ctx.selection, ctx.model.layer(ctx.selection.layer)
    before = float(layer_input(ctx.activations, ctx.prepared.tensor, info)[_cell(selection)])
    after = float(ctx.activations[info.name][_cell(selection)])
    formula = activation_formula(info.spec.function, before)
    st.markdown(f"### {info.title}: {formula} = **{after:.3f}**")
    st.write(info.spec.words)


def norm_cell(ctx: Context, large: bool) -> None:
    """A batch norm cell: scale and shift from the training's running statistics."""
    selection, info = ctx.selection, ctx.model.layer(ctx.selection.layer)
    before = float(layer_input(ctx.activations, ctx.prepared.tensor, info)[_cell(selection)])
    norm = norm_step(info.module, selection.channel)
    st.markdown(
        f"### ({before:.3f} − {norm.mean:.3f} mean) / √({norm.var:.3f} + {norm.eps:g}) × {norm.gamma:.3f} "
        f"{_sign(norm.beta)} {abs(norm.beta):.3f} = **{float(ctx.activations[info.name][_cell(selection)]):.3f}**"
    )
    st.write(NORM)


def residual_cell(ctx: Context, large: bool) -> None:
    """A residual block's cell: what its layers made plus what the skip carried."""
    found = residual_sum(ctx.model, ctx.activations, ctx.prepared.tensor, ctx.selection.layer, *_cell(ctx.selection))
    skip = "its input through a 1x1 conv (the block changes the maps' shape)" if found.projected else "its input"
    st.markdown(
        f"### {found.body:.3f} (its layers) + {found.skip:.3f} ({skip}) = **{found.value:.3f}**  \n"
        f"The model itself computed {found.value:.3f} here."
    )
    st.write(ctx.model.layer(ctx.selection.layer).spec.words)


def _cell(selection) -> tuple[int, int, int]:
    return selection.channel, selection.row, selection.col


SHOWN_BY = {  # each way a layer's record says one of its cells is taken apart (Layer.arithmetic), and its view
    "conv": conv_cell,
    "pool": pool_cell,
    "activation": activation_cell,
    "norm": norm_cell,
    "residual": residual_cell,
}


def render(ctx: Context, large: bool = False) -> None:
    spec = ctx.model.layer(ctx.selection.layer).spec
    SHOWN_BY.get(spec.arithmetic, conv_cell)(ctx, large)


VIEW = View(
    "cell",
    "How one number is computed",
    lambda ctx: EXPLANATION,
    render,
    aliases=("How one number is computed",),
    about_cell=True,
)
