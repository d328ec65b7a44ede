"""The Lesson page's files: download the lesson (TOML), open an edited one with the checks of any upload, print the
teacher's plan (PDF) with every answer worked out for the image on screen."""

import streamlit as st

from cnnviz.lesson.lesson import Lesson, LessonError, parse_lesson
from cnnviz.lesson.plan import lesson_plan_pdf
from cnnviz.lesson.questions import ask
from ui import state
from ui.internals import release_upload
from ui.markdown import literal
from ui.pages.lesson import OWN, evidence_for
from ui.views import Context


def _opened() -> None:
    """The uploader's callback: a lesson file becomes this session's lesson, or one sentence says what is wrong."""
    upload = state.lesson_upload()
    if upload is None:
        return
    try:
        state.set_own_lesson(parse_lesson(upload.getvalue()))
    except LessonError as error:
        state.say_lesson_file_error(str(error))
    else:
        state.set_lesson_at(OWN, 1)
    release_upload(upload.file_id)


def lesson_files(lesson: Lesson, ctx: Context) -> None:
    """Download the lesson's file, open an edited one, print the plan."""
    with st.popover("Files", icon=":material/description:", help="Download, open or print the lesson"):
        st.download_button(
            "Download this lesson (.toml)",
            lesson.text,
            file_name=f"cnnviz-lesson-{lesson.name}.toml",
            mime="application/toml",
            width="stretch",
            help="A small text file: reorder, edit or delete steps, then open it again below.",
        )
        st.file_uploader(
            "Open a lesson file", type=["toml"], key=state.LESSON_UPLOAD, on_change=_opened, max_upload_size=1
        )
        ev = evidence_for(ctx, ctx.entry.key, ctx.image_key)

        def plan() -> bytes:  # made when pressed: the learning lesson's answers need its runs
            questions = {step.id: ask(step.question, ev) for step in lesson.steps if step.question}
            return lesson_plan_pdf(lesson, questions, f"the image {ctx.description} read by {ctx.entry.name}")

        st.download_button(
            "The teacher's plan (.pdf)",
            plan,
            file_name=f"cnnviz-plan-{lesson.name}.pdf",
            mime="application/pdf",
            width="stretch",
            help="Every step with its minutes, its question and the network's answer, the misconception, a discussion.",
        )


def file_error() -> None:
    """The sentence saying why a lesson file could not be opened (once)."""
    error = state.lesson_file_error()
    if error:
        st.error(f"That lesson file could not be opened. {literal(error)}", icon=":material/error:")
