"""When a class ends by itself (cnnviz/classroom/expiry.py): a day after it started, an hour after its teacher's last
page closed; on reading it, on a timer, and when the server starts, not only when someone starts another class."""

import threading

import pytest

from cnnviz.classroom.records import LIFETIME, TEACHERLESS_END
from cnnviz.classroom.store import ClassStore


@pytest.fixture
def timed(tmp_path, clock):
    """A store whose clock the test moves."""
    store = ClassStore(f"sqlite:///{tmp_path / 'classes.sqlite3'}", clock=clock)
    yield store, clock
    store.close()


def test_a_class_a_day_old_is_deleted_even_if_nobody_starts_another(timed):
    classes, clock = timed
    started = classes.start()
    classes.join(started.code, "Ana")
    clock.now += LIFETIME + 60
    assert classes.snapshot(started.code).status == "unknown"  # read after its time: deleted there and then
    assert classes.expire() == 0


def test_a_class_whose_teacher_left_an_hour_ago_ends_itself(timed):
    classes, clock = timed
    started = classes.start()
    student = classes.join(started.code, "Ana").id
    clock.now += TEACHERLESS_END - 60
    assert classes.snapshot(started.code).status == "active"
    classes.heartbeat(started.code, started.secret)  # the teacher's page was still open then
    clock.now += TEACHERLESS_END - 60
    assert classes.snapshot(started.code).status == "active"
    clock.now += 120
    assert classes.expire() == 1
    assert classes.snapshot(started.code).status == "ended" and classes.member(started.code, student) is None


def test_an_abandoned_class_ends_when_read(timed):
    classes, clock = timed
    started = classes.start()
    clock.now += TEACHERLESS_END + 1
    assert classes.status(started.code) == "ended"


def test_expiry_runs_on_a_timer(timed):
    classes, clock = timed
    started = classes.start()
    clock.now += LIFETIME + 60
    rounds, original = threading.Semaphore(0), classes.expire

    def counted(now=None):
        found = original(now)
        rounds.release()
        return found

    classes.expire = counted
    classes.keep_tidy(every=0.05)
    assert rounds.acquire(timeout=30) and rounds.acquire(timeout=30), "the timer did not expire twice"
    assert classes.expire() == 0 and classes.snapshot(started.code).status == "unknown"


def test_expiry_runs_when_the_server_starts(tmp_path, monkeypatch, own_class_database):
    from ui.classroom import class_store
    from ui.warm import tidy_classes

    old = ClassStore(f"sqlite:///{tmp_path / 'classes.sqlite3'}", clock=lambda: 1_000.0)  # started long ago
    code = old.start().code
    old.close()
    class_store.clear()
    monkeypatch.setattr(ClassStore, "keep_tidy", ClassStore.expire)  # its first round, at once and in this thread
    tidy_classes()
    assert class_store().snapshot(code).status == "unknown"
