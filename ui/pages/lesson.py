"""The Lesson page's parts: which lesson and step (in the URL), predict first, the reveal, the notes, the score.

A step's state lives in one place, ui.state: the lesson and step shown, mirrored in the URL (?lesson=reading&step=3)
so that a link opens the same step, and this session's predictions. `step_now` gives what a class follows: the
lesson, the step, "Step N of M" and its question, made from the network's own numbers.
"""

import hashlib
from dataclasses import dataclass
from functools import cached_property

import streamlit as st

from cnnviz.classroom.questions import Question
from cnnviz.lesson.evidence import Evidence, ModelRuns
from cnnviz.lesson.lesson import BUILTIN, Lesson, Step, StepNow, builtin_lessons
from cnnviz.lesson.questions import QUESTIONS, ask
from cnnviz.viz.overlays import gray_image
from ui import state
from ui.markdown import literal
from ui.models import ModelEntry
from ui.pages.mistakes import scored
from ui.views import Context, fooled, learning

OWN = "yours"  # the name of a lesson opened from a file
SKIPPED = "skipped"  # kept instead of a prediction for a question this network cannot be asked (no pooling, ...)


@dataclass(frozen=True)
class Prediction:
    """A student's choice for one step's question, and the question as it was asked."""

    choice: int
    question: Question

    @property
    def right(self) -> bool:
        return self.choice == self.question.correct


# --- the runs behind the questions, shared with Explore's views and the Mistakes page --------------


class PageModelRuns(ModelRuns):
    """A model's runs, scored on held-out digits by the Mistakes page's cache."""

    def __init__(self, entry: ModelEntry):
        super().__init__(entry.model)
        self.entry = entry

    @cached_property
    def evaluation(self):
        return scored(self.entry, self.entry.key)


class PageEvidence(Evidence):
    """The evidence for one image, sharing the runs Explore's views keep (one step of learning, the nudge)."""

    def __init__(self, ctx: Context):
        super().__init__(ctx.model, ctx.prepared.tensor, ctx.prepared.pixels, model_runs(ctx.entry, ctx.entry.key))
        self.ctx = ctx

    @property
    def activations(self):
        return self.ctx.activations

    @cached_property
    def step(self):
        return learning.one_step(self.ctx, self.ctx.entry.key, self.ctx.image_key, self.runner_up)

    @cached_property
    def nudge(self):
        return fooled.nudge(self.ctx, self.ctx.entry.key, self.ctx.image_key, 1)


@st.cache_resource(max_entries=8, show_spinner=False)
def model_runs(_entry: ModelEntry, key: str) -> PageModelRuns:
    return PageModelRuns(_entry)


@st.cache_resource(max_entries=16, show_spinner=False)
def evidence_for(_ctx: Context, model_key: str, image_key: str) -> PageEvidence:
    """The evidence for one model and image, shared by every session that shows them."""
    return PageEvidence(_ctx)


# --- which lesson and step ------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def builtin() -> dict[str, Lesson]:
    return builtin_lessons()


def available() -> dict[str, Lesson]:
    """The built-in lessons, then the one this session opened from a file."""
    own = state.own_lesson()
    return {**builtin(), **({OWN: own} if own is not None else {})}


def settle(lessons: dict[str, Lesson]) -> tuple[Lesson, int]:
    """The lesson and step to show: the session's, or on a first visit the URL's (if it names one that exists);
    the URL then says which, so a link opens the same step."""
    at = state.lesson_at()
    if at is None or at[0] not in lessons:
        name, number = st.query_params.get(state.LESSON), st.query_params.get(state.LESSON_STEP)
        if name == OWN:
            st.toast(
                "That lesson was opened from a file in another browser: open the file here.", icon=":material/info:"
            )
        if name not in lessons:
            name, number = BUILTIN[0], None
        at = (name, int(number) if number in [str(n) for n in range(1, len(lessons[name].steps) + 1)] else 1)
    name, number = at[0], min(max(at[1], 1), len(lessons[at[0]].steps))
    state.set_lesson_at(name, number)
    st.query_params[state.LESSON], st.query_params[state.LESSON_STEP] = name, str(number)
    return lessons[name], number


def go(number: int) -> None:
    """Show another step of the same lesson (a callback, before the menus are drawn)."""
    state.set_lesson_at(state.lesson_at()[0], number)


def turn(direction: str | None, number: int, total: int, waiting: bool) -> None:
    """Next or Previous, from a button or a key: Next only once the step's prediction is made."""
    if direction == "next" and not waiting:
        go(min(number + 1, total))
    elif direction == "previous":
        go(max(number - 1, 1))


def _menu_changed() -> None:
    if state.menu_lesson() != state.lesson_at()[0]:
        state.set_lesson_at(state.menu_lesson(), 1)  # another lesson starts at its first step
    else:
        go(state.menu_step())


def step_menus(lessons: dict[str, Lesson], lesson: Lesson, number: int) -> tuple:
    """The step menu between the places for Previous and Next, then the lesson menu, the notes switch, the files and
    the class: one row on a projector, two on a phone. Returns those places (back, forward, notes, files, class)."""
    state.set_menus(lesson.name, number)
    row = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    moving = row.container(horizontal=True, wrap=False, vertical_alignment="center", width=560)
    back = moving.container(width="content")
    moving.selectbox(
        "Step",
        range(1, len(lesson.steps) + 1),
        format_func=lambda n: f"{n}. {lesson.steps[n - 1].title}",
        key=state.STEP_MENU,
        on_change=_menu_changed,
        label_visibility="collapsed",
    )
    forward = moving.container(width="content")
    choosing = row.container(horizontal=True, wrap=False, vertical_alignment="center", width=560)
    choosing.selectbox(
        "Lesson",
        list(lessons),
        format_func=lambda name: lessons[name].title + (" (your file)" if name == OWN else ""),
        key=state.LESSON_MENU,
        on_change=_menu_changed,
        label_visibility="collapsed",
    )
    return back, forward, *(choosing.container(width="content") for _ in range(3))


