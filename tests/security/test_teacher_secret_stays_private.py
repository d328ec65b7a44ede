"""The teacher's secret and PIN never reach a URL anyone can see (the projector's address bar, the join link, a
student's page), and a student's page never shows them; the class is the teacher's again after a reload only
through the browser's own cookie."""

import pytest

from cnnviz.classroom.links import join_link
from ui import state

from page_support import page

pytestmark = pytest.mark.usefixtures("own_class_database")


def everything_shown(at) -> str:
    """Every text the page shows, and its URL parameters."""
    texts = [
        str(getattr(element, "value", ""))
        for kind in ("markdown", "caption", "info", "warning")
        for element in getattr(at, kind)
    ]
    texts += [b.label for b in at.button] + [f"{k}={v}" for k, v in at.query_params.items()]
    return " ".join(texts)


def test_the_secret_and_pin_stay_out_of_every_url_and_the_students_page():
    teacher = page("present", stage=1)
    next(b for b in teacher.button if b.label == "Start a class").click().run()
    code, secret, pin = teacher.session_state[state.TEACHING_CLASS]
    link = join_link(code, "http://school.example:8501/present?stage=1")
    assert link == f"http://school.example:8501/class?class={code}"
    urls = " ".join(f"{k}={v}" for k, v in teacher.query_params.items())
    assert secret not in urls and pin not in urls and pin.replace("-", "") not in urls
    student = page("class", **{"class": code})
    next(b for b in student.button if b.label == "Join").click().run()
    shown = everything_shown(student)
    assert f"You are in class {code}" in shown
    assert secret not in shown and pin not in shown and pin.replace("-", "") not in shown


def test_a_forged_teacher_cookie_gives_no_class_and_counts_as_a_guess(monkeypatch):
    from ui.classroom import class_store

    started = class_store().start()
    forged = {"cnnviz_teacher": f"{started.code}.not-the-secret.ABCD-EFGH"}
    monkeypatch.setattr(state, "cookie", lambda name: forged.get(name))
    at = page("present", stage=1)
    assert [b.label for b in at.button if b.label in ("Start a class", "Ask the class")] == ["Start a class"]
    assert class_store().limits.wrong["session"].events, "a forged cookie counts as a wrong guess"
