"""Caps held by the database itself: forty requests racing at the edge of a cap, each through its own store (as
replicas are), never take a class past it: students, questions, pictures and runs."""

import threading

import pytest

from cnnviz.classroom.questions import Question
from cnnviz.classroom.records import MAX_PICTURES, MAX_QUESTIONS, MAX_RUNS, MAX_STUDENTS, ClassError
from cnnviz.classroom.store import ClassStore

RACERS = 40
DIGIT = Question("digit", "Which digit?", tuple("0123456789"), 7, "It says 7.")


def race(url: str, attempt) -> tuple[int, list[str]]:
    """RACERS threads, each with its own store, call attempt(store, n) at the same moment: (successes, refusals)."""
    start, refusals, successes = threading.Barrier(RACERS), [], []

    def one(n: int) -> None:
        store = ClassStore(url)
        try:
            start.wait()
            attempt(store, n)
            successes.append(n)
        except ClassError as error:
            refusals.append(str(error))
        finally:
            store.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(successes), refusals


def fill(classes, code: str, per_student: int, total: int, send) -> None:
    """Send `total` things from students sending `per_student` each."""
    for start in range(0, total, per_student):
        student = classes.join(code).id
        for _ in range(min(per_student, total - start)):
            send(classes, student)


def test_forty_joins_at_190_students_stop_at_200(classes):
    started = classes.start()
    for _ in range(MAX_STUDENTS - 10):
        classes.join(started.code)
    joined, refused = race(classes.url, lambda store, n: store.join(started.code, f"racer {n}"))
    assert joined == 10 and classes.snapshot(started.code).students == MAX_STUDENTS
    assert set(refused) == {f"This class is full ({MAX_STUDENTS} students)."}
    assert len(classes.roster(started.code, started.secret)) == MAX_STUDENTS


def test_forty_questions_at_the_cap_stop_at_it(classes):
    started = classes.start()
    for _ in range(MAX_QUESTIONS - 5):
        classes.ask(started.code, started.secret, DIGIT)
    asked, refused = race(classes.url, lambda store, n: store.ask(started.code, started.secret, DIGIT))
    assert asked == 5 and len(refused) == RACERS - 5 and all("300 questions" in r for r in refused)


def picture(store, code, student):
    store.send_picture(code, student, bytes(784), "7", 0.9, "digit")


def run(store, code, student):
    store.send_run(code, student, {"val_accuracy": 0.5}, b"w")


@pytest.mark.parametrize("send, caps", [(picture, MAX_PICTURES), (run, MAX_RUNS)], ids=["pictures", "runs"])
def test_one_student_racing_stops_at_their_cap(classes, send, caps):
    started = classes.start()
    student = classes.join(started.code).id
    for _ in range(caps[0] - 3):
        send(classes, started.code, student)
    sent, refused = race(classes.url, lambda store, n: send(store, started.code, student))
    assert sent == 3 and len(refused) == RACERS - 3


@pytest.mark.parametrize("send, caps", [(picture, MAX_PICTURES), (run, MAX_RUNS)], ids=["pictures", "runs"])
def test_forty_students_racing_stop_at_the_class_cap(classes, send, caps):
    started = classes.start()
    fill(classes, started.code, caps[0], caps[1] - 5, lambda store, student: send(store, started.code, student))
    racers = [classes.join(started.code).id for _ in range(RACERS)]
    sent, refused = race(classes.url, lambda store, n: send(store, started.code, racers[n]))
    kept = len(classes.gallery(started.code)) if send is picture else len(classes.runs(started.code))
    assert sent == 5 and kept == caps[1] and all(f"The class has {caps[1]}" in r for r in refused)
