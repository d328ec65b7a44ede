"""A class played out in real browsers: a teacher on Present, students on their phones, asking, counting,
revealing, ending. Used by the browser tests, and (under pg_virtualenv) across two replicas sharing PostgreSQL:

    pg_virtualenv python -m harness.classroom      # exit 0 when a student on one replica reaches the other's teacher
"""

import os
import re
import sys
import tempfile

from harness.app import chromium, main_button, open_app, streamlit_server, wait_idle


def start_class(teacher) -> str:
    """Press Start a class on the teacher's Present page; returns the join code read off the projector."""
    main_button(teacher, "Start a class").click()
    teacher.get_by_text("Join:").first.wait_for(timeout=30_000)
    words = " ".join(teacher.locator("[data-testid='stMarkdownContainer']").all_inner_texts())
    link = re.search(r"https?://\S+class=([A-Z0-9]{6,})", words)
    assert link, f"no join link on the projector: {words[:300]}"
    return link.group(1)


def play_class(browser, teacher_url: str, student_url: str, students: int = 3) -> None:
    """Teacher on teacher_url, students on student_url (another replica, or the same server): the whole lesson."""
    teacher = open_app(browser, f"{teacher_url}/present?stage=1", width=1280, height=720)
    code = start_class(teacher)
    assert not set("O0I1") & set(code)
    pupils = []
    for n in range(students):
        pupil = open_app(browser, f"{student_url}/class?class={code}", width=390, height=844)
        pupil.get_by_label("Nickname (optional, shown to the class)").fill(f"<b>pupil {n}</b>")
        main_button(pupil, "Join").click()
        pupil.get_by_text(f"You are in class {code}").wait_for(timeout=30_000)
        pupils.append(pupil)
    main_button(teacher, "Ask the class").click()
    wait_idle(teacher)
    for n, pupil in enumerate(pupils):
        button = pupil.get_by_role("button", name=str(n + 1), exact=True)
        button.wait_for(timeout=10_000)  # the question reached the student without a reload
        button.click()
        pupil.get_by_text("Your answer:").wait_for(timeout=10_000)
    teacher.get_by_text(f"{students} answers").wait_for(timeout=3_000)  # untouched: the projector polls
    main_button(teacher, "Reveal").click()
    teacher.get_by_text("The class: ").first.wait_for(timeout=10_000)
    assert teacher.locator(".js-plotly-plot").count() >= 1
    for pupil in pupils:
        pupil.get_by_text("You chose").first.wait_for(timeout=10_000)
        assert pupil.locator("b").filter(has_text="pupil").count() == 0  # nicknames are never HTML
    main_button(teacher, "End the class").click()
    for pupil in pupils:
        pupil.get_by_text("This class has ended").wait_for(timeout=3_000)
    for page in (teacher, *pupils):
        assert page.locator("[data-testid='stException']").count() == 0


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
        play_class(browser, first, second)
    print("a class across two replicas sharing PostgreSQL: the teacher saw every answer, the end reached everyone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
