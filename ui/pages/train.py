"""The Train page's parts: its controls, everything that changes while a job trains, and what to do with the model."""

import numpy as np
import streamlit as st

from cnnviz.network.naming import learner_name
from cnnviz.training.checkpoints import to_bytes
from cnnviz.training.export import export_zip
from cnnviz.training.progress import Progress, State
from cnnviz.training.settings import Settings
from cnnviz.viz import (
    epochs_figure,
    feature_maps_figure,
    filters_figure,
    grad_norms_figure,
    loss_figure,
    probability_bars,
)
from cnnviz.viz.curves import augmentation_figure, compare_figure
from cnnviz.viz.figure import plain
from ui import state
from ui.charts import chart
from ui.classroom import send_run_to_class
from ui.internals import switch_page
from ui.jobs import describe, start_training, waiting_line
from ui.markdown import count, layer_label
from ui.pages.train_settings import OPTIMIZER_NAMES
from ui.pages.train_words import (
    GRADIENTS,
    LIVE,
    augmentation_words,
    compare_story,
    filters_story,
    gap_story,
    gradient_story,
)

ENDED = {State.FINISHED: st.success, State.STOPPED: st.info, State.FAILED: st.error}


def controls(settings: Settings, progress: Progress | None) -> None:
    """Start, Pause, Resume, Step, Stop and Reset, each enabled only when it makes sense."""
    job = state.current_job()
    now = progress.state if progress else None
    running = bool(progress and progress.active)
    start, pause, resume, step, stop, reset = st.columns(6)
    buildable = settings.model is not None
    if start.button("Start", type="primary", disabled=running or not buildable, width="stretch"):
        start_training(settings)
        st.rerun()  # the whole page: the settings lock while training
    if pause.button("Pause", disabled=now != State.RUNNING, width="stretch"):
        job.pause(wait=True)
    if resume.button("Resume", disabled=now != State.PAUSED, width="stretch"):
        job.resume()
    one_batch = "Train on one batch, then pause."
    stepping_disabled = now in (State.RUNNING, State.LOADING, State.WAITING) or not buildable
    if step.button("Step", disabled=stepping_disabled, width="stretch", help=one_batch):
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


def run_name(job, progress: Progress) -> str:
    """A name for the model menu: its network, the epochs it finished and its validation accuracy."""
    last = progress.epochs[-1] if progress.epochs else None
    score = f", {last.val_accuracy:.1%} validation accuracy" if last and last.val_accuracy is not None else ""
    return f"Trained here: {job.label}, {count(len(progress.epochs), 'epoch')}{score}"


def run_settings(job, progress: Progress) -> dict[str, str]:
    """A run's own settings, each in a few words, as its job was started with them (not the sidebar's now)."""
    config = job.config
    return {
        "network": job.label or "a network",
        "epochs": count(len(progress.epochs), "epoch"),
        "optimiser": OPTIMIZER_NAMES.get(config.optimizer, config.optimizer),
        "learning rate": f"learning rate {config.learning_rate:g}",
        "batch": f"batches of {config.batch_size}",
        "weight decay": f"weight decay {config.weight_decay:g}",
        "augmentation": "augmented" if config.augment else "not augmented",
        "digits": "all training digits" if job.train_size is None else f"{job.train_size:,} training digits",
        "seed": f"seed {config.seed}",
    }


def run_labels(runs: list) -> list[str]:
    """Each kept run (job, progress) named by its number, its network and its own values of the settings in which
    the runs differ: "Run 2 (lenet5, learning rate 0.03)"."""
    settings = [run_settings(job, progress) for job, progress in runs]
    differ = [key for key in settings[0] if key != "network" and len({s[key] for s in settings}) > 1]
    return [
        f"Run {number} ({', '.join([own['network'], *(own[key] for key in differ)])})"
        for number, own in enumerate(settings, start=1)
    ]


def named_norms(job, grad_norms: dict[str, list[float]], name) -> dict[str, list[float]]:
    """The gradient sizes by each layer's name as name(model, layer) gives it (the code's own before the model is
    built)."""
    return {name(job.model, layer) if job.model else layer: values for layer, values in grad_norms.items()}


