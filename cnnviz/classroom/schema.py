"""The class database: its tables, its version, how an older one is brought up to date, and how it is opened.

One database shared by every replica: an SQLite file by default (WAL, so many sessions write at once;
secure_delete, so what is deleted is overwritten), PostgreSQL when CNNVIZ_DATABASE_URL names one.

Caps live in the database itself: each class (and student) row counts what it holds, a CHECK constraint
bounds each count, and every addition raises its count with one conditional UPDATE, so joins, questions,
pictures and runs racing from many replicas can never pass a cap.
"""

from pathlib import Path

from sqlalchemy import (
    CheckConstraint,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from cnnviz.classroom.place import (  # noqa: F401 - where the database is: named here too
    DATABASE_URL_VARIABLE,
    FILE_NAME,
    default_file,
    default_url,
    has_classes,
)
from cnnviz.classroom.records import MAX_NICKNAME, MAX_PICTURES, MAX_QUESTIONS, MAX_RUNS, MAX_STUDENTS
from cnnviz.saving import DATA_DIR_VARIABLE  # noqa: F401 - named here too

SCHEMA_VERSION = 3  # 2: the gallery and shared runs; 3: caps counted in the database, the teacher's PIN, steps, votes


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    __tablename__ = "cnnviz_schema"
    version: Mapped[int] = mapped_column(Integer, primary_key=True)


class ClassRow(Base):
    __tablename__ = "cnnviz_class"
    __table_args__ = (
        CheckConstraint(f"students BETWEEN 0 AND {MAX_STUDENTS}", name="class_students_cap"),
        CheckConstraint(f"questions BETWEEN 0 AND {MAX_QUESTIONS}", name="class_questions_cap"),
        CheckConstraint(f"pictures BETWEEN 0 AND {MAX_PICTURES[1]}", name="class_pictures_cap"),
        CheckConstraint(f"runs BETWEEN 0 AND {MAX_RUNS[1]}", name="class_runs_cap"),
    )
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    teacher_hash: Mapped[str] = mapped_column(String(64))  # of the teacher's long secret
    pin_hash: Mapped[str] = mapped_column(String(64))  # of the code and the teacher's PIN
    created_at: Mapped[float]
    ended_at: Mapped[float | None]
    teacher_seen_at: Mapped[float]  # a teacher's page last said it was open
    locked: Mapped[bool] = mapped_column(default=False)  # no one new may join
    students: Mapped[int] = mapped_column(default=0)  # in the class now
    joined: Mapped[int] = mapped_column(default=0)  # ever joined: the last student's number
    questions: Mapped[int] = mapped_column(default=0)
    pictures: Mapped[int] = mapped_column(default=0)
    runs: Mapped[int] = mapped_column(default=0)
    step: Mapped[str | None] = mapped_column(Text)  # the teacher's current step as JSON (records.Step)
    step_picture: Mapped[bytes | None] = mapped_column(LargeBinary)
    step_at: Mapped[float] = mapped_column(default=0.0)


class StudentRow(Base):
    __tablename__ = "cnnviz_student"
    __table_args__ = (
        UniqueConstraint("class_code", "number", name="student_number_once"),
        UniqueConstraint("class_code", "nickname_key", name="student_nickname_once"),  # NULLs (no nickname) differ
        CheckConstraint(f"pictures BETWEEN 0 AND {MAX_PICTURES[0]}", name="student_pictures_cap"),
        CheckConstraint(f"runs BETWEEN 0 AND {MAX_RUNS[0]}", name="student_runs_cap"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    class_code: Mapped[str] = mapped_column(ForeignKey("cnnviz_class.code", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    nickname: Mapped[str] = mapped_column(String(MAX_NICKNAME))
    nickname_key: Mapped[str | None] = mapped_column(String(4 * MAX_NICKNAME))  # how it looks (nicknames.py)
    joined_at: Mapped[float]
    pictures: Mapped[int] = mapped_column(default=0)
    runs: Mapped[int] = mapped_column(default=0)


class QuestionRow(Base):
    __tablename__ = "cnnviz_question"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    class_code: Mapped[str] = mapped_column(ForeignKey("cnnviz_class.code", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)  # the Question as JSON
    asked_at: Mapped[float]
    round: Mapped[int] = mapped_column(default=1)  # the open vote: 1, or 2 after "Vote again"
    revealed: Mapped[bool] = mapped_column(default=False)
    revealed_at: Mapped[float | None]


class AnswerRow(Base):
    __tablename__ = "cnnviz_answer"
    question_id: Mapped[int] = mapped_column(
        ForeignKey("cnnviz_question.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    student_id: Mapped[str] = mapped_column(ForeignKey("cnnviz_student.id", ondelete="CASCADE"), primary_key=True)
    round: Mapped[int] = mapped_column(primary_key=True)
    choice: Mapped[int]
    answered_at: Mapped[float]


class PictureRow(Base):
    __tablename__ = "cnnviz_picture"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    class_code: Mapped[str] = mapped_column(ForeignKey("cnnviz_class.code", ondelete="CASCADE"), index=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("cnnviz_student.id", ondelete="CASCADE"), index=True)
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
    student_id: Mapped[str] = mapped_column(ForeignKey("cnnviz_student.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(MAX_NICKNAME))
    summary: Mapped[str] = mapped_column(Text)  # JSON: settings, final accuracies, curves
    weights: Mapped[bytes] = mapped_column(LargeBinary)
    sent_at: Mapped[float]


def count_one_more(session, row, field: str, cap: int, *conditions, also: tuple[str, ...] = ()):
    """Add one to `row`'s count `field` (and to each count in `also`) in one conditional UPDATE, unless it is at
    `cap` already; returns the new count, or None at the cap. The database, not Python, settles a race."""
    table = type(row)
    keys = [column == getattr(row, column.key) for column in table.__table__.primary_key.columns]
    counted = getattr(table, field)
    return session.execute(
        update(table)
        .where(*keys, counted < cap, *conditions)
        .values({name: getattr(table, name) + 1 for name in (field, *also)})
        .returning(counted)
        .execution_options(synchronize_session=False)
    ).scalar()


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for another database, or SQLite in memory)."""
    if not url.startswith("sqlite:///") or url in ("sqlite://", "sqlite:///:memory:"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?")[0])


def open_engine(url: str) -> Engine:
    """An engine for the class database: SQLite with WAL, foreign keys and secure deletion; PostgreSQL checked
    before each use (a restarted server's dead connections are replaced) and given 5 s to answer a connect."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _sqlite_pragmas(connection, _record) -> None:
    """WAL: readers never wait for the writer, and writers queue instead of failing; foreign keys enforced;
    deleted rows overwritten with zeros, so a nickname does not linger in the file after the class ends."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def upgrade(engine: Engine) -> None:
    """Make the tables this version needs, or bring an older database up to this version.

    A class lives a day at most, so an older version's tables (and any class in them) are dropped and made
    anew rather than converted: the upgrade ends whatever ran on the old version.
    """
    with engine.begin() as connection:
        names = set(inspect(connection).get_table_names())
        found = None
        if SchemaVersion.__tablename__ in names:
            found = connection.scalar(select(SchemaVersion.version))
        if found == SCHEMA_VERSION:
            return
        if found is not None or names & set(Base.metadata.tables):
            Base.metadata.drop_all(connection)
        Base.metadata.create_all(connection)
        connection.execute(delete(SchemaVersion.__table__))
        connection.execute(SchemaVersion.__table__.insert().values(version=SCHEMA_VERSION))
