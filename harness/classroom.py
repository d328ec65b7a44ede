"""A lesson played out in real browsers: a teacher on Present (a 1280 x 720 projector), students on phones
(390 x 844), joining, following the teacher's steps, answering, voting again, reloading, ending. Used by the
browser tests, the class benchmark, and (under pg_virtualenv) across two replicas sharing PostgreSQL:

    pg_virtualenv python -m harness.classroom      # exit 0 when a lesson runs across the two replicas
"""

import io
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from harness.app import chromium, main_button, open_app, streamlit_server, wait_idle

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
# How long a wait may take before it counts as never happening; how long it did take is bench/classroom.py's to print.
PATIENCE = 30
PATIENCE_MS = PATIENCE * 1000


@dataclass
class Lesson:
    """What a lesson measured: seconds from a press on the projector to what it caused on screen."""

    code: str = ""
    first_reveal: float = 0.0  # Reveal pressed -> the class's chart drawn on the projector
    follow: list[float] = field(default_factory=list)  # Next pressed -> the last phone shows the step
    joined_untouched: float = 0.0  # the last student joined -> "N joined" on the untouched projector
    end_reached: float = 0.0  # End pressed -> the last phone says the class has ended


def smiley_png() -> bytes:
    """A drawn smiley face: an image that is not a digit (the bundled model says "not a digit")."""
    image = Image.new("L", (200, 200), 255)
    pen = ImageDraw.Draw(image)
    pen.ellipse((20, 20, 180, 180), outline=0, width=10)
    pen.ellipse((60, 65, 80, 85), fill=0)
    pen.ellipse((120, 65, 140, 85), fill=0)
    pen.arc((55, 80, 145, 150), 20, 160, fill=0, width=10)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def start_class(teacher) -> str:
    """Press Start a class on the teacher's Present page; returns the join code read off the projector."""
    main_button(teacher, "Start a class").click()
    teacher.get_by_text("Join:").first.wait_for(timeout=30_000)
    words = " ".join(teacher.locator("[data-testid='stMarkdownContainer']").all_inner_texts())
    link = re.search(r"https?://\S+class=([A-Z0-9]{6,})", words)
    assert link, f"no join link on the projector: {words[:300]}"
    return link.group(1)


def join(browser, url: str, code: str, nickname: str):
    """A phone opens the join link, types a nickname and joins; returns its page once it is in."""
    pupil = open_app(browser, f"{url}/class?class={code}", **PHONE)
    pupil.get_by_label("Nickname (optional, shown to the class)").fill(nickname)
    main_button(pupil, "Join").click()
    pupil.get_by_text(f"You are in class {code}").wait_for(timeout=30_000)
    return pupil


def timed(action, waits, limit: float) -> float:
    """Run action(), then wait until each of `waits` (callables taking a timeout in ms) is met, all within `limit`
    seconds of the action (a Playwright TimeoutError otherwise); returns the seconds until the last was met."""
    start = time.monotonic()
    action()
    for wait in waits:
        wait(max(1.0, (limit - (time.monotonic() - start)) * 1000))
    return time.monotonic() - start


def shows(page, text):
    """A wait (for timed) until `page` shows `text` (a string or a pattern)."""
    return lambda ms: page.get_by_text(text).first.wait_for(timeout=ms)


def ask(teacher, kind: str | None = None) -> None:
    """Ask the class a question (of the kind whose menu label starts with `kind`, else the one chosen)."""
    if kind:
        teacher.locator(".st-key-class_question_kind").click()
        teacher.get_by_role("option").filter(has_text=kind).first.click()
        wait_idle(teacher)
    main_button(teacher, "Ask the class").click()
    wait_idle(teacher)


