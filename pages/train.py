"""Train: a CNN learns MNIST live; pause, step or stop it, then explore what it learned."""

import streamlit as st

from cnnviz import lessons
from cnnviz.checkpoints import to_bytes
from cnnviz.jobs import Progress, describe
from cnnviz.viz import epochs_figure, feature_maps_figure, filters_figure, grad_norms_figure, loss_figure, probability_bars
from ui.entry import require_app_entry
from ui.models import add_session_model
from ui.training import BUSY, start_training, training_settings

require_app_entry()

st.title("Train: watch a CNN learn")
st.write(lessons.TRAINING)

job = st.session_state.get("job")
active = bool(job and job.progress().active)
settings = training_settings(locked=active)


def controls(progress: Progress | None) -> None:
    """Start, Pause, Resume, Step, Stop and Reset, each enabled only when it makes sense."""
    job = st.session_state.get("job")
    state = progress.state if progress else "none"
    running = bool(progress and progress.active)
    start, pause, resume, step, stop, reset = st.columns(6)
    if start.button("Start", type="primary", disabled=running, width="stretch"):
        start_training(*settings)
        st.rerun()  # the whole page: the settings lock while training
    if pause.button("Pause", disabled=state != "running", width="stretch"):
        job.pause(wait=True)
    if resume.button("Resume", disabled=state != "paused", width="stretch"):
        job.resume()
    if step.button("Step", disabled=state in ("running", "loading data"), width="stretch", help="Train on one batch, then pause."):
        if state == "paused":
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
        del st.session_state["job"]
        st.rerun()


@st.fragment(run_every=1.0 if active else None)
def live_view():
    """The controls and everything that changes while the job trains; reruns on its own every second."""
    job = st.session_state.get("job")
    progress = job.progress() if job else None
    controls(progress)
    if st.session_state.get(BUSY):
        st.warning(st.session_state[BUSY])
    if progress is None:
        st.info("Choose the network and how to train it in the sidebar, then press Start (or Step for one batch).")
        return
    if progress.message:
        (st.error if progress.state == "failed" else st.caption)(progress.message)
    st.progress(progress.step / progress.total_steps if progress.total_steps else 0.0, text=describe(progress, job.config.epochs))
    if progress.losses:
        left, right = st.columns(2)
        left.plotly_chart(loss_figure(progress.losses, progress.batches_per_epoch), key="loss")
        if progress.epochs:
            right.plotly_chart(epochs_figure(progress.epochs), key="epochs")
        else:
            right.info("Loss and accuracy per epoch, on the training and the held-out validation digits, appear after the first epoch.")
    if progress.probe is not None:
        st.subheader("Inside the network, live")
        st.caption(lessons.TRAINING_LIVE)
        filters, answer = st.columns(2)
        filters.plotly_chart(filters_figure(progress.probe.filters, progress.probe.biases, "Layer 1 filters now"), key="live_filters")
        answer.plotly_chart(probability_bars(progress.probe.probabilities, "Probe digit: the answer now"), key="live_answer")
        st.plotly_chart(feature_maps_figure(progress.probe.maps, "Probe digit: layer 1 after ReLU", signed=False), key="live_maps")
    if progress.grad_norms:
        st.caption(lessons.GRADIENTS)
        st.plotly_chart(grad_norms_figure(progress.grad_norms), key="gradients")
    if progress.snapshots:
        st.subheader("Scrub back through the epochs")
        epochs = [s.epoch for s in progress.snapshots]
        epoch = st.select_slider("Snapshot after epoch", epochs, value=epochs[-1]) if len(epochs) > 1 else epochs[0]
        shown = progress.snapshots[epochs.index(epoch)]
        then_filters, then_answer = st.columns([3, 2])
        then_filters.plotly_chart(filters_figure(shown.probe.filters, shown.probe.biases, f"Layer 1 filters after epoch {epoch}"), key="then_filters")
        then_answer.plotly_chart(probability_bars(shown.probe.probabilities, f"Probe digit after epoch {epoch}"), key="then_answer")
    if active != progress.active:
        st.rerun()  # the job started or ended: redraw the whole page (settings lock, downloads)


live_view()

model = job.trained_model() if job else None
if model is not None:
    st.subheader("Use what you trained")
    use, download = st.columns(2)
    if use.button("Use in Explore", type="primary", width="stretch"):
        add_session_model(model, job.progress())
        st.switch_page("pages/explore.py")
    download.download_button(
        "Download the weights (.safetensors)", to_bytes(model), file_name="cnnviz-trained.safetensors",
        mime="application/octet-stream", width="stretch",
    )
