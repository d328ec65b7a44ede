"""Who is in a class: its code and its teacher's secrets, students joining (once each, under the cap, with a
nickname nobody else's looks like), the teacher locking the door, taking the class back, removing a student.

Functions take an open session (the façade, store.py, owns transactions) and the time.
"""

import hashlib
import hmac
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cnnviz.classroom import expiry
from cnnviz.classroom.codes import clean_code, clean_pin, new_code, new_pin, new_token
from cnnviz.classroom.nicknames import clean_nickname, is_reserved, nickname_key
from cnnviz.classroom.records import MAX_STUDENTS, ClassError, Member, Started
from cnnviz.classroom.schema import AnswerRow, ClassRow, PictureRow, RunRow, StudentRow, count_one_more

NO_CLASS = "There is no running class with that code: check it with your teacher."  # wrong and ended alike
NOT_TEACHER = "Only the class's teacher can do that."
WRONG_PIN = "That code and PIN do not match a running class: check both."
LOCKED = "This class is closed to new students: ask your teacher to open it."
TAKEN = "Someone in this class has that nickname, or one that looks the same: choose another."
RESERVED = "Nicknames with the word “teacher” are kept for the teacher: choose another."


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _pin_hash(code: str, pin: str) -> str:
    return _hash(f"{code}:{pin}")


def start(session: Session, now: float) -> Started:
    """A new class: its code, the teacher's long secret and PIN."""
    secret, pin = new_token(), new_pin()
    code = new_code()
    while session.get(ClassRow, code) is not None:
        code = new_code()
    session.add(
        ClassRow(
            code=code,
            teacher_hash=_hash(secret),
            pin_hash=_pin_hash(code, clean_pin(pin)),
            created_at=now,
            ended_at=None,
            teacher_seen_at=now,
        )
    )
    return Started(code, secret, pin)


def find(session: Session, code: object, now: float) -> ClassRow | None:
    """The class with this code as its time leaves it (expired ones ended or deleted on reading), or None."""
    code = clean_code(code)
    return None if code is None else expiry.settle(session, session.get(ClassRow, code), now)


def active(session: Session, code: object, now: float) -> ClassRow:
    """The running class with this code; ClassError (one sentence for unknown and ended alike) otherwise."""
    row = find(session, code, now)
    if row is None or row.ended_at is not None:
        raise ClassError(NO_CLASS)
    return row


def is_secret_of(row: ClassRow, secret: object) -> bool:
    """Whether `secret` is this class's teacher's: the long secret, or the PIN in any case or spacing."""
    if not isinstance(secret, str) or not secret or len(secret) > 200:
        return False
    pin = clean_pin(secret)
    by_pin = pin is not None and hmac.compare_digest(row.pin_hash, _pin_hash(row.code, pin))
    return hmac.compare_digest(row.teacher_hash, _hash(secret)) or by_pin


def teacher(session: Session, code: object, secret: object, now: float) -> ClassRow:
    """The running class, if `secret` is its teacher's; ClassError otherwise."""
    row = active(session, code, now)
    if not is_secret_of(row, secret):
        raise ClassError(NOT_TEACHER)
    return row


def take_back(session: Session, code: object, pin: object, now: float) -> str:
    """The teacher's secret for this session, given the class's code and PIN; ClassError if they do not match."""
    row = find(session, code, now)
    if row is None or row.ended_at is not None or not is_secret_of(row, pin) or clean_pin(pin) is None:
        raise ClassError(WRONG_PIN)
    row.teacher_seen_at = now
    return clean_pin(pin)


def join(session: Session, code: object, nickname: object, now: float) -> Member:
    """A student joins: counted against MAX_STUDENTS by the database itself, the nickname unique by its looks."""
    row = active(session, code, now)
    name = clean_nickname(nickname)
    if is_reserved(name):
        raise ClassError(RESERVED)
    if row.locked:
        raise ClassError(LOCKED)
    if count_one_more(session, row, "students", MAX_STUDENTS, ~ClassRow.locked, also=("joined",)) is None:
        raise ClassError(f"This class is full ({MAX_STUDENTS} students).")
    number = session.scalar(select(ClassRow.joined).where(ClassRow.code == row.code))  # this transaction's own
    member = Member(secrets.token_hex(16), number, name)
    session.add(
        StudentRow(
            id=member.id,
            class_code=row.code,
            number=number,
            nickname=name,
            nickname_key=nickname_key(name) or None,
            joined_at=now,
        )
    )
    try:
        session.flush()
    except IntegrityError as error:
        raise ClassError(TAKEN) from error
    return member


def _member(row: StudentRow) -> Member:
    return Member(row.id, row.number, row.nickname)


def member(session: Session, code: object, student: object) -> Member | None:
    """The student with this id in this class, or None (never joined, removed, or the class is gone)."""
    found = session.get(StudentRow, student) if isinstance(student, str) else None
    return None if found is None or found.class_code != clean_code(code) else _member(found)


def member_row(session: Session, row: ClassRow, student: object) -> StudentRow:
    """The row of a student of this class; ClassError if they are not in it."""
    found = session.get(StudentRow, student) if isinstance(student, str) else None
    if found is None or found.class_code != row.code:
        raise ClassError("You are not in this class: join it again.")
    return found


def roster(session: Session, row: ClassRow) -> list[Member]:
    """Everyone in the class, in the order they joined."""
    found = session.scalars(select(StudentRow).where(StudentRow.class_code == row.code).order_by(StudentRow.number))
    return [_member(student) for student in found]


def lock(session: Session, row: ClassRow, locked: bool) -> None:
    """Close the class to newcomers (those in stay), or open it again."""
    row.locked = bool(locked)


def remove(session: Session, row: ClassRow, number: int) -> Member:
    """Take a student out of the class with every answer, picture and run they gave; ClassError if not in it."""
    found = session.scalar(select(StudentRow).where(StudentRow.class_code == row.code, StudentRow.number == number))
    if found is None:
        raise ClassError("That student is not in this class any more.")
    gone = _member(found)
    session.execute(delete(AnswerRow).where(AnswerRow.student_id == found.id))
    pictures = session.execute(delete(PictureRow).where(PictureRow.student_id == found.id)).rowcount
    runs = session.execute(delete(RunRow).where(RunRow.student_id == found.id)).rowcount
    session.delete(found)
    session.execute(
        update(ClassRow)
        .where(ClassRow.code == row.code)
        .values(students=ClassRow.students - 1, pictures=ClassRow.pictures - pictures, runs=ClassRow.runs - runs)
        .execution_options(synchronize_session=False)
    )
    session.info[expiry.SCRUB] = True
    return gone


def heartbeat(row: ClassRow, now: float) -> None:
    """A teacher's page is open: the class is not abandoned, and its students are not waiting."""
    row.teacher_seen_at = now
