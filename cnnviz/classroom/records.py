"""What a class keeps, as plain records and limits: light to import (no database library), for pages and tests.

Every limit a class meets is here, with its number; SECURITY.md lists them all.
"""

from dataclasses import dataclass, field

from cnnviz.classroom.questions import Question

LIFETIME = 24 * 3600  # seconds a class is kept at most (ended or not)
TEACHER_AWAY = 20  # seconds without a teacher's page open before students read "waiting for the teacher"
TEACHERLESS_END = 3600  # seconds with no teacher's page open before a class ends itself
MAX_STUDENTS = 200  # in one class at once
MAX_QUESTIONS = 300  # asked in one class
MAX_NICKNAME = 30  # characters
MAX_PICTURES = (20, 400)  # gallery entries kept per student, per class
MAX_RUNS = (5, 120)  # training runs kept per student, per class
MAX_WEIGHTS_BYTES = 8 * 1024 * 1024  # a shared run's weights: the upload limit
MAX_RUN_RECORD = 200_000  # characters of a shared run's summary (settings and curves) as JSON
ROUNDS = ("first vote", "second vote")  # a question is answered once, or twice with "Vote again" between

# (how many, in how many seconds): what one session, and the whole server, may try before waiting
WRONG_CODES_PER_SESSION = (5, 60)  # wrong class codes (or teacher PINs) typed by one browser session
WRONG_CODES_PER_SERVER = (100, 600)  # by everyone together: bounds guessing, far above a class's typos
CLASSES_PER_SESSION = (3, 3600)  # classes one browser session may start
CLASSES_PER_SERVER = (60, 3600)  # classes the server may start in all


UNREACHABLE = (  # what anyone in a class reads while its database cannot be used
    "The class's database cannot be reached right now; everything recorded so far is safe. Try again in a moment."
)
FILE_GONE = (
    "The class's database file was deleted or replaced on the server while the class ran, so this class is gone: "
    "start a new one (and ask whoever runs the server to keep that file)."
)


class ClassError(ValueError):
    """A request about a class that cannot be done, in one sentence for the person who made it."""


class ClassUnavailable(ClassError):
    """The class's database could not be used (stopped, unreachable, read-only, deleted); said in one sentence."""


@dataclass(frozen=True)
class Started:
    """A class just started: its join code, and the two secrets of its teacher."""

    code: str
    secret: str  # long and random: kept by the teacher's browser (session and cookie), never in a URL
    pin: str  # short, for the teacher to type on another device: "ABCD-EFGH"


@dataclass(frozen=True)
class Member:
    """A student in a class: their secret id (kept by their browser), their number in the class and nickname."""

    id: str
    number: int  # 1 for the first to join, and so on: tells students apart for the teacher
    nickname: str  # as they typed it (cleaned), shown literally; may be empty

    @property
    def name(self) -> str:
        """How the class sees them: the nickname, or their number when they gave none."""
        return self.nickname or f"student {self.number}"


@dataclass(frozen=True)
class Step:
    """Where the teacher is, for every student's page to follow: a step of some page, "N / M", and what it shows.

    A page that leads a class (Present's stages; a guided lesson) publishes its steps as these; the store
    keeps the latest and never looks inside beyond checking sizes.
    """

    page: str  # which page publishes it, e.g. "present"; a student's page draws it with that page's follower
    key: str  # the step's id on that page, e.g. "3"
    number: int  # N of "N / M"
    total: int  # M
    title: str
    picture: bytes = field(
        default=b"", repr=False
    )  # the image the step is about: the network's 28 x 28 input, uint8, or none
    model: str = ""  # the name of the model the step is about, or none
    view: str = ""  # what the step shows just now, in its page's words (a lesson: "maps conv 2"), or none

    @property
    def place(self) -> str:
        """What a student reads above the step: "3 / 9 · The filters it learned"."""
        return f"{self.number} / {self.total} · {self.title}"


@dataclass(frozen=True)
class Asked:
    """A question as asked in a class: its id, which vote is open, whether it is revealed, and the question."""

    id: int
    revealed: bool
    question: Question
    round: int = 1  # 1, or 2 after "Vote again"
    revealed_at: float | None = None


@dataclass(frozen=True)
class Snapshot:
    """What every page of a class polls for, in one read: enough to notice any change."""

    status: str  # "active", "ended" or "unknown" (never given, expired, or its database lost)
    students: int = 0
    locked: bool = False
    teacher_here: bool = False  # a teacher's page was open within TEACHER_AWAY seconds
    step: Step | None = None
    step_at: float = 0.0  # when the teacher last moved
    asked: Asked | None = None  # the latest question
    answered: int = 0  # answers to its open (or last) vote

    @property
    def showing(self) -> Asked | None:
        """The question students see: an open one, or a revealed one until the teacher moves on."""
        if self.asked is None or (self.asked.revealed and (self.asked.revealed_at or 0) < self.step_at):
            return None
        return self.asked

    def version(self) -> tuple:
        """Everything a page draws from this snapshot, except the live counts: a page redraws when it changes."""
        shown = self.showing
        step = self.step
        return (
            self.status,
            self.locked,
            self.teacher_here,
            None
            if step is None
            else (step.page, step.key, step.total, step.title, step.model, step.view, hash(step.picture)),
            None if shown is None else (shown.id, shown.round, shown.revealed),
        )


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
