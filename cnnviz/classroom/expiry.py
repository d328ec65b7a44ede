"""When a class ends, and what is left of it then: nothing personal.

A class ends when its teacher ends it, when no teacher's page has been open for TEACHERLESS_END, or a
day (LIFETIME) after it started; a day after it started even its code is deleted. Expiry runs on a
timer, at every server start, and whenever an expired class is read, so no class outlives its promise
because nobody started another.

Ending deletes every student, answer, question, picture and run of the class; on SQLite, deleted rows
are overwritten (secure_delete) and the write-ahead log is checkpointed and truncated, so a nickname is
found in none of the database's files afterwards.
"""

import time

from sqlalchemy import Engine, delete, or_, select, update
from sqlalchemy.orm import Session

from cnnviz.classroom.records import LIFETIME, TEACHERLESS_END
from cnnviz.classroom.schema import AnswerRow, ClassRow, PictureRow, QuestionRow, RunRow, StudentRow

SCRUB = "scrub"  # a session.info flag: something personal was deleted, checkpoint once committed


def too_old(row: ClassRow, now: float) -> bool:
    """Whether a class started more than LIFETIME ago (its code goes too)."""
    return row.created_at < now - LIFETIME


def abandoned(row: ClassRow, now: float) -> bool:
    """Whether a running class has had no teacher's page open for TEACHERLESS_END."""
    return row.ended_at is None and row.teacher_seen_at < now - TEACHERLESS_END


def empty(session: Session, code: str) -> None:
    """Delete everything a class holds but its row, and set its counts back to zero."""
    students = select(StudentRow.id).where(StudentRow.class_code == code)
    questions = select(QuestionRow.id).where(QuestionRow.class_code == code)
    session.execute(
        delete(AnswerRow).where(or_(AnswerRow.question_id.in_(questions), AnswerRow.student_id.in_(students)))
    )
    for table in (PictureRow, RunRow, QuestionRow, StudentRow):
        session.execute(delete(table).where(table.class_code == code))
    session.execute(
        update(ClassRow)
        .where(ClassRow.code == code)
        .values(students=0, questions=0, pictures=0, runs=0, step=None, step_picture=None)
        .execution_options(synchronize_session=False)
    )
    session.info[SCRUB] = True


def end(session: Session, row: ClassRow, now: float) -> None:
    """End a class: everything of it deleted; its code stays (until LIFETIME) so its students are told."""
    empty(session, row.code)
    row.ended_at = row.ended_at or now


def settle(session: Session, row: ClassRow | None, now: float) -> ClassRow | None:
    """A class as read, after what its time asks: deleted (None) when too old, ended when abandoned."""
    if row is None:
        return None
    if too_old(row, now):
        empty(session, row.code)
        session.delete(row)
        return None
    if abandoned(row, now):
        end(session, row, now)
    return row


def expire(session: Session, now: float | None = None) -> int:
    """Settle every class whose time has come; returns how many were ended or deleted."""
    now = time.time() if now is None else now
    due = session.scalars(
        select(ClassRow).where(
            or_(
                ClassRow.created_at < now - LIFETIME,
                (ClassRow.ended_at.is_(None)) & (ClassRow.teacher_seen_at < now - TEACHERLESS_END),
            )
        )
    ).all()
    for row in due:
        settle(session, row, now)
    return len(due)


def scrub(engine: Engine) -> None:
    """Fold SQLite's write-ahead log into the file and truncate it, so deleted rows linger in neither.

    PostgreSQL keeps deleted rows in its files until autovacuum reuses the space (SECURITY.md says so).
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
