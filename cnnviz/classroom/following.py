"""What every page of a class follows: the teacher's current step, and the snapshot each page polls.

Any page that leads a class publishes its steps as records.Step (Present its stages; a guided lesson
its own), and students' pages draw the step with the follower registered for that page. The store checks
only sizes and types: it never needs to change for a new kind of page.

Functions take an open session (the façade, store.py, owns transactions).
"""

import json
import re
from dataclasses import replace

from sqlalchemy.orm import Session

from cnnviz.classroom import answers
from cnnviz.classroom.records import TEACHER_AWAY, ClassError, Snapshot, Step
from cnnviz.classroom.schema import ClassRow

PAGE = re.compile(r"[a-z][a-z0-9_]{0,19}")  # a page's name: "present", "lesson"
MAX_KEY, MAX_TITLE, MAX_MODEL, MAX_VIEW = 40, 120, 80, 40  # characters
PICTURE_BYTES = 28 * 28  # a step's picture: the network's input


def check_step(step: object) -> Step:
    """The step if it is one a class can keep; ClassError otherwise (a page's bug, never a student's input)."""
    if not isinstance(step, Step) or not isinstance(step.page, str) or not PAGE.fullmatch(step.page):
        raise ClassError("That is not a step a class can follow.")
    numbers = (step.number, step.total)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers) or not 1 <= step.number <= step.total:
        raise ClassError("A step's number must be from 1 to its total.")
    texts = ((step.key, MAX_KEY), (step.title, MAX_TITLE), (step.model, MAX_MODEL), (step.view, MAX_VIEW))
    if not all(isinstance(value, str) and len(value) <= most for value, most in texts):
        raise ClassError("A step's key, title, model name or view is too long.")
    if not isinstance(step.picture, bytes) or len(step.picture) not in (0, PICTURE_BYTES):
        raise ClassError("A step's picture must be the network's 28 x 28 input.")
    return step


def publish(row: ClassRow, step: Step, now: float) -> None:
    """Make `step` the class's current step (students' pages follow it within a poll)."""
    step = check_step(step)
    before = current_step(row)
    fields = {"page": step.page, "key": step.key, "number": step.number, "total": step.total, "title": step.title}
    row.step = json.dumps({**fields, "model": step.model, "view": step.view})
    row.step_picture = step.picture or None
    if before is None or replace(before, view=step.view) != step:  # the same step showing its answer is no move:
        row.step_at = now  # a question revealed on it stays


def current_step(row: ClassRow) -> Step | None:
    """The step the teacher is on, or None before the first."""
    if not row.step:
        return None
    values = json.loads(row.step)
    return Step(
        values["page"],
        values["key"],
        values["number"],
        values["total"],
        values["title"],
        row.step_picture or b"",
        values["model"],
        values.get("view", ""),  # a step kept before steps had views
    )


def snapshot(session: Session, row: ClassRow | None, now: float) -> Snapshot:
    """The class as a page polls it: status, counts, the teacher's presence, step and latest question."""
    if row is None:
        return Snapshot("unknown")
    if row.ended_at is not None:
        return Snapshot("ended")
    latest = answers.latest(session, row.code)
    asked = None if latest is None else answers.asked_of(latest)
    return Snapshot(
        "active",
        students=row.students,
        locked=row.locked,
        teacher_here=row.teacher_seen_at >= now - TEACHER_AWAY,
        step=current_step(row),
        step_at=row.step_at,
        asked=asked,
        answered=0 if asked is None else answers.answered(session, asked.id, asked.round),
    )
