"""A worksheet to print: one image through the network, and three exercises by hand with the model's own numbers.

Page one, the students' sheet: the image, the network's stages, a real patch and kernel to multiply and add,
a ReLU exercise and a pooling exercise. Its back is left blank, so that printed on both sides the teacher's
answers (page three, the same numbers the app shows) come out on a sheet of their own, clearly marked.
"""

import io

import numpy as np
import torch
from fpdf import FPDF
from PIL import Image

from cnnviz.network.exercises import exercises
from cnnviz.network.model import Network
from cnnviz.network.naming import learner_name
from cnnviz.viz.colors import DEFAULT
from cnnviz.viz.pictures import overview_picture


def _grid(pdf: FPDF, values: np.ndarray, x: float, y: float, cell: float = 9.0, blank: bool = False) -> None:
    """A grid of numbers (or empty boxes to fill in) at (x, y) in millimetres."""
    pdf.set_font("Helvetica", size=8 if cell < 10 else 9)
    for (r, c), value in np.ndenumerate(values):
        pdf.set_xy(x + c * cell, y + r * cell)
        text = f"{value:.2f}".replace("-0.00", "0.00")
        pdf.cell(cell, cell, "" if blank else text, border=1, align="C")


def paragraph(pdf: FPDF, text: str, height: float = 5, bold: int = 0) -> None:
    """A paragraph across the page (bold: a heading of that size), then the next line."""
    pdf.set_font("Helvetica", "B" if bold else "", bold or 10)
    printable = text.replace("\u2014", "-").replace("\u2212", "-").encode("latin-1", "replace").decode("latin-1")
    pdf.multi_cell(0, height, printable, new_x="LMARGIN", new_y="NEXT")  # the built-in font knows Latin-1 only


def worksheet_pdf(model: Network, activations: dict[str, np.ndarray], image: torch.Tensor, name: str) -> bytes:
    """The worksheet as PDF bytes for one image and its capture: the students' sheet (its back blank), then the
    teacher's answers on a sheet of their own."""
    found = exercises(model, activations, image)
    k = found.kernel.shape[0]
    channel, row, col = found.cell
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    paragraph(pdf, "Inside a CNN: a worksheet", 9, bold=16)
    paragraph(pdf, "Student's sheet. Name: ______________________________", 7)
    paragraph(pdf, f"Image: {name}. The network's stages, left to right, for this image:")
    picture = overview_picture(model, activations, image, DEFAULT)
    with Image.open(io.BytesIO(picture)) as opened:
        aspect = opened.height / opened.width
    width = min(190, 62 / aspect)  # at most 62 mm tall, at most the page's width
    pdf.image(io.BytesIO(picture), x=10, y=pdf.get_y() + 1, w=width)
    y = pdf.get_y() + 1 + width * aspect + 6
    pdf.set_xy(10, y)
    paragraph(pdf, f"1. One number of {learner_name(model, found.layer)} ({found.layer}): multiply and add", 6, bold=12)
    paragraph(
        pdf,
        f"Map {channel}, row {row}, column {col}. Multiply each number of the input patch by the kernel number at the "
        f"same place, add up all {k * k} products, then add the bias {found.bias:.2f}.",
    )
    _grid(pdf, found.patch, 12, y + 20)
    _grid(pdf, found.kernel, 12 + k * 9 + 10, y + 20)
    for left, words in ((12, "input patch"), (12 + k * 9 + 10, "kernel (weights)")):
        pdf.set_xy(left, y + 21 + k * 9)
        pdf.cell(k * 9, 5, words, align="C")
    pdf.set_xy(12 + 2 * (k * 9 + 10), y + 20 + k * 4)
    pdf.cell(60, 6, "sum + bias = ____________")
    y2 = y + 32 + k * 9
    pdf.set_xy(10, y2)
    paragraph(pdf, f"2. The activation ({found.activation})", 6, bold=12)
    paragraph(pdf, "Six numbers of the convolution's map, one row. Write what the activation makes of each.")
    _grid(pdf, found.relu_in[None], 12, y2 + 14, cell=16)
    _grid(pdf, found.relu_out[None], 12, y2 + 14 + 18, cell=16, blank=True)
    y3 = y2 + 52
    pdf.set_xy(10, y3)
    paragraph(pdf, "3. Max-pooling, 2 x 2", 6, bold=12)
    paragraph(pdf, "Keep the largest number of each 2 x 2 window: four windows, four numbers.")
    _grid(pdf, found.pool_in, 12, y3 + 14, cell=12)
    _grid(pdf, found.pool_out, 12 + 4 * 12 + 14, y3 + 20, cell=12, blank=True)

    pdf.add_page()  # the students' sheet's back: printed on both sides, the answers still come out apart
    paragraph(pdf, "(This side is left blank on purpose: the teacher's answers are on a separate sheet.)", 6)
    pdf.add_page()
    paragraph(pdf, "TEACHER'S ANSWERS - not to hand out", 9, bold=16)
    paragraph(pdf, f"Answers to the worksheet on {name}, from the network's own numbers.", 7)
    products = found.patch * found.kernel
    paragraph(
        pdf,
        f"1. The products add up to {products.sum():.3f}; plus the bias {found.bias:.3f}: {found.conv:.3f}. "
        "(The numbers on the sheet are rounded to 2 decimals, so a sum by hand may differ in the last digit.)",
        6,
    )
    top = pdf.get_y() + 2
    _grid(pdf, products, 12, top)
    pdf.set_xy(10, top + k * 9 + 6)
    paragraph(pdf, "2. " + ", ".join(f"{a:.2f} -> {b:.2f}" for a, b in zip(found.relu_in, found.relu_out)), 6)
    paragraph(pdf, "3. The four windows keep: " + ", ".join(f"{v:.2f}" for v in found.pool_out.ravel()), 6)
    return bytes(pdf.output())
