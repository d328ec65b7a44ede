"""The faults a school's server meets under a class's database, each said in one sentence, none losing what was
recorded: a PostgreSQL stopped and restarted mid-class, a read-only data folder, a failure that passes, the SQLite
file deleted or replaced while the class runs."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from cnnviz.classroom import membership
from cnnviz.classroom.records import FILE_GONE, UNREACHABLE, ClassUnavailable
from cnnviz.classroom.store import ClassStore
from ui import state

from browser_support import ROOT
from conftest import under_postgresql
from page_support import page

WRITE_ANYWHERE = "-dac_override,-dac_read_search"  # the capabilities that let root ignore a folder's permissions
UNREACHABLE_URL = "postgresql+psycopg://nobody:nothing@127.0.0.1:9/none"  # nothing listens on port 9


@pytest.mark.slow
def test_a_class_survives_its_postgresql_stopping_and_coming_back():
    done = under_postgresql("harness.database_faults")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]


PRESENT_STARTS_A_CLASS = textwrap.dedent(
    f"""
    import json
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file({str(ROOT / "pages" / "present.py")!r}, default_timeout=120)
    at.query_params["stage"] = "1"
    at.run()
    next(b for b in at.button if b.label == "Start a class").click().run()
    print(json.dumps({{"warnings": [w.value for w in at.warning], "exceptions": [e.message for e in at.exception]}}))
    """
)


def test_a_read_only_data_folder_gets_one_sentence():
    folder = Path(tempfile.mkdtemp(prefix="cnnviz-read-only-"))  # under /tmp: anyone may reach it, nobody may write
    folder.chmod(0o555)
    # root writes anywhere: as root, the page runs without the right to override file permissions (setpriv)
    unprivileged = ["setpriv", f"--inh-caps={WRITE_ANYWHERE}", f"--bounding-set={WRITE_ANYWHERE}"]
    done = subprocess.run(
        [*(unprivileged if os.geteuid() == 0 else []), sys.executable, "-c", PRESENT_STARTS_A_CLASS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "CNNVIZ_DATA_DIR": str(folder), "CNNVIZ_DATABASE_URL": ""},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"warnings": [UNREACHABLE], "exceptions": []}
    assert list(folder.iterdir()) == []
    folder.rmdir()


def test_an_unreachable_database_gets_one_sentence_on_every_page(monkeypatch):
    from ui.classroom import class_store

    monkeypatch.setenv("CNNVIZ_DATABASE_URL", UNREACHABLE_URL)
    class_store.clear()
    present = page("present", stage=1)
    next(b for b in present.button if b.label == "Start a class").click().run()
    assert [w.value for w in present.warning] == [UNREACHABLE] and not present.exception
    student = page("class", run=False)
    student.session_state[state.STUDENT] = ("ABCDEF", "someone")
    student.run()
    assert UNREACHABLE in [w.value for w in student.warning] and not student.exception
    joining = page("class", **{"class": "ABCDEF"})
    next(b for b in joining.button if b.label == "Join").click().run()
    assert [e.value for e in joining.error] == [UNREACHABLE] and not joining.exception
    class_store.clear()


def test_a_failure_that_passes_is_tried_again_and_nothing_is_half_recorded(classes, monkeypatch):
    started = classes.start()
    real_key, failures = membership.nickname_key, []

    def fails_once(name):
        if not failures:
            failures.append(name)
            raise OperationalError("INSERT", {}, Exception("the connection dropped"))
        return real_key(name)

    monkeypatch.setattr(membership, "nickname_key", fails_once)  # after the count went up, before the student row
    me = classes.join(started.code, "Ana")
    assert failures == ["Ana"] and classes.snapshot(started.code).students == 1 and me.number == 1


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_the_sqlite_file_deleted_mid_class_is_noticed_and_said(tmp_path, how):
    path = tmp_path / "classes.sqlite3"
    classes = ClassStore(f"sqlite:///{path}")
    started = classes.start()
    student = classes.join(started.code, "Ana").id
    for name in ("classes.sqlite3", "classes.sqlite3-wal", "classes.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    if how == "replaced":
        path.write_bytes(b"")
    with pytest.raises(ClassUnavailable) as said:
        classes.answer(started.code, student, 1, 7)
    assert str(said.value) == FILE_GONE
    assert classes.status(started.code) == "lost"  # students and teacher are told why, not "no such class"
    fresh = classes.start()  # the server goes on with a new file
    assert classes.status(fresh.code) == "active" and path.stat().st_size > 0
    classes.close()


def test_a_student_whose_class_was_lost_reads_why(tmp_path, own_class_database):
    from ui.classroom import class_store

    started = class_store().start()
    student = class_store().join(started.code, "Ana").id
    (tmp_path / "classes.sqlite3").unlink()
    with pytest.raises(ClassUnavailable):
        class_store().snapshot(started.code)
    at = page("class", run=False)
    at.session_state[state.STUDENT] = (started.code, student)
    at.run()
    assert [i.value for i in at.info] == [FILE_GONE] and not at.exception
