"""Train: a CNN learns MNIST live; pause, step or stop it, then explore what it learned."""

import streamlit as st

from cnnviz import lessons
from cnnviz.checkpoints import to_bytes
from cnnviz.jobs import Progress, State
from cnnviz.viz import (
    epochs_figure,
    feature_maps_figure,
    filters_figure,
    grad_norms_figure,
    loss_figure,
    probability_bars,
)
from ui import state
from ui.internals import require_app_entry
from ui.jobs import describe, start_training
from ui.train_settings import training_settings

require_app_entry()

st.title("Train: watch a CNN learn")
st.write(lessons.TRAINING)

job = state.current_job()
active = bool(job and job.progress().active)
settings = training_settings(locked=active)


def controls(progress: Progress | None) -> None:
    """Start, Pause, Resume, Step, Stop and Reset, each enabled only when it makes sense."""
    job = state.current_job()
    now = progress.state if progress else None
    running = bool(progress and progress.active)
    start, pause, resume, step, stop, reset = st.columns(6)
    if start.button("Start", type="primary", disabled=running, width="stretch"):
        start_training(*settings)
        st.rerun()  # the whole page: the settings lock while training
    if pause.button("Pause", disabled=now != State.RUNNING, width="stretch"):
        job.pause(wait=True)
    if resume.button("Resume", disabled=now != State.PAUSED, width="stretch"):
        job.resume()
    if step.button(
        "Step", disabled=now in (State.RUNNING, State.LOADING), width="stretch", help="Train on one batch, then pause."
    ):
        if now == State.PAUSED:
            job.step(wait=True)
        else:
            start_training(*settings, step_only=True)
            st.rerun()
    if stop.button("Stop", disabled=not running, width="stretch"):
        job.stop()
        job.join(timeout=1.0)
        st.rerun()
    if reset.button("Reset", disabled=job is None, width="stretch"):
        job.stop()
        state.set_current_job(None)
        st.rerun()


def trained_model_name(model, progress: Progress) -> str:
    """A name for the model menu: its filters, epochs and validation accuracy."""
    last = progress.epochs[-1] if progress.epochs else None
    score = f", {last.val_accuracy:.1%} validation accuracy" if last and last.val_accuracy is not None else ""
    channels = "/".join(map(str, model.config.conv_channels))
    return f"Trained here: {channels} filters, {progress.epoch} epoch{'s' * (progress.epoch != 1)}{score}"


@st.fragment(run_every=1.0 if active else None)
def live_view():
    """The controls and everything that changes while the job trains; reruns on its own every second."""
    job = state.current_job()
    progress = job.progress() if job else None
    controls(progress)
    if state.busy_message():
        st.warning(state.busy_message())
    if progress is None:
        st.info("Choose the network and how to train it in the sidebar, then press Start (or Step for one batch).")
        return
    if progress.message:
        (st.error if progress.state == State.FAILED else st.caption)(progress.message)
    st.progress(
        progress.step / progress.total_steps if progress.total_steps else 0.0,
        text=describe(progress, job.config.epochs),
    )
    if progress.losses:
        left, right = st.columns(2)
        left.plotly_chart(loss_figure(progress.losses, progress.batches_per_epoch), key="loss")
        if progress.epochs:
            right.plotly_chart(epochs_figure(progress.epochs), key="epochs")
        else:
            right.info(
                "Loss and accuracy per epoch, on the training and the held-out validation digits, "
                "appear after the first epoch."
            )
    if progress.probe is not None:
        st.subheader("Inside the network, live")
        st.caption(lessons.TRAINING_LIVE)
        filters, answer = st.columns(2)
        filters.plotly_chart(
            filters_figure(progress.probe.filters, progress.probe.biases, "Layer 1 filters now"), key="live_filters"
        )
        answer.plotly_chart(
            probability_bars(progress.probe.probabilities, "Probe digit: the answer now"), key="live_answer"
        )
        st.plotly_chart(
            feature_maps_figure(progress.probe.maps, "Probe digit: layer 1 after ReLU", signed=False), key="live_maps"
        )
    if progress.grad_norms:
        st.caption(lessons.GRADIENTS)
        st.plotly_chart(grad_norms_figure(progress.grad_norms), key="gradients")
    if progress.snapshots:
        st.subheader("Scrub back through the epochs")
        epochs = [s.epoch for s in progress.snapshots]
        epoch = st.select_slider("Snapshot after epoch", epochs, value=epochs[-1]) if len(epochs) > 1 else epochs[0]
        shown = progress.snapshots[epochs.index(epoch)]
        then_filters, then_answer = st.columns([3, 2])
        then_filters.plotly_chart(
            filters_figure(shown.probe.filters, shown.probe.biases, f"Layer 1 filters after epoch {epoch}"),
            key="then_filters",
        )
        then_answer.plotly_chart(
            probability_bars(shown.probe.probabilities, f"Probe digit after epoch {epoch}"), key="then_answer"
        )
    if active != progress.active:
        st.rerun()  # the job started or ended: redraw the whole page (settings lock, downloads)


live_view()

model = job.trained_model() if job else None
if model is not None:
    st.subheader("Use what you trained")
    use, download = st.columns(2)
    if use.button("Use in Explore", type="primary", width="stretch"):
        state.add_model(trained_model_name(model, job.progress()), model)
        st.switch_page("pages/explore.py")
    download.download_button(
        "Download the weights (.safetensors)",
        to_bytes(model),
        file_name="cnnviz-trained.safetensors",
        mime="application/octet-stream",
        width="stretch",
    )
