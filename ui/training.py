"""Server-wide training jobs for the Train page: one registry, a reaper for closed tabs, this session's id."""

import os
import threading
import time
import uuid

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cnnviz.data import load_training_digits
from cnnviz.jobs import JobRegistry, TrainingJob
from cnnviz.model import ModelConfig
from cnnviz.train import TrainConfig
from ui.inputs import default_sample, preprocess_cached, sample_bytes

REAP_EVERY = 5.0  # seconds between checks for jobs whose browser tab has gone
BUSY = "training_busy"  # session_state key: the message shown when the server is at its cap


def session_owner() -> str:
    """The owner key of this browser session's training job: "<Streamlit session id>|<token>".

    The token, kept in session state, tells sessions apart where the id does not (AppTest gives
    every session the same id).
    """
    ctx = get_script_run_ctx()
    token = st.session_state.setdefault("owner_token", uuid.uuid4().hex[:8])
    return f"{ctx.session_id if ctx else 'local'}|{token}"


def _session_is_alive(owner: str) -> bool:
    from streamlit import runtime

    if not runtime.exists():  # AppTest and bare runs have no server: nothing to reap
        return True
    return runtime.get_instance().is_active_session(owner.split("|")[0])


def _reap_forever(registry: JobRegistry) -> None:
    while True:
        time.sleep(REAP_EVERY)
        registry.reap(_session_is_alive)


@st.cache_resource
def job_registry() -> JobRegistry:
    """The one registry of this server process, with its reaper thread (CNNVIZ_MAX_TRAINING_JOBS, default 2)."""
    registry = JobRegistry(max_jobs=int(os.environ.get("CNNVIZ_MAX_TRAINING_JOBS", "2")))
    threading.Thread(target=_reap_forever, args=(registry,), name="cnnviz-reaper", daemon=True).start()
    return registry


def training_settings(locked: bool):
    """The sidebar of settings; returns (ModelConfig, TrainConfig, data source, probe sample title)."""
    sidebar = st.sidebar
    sidebar.header("Network")
    first = sidebar.select_slider("Filters in conv layer 1", [4, 8, 16, 32], value=16, disabled=locked)
    second = sidebar.select_slider("Filters in conv layer 2 (0: one conv layer only)", [0, 8, 16, 32, 64], value=32, disabled=locked)
    kernel = sidebar.radio("Kernel size", [3, 5, 7], index=1, horizontal=True, disabled=locked)
    dropout = sidebar.slider("Dropout rate", 0.0, 0.8, 0.3, 0.05, disabled=locked)
    batch_norm = sidebar.checkbox("Batch normalisation after each conv", disabled=locked)
    sidebar.header("Training")
    optimizer = sidebar.radio("Optimiser", ["Adam", "SGD with momentum"], horizontal=True, disabled=locked)
    rate = sidebar.select_slider("Learning rate", [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1], value=0.003, disabled=locked)
    batch = sidebar.select_slider("Batch size", [16, 32, 64, 128, 256], value=64, disabled=locked)
    epochs = sidebar.slider("Epochs", 1, 30, 5, disabled=locked)
    augment = sidebar.checkbox("Augmentation (random warps and pen widths)", value=True, disabled=locked)
    seed = sidebar.number_input("Random seed", 0, 1_000_000, 0, disabled=locked)
    source = sidebar.radio(
        "Data", ["auto", "mnist", "sample"], disabled=locked,
        format_func={"auto": "Full MNIST if it can be downloaded", "mnist": "Full MNIST (60,000)", "sample": "Offline sample (5,000)"}.get,
    )
    titles = list(sample_bytes())
    probe = sidebar.selectbox("Probe digit to watch", titles, index=titles.index(default_sample()), disabled=locked)
    channels = (first, second) if second else (first,)
    model_config = ModelConfig(channels, kernel, 128, dropout, batch_norm)
    config = TrainConfig(epochs, batch, rate, "adam" if optimizer == "Adam" else "sgd", augment=augment, seed=int(seed))
    return model_config, config, source, probe


def start_training(model_config, config, source: str, probe_title: str, step_only: bool = False) -> bool:
    """Start this session's job (replacing its old one); False when the server is at its cap.

    With step_only the job trains one batch and pauses.
    """
    probe = preprocess_cached(sample_bytes()[probe_title]).tensor

    def make_job(on_end):
        return TrainingJob(lambda: load_training_digits(source), model_config, config, probe, on_end=on_end)

    registry = job_registry()
    job = registry.start(session_owner(), make_job, paused=step_only)
    if job is None:
        st.session_state[BUSY] = (
            f"The server is busy: {registry.max_jobs} training runs are going already. Try again in a minute."
        )
        return False
    st.session_state.pop(BUSY, None)
    if step_only:
        job.step()
    st.session_state["job"] = job
    return True