def play_class(browser, teacher_url: str, student_url: str, students: int = 3) -> Lesson:
    """The whole lesson, teacher on teacher_url, students on student_url (another replica, or the same server):
    join, "3 joined" untouched, a reload on each side, follow two steps, ask, vote again, reveal, end."""
    lesson = Lesson()
    teacher = open_app(browser, f"{teacher_url}/present?stage=1", **PROJECTOR)
    lesson.code = code = start_class(teacher)
    assert not set("O0I1") & set(code)
    pupils = [join(browser, student_url, code, f"<b>pupil {n}</b>") for n in range(students)]
    # the last one is in: the untouched projector counts them within 4 s (it polls)
    lesson.joined_untouched = timed(lambda: None, [shows(teacher, f"{students} joined")], limit=PATIENCE)
    pupils[0].reload()  # a student's reload keeps the seat, counted once
    pupils[0].get_by_text(f"You are in class {code}").wait_for(timeout=30_000)
    teacher.reload()  # the teacher's reload keeps the class: no press at all
    teacher.get_by_text(f"Class {code}").first.wait_for(timeout=30_000)
    teacher.get_by_text(f"{students} joined").wait_for(timeout=PATIENCE_MS)
    second = teacher.context.new_page()  # a second tab of the teacher's browser sees the same class
    second.goto(f"{teacher_url}/present?stage=1")
    second.get_by_text(f"Class {code}").first.wait_for(timeout=30_000)
    second.close()
    for step in (2, 3):
        for page in (teacher, *pupils):  # a teacher presses Next once the class has the last step in front of it
            wait_idle(page)
        next_step = re.compile(rf"^{step} / \d+ · ")
        lesson.follow.append(
            timed(lambda: main_button(teacher, "Next ▶").click(), [shows(p, next_step) for p in pupils], limit=PATIENCE)
        )
    wait_idle(teacher)
    ask(teacher)
    for n, pupil in enumerate(pupils):
        button = pupil.get_by_role("button", name=str(n + 1), exact=True)
        button.wait_for(timeout=10_000)  # the question reached the student without a reload
        button.click()
        pupil.get_by_text("Your answer:").wait_for(timeout=10_000)
    teacher.get_by_text(f"{students} answered").wait_for(timeout=PATIENCE_MS)
    main_button(teacher, "Vote again").click()
    for pupil in pupils:
        button = pupil.get_by_role("button", name="7", exact=True)
        pupil.get_by_text("Second vote").wait_for(timeout=10_000)
        button.click()
        pupil.get_by_text("Your answer: 7").wait_for(timeout=10_000)
    teacher.get_by_text(f"{students} answered").wait_for(timeout=PATIENCE_MS)
    chart_title = teacher.locator(".js-plotly-plot .gtitle").filter(has_text="The class:")
    lesson.first_reveal = timed(
        lambda: main_button(teacher, "Reveal").click(), [lambda ms: chart_title.wait_for(timeout=ms)], limit=PATIENCE
    )
    legend = " ".join(teacher.locator(".js-plotly-plot .legendtext").all_text_contents())
    assert "first vote" in legend and "second vote" in legend, legend
    for pupil in pupils:
        pupil.get_by_text("You chose").first.wait_for(timeout=10_000)
        assert pupil.locator("b").filter(has_text="pupil").count() == 0  # nicknames are never HTML
    assert teacher.get_by_text(f"{students} joined").count() == 1  # the reloaded student counted once
    lesson.end_reached = timed(
        lambda: teacher.locator(".st-key-class_bar").get_by_role("button", name="End the class").click(),
        [shows(p, "This class has ended") for p in pupils],
        limit=PATIENCE,
    )
    for page in (teacher, *pupils):
        assert page.locator("[data-testid='stException']").count() == 0
    return lesson


def postgres_url() -> str:
    """The throwaway cluster pg_virtualenv made, from the PG* variables it sets."""
    env = os.environ
    return (
        f"postgresql+psycopg://{env['PGUSER']}:{env['PGPASSWORD']}@{env.get('PGHOST', 'localhost')}:"
        f"{env['PGPORT']}/{env.get('PGDATABASE', 'postgres')}"
    )


def main() -> int:
    """Two replicas sharing the PostgreSQL that pg_virtualenv started: the teacher on one, students on the other."""
    if "PGPORT" not in os.environ:
        print("run me under pg_virtualenv (Debian's postgresql-common): pg_virtualenv python -m harness.classroom")
        return 2
    shared = {"CNNVIZ_DATABASE_URL": postgres_url(), "CNNVIZ_DATA_DIR": tempfile.mkdtemp()}
    with streamlit_server(env=shared) as first, streamlit_server(env=shared) as second, chromium() as browser:
        lesson = play_class(browser, first, second)
    print(f"a lesson across two replicas sharing PostgreSQL: {lesson}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
