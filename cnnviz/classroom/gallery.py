"""What students send the class: pictures for the gallery (the network's input and its answer) and finished
training runs, each counted per student and per class by the database itself (see schema.py).

Functions take an open session (the façade, store.py, owns transactions).
"""

import json

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from cnnviz.classroom.records import (
    MAX_PICTURES,
    MAX_RUN_RECORD,
    MAX_RUNS,
    MAX_WEIGHTS_BYTES,
    ClassError,
    Picture,
    SharedRun,
)
from cnnviz.classroom.schema import ClassRow, PictureRow, RunRow, StudentRow, count_one_more

PICTURE_BYTES = 28 * 28


def _name(student: StudentRow) -> str:
    """How the class sees the sender (records.Member.name)."""
    return student.nickname or f"student {student.number}"


def _count_one_more(session: Session, student: StudentRow, field: str, caps: tuple[int, int], what: str) -> None:
    """Raise the student's and the class's count of `field` by one, or ClassError at either cap (nothing changes)."""
    if count_one_more(session, student, field, caps[0]) is None:
        raise ClassError(f"You have sent {caps[0]} {what} already, as many as one student can.")
    if count_one_more(session, session.get(ClassRow, student.class_code), field, caps[1]) is None:
        raise ClassError(f"The class has {caps[1]} {what}, as many as it can keep.")


def _count_one_less(session: Session, student_id: str, code: str, field: str) -> None:
    for table, where in ((StudentRow, StudentRow.id == student_id), (ClassRow, ClassRow.code == code)):
        column = getattr(table, field)
        session.execute(
            update(table).where(where).values({field: column - 1}).execution_options(synchronize_session=False)
        )


def send_picture(
    session: Session, student: StudentRow, pixels: bytes, answer: str, confidence: float, verdict: str, now: float
) -> int:
    """Add an image (the network's 28 x 28 input as bytes) and the network's answer to the class gallery."""
    if not isinstance(pixels, bytes) or len(pixels) != PICTURE_BYTES:
        raise ClassError("Only the network's 28 x 28 input can be sent to the gallery.")
    _count_one_more(session, student, "pictures", MAX_PICTURES, "pictures")
    entry = PictureRow(
        class_code=student.class_code,
        student_id=student.id,
        nickname=_name(student),
        pixels=pixels,
        answer=str(answer)[:80],
        confidence=float(confidence),
        verdict=str(verdict)[:20],
        sent_at=now,
    )
    session.add(entry)
    session.flush()
    return entry.id


def pictures(session: Session, code: str) -> list[Picture]:
    """The class's pictures, those that fooled the network or left it unsure first, then the least confident."""
    rows = session.scalars(select(PictureRow).where(PictureRow.class_code == code))
    found = [Picture(r.id, r.nickname, r.pixels, r.answer, r.confidence, r.verdict) for r in rows]
    return sorted(found, key=lambda p: (p.verdict == "digit", p.confidence, p.id))


def delete_picture(session: Session, row: ClassRow, picture: object) -> None:
    """The teacher removes a picture from the gallery."""
    found = session.get(PictureRow, picture) if isinstance(picture, int) else None
    if found is None or found.class_code != row.code:
        return
    session.execute(delete(PictureRow).where(PictureRow.id == found.id))
    _count_one_less(session, found.student_id, row.code, "pictures")


def send_run(session: Session, student: StudentRow, summary: dict, weights: bytes, now: float) -> int:
    """Share a finished training run (its summary and weights) with the class."""
    if not isinstance(weights, bytes) or len(weights) > MAX_WEIGHTS_BYTES:
        raise ClassError(f"That model is larger than the class can keep ({MAX_WEIGHTS_BYTES // 2**20} MB).")
    try:
        text = json.dumps(summary, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ClassError("That run's record holds something that is not a plain number or word.") from error
    if len(text) > MAX_RUN_RECORD:
        raise ClassError("That run's record is too long to share.")
    _count_one_more(session, student, "runs", MAX_RUNS, "runs")
    run = RunRow(
        class_code=student.class_code,
        student_id=student.id,
        nickname=_name(student),
        summary=text,
        weights=weights,
        sent_at=now,
    )
    session.add(run)
    session.flush()
    return run.id


def runs(session: Session, code: str) -> list[SharedRun]:
    """The class's shared runs, best validation accuracy first."""
    rows = session.execute(select(RunRow.id, RunRow.nickname, RunRow.summary).where(RunRow.class_code == code))
    found = [SharedRun(i, n, json.loads(s)) for i, n, s in rows]
    return sorted(found, key=lambda r: -(r.summary.get("val_accuracy") or 0))


def run_weights(session: Session, row: ClassRow, run: object) -> bytes:
    """A shared run's weights, for the teacher to open in Explore."""
    found = session.get(RunRow, run) if isinstance(run, int) else None
    if found is None or found.class_code != row.code:
        raise ClassError("That run is not this class's.")
    return found.weights