def live_view(settings: Settings, active: bool) -> None:
    """The controls and everything that changes while the job trains; reruns on its own while it does."""
    job = state.current_job()
    every = (0.5 if job and job.slow_motion else 1.0) if active else None

    @st.fragment(run_every=every)
    def live():
        job = state.current_job()
        progress = job.progress() if job else None
        controls(settings, progress)
        line = waiting_line(job) if job else None
        if line:
            st.info(line)
        if progress is None:
            st.info("Choose the network and how to train it in the sidebar, then press Start (or Step for one batch).")
            return
        status(job, progress)
        if progress.losses:
            batches(progress)
        if progress.epochs or progress.grad_norms:
            epochs_and_gradients(job, progress)
        if progress.probe is not None:
            st.subheader("Inside the network, live")
            st.caption(LIVE)
            title = "The probe digit's maps after the first convolution and its activation"
            maps = feature_maps_figure(progress.probe.maps, title, False, width=1100)
            chart(maps, key="live_maps")
        if progress.batch_seen is not None:
            chart(augmentation_figure(progress.batch_original, progress.batch_seen), key="augmentation")
            st.caption(augmentation_words(job.config.augment))
        if progress.snapshots:
            scrub(progress)
        if not progress.active and progress.epochs:
            state.keep_run(job, progress)
        if active != progress.active:
            st.rerun()  # the job started or ended: redraw the whole page (settings lock, downloads)

    live()


def status(job, progress: Progress) -> None:
    """The progress bar, and how the run ended once it has."""
    line = describe(progress, job.config.epochs)
    done = progress.step / progress.total_steps if progress.total_steps else 0.0
    if progress.state in ENDED:  # the final state in a coloured box, said once
        st.progress(done)
        ENDED[progress.state](progress.message if progress.state == State.FAILED else line)
        if progress.state == State.STOPPED and progress.message:
            st.caption(progress.message)
    else:
        st.progress(done, text=line)
        if progress.message:
            st.caption(progress.message)


def batches(progress: Progress) -> None:
    """The loss per batch, the first layer's filters now, and the probe's answer now."""
    loss, filters, answer = st.columns([4, 4, 3])
    chart(loss_figure(progress.losses, progress.batches_per_epoch), key="loss", container=loss)
    if progress.probe is not None:
        probe = progress.probe
        chart(
            filters_figure(probe.filters, probe.biases, "The first convolution's filters now", width=420, columns=4),
            key="live_filters",
            container=filters,
        )
        chart(probability_bars(probe.probabilities, "The probe's answer now"), key="live_answer", container=answer)


def epochs_and_gradients(job, progress: Progress) -> None:
    """Loss and accuracy per epoch (training against validation), and the gradient's size per layer."""
    per_epoch, gradients = st.columns(2) if progress.epochs else (None, st.container())
    if progress.epochs:
        chart(epochs_figure(progress.epochs), key="epochs", container=per_epoch)
        last = progress.epochs[-1]
        if last.val_loss is not None:
            dropout = bool(job.model) and any(info.spec.drops for info in job.model.layers())
            per_epoch.caption(
                gap_story(
                    last.train_loss, last.val_loss, last.train_accuracy, last.val_accuracy, dropout, job.config.augment
                )
            )
    legend = named_norms(job, progress.grad_norms, lambda model, layer: plain(layer_label(model, layer)))
    chart(grad_norms_figure(legend), key="gradients", container=gradients)
    said = gradient_story(named_norms(job, progress.grad_norms, learner_name))
    gradients.caption(f"{GRADIENTS} {said}")


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
    st.caption(filters_story(change))
    then_filters, then_answer = st.columns([3, 2])
    title = "at the random start" if epoch == 0 else f"after epoch {epoch}"
    chart(
        filters_figure(shown.probe.filters, shown.probe.biases, f"The first convolution's filters {title}", width=640),
        key="then_filters",
        container=then_filters,
    )
    chart(probability_bars(shown.probe.probabilities, f"The probe {title}"), key="then_answer", container=then_answer)


def compare() -> None:
    """This session's finished runs side by side: validation accuracy and loss per epoch, one line each."""
    runs = state.finished_runs()
    if len(runs) < 2:
        if runs:
            st.caption("Train another network (LeNet-5 against today's, sigmoid against ReLU) to compare them here.")
        return
    st.subheader("Your runs, compared")
    named = list(zip(run_labels(runs), (progress.epochs for _, progress in runs)))
    chart(compare_figure(named), key="compare_runs")
    st.caption(compare_story(named))


def use_or_take_home(job) -> None:
    """Once a run has ended: use the model in Explore, or download its weights or its code."""
    model = job.trained_model() if job else None
    if model is None:
        return
    st.subheader("Use what you trained")
    use, weights, code = st.columns(3)
    send_run_to_class(job, model)
    if use.button("Use in Explore", type="primary", width="stretch"):
        state.add_model(run_name(job, job.progress()), model)
        switch_page("pages/explore.py")
    weights.download_button(
        "Download the weights (.safetensors)",
        to_bytes(model),
        file_name="cnnviz-trained.safetensors",
        mime="application/octet-stream",
        width="stretch",
    )
    code.download_button(
        "Download as PyTorch code (.zip)",
        export_zip(model),
        file_name=f"cnnviz-{job.label.split()[0]}.zip",
        mime="application/zip",
        width="stretch",
        help="model.py (the network as plain PyTorch, and a command that reads digits) and its weights",
    )
