"""Privacy after the end: once a class ends (or a student is removed), no file of the SQLite database holds a
nickname any more, not the database, not its write-ahead log, while the server still runs."""

from pathlib import Path

import pytest

from cnnviz.classroom.nicknames import nickname_key
from cnnviz.classroom.questions import Question
from cnnviz.classroom.store import ClassStore

DIGIT = Question("digit", "Which digit?", tuple("0123456789"), 7, "It says 7.")
NICKNAME = "Quixotic Zebulon"


def found_in_files(folder: Path, text: str) -> list[str]:
    """The database's files that hold `text` (as typed, or as its look-alike key), read byte for byte."""
    wanted = [text.encode(), nickname_key(text).encode()]
    return [path.name for path in sorted(folder.iterdir()) if any(w in path.read_bytes() for w in wanted)]


def busy_class(classes: ClassStore, nickname: str) -> tuple:
    started = classes.start()
    student = classes.join(started.code, nickname).id
    asked = classes.ask(started.code, started.secret, DIGIT)
    classes.answer(started.code, student, asked, 7)
    classes.send_picture(started.code, student, bytes(784), "7", 0.9, "digit")
    classes.send_run(started.code, student, {"val_accuracy": 0.9}, b"weights")
    return started, student


@pytest.fixture
def folder(tmp_path):
    return tmp_path


def test_no_file_holds_a_nickname_after_the_end(folder):
    classes = ClassStore(f"sqlite:///{folder / 'classes.sqlite3'}")
    others = ClassStore(classes.url)  # another replica, reading meanwhile
    started, _ = busy_class(classes, NICKNAME)
    assert others.snapshot(started.code).students == 1
    assert found_in_files(folder, NICKNAME), "the test must see the nickname before the end"
    classes.end(started.code, started.secret)
    assert found_in_files(folder, NICKNAME) == []
    others.close()
    classes.close()


def test_no_file_holds_a_removed_students_nickname(folder):
    classes = ClassStore(f"sqlite:///{folder / 'classes.sqlite3'}")
    started, _ = busy_class(classes, NICKNAME)
    classes.join(started.code, "Ana")
    classes.remove(started.code, started.secret, 1)
    assert found_in_files(folder, NICKNAME) == [] and found_in_files(folder, "Ana")
    classes.close()


def test_no_file_holds_an_expired_classs_nickname(folder):
    now = [1_000_000.0]
    classes = ClassStore(f"sqlite:///{folder / 'classes.sqlite3'}", clock=lambda: now[0])
    busy_class(classes, NICKNAME)
    now[0] += 2 * 24 * 3600
    assert classes.expire() == 1
    assert found_in_files(folder, NICKNAME) == []
    classes.close()
