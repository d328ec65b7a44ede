"""What a class keeps, as plain records and limits: light to import (no database library), for pages and tests."""

import unicodedata
from dataclasses import dataclass

from cnnviz.classroom.questions import Question

SCHEMA_VERSION = 2  # 2: the gallery and shared runs
LIFETIME = 24 * 3600  # seconds a class not ended is kept
MAX_STUDENTS = 200  # per class
MAX_QUESTIONS = 300  # per class
MAX_NICKNAME = 30  # characters
MAX_PICTURES = (20, 400)  # gallery entries per student, per class
MAX_RUNS = (5, 120)  # training runs shared per student, per class
MAX_WEIGHTS_BYTES = 8 * 1024 * 1024  # a shared run's weights: the upload limit


class ClassError(ValueError):
    """A request about a class that cannot be done, in one sentence for the person who made it."""


@dataclass(frozen=True)
class Picture:
    """An image a student sent to the class, with what the network made of it."""

    id: int
    nickname: str
    pixels: bytes
    answer: str
    confidence: float
    verdict: str


@dataclass(frozen=True)
class SharedRun:
    """A training run a student sent to the class."""

    id: int
    nickname: str
    summary: dict


@dataclass(frozen=True)
class Asked:
    """A question as asked in a class: its id, whether it is revealed yet, and the question."""

    id: int
    revealed: bool
    question: Question


def clean_nickname(text: object) -> str:
    """A nickname as it will be shown (literally): printable characters only, at most MAX_NICKNAME; may be empty."""
    if not isinstance(text, str):
        return ""
    kept = "".join(
        c for c in unicodedata.normalize("NFKC", text[:1000]) if unicodedata.category(c)[0] not in "CZ" or c == " "
    )
    return " ".join(kept.split())[:MAX_NICKNAME]
