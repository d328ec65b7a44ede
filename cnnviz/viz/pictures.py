"""Pictures to take away (PNG bytes), drawn with Pillow: the arithmetic of one cell, for a slide or a worksheet."""

import base64
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from cnnviz.network.arithmetic import ConvPixel
from cnnviz.viz.colors import Palette, on_scale

CELL = 56  # pixels per number
GAP = 40
BAR = 100  # pixels of the answer column's bars (a probability of 1 fills all but 10)


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size)
    except TypeError:  # Pillow without scalable default fonts
        return ImageFont.load_default()


def _colours(values: np.ndarray, palette: Palette) -> list[tuple[int, int, int]]:
    limit = max(float(np.abs(values).max()), 1e-9)
    positions = ((values.ravel() / limit) + 1) / 2
    return [tuple(colour) for colour in on_scale(positions, palette.diverging).tolist()]


def grid(draw: ImageDraw.ImageDraw, values: np.ndarray, x: int, y: int, title: str, palette: Palette) -> None:
    """A grid of numbers, coloured by value, with its title above it."""
    draw.text((x, y), title, fill="#111111", font=_font(22))
    y += 32
    small = _font(16 if values.shape[0] <= 5 else 12)
    for index, colour in enumerate(_colours(values, palette)):
        row, col = divmod(index, values.shape[1])
        left, top = x + col * CELL, y + row * CELL
        draw.rectangle([left, top, left + CELL - 2, top + CELL - 2], fill=colour)
        ink = "#111111" if 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2] > 140 else "#ffffff"
        draw.text((left + CELL / 2, top + CELL / 2), f"{values[row, col]:.2f}", fill=ink, font=small, anchor="mm")


def arithmetic_picture(pixel: ConvPixel, channel: int, palette: Palette, named: str | None = None) -> bytes:
    """The selected conv cell as a PNG: the patch, the kernel and their products (one input map), and the sum
    (named: the layer as its reader calls it, "the first convolution (conv1)"; its code name otherwise)."""
    k = pixel.kernel.shape[-1]
    side = k * CELL
    width, height = 3 * side + 4 * GAP, side + 200
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    where = f" (input map {channel})" if pixel.patch.shape[0] > 1 else ""
    panels = (("Input patch", pixel.patch), ("Kernel (weights)", pixel.kernel), ("Patch × kernel", pixel.products))
    for number, (title, values) in enumerate(panels):
        grid(draw, values[channel], GAP + number * (side + GAP), 20, title + where, palette)
    sign = "+" if pixel.bias >= 0 else "-"
    lines = [
        f"{named or pixel.layer}, map {pixel.channel}, row {pixel.row}, column {pixel.col}:",
        f"sum of products {pixel.products.sum():.3f} {sign} bias {abs(pixel.bias):.3f} = {pixel.value:.3f}",
    ]
    lines += [f"then {step.title}: {step.after:.3f}" for step in pixel.chain]
    for number, line in enumerate(lines):
        draw.text((GAP, side + 70 + number * 30), line, fill="#111111", font=_font(22))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _map_tile(values: np.ndarray, low: float, high: float, scale: list, side: int) -> Image.Image:
    """One map as a square picture, each cell coloured from the scale."""
    positions = np.clip((values - low) / max(high - low, 1e-9), 0, 1)
    tile = Image.fromarray(on_scale(positions, scale))
    return tile.resize((side, max(1, round(side * values.shape[0] / values.shape[1]))), Image.Resampling.NEAREST)


def overview_picture(model, activations: dict[str, np.ndarray], image, palette: Palette, height: int = 420) -> bytes:
    """The network's stages for one image as a PNG, left to right (for the worksheet): the input, each layer's
    maps (up to 8 a stage), the dense layers and the answer."""
    from cnnviz.viz.browser import stages_of

    stages = [stage for stage in stages_of(model, activations, image) if stage["kind"] != "units"]
    gray = [[0, "rgb(0,0,0)"], [1, "rgb(255,255,255)"]]
    area = height - 60
    columns = []
    for stage in stages:
        if stage["kind"] == "bars":
            columns.append((stage, None))
            continue
        values = np.frombuffer(base64.b64decode(stage["values"]), dtype="<f4").reshape(
            stage["channels"], stage["height"], stage["width"]
        )
        scale = gray if stage.get("gray") else palette.diverging if stage["signed"] else palette.sequential
        shown = values[:8]
        side = max(8, min(140, (area - 4 * (len(shown) - 1)) // len(shown)))
        tiles = [_map_tile(v, stage["low"], stage["high"], scale, side) for v in shown]
        columns.append((stage, tiles))
    title_font = _font(15)

    label_font = _font(13)

    def label_width(stage) -> int:
        """Room for the longest answer's name in full ("not a digit", never cut to "not a")."""
        return max(int(label_font.getlength(name)) for name in stage["labels"]) + 8

    def column_width(stage, tiles) -> int:
        text = int(title_font.getlength(stage["title"])) + 6
        return max(text, max(t.width for t in tiles) if tiles else label_width(stage) + BAR)

    width = sum(column_width(stage, tiles) + 18 for stage, tiles in columns)
    picture = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    x = 10
    for stage, tiles in columns:
        draw.text((x, 6), stage["title"], fill="#111111", font=title_font)
        step = column_width(stage, tiles) + 18
        if tiles is None:
            probabilities = np.frombuffer(base64.b64decode(stage["values"]), dtype="<f4")
            bar = min(26, area // len(probabilities))
            start = x + label_width(stage)
            for number, (name, p) in enumerate(zip(stage["labels"], probabilities)):
                top = 40 + number * bar
                draw.text((x, top), name, fill="#111111", font=label_font)
                colour = palette.highlight if number == stage["best"] else palette.base
                draw.rectangle([start, top + 3, start + max(1, int(p * (BAR - 10))), top + bar - 4], fill=colour)
            x += step
            continue
        y = 40
        for tile in tiles:
            picture.paste(tile, (x, y))
            y += tile.height + 4
        x += step
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()
