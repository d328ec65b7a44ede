"""Colour scales, chosen to stay readable for colour-blind viewers and on a washed-out projector.

Scales are spelled out as [position, colour] lists: figures skip Plotly's validation (see
viz.mosaic), which is where named scales would otherwise be resolved.
"""

from plotly.colors import get_colorscale

# Signed values (weights, maps before ReLU): blue below zero, white at zero, red above.
DIVERGING = get_colorscale("RdBu_r")
# Non-negative values (maps after ReLU and pooling): dark to bright.
SEQUENTIAL = get_colorscale("Viridis")
# Images as the network sees them: black to white.
GRAY = get_colorscale("gray")
# Bars: the predicted class stands out in orange, the rest in blue (Okabe-Ito colours).
HIGHLIGHT = "#E69F00"
BASE = "#0072B2"
# Cells that max-pooling dropped.
DROPPED = "#D9D9D9"
