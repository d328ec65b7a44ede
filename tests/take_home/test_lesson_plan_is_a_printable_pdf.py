"""lesson-plan writes a teacher's plan: every step with its minutes, its question and the network's answer, the
misconception it guards against and a discussion prompt; a bad lesson, name or folder gets one sentence."""

import io

from pypdf import PdfReader

from cnnviz.classroom.questions import Question
from cnnviz.lesson.lesson import builtin_lesson
from cnnviz.lesson.plan import lesson_plan_pdf

from command_line import run_cli


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_reading_lessons_plan_names_minutes_questions_answers_and_misconceptions(tmp_path):
    out = tmp_path / "plan.pdf"
    done = run_cli("lesson-plan", "--out", out)
    assert done.returncode == 0, done.stderr
    pages, text = text_of(out.read_bytes())
    lesson = builtin_lesson("reading")
    assert pages >= 2
    assert f"{len(lesson.steps)} steps, {lesson.minutes} minutes" in text
    for number, step in enumerate(lesson.steps, 1):
        assert f"Step {number} of {len(lesson.steps)}: {step.title} ({step.minutes} minutes)" in text
    assert text.count("Ask first") == sum(1 for step in lesson.steps if step.question)
    assert text.count("Answer (the network's own numbers)") == text.count("Ask first")
    assert "B) No: not one weight changed" in text  # reading never changes a weight: worked out, not typed in
    assert "A network keeps learning while it is used." in text and "Misconception it guards against" in text
    assert "Class discussion" in text and "digit_3_photo.jpg" in text


def test_a_plan_holds_the_answer_it_was_given_for_each_step():
    lesson = builtin_lesson("learning")
    question = Question("overfit", "Which one overfits?", ("Small", "Large"), 0, "Small: 100 % and 80 %.")
    pages, text = text_of(lesson_plan_pdf(lesson, {"overfitting": question}, "a test"))
    assert pages >= 2 and "A) Small B) Large" in text and "A) Small. Small: 100 % and 80 %." in text
    assert "This network has no such part: skip the question." in text  # the steps given no question


def test_an_edited_lesson_file_is_planned_in_its_own_order(tmp_path):
    head, *steps = builtin_lesson("reading").text.split("\n[[step]]\n")
    edited = tmp_path / "mine.toml"
    edited.write_text(head + "".join("\n[[step]]\n" + step for step in (steps[3], steps[0])), encoding="utf-8")
    done = run_cli("lesson-plan", "--lesson", edited, "--out", tmp_path / "mine.pdf")
    assert done.returncode == 0, done.stderr
    _, text = text_of((tmp_path / "mine.pdf").read_bytes())
    assert text.index("Step 1 of 2: ReLU") < text.index("Step 2 of 2: The image as numbers")


def test_a_bad_lesson_name_file_or_folder_gets_one_sentence(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\n[[step]]\nid = "a"\ntitle = "A"\nview = "slider"\ntext = "t"\nminutes = 1\n')
    for args, words in (
        (["--lesson", "nonsense"], "no built-in lesson 'nonsense'"),
        (["--lesson", broken], "Step 1 (line 5): there is no view 'slider'"),
        (["--lesson", tmp_path / "missing.toml"], "No such file"),
        (["--out", tmp_path / "no" / "such" / "plan.pdf"], "does not exist"),
    ):
        out = ["--out", tmp_path / "plan.pdf"] if "--out" not in args else []
        done = run_cli("lesson-plan", *args, *out)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1 and words in lines[0], done.stderr
    assert not (tmp_path / "plan.pdf").exists() and not list(tmp_path.glob(".plan.pdf*"))
