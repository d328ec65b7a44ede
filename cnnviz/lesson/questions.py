"""The questions a lesson's steps ask before they show the answer, each answered from a real run (never typed in).

They are the class's Question (cnnviz.classroom.questions): a prompt, a few choices, the index of the right
one and an explanation with the numbers. The five the class already asks are reused as they are; the
others are made from cnnviz.lesson.evidence (reading_questions, learning_questions). QUESTIONS names them all,
as a lesson file does.
"""

from collections.abc import Callable
from dataclasses import dataclass

from cnnviz.classroom.questions import Question, make_question
from cnnviz.lesson.evidence import Evidence
from cnnviz.lesson.learning_questions import (
    augmentation_question,
    depth_question,
    file_size_question,
    loss_question,
    overfit_question,
    rate_question,
    start_question,
    step_question,
    transfer_question,
)
from cnnviz.lesson.reading_questions import (
    activation_question,
    mistakes_question,
    not_a_digit_question,
    nudge_question,
    unchanged_question,
)


@dataclass(frozen=True)
class QuestionKind:
    """A question a lesson step may ask: its name for teachers, how it is made, and what students see meanwhile."""

    title: str
    ask: Callable[[Evidence], Question | None]  # None: this network has no such part (no pooling, not digits)
    shows: str = "image"  # beside the question: "image" (the current one), "non-digit" (the drawing), or ""
    wait: str = ""  # what a student waits for the first time it is asked (a run of a few seconds), or ""


def _classroom(kind: str) -> Callable[[Evidence], Question | None]:
    return lambda ev: make_question(kind, ev.model, ev.activations)


QUESTIONS = {  # by the name a lesson file uses
    "digit": QuestionKind("Which digit will it say?", _classroom("digit")),
    "map": QuestionKind("Which filter's map lights up most?", _classroom("map")),
    "cell": QuestionKind("What number comes out of this cell?", _classroom("cell")),
    "pool": QuestionKind("Which value does pooling keep?", _classroom("pool")),
    "temperature": QuestionKind("Hotter softmax: does the top rise or fall?", _classroom("temperature")),
    "activation": QuestionKind("What does the activation do to negative numbers?", activation_question),
    "unchanged": QuestionKind("Did reading the image change a weight?", unchanged_question),
    "nudge": QuestionKind("How small a nudge changes its answer?", nudge_question, wait="Searching for a nudge..."),
    "mistakes": QuestionKind("How many new digits does it read wrong?", mistakes_question, "", "Scoring it..."),
    "not-a-digit": QuestionKind("What does it say about a drawing of a house?", not_a_digit_question, "non-digit"),
    "loss": QuestionKind("How big is the loss?", loss_question, wait="Working out the gradient..."),
    "step": QuestionKind("One step: does the loss go up or down?", step_question, wait="Taking one step..."),
    "rate": QuestionKind("A step too big: does it forget?", rate_question, wait="Taking one step at every rate..."),
    "start": QuestionKind(
        "How many does a random network read right?", start_question, "", "Training three networks..."
    ),
    "overfit": QuestionKind("Which network overfits?", overfit_question, "", "Training three networks..."),
    "augmentation": QuestionKind(
        "Does augmentation help on new digits?", augmentation_question, "", "Training three networks..."
    ),
    "file-size": QuestionKind("Could its file hold the digits it saw?", file_size_question, ""),
    "depth": QuestionKind("Do more layers read better?", depth_question, "", "Scoring both networks..."),
    "transfer": QuestionKind("Frozen filters or from scratch?", transfer_question, "", "Teaching four shapes..."),
}


def ask(kind: str, ev: Evidence) -> Question | None:
    """The question of this kind for this model and image (None when the network has no such part)."""
    return QUESTIONS[kind].ask(ev)
