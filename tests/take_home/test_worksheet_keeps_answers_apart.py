"""The worksheet: every answer's name printed in full, the teacher's answers on a sheet of their own."""

import io

from PIL import ImageDraw
from pypdf import PdfReader

from cnnviz.data.samples import list_samples
from cnnviz.network.capture import ActivationCapture
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.viz.colors import DEFAULT
from cnnviz.viz.pictures import overview_picture
from cnnviz.viz.worksheet import worksheet_pdf


def test_the_stages_picture_names_every_answer_in_full(bundled, monkeypatch):
    drawn = []
    original = ImageDraw.ImageDraw.text
    monkeypatch.setattr(
        ImageDraw.ImageDraw,
        "text",
        lambda self, xy, text, *a, **k: drawn.append(text) or original(self, xy, text, *a, **k),
    )
    image = preprocess_bytes(list_samples()[0].path.read_bytes()).tensor
    overview_picture(bundled, ActivationCapture(bundled)(image), image, DEFAULT)
    assert "not a digit" in drawn and "not a" not in drawn
    assert [name for name in bundled.classes if name not in drawn] == []


def test_the_teachers_answers_are_a_separate_clearly_marked_sheet(bundled):
    image = preprocess_bytes(list_samples()[0].path.read_bytes()).tensor
    pdf = worksheet_pdf(bundled, ActivationCapture(bundled)(image), image, "seven.png")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 3, "the students' sheet, its blank back, the teacher's sheet"
    students, back, teachers = pages
    assert "Student's sheet" in students and "TEACHER'S ANSWERS" not in students and "->" not in students
    assert "left blank" in back and "->" not in back
    assert teachers.startswith("TEACHER'S ANSWERS") and "->" in teachers
    assert "the first convolution (conv1)" in students, "the layer named as a learner reads it"
