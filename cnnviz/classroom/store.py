"""Where a class lives: its code, its students' nicknames, the questions asked and the answers given.

One database shared by every replica: an SQLite file by default (WAL, so many sessions write at once),
PostgreSQL when CNNVIZ_DATABASE_URL names one. The schema is made, and upgraded, here at first use.
Nothing personal is kept: a nickname (optional) and answers, deleted when the class ends or after a day.
"""

import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, create_engine, delete, event, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from cnnviz.classroom.codes import clean_code, new_code, new_token
from cnnviz.classroom.questions import Question
from cnnviz.classroom.records import (
    LIFETIME,
    MAX_NICKNAME,
    MAX_PICTURES,
    MAX_QUESTIONS,
    MAX_RUNS,
    MAX_STUDENTS,
    MAX_WEIGHTS_BYTES,
    SCHEMA_VERSION,
    Asked,
    ClassError,
    Picture,
    SharedRun,
    clean_nickname,
)

DATABASE_URL_VARIABLE = "CNNVIZ_DATABASE_URL"
DATA_DIR_VARIABLE = "CNNVIZ_DATA_DIR"


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    __tablename__ = "cnnviz_schema"
    version: Mapped[int] = mapped_column(Integer, primary_key=True)


class ClassRow(Base):
    __tablename__ = "cnnviz_class"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    teacher_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float]
    ended_at: Mapped[float | None]


