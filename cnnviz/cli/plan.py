"""lesson-plan: a lesson as a teacher's plan (PDF), every question answered by the network for one image."""

import argparse
from pathlib import Path

from cnnviz.cli.arguments import load_model
from cnnviz.errors import InputError
from cnnviz.reading.decode import MAX_FILE_BYTES
from cnnviz.reading.files import read_limited
from cnnviz.saving import check_file, write_file

MAX_READ = 2**20  # bytes read of a lesson file named on the command line; the lesson's own limit is checked after


def read_lesson(name: str):
    """A built-in lesson by name, or a lesson file by path."""
    from cnnviz.lesson.lesson import BUILTIN, builtin_lesson, parse_lesson

    if name in BUILTIN:
        return builtin_lesson(name)
    if not Path(name).suffix:  # no file meant: a misspelt lesson name
        raise InputError(
            f"There is no built-in lesson {name!r:.40}; they are {', '.join(BUILTIN)} (or give a .toml file)."
        )
    return parse_lesson(read_limited(Path(name), MAX_READ, "lesson files"))


def lesson_plan_command(args: argparse.Namespace) -> int:
    """Write the plan of a lesson: every step's minutes, what to say, the question with the network's answer."""
    from cnnviz.data.samples import default_sample
    from cnnviz.lesson.evidence import Evidence
    from cnnviz.lesson.plan import lesson_plan_pdf
    from cnnviz.lesson.questions import ask
    from cnnviz.reading.preprocess import preprocess_bytes

    check_file(args.out)
    lesson = read_lesson(args.lesson)
    model = load_model(args.model)
    image = Path(args.image) if args.image else default_sample().path
    prepared = preprocess_bytes(read_limited(image, MAX_FILE_BYTES, "images"))
    evidence = Evidence(model, prepared.tensor, prepared.pixels)
    questions = {step.id: ask(step.question, evidence) for step in lesson.steps if step.question}
    model_name = Path(args.model).name if args.model else "the bundled model"
    about = f"the image {image.name} read by {model_name}"
    written = write_file(args.out, lesson_plan_pdf(lesson, questions, about))
    print(f"wrote {written}: {lesson.title}, {len(lesson.steps)} steps, {lesson.minutes} minutes")
    return 0