def prediction_key(lesson: Lesson, step: Step, ctx: Context) -> tuple:
    """Predictions are kept per lesson (its file: another one opened asks again), step, model and image."""
    return lesson.name, hashlib.sha1(lesson.text.encode()).hexdigest()[:12], step.id, ctx.entry.key, ctx.image_key


def step_now(lesson: Lesson, number: int, ctx: Context) -> StepNow:
    """The step on screen and its question (None if it asks none, or this network lacks what it asks about: then
    the step is kept as skipped, so the score does not count it)."""
    step = lesson.steps[number - 1]
    question = None
    if step.question:
        kind = QUESTIONS[step.question]
        with st.spinner(kind.wait or "Working it out...", show_time=bool(kind.wait)):
            question = ask(step.question, evidence_for(ctx, ctx.entry.key, ctx.image_key))
        if question is None:
            state.lesson_predictions()[prediction_key(lesson, step, ctx)] = SKIPPED
    return StepNow(lesson, number, question)


# --- predict first, then the reveal -----------------------------------------------------------------


def _choose(key: tuple, choice: int, question: Question) -> None:
    state.lesson_predictions().setdefault(key, Prediction(choice, question))  # the first choice counts


def choice_buttons(question: Question, key: tuple, step_id: str, narrow: bool) -> None:
    """One button per choice (under its picture, if the choices have pictures), as many a row as fit: fewer in a
    narrow column (beside a view) than across the page."""
    longest = max(len(choice) for choice in question.choices)
    one, two = (14, 3) if narrow else (48, 24)  # longer choices than these take a row each, or half a row
    per_row = 1 if longest > one else 2 if longest > two else min(len(question.choices), 5)
    for start in range(0, len(question.choices), per_row):
        for index, column in zip(range(start, len(question.choices)), st.columns(per_row)):
            if question.pictures:
                picture = gray_image(question.pictures[index], 120)
                column.image(picture, width="stretch", alt=f"{question.choices[index]}'s weights")
            column.button(
                question.choices[index],
                key=f"lesson_choice_{step_id}_{index}",
                width="stretch",
                on_click=_choose,
                args=(key, index, question),
            )


def predict_first(now: StepNow, ctx: Context, narrow: bool) -> bool:
    """The question with one button per choice, then whether the student was right and why; True once chosen."""
    question = now.question
    if question is None:
        if now.step.question:
            st.info(f"{QUESTIONS[now.step.question].title} This network has no such part: nothing to predict here.")
        return True
    key = prediction_key(now.lesson, now.step, ctx)
    made = state.lesson_predictions().get(key)
    st.markdown(f"**Predict first.** {literal(question.prompt)}")
    if made is None:
        choice_buttons(question, key, now.step.id, narrow)
        st.caption("Choose your answer: Next waits for it, and then the app shows what the network really does.")
        return False
    asked = made.question
    chosen, correct = literal(asked.choices[made.choice]), literal(asked.choices[asked.correct])
    if made.right:
        st.success(f"**You predicted {chosen}: right.** {literal(asked.explanation)}", icon=":material/check_circle:")
    else:
        st.warning(
            f"**You predicted {chosen}; the answer is {correct}.** {literal(asked.explanation)}",
            icon=":material/lightbulb:",
        )
    return True


def while_predicting(step: Step) -> str:
    """What students look at while they predict the step's answer: "image", "non-digit" or nothing ("")."""
    return QUESTIONS[step.question].shows if step.question else ""


def picture_while_predicting(shows: str, ctx: Context, width: int = 300) -> None:
    """What students look at while they predict: the image the network reads, or the drawing asked about."""
    if shows == "image":
        st.image(gray_image(ctx.prepared.pixels, width), caption="What the network reads", alt=ctx.description)
    elif shows == "non-digit":
        prepared, _ = evidence_for(ctx, ctx.entry.key, ctx.image_key).non_digit
        st.image(gray_image(prepared.pixels, width), caption="What the network reads", alt="A drawing of a house")


def teacher_notes(step: Step) -> None:
    """The step's notes for the teacher, its misconception, the discussion prompt and its minutes."""
    with st.container(border=True):
        lines = [f"**Minutes:** {step.minutes}"]
        if step.misconception:
            lines.append(f"**Misconception this step surfaces:** {literal(step.misconception)}")
        if step.discussion:
            lines.append(f"**Ask the class:** {literal(step.discussion)}")
        if step.notes:
            lines.append(f"**Notes:** {literal(step.notes)}")
        st.markdown("  \n".join(lines))


def score(lesson: Lesson, ctx: Context) -> None:
    """The last step: how many predictions were right, and the steps to revisit."""
    predictions = state.lesson_predictions()
    asked = {
        n: predictions.get(prediction_key(lesson, step, ctx)) for n, step in enumerate(lesson.steps, 1) if step.question
    }
    counted = {n: made for n, made in asked.items() if made != SKIPPED}
    right = sum(1 for made in counted.values() if made is not None and made.right)
    revisit = [n for n, made in counted.items() if made is None or not made.right]
    st.markdown(f"### You predicted {right} of {len(counted)} right.")
    if not revisit:
        return
    st.write("Steps to revisit:" if len(revisit) > 1 else "A step to revisit:")
    for start in range(0, len(revisit), 3):
        for n, column in zip(revisit[start : start + 3], st.columns(3)):
            column.button(f"{n}. {lesson.steps[n - 1].title}", key=f"lesson_revisit_{n}", on_click=go, args=(n,))
