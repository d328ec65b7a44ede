"""Train: a CNN learns MNIST live; pause, step or stop it, then explore what it learned."""

import numpy as np
import streamlit as st

from cnnviz import lessons
from cnnviz.training.checkpoints import to_bytes
from cnnviz.training.progress import Progress, State
from cnnviz.viz import (
    epochs_figure,
    feature_maps_figure,
    filters_figure,
    grad_norms_figure,
    loss_figure,
    probability_bars,
)
from cnnviz.viz.curves import augmentation_figure
from ui import state
from ui.charts import chart
from ui.internals import compact_page, require_app_entry, switch_page
from ui.jobs import describe, start_training, waiting_line
from ui.train_settings import training_settings

require_app_entry()
compact_page()
st.title("Train: watch a CNN learn")
st.write(lessons.TRAINING)

job = state.current_job()
active = bool(job and job.progress().active)
settings = training_settings(locked=active)
ENDED = {State.FINISHED: st.success, State.STOPPED: st.info, State.FAILED: st.error}


def controls(progress: Progress | None) -> None:
    """Start, Pause, Resume, Step, Stop and Reset, each enabled only when it makes sense."""
    job = state.current_job()
    now = progress.state if progress else None
    running = bool(progress and progress.active)
    start, pause, resume, step, stop, reset = st.columns(6)
    if start.button("Start", type="primary", disabled=running, width="stretch"):
        start_training(settings)
        st.rerun()  # the whole page: the settings lock while training
    if pause.button("Pause", disabled=now != State.RUNNING, width="stretch"):
        job.pause(wait=True)
    if resume.button("Resume", disabled=now != State.PAUSED, width="stretch"):
        job.resume()
    one_batch = "Train on one batch, then pause."
    if step.button("Step", disabled=now in (State.RUNNING, State.LOADING), width="stretch", help=one_batch):
        if now == State.PAUSED:
            job.step(wait=True)
        else:
            start_training(settings, step_only=True)
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


@st.fragment(run_every=(0.5 if job and job.slow_motion else 1.0) if active else None)
def live_view():
    """The controls and everything that changes while the job trains; reruns on its own every second."""
    job = state.current_job()
    progress = job.progress() if job else None
    controls(progress)
    line = waiting_line(job) if job else None
    if line:
        st.info(line)
    if progress is None:
        st.info("Choose the network and how to train it in the sidebar, then press Start (or Step for one batch).")
        return
    line = describe(progress, job.config.epochs)
    done = progress.step / progress.total_steps if progress.total_steps else 0.0
    if progress.state in ENDED:  # the final state in a coloured box, said once
        st.progress(done)
        ENDED[progress.state](progress.message if progress.state == State.FAILED else line)
    else:
        st.progress(done, text=line)
        if progress.message:
            st.caption(progress.message)
    if progress.losses:
        loss, filters, answer = st.columns([4, 4, 3])
        chart(loss_figure(progress.losses, progress.batches_per_epoch), key="loss", container=loss)
        if progress.probe is not None:
            probe = progress.probe
            chart(
                filters_figure(probe.filters, probe.biases, "Layer 1 filters now", width=420, columns=4),
                key="live_filters",
                container=filters,
            )
            chart(
                probability_bars(probe.probabilities, "The probe's answer now"),
                key="live_answer",
                container=answer,
            )
    if progress.epochs:
        per_epoch, gradients = st.columns(2)
        chart(epochs_figure(progress.epochs), key="epochs", container=per_epoch)
        last = progress.epochs[-1]
        if last.val_loss is not None:
            per_epoch.caption(lessons.gap_story(last.train_loss, last.val_loss, last.train_accuracy, last.val_accuracy))
        chart(grad_norms_figure(progress.grad_norms), key="gradients", container=gradients)
        gradients.caption(f"{lessons.GRADIENTS} {lessons.gradient_story(progress.grad_norms)}")
    elif progress.grad_norms:
        chart(grad_norms_figure(progress.grad_norms), key="gradients")
        st.caption(f"{lessons.GRADIENTS} {lessons.gradient_story(progress.grad_norms)}")
    if progress.probe is not None:
        st.subheader("Inside the network, live")
        st.caption(lessons.TRAINING_LIVE)
        maps = feature_maps_figure(progress.probe.maps, "Probe digit: layer 1 after ReLU", signed=False, width=1100)
        chart(maps, key="live_maps")
    if progress.batch_seen is not None:
        chart(augmentation_figure(progress.batch_original, progress.batch_seen), key="augmentation")
        st.caption(
            "What the network is trained on right now: the digits as stored (top) and as it sees them "
            "(bottom)"
            + (", warped, thickened or thinned at random" if job.config.augment else ": augmentation is off")
            + "."
        )
    if progress.snapshots:
        scrub(progress)
    if active != progress.active:
        st.rerun()  # the job started or ended: redraw the whole page (settings lock, downloads)


def scrub(progress: Progress) -> None:
    """Back through the snapshots: epoch 0 is the random start."""
    st.subheader("Scrub back through the epochs")
    epochs = [s.epoch for s in progress.snapshots]
    epoch = (
        st.select_slider("Snapshot after epoch (0: the random start)", epochs, value=epochs[-1])
        if len(epochs) > 1
        else 0
    )
    shown, start = progress.snapshots[epochs.index(epoch)], progress.snapshots[0]
    change = float(np.linalg.norm(shown.probe.filters - start.probe.filters) / np.linalg.norm(start.probe.filters))
    st.caption(lessons.filters_story(change))
    then_filters, then_answer = st.columns([3, 2])
    title = "at the random start" if epoch == 0 else f"after epoch {epoch}"
    chart(
        filters_figure(shown.probe.filters, shown.probe.biases, f"Layer 1 filters {title}", width=640),
        key="then_filters",
        container=then_filters,
    )
    chart(probability_bars(shown.probe.probabilities, f"The probe {title}"), key="then_answer", container=then_answer)


live_view()

model = job.trained_model() if job else None
if model is not None:
    st.subheader("Use what you trained")
    use, download = st.columns(2)
    if use.button("Use in Explore", type="primary", width="stretch"):
        state.add_model(trained_model_name(model, job.progress()), model)
        switch_page("pages/explore.py")
    download.download_button(
        "Download the weights (.safetensors)",
        to_bytes(model),
        file_name="cnnviz-trained.safetensors",
        mime="application/octet-stream",
        width="stretch",
    )
