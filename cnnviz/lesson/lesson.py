"""A lesson is a small TOML file of steps; this reads one, checks every field, and says in one sentence what is wrong.

A file may come from a teacher (edited by hand, uploaded), so it is data and nothing else: TOML has
no code to run, every string is kept as text (pages show it literally), and every field is checked
against a short list of what it may be before anything uses it.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cnnviz.classroom.questions import Question
from cnnviz.errors import InputError
from cnnviz.lesson.questions import QUESTIONS
from cnnviz.network.arithmetic import pool_after
from cnnviz.network.model import Network

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
BUILTIN = ("reading", "learning")  # the built-in lessons, by file name, in the order the menu lists them
MAX_LESSON_BYTES = 64 * 1024  # a lesson of 40 long steps is under 30 KB
MAX_STEPS = 40
MAX_MINUTES = 60  # per step
ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
LAYER = re.compile(r"(conv|activation|pool) ([1-9])")

VIEWS = {  # what a step may show, by name: Explore's views, then parts of the Train, Teach and Mistakes pages
    "preparing": "the image, prepared step by step into the 28 x 28 numbers the network reads",
    "player": "the kernel sliding over the image, filling in a map",
    "cell": "how one number of a map is computed, with the model's own weights",
    "filters": "the first layer's filters (its weights)",
    "maps": "every map of one layer",
    "pooling": "what pooling keeps of each window",
    "network": "the whole network on one screen",
    "decision": "the scores (logits) and the probabilities softmax makes of them",
    "why": "which pixels pushed the answer (four attribution methods)",
    "fooled": "rotations, noise and nudges that change the answer",
    "learning": "one step of learning: the loss, the gradient, the update",
    "file": "what the model file holds",
    "training-run": "a real training run, epoch by epoch, from random filters",
    "overfitting": "the same network trained on 100 digits and on 2,000",
    "augmentation": "100 digits, with and without augmentation",
    "transfer": "new shapes from a few drawings: frozen digit filters against learning from scratch",
    "mistakes": "its most confident mistakes on digits it never trained on",
    "design": "two networks' designs scored on the same held-out digits",
    "not-a-digit": "the decision for a drawing that is not a digit",
}
FIELDS = {  # a step's fields: (required, type, most characters)
    "id": (True, str, 32),
    "title": (True, str, 80),
    "view": (True, str, 20),
    "text": (True, str, 700),
    "minutes": (True, int, None),
    "question": (False, str, 20),
    "layer": (False, str, 12),
    "misconception": (False, str, 200),
    "discussion": (False, str, 500),
    "notes": (False, str, 1500),
}
TOP = {"title": 80, "summary": 400}  # the lesson's own fields and their most characters, besides its steps


class LessonError(InputError):
    """A lesson file that cannot be used; the message is one sentence naming where and what."""


@dataclass(frozen=True)
class Step:
    """One step of a lesson: what it shows, what it says, what it asks, and what the teacher needs to know."""

    id: str  # short and unique in its lesson: links and the class name a step by it
    title: str
    view: str  # a key of VIEWS
    text: str  # two or three sentences for the students
    minutes: int
    question: str | None = None  # a key of cnnviz.lesson.questions.QUESTIONS: asked before the view is shown
    layer: str | None = None  # "conv 2", "activation 1", "pool 1": which layer a maps or cell view looks at
    misconception: str = ""  # the wrong idea the step is built to surface
    discussion: str = ""  # a prompt for the class
    notes: str = ""  # for the teacher


@dataclass(frozen=True)
class Lesson:
    """A lesson as read from its file, and the file itself (to download, edit and open again)."""

    name: str  # a built-in's file name ("reading"), or "yours" for one opened from a file
    title: str
    summary: str
    steps: tuple[Step, ...]
    text: str  # the TOML as written

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)

    def number(self, step_id: str) -> int | None:
        """The 1-based number of the step with this id, or None."""
        return next((n for n, step in enumerate(self.steps, 1) if step.id == step_id), None)


def _step_lines(text: str) -> list[int]:
    """The line number of each [[step]] header, in order (for error messages)."""
    return [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*step\s*\]\]", line)]


def _key_line(text: str, key: str, start: int, end: int | None) -> int:
    """The line where `key =` is set between two line numbers (the step's header and the next), else start."""
    lines = text.splitlines()
    for n in range(start, min(end or len(lines), len(lines)) + 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[n - 1]):
            return n
    return start


def _check_string(value, where: str, key: str, limit: int, required: bool) -> str:
    if not isinstance(value, str):
        raise LessonError(f"{where}: {key} must be text in quotes, not {type(value).__name__} {value!r:.40}.")
    value = value.strip()
    if required and not value:
        raise LessonError(f"{where}: {key} is empty.")
    if len(value) > limit:
        raise LessonError(f"{where}: {key} is {len(value)} characters long; at most {limit} are allowed.")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise LessonError(f"{where}: {key} holds a control character; use plain text.")
    return value


def _check_step(table, number: int, text: str, lines: list[int], seen: set[str]) -> Step:
    """One [[step]] table checked field by field; LessonError naming the step, its line and what is wrong."""
    start = lines[number - 1] if number <= len(lines) else None
    end = lines[number] - 1 if number < len(lines) else None

    def at(key: str | None = None) -> str:  # "Step 3 (line 27)": where the step, or one of its fields, is written
        return f"Step {number}" + (f" (line {_key_line(text, key, start, end) if key else start})" if start else "")

    if not isinstance(table, dict):
        raise LessonError(f"{at()} is not a table of fields: write each step as a [[step]] block.")
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise LessonError(f"{at(unknown[0])}: unknown field {unknown[0]!r}; a step's fields are {', '.join(FIELDS)}.")
    values = {}
    for key, (required, kind, limit) in FIELDS.items():
        if key not in table:
            if required:
                needed = ", ".join(k for k, (must, _, _) in FIELDS.items() if must)
                raise LessonError(f"{at()} has no {key}; every step needs {needed}.")
            continue
        value = table[key]
        if kind is str:
            values[key] = _check_string(value, at(key), key, limit, required)
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
            raise LessonError(f"{at(key)}: {key} must be a whole number from 1 to {MAX_MINUTES}, not {value!r:.40}.")
        else:
            values[key] = value
    if not ID.fullmatch(values["id"]):
        raise LessonError(
            f"{at('id')}: id {values['id']!r:.40} must be 1 to 32 small letters, digits, - or _, starting with a "
            "letter or digit."
        )
    if values["id"] in seen:
        raise LessonError(f"{at('id')}: id {values['id']!r} is used by an earlier step; each step needs its own.")
    seen.add(values["id"])
    if values["view"] not in VIEWS:
        raise LessonError(f"{at('view')}: there is no view {values['view']!r:.40}; the views are {', '.join(VIEWS)}.")
    question = values.get("question") or None
    if question is not None and question not in QUESTIONS:
        raise LessonError(
            f"{at('question')}: there is no question {question!r:.40}; the questions are {', '.join(QUESTIONS)}."
        )
    layer = values.get("layer") or None
    if layer is not None and not LAYER.fullmatch(layer):
        raise LessonError(
            f'{at("layer")}: layer {layer!r:.40} must be "conv N", "activation N" or "pool N" (N: 1 to 9).'
        )
    return Step(**{**values, "question": question, "layer": layer})


def parse_lesson(data: str | bytes, name: str = "yours") -> Lesson:
    """A lesson from the text of its TOML file; LessonError with one sentence naming where and what is wrong."""
    if len(data) > MAX_LESSON_BYTES:
        raise LessonError(
            f"The lesson file is {len(data) / 1024:.0f} KB; lessons are limited to {MAX_LESSON_BYTES // 1024} KB."
        )
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise LessonError(f"Line {line} of the lesson file is not UTF-8 text: save it as UTF-8.") from None
    text = data.removeprefix("\ufeff")  # a byte-order mark some editors add
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LessonError(f"The lesson file is not valid TOML: {error}.") from None
    except RecursionError:
        raise LessonError("The lesson file nests brackets too deeply to be a lesson.") from None
    unknown = sorted(set(table) - {*TOP, "step"})
    if unknown:
        line = _key_line(text, unknown[0], 1, None)
        raise LessonError(
            f"Line {line}: unknown field {unknown[0]!r}; a lesson has {', '.join(TOP)} and its [[step]] blocks."
        )
    if "title" not in table:
        raise LessonError('The lesson has no title: start the file with a line such as title = "My lesson".')
    title = _check_string(table["title"], f"Line {_key_line(text, 'title', 1, None)}", "title", TOP["title"], True)
    summary = _check_string(table.get("summary", ""), "The lesson", "summary", TOP["summary"], False)
    steps = table.get("step")
    if not isinstance(steps, list) or not steps:
        raise LessonError("The lesson has no steps: add at least one [[step]] block.")
    if len(steps) > MAX_STEPS:
        raise LessonError(f"The lesson has {len(steps)} steps; at most {MAX_STEPS} are allowed.")
    lines, seen = _step_lines(text), set()
    checked = tuple(_check_step(step, number, text, lines, seen) for number, step in enumerate(steps, 1))
    return Lesson(name, title, summary, checked, text)


@dataclass(frozen=True)
class StepNow:
    """Where a lesson is: the step on screen and its question. What a class follows when the teacher moves on."""

    lesson: Lesson
    number: int  # 1-based
    question: Question | None  # asked before the view; None for a step that asks nothing (or this network lacks it)

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.number - 1]

    @property
    def total(self) -> int:
        return len(self.lesson.steps)

    @property
    def label(self) -> str:
        """ "Step 3 of 12": how the page names it."""
        return f"Step {self.number} of {self.total}"

    @property
    def short(self) -> str:
        """ "3 / 12": as Present numbers its stages."""
        return f"{self.number} / {self.total}"


def layer_of(model: Network, spec: str | None) -> str:
    """The layer a step's layer field names in this model ("activation 2": what the second conv's activation gives):
    the first conv without one, and the nearest there is in a smaller model (conv 3 of a two-conv network: conv 2)."""
    convs = model.conv_layers()
    found = LAYER.fullmatch(spec or "conv 1")
    kind, number = found[1], int(found[2])
    conv = convs[min(number, len(convs)) - 1]
    if kind == "activation":
        return model.activated(conv)
    if kind == "pool":
        pool = pool_after(model, conv)
        return pool.name if pool is not None else model.activated(conv)
    return conv


def builtin_lesson(name: str) -> Lesson:
    """A built-in lesson by its name (LessonError naming them for any other)."""
    if name not in BUILTIN:
        raise LessonError(f"There is no built-in lesson {name!r:.40}; they are {', '.join(BUILTIN)}.")
    return parse_lesson((BUILTIN_DIR / f"{name}.toml").read_text(encoding="utf-8"), name)


def builtin_lessons() -> dict[str, Lesson]:
    """Every built-in lesson by name, in menu order."""
    return {name: builtin_lesson(name) for name in BUILTIN}