class StudentRow(Base):
    __tablename__ = "cnnviz_student"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    class_code: Mapped[str] = mapped_column(ForeignKey("cnnviz_class.code", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(MAX_NICKNAME))
    joined_at: Mapped[float]


class QuestionRow(Base):
    __tablename__ = "cnnviz_question"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    class_code: Mapped[str] = mapped_column(ForeignKey("cnnviz_class.code", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)  # the Question as JSON
    asked_at: Mapped[float]
    revealed: Mapped[bool] = mapped_column(default=False)


class AnswerRow(Base):
    __tablename__ = "cnnviz_answer"
    question_id: Mapped[int] = mapped_column(
        ForeignKey("cnnviz_question.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    student_id: Mapped[str] = mapped_column(ForeignKey("cnnviz_student.id", ondelete="CASCADE"), primary_key=True)
    choice: Mapped[int]
    answered_at: Mapped[float]


class PictureRow(Base):
    __tablename__ = "cnnviz_picture"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    class_code: Mapped[str] = mapped_column(ForeignKey("cnnviz_class.code", ondelete="CASCADE"), index=True)
    student_id: Mapped[str] = mapped_column(String(32))
    nickname: Mapped[str] = mapped_column(String(MAX_NICKNAME))
    pixels: Mapped[bytes] = mapped_column(LargeBinary)  # the network's 28 x 28 input, uint8
    answer: Mapped[str] = mapped_column(String(80))
    confidence: Mapped[float]
    verdict: Mapped[str] = mapped_column(String(20))  # "digit", "unsure" or "not a digit"
    sent_at: Mapped[float]


class RunRow(Base):
    __tablename__ = "cnnviz_run"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    class_code: Mapped[str] = mapped_column(ForeignKey("cnnviz_class.code", ondelete="CASCADE"), index=True)
    student_id: Mapped[str] = mapped_column(String(32))
    nickname: Mapped[str] = mapped_column(String(MAX_NICKNAME))
    summary: Mapped[str] = mapped_column(Text)  # JSON: settings, final accuracies, curves
    weights: Mapped[bytes] = mapped_column(LargeBinary)
    sent_at: Mapped[float]


def default_url() -> str:
    """CNNVIZ_DATABASE_URL, else an SQLite file in CNNVIZ_DATA_DIR (default: ~/.cache/cnnviz)."""
    if os.environ.get(DATABASE_URL_VARIABLE):
        return os.environ[DATABASE_URL_VARIABLE]
    folder = Path(os.environ.get(DATA_DIR_VARIABLE) or Path.home() / ".cache" / "cnnviz")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'classes.sqlite3'}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _question_json(question: Question) -> str:
    return json.dumps(
        {
            "kind": question.kind,
            "prompt": question.prompt,
            "choices": list(question.choices),
            "correct": question.correct,
            "explanation": question.explanation,
            "pictures": [list(p) for p in question.pictures],
        }
    )


def _question(body: str) -> Question:
    values = json.loads(body)
    return Question(
        values["kind"],
        values["prompt"],
        tuple(values["choices"]),
        values["correct"],
        values["explanation"],
        tuple(values["pictures"]),
    )


class ClassStore:
    """Every class of one server (or of every replica sharing the database)."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        sqlite = self.url.startswith("sqlite")
        self.engine = create_engine(self.url, connect_args={"timeout": 15} if sqlite else {}, pool_pre_ping=not sqlite)
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._upgrade()

    def _upgrade(self) -> None:
        """Make the tables this version needs (and record the schema's version) if they are not there yet."""
        try:
            Base.metadata.create_all(self.engine)
        except DBAPIError:  # another replica made them at the same moment: they are there now
            Base.metadata.create_all(self.engine)
        with Session(self.engine) as session, session.begin():
            if session.get(SchemaVersion, SCHEMA_VERSION) is None:
                session.execute(delete(SchemaVersion))
                session.add(SchemaVersion(version=SCHEMA_VERSION))

    def start(self) -> tuple[str, str]:
        """A new class: (its join code, the teacher's secret token)."""
        self.expire()
        token = new_token()
        with Session(self.engine) as session, session.begin():
            code = new_code()
            while session.get(ClassRow, code) is not None:
                code = new_code()
            session.add(ClassRow(code=code, teacher_hash=_hash(token), created_at=time.time(), ended_at=None))
        return code, token

    def status(self, code: object) -> str:
        """ "active", "ended" or "unknown" (a code never given, or expired)."""
        code = clean_code(code)
        if code is None:
            return "unknown"
        with Session(self.engine) as session:
            row = session.get(ClassRow, code)
            if row is None or row.created_at < time.time() - LIFETIME:
                return "unknown"
            return "ended" if row.ended_at is not None else "active"

    def _active(self, session: Session, code: object) -> ClassRow:
        row = session.get(ClassRow, clean_code(code) or "")
        if row is None or row.created_at < time.time() - LIFETIME:
            raise ClassError("There is no class with that code: check it with your teacher.")
        if row.ended_at is not None:
            raise ClassError("This class has ended.")
        return row

    def _teacher(self, session: Session, code: str, token: str) -> ClassRow:
        row = self._active(session, code)
        if not isinstance(token, str) or not hmac.compare_digest(row.teacher_hash, _hash(token)):
            raise ClassError("Only the teacher who started this class can do that.")
        return row

    def is_teacher(self, code: str, token: str | None) -> bool:
        """Whether this token is the one that started the class."""
        with Session(self.engine) as session:
            try:
                self._teacher(session, code, token or "")
            except ClassError:
                return False
            return True

    def join(self, code: object, nickname: object = "") -> str:
        """Join a class; returns the student's id (kept by their session only)."""
        with Session(self.engine) as session, session.begin():
            row = self._active(session, code)
            count = session.scalar(select(func.count()).where(StudentRow.class_code == row.code))
            if count >= MAX_STUDENTS:
                raise ClassError(f"This class is full ({MAX_STUDENTS} students).")
            student = secrets.token_hex(16)
            session.add(
                StudentRow(id=student, class_code=row.code, nickname=clean_nickname(nickname), joined_at=time.time())
            )
        return student

    def students(self, code: str) -> int:
        """How many have joined."""
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).where(StudentRow.class_code == clean_code(code))) or 0

    def ask(self, code: str, token: str, question: Question) -> int:
        """Ask the class a question (the previous one closes); returns its id."""
        with Session(self.engine) as session, session.begin():
            row = self._teacher(session, code, token)
            count = session.scalar(select(func.count()).where(QuestionRow.class_code == row.code))
            if count >= MAX_QUESTIONS:
                raise ClassError(f"This class has asked {MAX_QUESTIONS} questions, as many as it can keep.")
            asked = QuestionRow(
                class_code=row.code, kind=question.kind, body=_question_json(question), asked_at=time.time()
            )
            session.add(asked)
            session.flush()
            return asked.id

    def current(self, code: str) -> Asked | None:
        """The class's latest question, or None before the first."""
        with Session(self.engine) as session:
            row = session.scalars(
                select(QuestionRow)
                .where(QuestionRow.class_code == clean_code(code))
                .order_by(QuestionRow.id.desc())
                .limit(1)
            ).first()
            return None if row is None else Asked(row.id, row.revealed, _question(row.body))

    def answer(self, code: str, student: str, question_id: int, choice: int) -> None:
        """A student's answer to the current question; a second one replaces the first until the reveal."""
        with Session(self.engine) as session, session.begin():
            row, member = self._member(session, code, student)
            asked = session.get(QuestionRow, question_id if isinstance(question_id, int) else -1)
            latest = session.scalar(select(func.max(QuestionRow.id)).where(QuestionRow.class_code == row.code))
            if asked is None or asked.class_code != row.code or asked.id != latest:
                raise ClassError("That question is closed: the teacher has asked another.")
            if asked.revealed:
                raise ClassError("The answer has been revealed: answers are closed.")
            if (
                not isinstance(choice, int)
                or isinstance(choice, bool)
                or not 0 <= choice < len(_question(asked.body).choices)
            ):
                raise ClassError("That is not one of the choices.")
            given = session.get(AnswerRow, (asked.id, member.id))
            if given is None:
                session.add(
                    AnswerRow(question_id=asked.id, student_id=member.id, choice=choice, answered_at=time.time())
                )
            else:
                given.choice, given.answered_at = choice, time.time()

    def my_answer(self, question_id: int, student: str) -> int | None:
        """The choice this student gave, if any."""
        with Session(self.engine) as session:
            given = session.get(AnswerRow, (question_id, student))
            return None if given is None else given.choice

    def tally(self, question_id: int) -> list[int]:
        """How many students chose each choice."""
        with Session(self.engine) as session:
            asked = session.get(QuestionRow, question_id)
            if asked is None:
                return []
            counts = [0] * len(_question(asked.body).choices)
            rows = session.execute(
                select(AnswerRow.choice, func.count())
                .where(AnswerRow.question_id == question_id)
                .group_by(AnswerRow.choice)
            )
            for choice, count in rows:
                counts[choice] = count
            return counts

    def reveal(self, code: str, token: str, question_id: int) -> None:
        """Close the answers and show them."""
        with Session(self.engine) as session, session.begin():
            row = self._teacher(session, code, token)
            asked = session.get(QuestionRow, question_id)
            if asked is None or asked.class_code != row.code:
                raise ClassError("That question is not this class's.")
            asked.revealed = True

    def end(self, code: str, token: str) -> None:
        """End the class: everything of it is deleted; only the code stays, so students are told it ended."""
        with Session(self.engine) as session, session.begin():
            row = self._teacher(session, code, token)
            self._delete_contents(session, row.code)
            row.ended_at = time.time()

    def expire(self, now: float | None = None) -> int:
        """Delete every class started more than LIFETIME ago; returns how many."""
        cutoff = (now or time.time()) - LIFETIME
        with Session(self.engine) as session, session.begin():
            codes = list(session.scalars(select(ClassRow.code).where(ClassRow.created_at < cutoff)))
            for code in codes:
                self._delete_contents(session, code)
            session.execute(delete(ClassRow).where(ClassRow.code.in_(codes)))
            return len(codes)

    def _member(self, session: Session, code: object, student: object) -> tuple[ClassRow, StudentRow]:
        row = self._active(session, code)
        member = session.get(StudentRow, student if isinstance(student, str) else "")
        if member is None or member.class_code != row.code:
            raise ClassError("Join the class first.")
        return row, member

    def _room(self, session: Session, table, code: str, student: str, caps: tuple[int, int], what: str) -> None:
        mine = session.scalar(select(func.count()).select_from(table).where(table.student_id == student))
        everyone = session.scalar(select(func.count()).select_from(table).where(table.class_code == code))
        if mine >= caps[0]:
            raise ClassError(f"You have sent {caps[0]} {what} already, as many as one student can.")
        if everyone >= caps[1]:
            raise ClassError(f"The class has {caps[1]} {what}, as many as it can keep.")

    def send_picture(self, code: str, student: str, pixels: bytes, answer: str, confidence: float, verdict: str) -> int:
        """Add an image (the network's 28 x 28 input as bytes) and the network's answer to the class gallery."""
        if not isinstance(pixels, bytes) or len(pixels) != 28 * 28:
            raise ClassError("Only the network's 28 x 28 input can be sent to the gallery.")
        with Session(self.engine) as session, session.begin():
            row, member = self._member(session, code, student)
            self._room(session, PictureRow, row.code, member.id, MAX_PICTURES, "pictures")
            entry = PictureRow(
                class_code=row.code,
                student_id=member.id,
                nickname=member.nickname,
                pixels=pixels,
                answer=str(answer)[:80],
                confidence=float(confidence),
                verdict=str(verdict)[:20],
                sent_at=time.time(),
            )
            session.add(entry)
            session.flush()
            return entry.id

    def gallery(self, code: str) -> list[Picture]:
        """The class's pictures, those that fooled the network or left it unsure first, then the least confident."""
        with Session(self.engine) as session:
            rows = session.scalars(select(PictureRow).where(PictureRow.class_code == clean_code(code)))
            pictures = [Picture(r.id, r.nickname, r.pixels, r.answer, r.confidence, r.verdict) for r in rows]
        return sorted(pictures, key=lambda p: (p.verdict == "digit", p.confidence, p.id))

    def delete_picture(self, code: str, token: str, picture: int) -> None:
        """The teacher removes a picture from the gallery."""
        with Session(self.engine) as session, session.begin():
            row = self._teacher(session, code, token)
            session.execute(delete(PictureRow).where(PictureRow.id == picture, PictureRow.class_code == row.code))

    def send_run(self, code: str, student: str, summary: dict, weights: bytes) -> int:
        """Share a finished training run (its summary and weights) with the class."""
        if not isinstance(weights, bytes) or len(weights) > MAX_WEIGHTS_BYTES:
            raise ClassError("That model is larger than the class can keep (8 MB).")
        text = json.dumps(summary, allow_nan=False)
        if len(text) > 200_000:
            raise ClassError("That run's record is too long to share.")
        with Session(self.engine) as session, session.begin():
            row, member = self._member(session, code, student)
            self._room(session, RunRow, row.code, member.id, MAX_RUNS, "runs")
            run = RunRow(
                class_code=row.code,
                student_id=member.id,
                nickname=member.nickname,
                summary=text,
                weights=weights,
                sent_at=time.time(),
            )
            session.add(run)
            session.flush()
            return run.id

    def runs(self, code: str) -> list[SharedRun]:
        """The class's shared runs, best validation accuracy first."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(RunRow.id, RunRow.nickname, RunRow.summary).where(RunRow.class_code == clean_code(code))
            )
            runs = [SharedRun(i, n, json.loads(s)) for i, n, s in rows]
        return sorted(runs, key=lambda r: -(r.summary.get("val_accuracy") or 0))

    def run_weights(self, code: str, token: str, run: int) -> bytes:
        """A shared run's weights, for the teacher to open in Explore."""
        with Session(self.engine) as session:
            row = self._teacher(session, code, token)
            found = session.get(RunRow, run)
            if found is None or found.class_code != row.code:
                raise ClassError("That run is not this class's.")
            return found.weights

    @staticmethod
    def _delete_contents(session: Session, code: str) -> None:
        session.execute(delete(PictureRow).where(PictureRow.class_code == code))
        session.execute(delete(RunRow).where(RunRow.class_code == code))
        questions = select(QuestionRow.id).where(QuestionRow.class_code == code)
        session.execute(delete(AnswerRow).where(AnswerRow.question_id.in_(questions)))
        session.execute(delete(QuestionRow).where(QuestionRow.class_code == code))
        session.execute(delete(StudentRow).where(StudentRow.class_code == code))


def _sqlite_pragmas(connection, _record) -> None:
    """WAL: readers never wait for the writer, and writers queue instead of failing; foreign keys enforced."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
