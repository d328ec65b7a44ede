"""Shared fixtures: the bundled model, loaded once per test session; synthetic digits; class databases."""

import fcntl
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch

from cnnviz.data.handwriting import draw_digit
from cnnviz.data.mnist import Digits
from cnnviz.training import checkpoints
from harness.app import ROOT

# One PyTorch thread per process, here and in every server and command the tests start: pytest-xdist already
# runs a process per core, and threads beyond the cores spin against each other (predicting 120 digits took
# 1.2 s on one thread and 14 s on two while the machine's cores were busy).
os.environ["OMP_NUM_THREADS"] = os.environ["CNNVIZ_THREADS"] = "1"
torch.set_num_threads(1)
pytest_plugins = ["browser_support"]  # its app_url and browser fixtures, for every browser test module


def data_folder(tmp_path_factory) -> Path:
    """A new data folder (class database, caches) for a test process or a server it starts. Its Filters search is
    the run's: the bundled models' search is the same for the same weights, so the first server or worker to make
    it keeps it for every other (one search a run instead of one per server, each ~5 s of a core)."""
    folder = tmp_path_factory.mktemp("cnnviz-data")
    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent  # the workers' folders sit side by side in the run's
    searched = run / "filters-search"
    searched.mkdir(exist_ok=True)
    (folder / "excitation").symlink_to(searched, target_is_directory=True)
    return folder


@pytest.fixture(scope="session", autouse=True)
def data_folder_of_this_run(tmp_path_factory):
    """Class databases and caches in this test process's own folder: never the user's, never another worker's."""
    folder = data_folder(tmp_path_factory)
    previous = os.environ.get("CNNVIZ_DATA_DIR")
    os.environ["CNNVIZ_DATA_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["CNNVIZ_DATA_DIR"]
    else:
        os.environ["CNNVIZ_DATA_DIR"] = previous


@pytest.fixture(scope="session")
def bundled():
    """The bundled trained model, in eval mode."""
    return checkpoints.load_bundled()


def predict(model, tensor: torch.Tensor) -> tuple[int, float]:
    """(label, probability) the model gives a preprocessed input."""
    with torch.no_grad():
        probabilities = torch.softmax(model(tensor), dim=1)[0]
    return int(probabilities.argmax()), float(probabilities.max())


@pytest.fixture(scope="session")
def digits() -> Digits:
    """200 synthetic digits, 20 of each class, white on black like MNIST: enough to see learning."""
    images, labels = [], []
    for digit, seed in itertools.product(range(10), range(20)):
        images.append(255 - torch.from_numpy(np.array(draw_digit(digit, 28, seed=seed, pen=0.12))))
        labels.append(digit)
    return Digits(torch.stack(images).to(torch.uint8), torch.tensor(labels), "synthetic digits")


@pytest.fixture
def classes(tmp_path):
    """A class database of its own (an SQLite file in tmp_path), closed after the test."""
    from cnnviz.classroom.store import ClassStore

    store = ClassStore(f"sqlite:///{tmp_path / 'classes.sqlite3'}")
    yield store
    store.close()


@pytest.fixture
def own_class_database(tmp_path, monkeypatch):
    """The pages' class store (cached per server) on a database of this test's own, cleared around the test."""
    from ui.classroom import class_store

    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path))
    class_store.clear()
    yield
    class_store.clear()


def under_postgresql(module: str) -> subprocess.CompletedProcess:
    """`python -m MODULE` under pg_virtualenv (a throwaway PostgreSQL cluster); fails if PostgreSQL is missing."""
    if not shutil.which("pg_virtualenv"):
        pytest.fail("this test needs PostgreSQL: apt-get install -y postgresql (pg_virtualenv is in postgresql-common)")
    # Run as root, pg_virtualenv names every throwaway cluster 15/regress: two at once (two test workers) would
    # share, and drop, one cluster. One at a time on this machine.
    with open(Path(tempfile.gettempdir()) / "cnnviz-pg_virtualenv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return subprocess.run(
            ["pg_virtualenv", sys.executable, "-m", module], cwd=ROOT, capture_output=True, text=True, timeout=900
        )


class MovableClock:
    """A clock the test moves by hand (clock.now += seconds): code that reads the time runs without waiting."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()
