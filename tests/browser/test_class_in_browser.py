"""A class in a real browser: the teacher starts it on Present, three students join by the link and answer, the
projector counts them untouched, Reveal shows the class's answers, End reaches every student; the same across two
replicas sharing a throwaway PostgreSQL."""

import shutil
import subprocess
import sys

import pytest

from harness.classroom import play_class

from browser_support import ROOT, main_button, open_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_three_students_answer_and_the_projector_counts_reveals_and_ends(app_url, browser):
    play_class(browser, app_url, app_url)


def test_an_unknown_code_gets_one_sentence(app_url, browser):
    student = open_app(browser, f"{app_url}/class?class=ZZZZZZ", width=390, height=844)
    main_button(student, "Join").click()
    student.get_by_text("There is no class with that code").wait_for(timeout=10_000)
    assert student.locator("[data-testid='stException']").count() == 0


def test_a_class_spans_two_replicas_sharing_postgresql():
    if not shutil.which("pg_virtualenv"):
        pytest.fail("this test needs PostgreSQL: apt-get install -y postgresql (pg_virtualenv is in postgresql-common)")
    done = subprocess.run(
        ["pg_virtualenv", sys.executable, "-m", "harness.classroom"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
