"""A lesson as a teacher's plan to print: every step with its minutes, what to show and say, the question to ask
first with the network's own answer, the misconception it guards against, and a prompt for the class."""

import string

from fpdf import FPDF

from cnnviz.classroom.questions import Question
from cnnviz.lesson.lesson import VIEWS, Lesson
from cnnviz.lesson.questions import QUESTIONS
from cnnviz.viz.worksheet import paragraph

LETTERS = string.ascii_uppercase


def _labelled(pdf: FPDF, label: str, text: str) -> None:
    """One field of a step: its label in bold, then the text (nothing when the text is empty)."""
    if text:
        paragraph(pdf, label, 5, bold=10)
        paragraph(pdf, text, 5)
        pdf.ln(1)


def question_lines(question: Question | None, kind: str) -> tuple[str, str]:
    """(what to ask, the answer with why) of a step's question as plain text."""
    if question is None:
        return f"{QUESTIONS[kind].title} (This network has no such part: skip the question.)", ""
    choices = "   ".join(f"{LETTERS[i]}) {choice}" for i, choice in enumerate(question.choices))
    answer = f"{LETTERS[question.correct]}) {question.choices[question.correct]}. {question.explanation}"
    return f"{question.prompt}\n{choices}", answer


def lesson_plan_pdf(lesson: Lesson, questions: dict[str, Question | None], about: str) -> bytes:
    """The plan as PDF bytes; questions holds each asking step's question (by step id), about says for what image
    and model the answers were worked out."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(f"Lesson plan: {lesson.title}")
    pdf.add_page()
    paragraph(pdf, f"Lesson plan: {lesson.title}", 9, bold=16)
    if lesson.summary:
        paragraph(pdf, lesson.summary, 5)
    asked = sum(1 for step in lesson.steps if step.question)
    paragraph(
        pdf,
        f"{len(lesson.steps)} steps, {lesson.minutes} minutes in all; {asked} of them ask the students to predict "
        f"before they see. Every answer below was worked out by the network itself, for {about}: with another image "
        "or model the app works out its own.",
        5,
    )
    pdf.ln(2)
    for number, step in enumerate(lesson.steps, 1):
        line = f"{number}. {step.title} ({step.minutes} min)"
        if step.misconception:
            line += f" - misconception: {step.misconception}"
        paragraph(pdf, line, 5)
    for number, step in enumerate(lesson.steps, 1):
        pdf.ln(4)
        paragraph(pdf, f"Step {number} of {len(lesson.steps)}: {step.title} ({step.minutes} minutes)", 7, bold=13)
        _labelled(pdf, "Show", f"{VIEWS[step.view].capitalize()}." + (f" Layer: {step.layer}." if step.layer else ""))
        _labelled(pdf, "Say", step.text)
        if step.question:
            ask, answer = question_lines(questions.get(step.id), step.question)
            _labelled(pdf, "Ask first (students predict, then see)", ask)
            _labelled(pdf, "Answer (the network's own numbers)", answer)
        _labelled(pdf, "Misconception it guards against", step.misconception)
        _labelled(pdf, "Class discussion", step.discussion)
        _labelled(pdf, "Notes for the teacher", step.notes)
    return bytes(pdf.output())
