"""Number grids as HTML tables: every number written in its coloured cell, drawn by the browser at once.

A grid of a few dozen numbers needs no chart library: as a table it appears instantly after each
click (a Plotly heatmap with its numbers took about half a second of the browser's time per rerun).
"""

import html

import numpy as np

from cnnviz.viz.colors import DEFAULT, Palette, on_scale
from cnnviz.viz.figure import value_scale

LARGEST_CELL = 58  # pixels
GRID_WIDTH = 330  # pixels a grid may take at most, labels included


def _number(value: float) -> str:
    """Two decimals, and no "-0.00" for a product that is zero or nearly so."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def number_table(
    values: np.ndarray,
    title: str,
    top: int = 0,
    left: int = 0,
    signed: bool = True,
    marked: tuple[int, int] | None = None,
    palette: Palette = DEFAULT,
    font_size: int = 15,
    width: int = GRID_WIDTH,
    largest_cell: int = LARGEST_CELL,
    note: str = "rows and columns of the map",
    indices: bool = True,
) -> str:
    """A small grid (H, W) with its numbers in cells coloured by value; rows and columns count from (top, left).

    Args:
        marked: (row, col) inside the grid to outline in the highlight colour (the kept cell of a pooling window).
        width, largest_cell: pixels the grid may take, and a cell at most (larger for a projector).
        note: what the row and column numbers count, under the table.
        indices: whether to write the row and column numbers (a projector may need the room for the cells).
    Returns:
        HTML for st.html: a title, then the table.
    """
    rows, cols = values.shape
    scale = value_scale(values, signed, palette)
    low, high = scale["zmin"], scale["zmax"]
    positions = np.clip((np.nan_to_num(values) - low) / max(high - low, 1e-12), 0, 1)
    colours = on_scale(positions, scale["colorscale"]).reshape(-1, 3).tolist()
    cell = int(min(largest_cell, (width - 40) / cols))
    size = max(9, min(font_size, int(cell / 3.2)))
    parts = [
        f'<div class="cnnviz-grid" style="font-family: sans-serif; color: #1a1a1a; margin: 0 0 0.6rem 0">'
        f'<div style="font-size: 20px; margin: 0 0 6px 0">{html.escape(title)}</div>'
        f'<table style="border-collapse: collapse; font-size: {size}px; text-align: center">'
    ]
    if indices:
        parts.append('<tr><td style="border: none"></td>')
        parts += [f'<td style="border: none; color: #333; padding: 2px">{left + c}</td>' for c in range(cols)]
        parts.append("</tr>")
    for r in range(rows):
        parts.append("<tr>")
        if indices:
            parts.append(f'<td style="border: none; color: #333; padding: 0 6px 0 0">{top + r}</td>')
        for c in range(cols):
            red, green, blue = colours[r * cols + c]
            ink = "#111" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#fff"
            outline = (
                f"outline: 4px solid {palette.highlight}; outline-offset: -4px; font-weight: 700; "
                if marked == (r, c)
                else ""
            )
            parts.append(
                f'<td style="{outline}width: {cell}px; height: {cell}px; padding: 0; border: 1px solid #fff; '
                f'background: rgb({red},{green},{blue}); color: {ink}" '
                f'title="row {top + r}, column {left + c}: {values[r, c]:.4f}">{_number(values[r, c])}</td>'
            )
        parts.append("</tr>")
    parts.append("</table>")
    if indices:
        note_size = 20 if font_size >= 20 else 14  # a projector's tables keep every word readable
        parts.append(f'<div style="font-size: {note_size}px; color: #333; margin-top: 2px">{html.escape(note)}</div>')
    parts.append("</div>")
    return "".join(parts)


def side_by_side(grids: list[str], width: int = GRID_WIDTH) -> str:
    """Grids (number_table's HTML) in one row, each up to `width` pixels wide, wrapping onto more rows where fewer
    than all fit at 240 pixels each (a phone): one element on the page instead of a column each."""
    cells = "".join(
        f'<div style="flex: 1 1 0; min-width: 240px; max-width: {width + 40}px">{grid}</div>' for grid in grids
    )
    return f'<div style="display: flex; flex-wrap: wrap; column-gap: 1rem">{cells}</div>'
