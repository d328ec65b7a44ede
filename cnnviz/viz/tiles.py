"""Tile many small 2-D maps into one array, so one heatmap can show them all (much faster than subplots)."""

import math

import numpy as np

GAP = 1  # blank cells between tiles


def tile(maps: np.ndarray, columns: int, gap: int = GAP) -> tuple[np.ndarray, np.ndarray]:
    """Lay out maps (N, H, W) on a grid, columns tiles per row.

    Returns:
        z: (rows * (H + gap) - gap, columns * (W + gap) - gap) float32, NaN in gaps and empty tiles.
        where: z's shape + (3,) int8 (or int16 for big maps): (tile index, row, column) of each cell, -1 in gaps.
    """
    n, h, w = maps.shape
    columns = max(1, min(columns, n))
    rows = math.ceil(n / columns)
    z = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap), np.nan, dtype=np.float32)
    small = max(n, h, w) < 128
    where = np.full(z.shape + (3,), -1, dtype=np.int8 if small else np.int16)  # int8 keeps the page light
    r, c = np.mgrid[0:h, 0:w]
    for index in range(n):
        top, left = (index // columns) * (h + gap), (index % columns) * (w + gap)
        z[top : top + h, left : left + w] = maps[index]
        where[top : top + h, left : left + w] = np.stack([np.full_like(r, index), r, c], axis=-1)
    return z, where


def tile_centres(count: int, size: int, gap: int = GAP) -> list[float]:
    """Centre coordinate of each of count tiles of the given size along one axis."""
    return [i * (size + gap) + (size - 1) / 2 for i in range(count)]


def corner_labels(n: int, columns: int, h: int, w: int, gap: int = GAP, first: int = 0) -> list[dict]:
    """Plotly annotations numbering each of n tiles (first, first + 1, ...) in its top-left corner."""
    return [
        {
            "x": (i % columns) * (w + gap) - 0.5,
            "y": (i // columns) * (h + gap) - 0.5,
            "text": str(first + i),
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 12, "color": "#111"},
            "bgcolor": "rgba(255,255,255,0.75)",
            "borderpad": 1,
        }
        for i in range(n)
    ]
