"""Questions a class is asked and the answers it gives: one answer per student and vote (changeable until the
vote closes), "Vote again" for a second vote after the class has talked it over, then the reveal.

Functions take an open session (the façade, store.py, owns transactions).
"""

import json

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cnnviz.classroom.questions import Question
from cnnviz.classroom.records import MAX_QUESTIONS, ROUNDS, Asked, ClassError
from cnnviz.classroom.schema import AnswerRow, ClassRow, QuestionRow, StudentRow, count_one_more


def question_json(question: Question) -> str:
    """A question as the database keeps it."""
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


def question_of(body: str) -> Question:
    """A question back from the database."""
    values = json.loads(body)
    return Question(
        values["kind"],
        values["prompt"],
        tuple(values["choices"]),
        values["correct"],
        values["explanation"],
        tuple(values["pictures"]),
    )


def asked_of(row: QuestionRow) -> Asked:
    return Asked(row.id, row.revealed, question_of(row.body), row.round, row.revealed_at)


def ask(session: Session, row: ClassRow, question: Question, now: float) -> int:
    """Ask the class a question (the previous one closes); counted against MAX_QUESTIONS by the database."""
    if count_one_more(session, row, "questions", MAX_QUESTIONS) is None:
        raise ClassError(f"This class has asked {MAX_QUESTIONS} questions, as many as it can keep.")
    asked = QuestionRow(class_code=row.code, kind=question.kind, body=question_json(question), asked_at=now)
    session.add(asked)
    session.flush()
    return asked.id


def latest(session: Session, code: str) -> QuestionRow | None:
    """The class's latest question, or None before the first."""
    return session.scalars(
        select(QuestionRow).where(QuestionRow.class_code == code).order_by(QuestionRow.id.desc()).limit(1)
    ).first()


def _open(session: Session, row: ClassRow, question_id: object) -> QuestionRow:
    """The class's latest question if it is `question_id`; ClassError otherwise."""
    asked = session.get(QuestionRow, question_id) if isinstance(question_id, int) else None
    newest = latest(session, row.code)
    if asked is None or asked.class_code != row.code or newest is None or asked.id != newest.id:
        raise ClassError("That question is closed: the teacher has asked another.")
    return asked


def answer(session: Session, row: ClassRow, student: StudentRow, question_id: object, choice: object, now: float):
    """A student's answer to the open vote; a second one replaces the first until the vote closes."""
    asked = _open(session, row, question_id)
    if asked.revealed:
        raise ClassError("The answer has been revealed: answers are closed.")
    if (
        not isinstance(choice, int)
        or isinstance(choice, bool)
        or not 0 <= choice < len(question_of(asked.body).choices)
    ):
        raise ClassError("That is not one of the choices.")
    session.execute(
        delete(AnswerRow).where(
            AnswerRow.question_id == asked.id, AnswerRow.student_id == student.id, AnswerRow.round == asked.round
        )
    )
    session.add(
        AnswerRow(question_id=asked.id, student_id=student.id, round=asked.round, choice=choice, answered_at=now)
    )


def vote_again(session: Session, row: ClassRow, question_id: object) -> None:
    """Close the first vote unrevealed and open a second: students talk it over, then answer again."""
    asked = _open(session, row, question_id)
    if asked.revealed or asked.round >= len(ROUNDS):
        raise ClassError("This question has had its second vote.")
    asked.round += 1


def reveal(session: Session, row: ClassRow, question_id: object, now: float) -> None:
    """Close the votes and show them beside what the network did."""
    asked = _open(session, row, question_id)
    if not asked.revealed:
        asked.revealed, asked.revealed_at = True, now


def tally(session: Session, question_id: int) -> list[list[int]]:
    """How many students chose each choice, one list per vote held so far."""
    asked = session.get(QuestionRow, question_id)
    if asked is None:
        return []
    choices = len(question_of(asked.body).choices)
    counts = [[0] * choices for _ in range(asked.round)]
    rows = session.execute(
        select(AnswerRow.round, AnswerRow.choice, func.count())
        .where(AnswerRow.question_id == question_id)
        .group_by(AnswerRow.round, AnswerRow.choice)
    )
    for vote, choice, count in rows:
        counts[vote - 1][choice] = count
    return counts


def answered(session: Session, question_id: int, vote: int) -> int:
    """How many students have answered this vote."""
    return (
        session.scalar(select(func.count()).where(AnswerRow.question_id == question_id, AnswerRow.round == vote)) or 0
    )


def mine(session: Session, question_id: int, student: object) -> list[int | None]:
    """A student's choice in each vote (None where they gave none)."""
    asked = session.get(QuestionRow, question_id) if isinstance(question_id, int) else None
    if asked is None or not isinstance(student, str):
        return []
    given = dict(
        session.execute(
            select(AnswerRow.round, AnswerRow.choice).where(
                AnswerRow.question_id == question_id, AnswerRow.student_id == student
            )
        ).all()
    )
    return [given.get(vote) for vote in range(1, asked.round + 1)]
