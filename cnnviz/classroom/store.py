"""The one door pages use to a class: every call one short transaction, its faults said in one sentence.

The parts behind it, each with its own tests: schema.py (tables, caps, upgrades), membership.py (codes,
teachers, students), answers.py (questions and votes), following.py (the teacher's step, what pages
poll), gallery.py (pictures and runs), expiry.py (ending, expiry, privacy), limits.py (guessing and
starting), faults.py (database failures). Nothing personal is kept: a nickname (optional) and answers,
deleted when the class ends, an hour after its teacher left, or a day after it started.
"""

import threading
import time
import weakref
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cnnviz.classroom import answers, expiry, following, gallery, membership
from cnnviz.classroom.codes import clean_code
from cnnviz.classroom.faults import FileWatch, retrying
from cnnviz.classroom.limits import Limits
from cnnviz.classroom.questions import Question
from cnnviz.classroom.records import (
    FILE_GONE,
    ClassError,
    ClassUnavailable,
    Member,
    Picture,
    SharedRun,
    Snapshot,
    Started,
    Step,
)
from cnnviz.classroom.schema import default_url, open_engine, sqlite_path, upgrade

TIDY_EVERY = 300  # seconds between two rounds of expiry while the server runs
T = TypeVar("T")


class ClassStore:
    """Every class of one server, or of every replica sharing the database."""

    def __init__(self, url: str | None = None, clock: Callable[[], float] = time.time):
        self.url = url  # None: CNNVIZ_DATABASE_URL or the SQLite file under CNNVIZ_DATA_DIR, found at first use
        self.clock = clock
        self.limits = Limits()
        self.lost_at: float | None = None  # when the SQLite file was found deleted or replaced
        self._engine: Engine | None = None
        self._watch = FileWatch(None)
        self._opening = threading.Lock()
        self._closed = threading.Event()

    # --- plumbing -------------------------------------------------------------------------------

    def _ready(self) -> Engine:
        """The engine, the database made or upgraded at first use; ClassUnavailable if its file was lost."""
        with self._opening:
            if self._engine is not None and self._watch.changed():
                self._engine.dispose()
                self._engine, self.lost_at = None, self.clock()
                raise ClassUnavailable(FILE_GONE)
            if self._engine is None:
                url = self.url or default_url()
                engine = open_engine(url)
                try:
                    retrying(lambda: upgrade(engine), pauses=(0.3,))  # another replica may be making it too
                except BaseException:
                    engine.dispose()
                    raise
                self.url, self._engine, self._watch = url, engine, FileWatch(sqlite_path(url))
                self._watch.remember()
            return self._engine

    def _run(self, work: Callable[[Session, float], T]) -> T:
        """work(session, now) in one transaction, retried while the database fails (see faults.retrying)."""

        def attempt() -> T:
            engine = self._ready()
            with Session(engine, expire_on_commit=False) as session:
                with session.begin():
                    result = work(session, self.clock())
                if session.info.get(expiry.SCRUB):
                    expiry.scrub(engine)
            return result

        try:
            return retrying(attempt)
        except IntegrityError:  # two writers met on one row (a double click on two replicas): the second tries again
            try:
                return retrying(attempt)
            except IntegrityError as error:
                raise ClassError("That could not be recorded just now: try again.") from error

    def _as_teacher(self, code: object, secret: object, work: Callable[..., T]) -> T:
        return self._run(lambda session, now: work(membership.teacher(session, code, secret, now), session, now))

    def _as_student(self, code: object, student: object, work: Callable[..., T]) -> T:
        def run(session: Session, now: float) -> T:
            row = membership.active(session, code, now)
            return work(row, membership.member_row(session, row, student), session, now)

        return self._run(run)

    # --- the teacher ----------------------------------------------------------------------------

    def start(self, session: str = "") -> Started:
        """A new class, if this browser session (and the server) may start one now."""
        self.limits.may_start(session)
        started = self._run(membership.start)
        self.limits.started_one(session)
        return started

    def take_back(self, code: object, pin: object, session: str = "") -> str:
        """The teacher's secret for a session that typed the class's code and PIN (guesses limited)."""
        self.limits.may_guess(session)
        try:
            return self._run(lambda s, now: membership.take_back(s, code, pin, now))
        except ClassUnavailable:
            raise
        except ClassError:
            self.limits.guessed_wrong(session)
            raise

    def is_teacher(self, code: object, secret: object, session: str | None = None) -> bool:
        """Whether `secret` is the teacher's of this running class; a `session` offering one counts as guessing."""
        if session is not None:
            self.limits.may_guess(session)
        try:
            self._as_teacher(code, secret, lambda row, s, now: None)
        except ClassUnavailable:
            raise
        except ClassError:
            if session is not None:
                self.limits.guessed_wrong(session)
            return False
        return True

    def heartbeat(self, code: object, secret: object) -> None:
        """A teacher's page is open (students are not kept waiting; the class is not abandoned)."""
        self._as_teacher(code, secret, lambda row, s, now: membership.heartbeat(row, now))

    def publish(self, code: object, secret: object, step: Step) -> None:
        """Move the class to the teacher's step (every student's page follows)."""
        self._as_teacher(code, secret, lambda row, s, now: following.publish(row, step, now))

    def ask(self, code: object, secret: object, question: Question) -> int:
        """Ask the class a question (the previous one closes); returns its id."""
        return self._as_teacher(code, secret, lambda row, s, now: answers.ask(s, row, question, now))

    def vote_again(self, code: object, secret: object, question_id: int) -> None:
        """Close the first vote unrevealed and open the second."""
        self._as_teacher(code, secret, lambda row, s, now: answers.vote_again(s, row, question_id))

    def reveal(self, code: object, secret: object, question_id: int) -> None:
        """Close the votes and show them."""
        self._as_teacher(code, secret, lambda row, s, now: answers.reveal(s, row, question_id, now))

    def lock(self, code: object, secret: object, locked: bool) -> None:
        """Close the class to new students, or open it again."""
        self._as_teacher(code, secret, lambda row, s, now: membership.lock(s, row, locked))

    def roster(self, code: object, secret: object) -> list[Member]:
        """Everyone in the class, in the order they joined (for the teacher)."""
        return self._as_teacher(code, secret, lambda row, s, now: membership.roster(s, row))

    def remove(self, code: object, secret: object, number: int) -> Member:
        """Take student `number` out of the class, with their answers, pictures and runs."""
        return self._as_teacher(code, secret, lambda row, s, now: membership.remove(s, row, number))

    def end(self, code: object, secret: object) -> None:
        """End the class: everything of it is deleted; only the code stays, so students are told it ended."""
        self._as_teacher(code, secret, lambda row, s, now: expiry.end(s, row, now))

    def delete_picture(self, code: object, secret: object, picture: int) -> None:
        """The teacher removes a picture from the gallery."""
        self._as_teacher(code, secret, lambda row, s, now: gallery.delete_picture(s, row, picture))

    def run_weights(self, code: object, secret: object, run: int) -> bytes:
        """A shared run's weights, for the teacher to open in Explore."""
        return self._as_teacher(code, secret, lambda row, s, now: gallery.run_weights(s, row, run))

    # --- students -------------------------------------------------------------------------------

    def join(self, code: object, nickname: object = "", session: str = "") -> Member:
        """Join a running class (wrong codes limited per session and per server; one sentence for any of them)."""
        self.limits.may_guess(session)
        try:
            return self._run(lambda s, now: membership.join(s, code, nickname, now))
        except ClassError as error:
            if str(error) == membership.NO_CLASS:
                self.limits.guessed_wrong(session)
            raise

    def member(self, code: object, student: object) -> Member | None:
        """The student with this id in this class (a reloaded page finds itself again), or None."""
        return self._run(lambda s, now: membership.member(s, code, student))

    def answer(self, code: object, student: object, question_id: int, choice: int) -> None:
        """A student's answer to the open vote (a second one replaces the first until the vote closes)."""
        self._as_student(code, student, lambda row, me, s, now: answers.answer(s, row, me, question_id, choice, now))

    def send_picture(
        self, code: object, student: object, pixels: bytes, answer: str, confidence: float, verdict: str
    ) -> int:
        """Add an image (the network's 28 x 28 input as bytes) and the network's answer to the class gallery."""
        return self._as_student(
            code,
            student,
            lambda row, me, s, now: gallery.send_picture(s, me, pixels, answer, confidence, verdict, now),
        )

    def send_run(self, code: object, student: object, summary: dict, weights: bytes) -> int:
        """Share a finished training run (its summary and weights) with the class."""
        return self._as_student(code, student, lambda row, me, s, now: gallery.send_run(s, me, summary, weights, now))

    # --- everyone -------------------------------------------------------------------------------

    def snapshot(self, code: object) -> Snapshot:
        """What a page polls: status, counts, the teacher's presence, step and latest question."""
        found = self._run(lambda s, now: following.snapshot(s, membership.find(s, code, now), now))
        return Snapshot("lost") if found.status == "unknown" and self.lost_at is not None else found

    def status(self, code: object) -> str:
        """ "active", "ended", "unknown" (never given or expired) or "lost" (its database file was deleted)."""
        return self.snapshot(code).status

    def mine(self, question_id: int, student: object) -> list[int | None]:
        """A student's choice in each vote so far."""
        return self._run(lambda s, now: answers.mine(s, question_id, student))

    def tally(self, question_id: int) -> list[list[int]]:
        """How many chose each choice, one list per vote held so far."""
        return self._run(lambda s, now: answers.tally(s, question_id))

    def gallery(self, code: object) -> list[Picture]:
        """The class's pictures, those that fooled the network or left it unsure first."""
        return self._run(lambda s, now: gallery.pictures(s, clean_code(code) or ""))

    def runs(self, code: object) -> list[SharedRun]:
        """The class's shared runs, best validation accuracy first."""
        return self._run(lambda s, now: gallery.runs(s, clean_code(code) or ""))

    # --- housekeeping ---------------------------------------------------------------------------

    def expire(self, now: float | None = None) -> int:
        """End or delete every class whose time has come; returns how many."""
        return self._run(lambda s, clock_now: expiry.expire(s, clock_now if now is None else now))

    def keep_tidy(self, every: float = TIDY_EVERY) -> threading.Thread:
        """Expire now and then every `every` seconds, in a background thread, until close()."""
        mine = weakref.ref(self)
        closed = self._closed

        def loop() -> None:
            while not closed.is_set():
                store = mine()
                if store is None:
                    return
                try:
                    store.expire()
                except ClassError:  # the database is away: next time
                    pass
                del store
                closed.wait(every)

        thread = threading.Thread(target=loop, name="cnnviz-class-expiry", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop expiring and let go of the database's connections."""
        self._closed.set()
        if self._engine is not None:
            self._engine.dispose()
