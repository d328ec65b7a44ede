"""Background training jobs: progress while running, pause/step/stop as documented, a server-wide cap."""

import threading
import time

import torch

from cnnviz.data.mnist import Digits
from cnnviz.network.model import ModelConfig
from cnnviz.training.engine import TrainConfig
from cnnviz.training.jobs import TrainingJob
from cnnviz.training.progress import State
from cnnviz.training.registry import JobRegistry
from harness.waiting import holds_for, wait_until

SMALL = ModelConfig(conv_channels=(4, 8), hidden_units=32)
PROBE = torch.zeros(1, 1, 28, 28)


def make_job(digits, epochs=3, batch_size=16, **settings) -> TrainingJob:
    config = TrainConfig(epochs=epochs, batch_size=batch_size, seed=0, **settings)
    return TrainingJob(lambda: digits, SMALL, config, PROBE, val_fraction=0.2)


def test_a_job_trains_to_the_end_and_reports_everything(digits):
    job = make_job(digits, epochs=3).start()
    assert job.join(timeout=60)
    progress = job.progress()
    assert progress.state == State.FINISHED and not progress.active
    assert progress.step == progress.total_steps == 3 * 10 and len(progress.losses) == 30
    assert [e.epoch for e in progress.epochs] == [1, 2, 3] and progress.epochs[-1].val_accuracy is not None
    assert [s.epoch for s in progress.snapshots] == [0, 1, 2, 3], "epoch 0 is the random start"
    assert progress.probe.filters.shape == (4, 1, 5, 5) and progress.probe.maps.shape == (4, 28, 28)
    assert set(progress.grad_norms) == {"conv1", "conv2", "fc1", "fc2"} and len(progress.grad_norms["fc2"]) == 30
    assert progress.images == 160 * 3 and progress.images_per_second > 0
    assert "synthetic digits" in progress.message
    assert progress.losses[-1] < progress.losses[0]
    assert not job.trained_model().training


def test_snapshots_hold_the_weights_of_their_epoch(digits):
    job = make_job(digits, epochs=2).start()
    job.join(timeout=60)
    start, first, last = job.progress().snapshots
    assert not torch.equal(start.state["conv1.weight"], first.state["conv1.weight"])
    assert not torch.equal(first.state["conv1.weight"], last.state["conv1.weight"])
    assert torch.equal(last.state["conv1.weight"], job.trained_model().conv1.weight)


def test_pause_holds_and_resume_continues(digits):
    job = make_job(digits, epochs=200).start()
    wait_until(lambda: job.progress().step >= 3)
    job.pause()
    wait_until(lambda: job.progress().state == State.PAUSED)
    held = job.progress().step
    holds_for(lambda: job.progress().step == held, 0.3, message="a paused job went on training")
    job.resume()
    wait_until(lambda: job.progress().step > held + 2)
    job.stop()
    assert job.join(timeout=5)


def test_step_runs_exactly_one_batch_then_pauses(digits):
    job = make_job(digits, epochs=5).start(paused=True)
    wait_until(lambda: job.progress().state == State.PAUSED)
    assert job.progress().step == 0
    for expected in (1, 2, 3):
        job.step()
        wait_until(lambda step=expected: job.progress().step == step and job.progress().state == State.PAUSED)
        holds_for(lambda step=expected: job.progress().step == step, 0.1, message="Step ran more than one batch")
    job.stop()
    assert job.join(timeout=5) and job.progress().state == State.STOPPED


def test_stop_takes_effect_within_a_second(digits):
    job = make_job(digits, epochs=1000).start()
    wait_until(lambda: job.progress().step >= 2)
    asked = time.monotonic()
    job.stop()
    assert job.join(timeout=1.0), "the worker must end within a second of Stop"
    assert time.monotonic() - asked < 1.0
    assert job.progress().state == State.STOPPED
    assert job.trained_model() is not None


def test_stop_while_paused_ends_the_thread(digits):
    job = make_job(digits, epochs=10).start(paused=True)
    wait_until(lambda: job.progress().state == State.PAUSED)
    job.stop()
    assert job.join(timeout=1.0) and job.progress().state == State.STOPPED


def test_same_seed_same_curve_even_with_two_jobs_at_once(digits):
    alone = make_job(digits, epochs=2, augment=True).start()
    alone.join(timeout=60)
    together = [make_job(digits, epochs=2, augment=True).start() for _ in range(2)]
    for job in together:
        job.join(timeout=60)
    expected = alone.progress().losses
    assert all(job.progress().losses == expected for job in together)


def test_a_failing_data_loader_is_reported_not_raised():
    def broken():
        raise OSError("disk unplugged")

    job = TrainingJob(broken, SMALL, TrainConfig(epochs=1), PROBE).start()
    assert job.join(timeout=10)
    progress = job.progress()
    assert progress.state == State.FAILED and "disk unplugged" in progress.message


def test_registry_caps_working_jobs_and_the_rest_wait_in_line_and_start_by_themselves(digits):
    registry = JobRegistry(max_jobs=2)
    start = lambda owner: registry.start(owner, lambda: make_job(digits, epochs=1000))  # noqa: E731
    first, second = start("a"), start("b")
    assert registry.running() == 2 and first.alive and second.alive
    third, fourth = start("c"), start("d")
    assert third.progress().state == State.WAITING and not third.alive, "a third job waits, it is not refused"
    assert registry.place(third) == 1 and registry.place(fourth) == 2 and registry.place(first) is None
    assert 0 < registry.wait_estimate(third) <= registry.wait_estimate(fourth)
    first.stop()
    assert first.join(timeout=2)
    wait_until(lambda: third.alive)  # the first in line starts as soon as a slot frees
    assert registry.place(fourth) == 1 and registry.running() == 2
    replaced = start("b")  # the same owner starting again replaces its old job, keeping no slot for it:
    assert replaced is not second and second.join(timeout=2)
    wait_until(lambda: fourth.alive)  # the freed slot goes to the one who waited longest
    assert replaced.progress().state == State.WAITING and registry.place(replaced) == 1
    registry.stop_all()
    for job in (second, third, fourth, replaced):
        job.join(timeout=2)
    wait_until(lambda: registry.running() == 0 and registry.waiting() == 0)


def test_a_job_that_leaves_the_line_never_starts(digits):
    registry = JobRegistry(max_jobs=1)
    working = registry.start("a", lambda: make_job(digits, epochs=1000))
    waiting = registry.start("b", lambda: make_job(digits, epochs=1000))
    behind = registry.start("c", lambda: make_job(digits, epochs=1000))
    assert registry.wait_estimate(waiting) < registry.wait_estimate(behind), "one slot: the second waits longer"
    behind.stop()
    waiting.stop()
    assert waiting.progress().state == State.STOPPED and registry.waiting() == 0
    working.stop()
    assert working.join(timeout=2)
    wait_until(lambda: registry.running() == 0)
    assert not waiting.alive


def test_teaching_and_training_share_the_slots_one_of_each_per_owner(digits):
    registry = JobRegistry(max_jobs=2)
    training = registry.start("a", lambda: make_job(digits, epochs=1000))
    teaching = registry.start("a", lambda: make_job(digits, epochs=1000), kind="teach")
    assert training.alive and teaching.alive and registry.running() == 2, "one of each kind for one owner"
    other = registry.start("b", lambda: make_job(digits, epochs=1000), kind="teach")
    assert registry.place(other) == 1
    registry.stop_all()
    wait_until(lambda: registry.running() == 0 and registry.waiting() == 0)


def test_reap_stops_jobs_of_owners_that_are_gone_and_takes_them_out_of_line(digits):
    registry = JobRegistry(max_jobs=2)
    jobs = {owner: registry.start(owner, lambda: make_job(digits, epochs=1000)) for owner in "abc"}
    assert registry.place(jobs["c"]) == 1
    assert registry.reap(lambda owner: owner == "b") == ["a", "c"]
    assert jobs["a"].join(timeout=2) and jobs["b"].alive
    assert jobs["c"].progress().state == State.STOPPED and not jobs["c"].alive, "gone while waiting: never started"
    jobs["b"].stop()
    jobs["b"].join(timeout=2)
    wait_until(lambda: registry.running() == 0)
    assert not [t for t in threading.enumerate() if t.name == "cnnviz-training"]


def test_a_job_paused_too_long_gives_its_slot_to_one_waiting(digits):
    registry = JobRegistry(max_jobs=1, pause_limit=0.3)
    paused = registry.start("a", lambda: make_job(digits, epochs=1000), paused=True)
    wait_until(lambda: paused.progress().state == State.PAUSED)
    assert registry.reap(lambda owner: True) == [] and paused.alive, "nobody waits: it may stay paused"
    waiting = registry.start("b", lambda: make_job(digits, epochs=1000))

    def gave_up_its_slot() -> bool:
        registry.reap(lambda owner: True)  # as the server's reaper does every few seconds
        return not paused.alive

    wait_until(gave_up_its_slot, timeout=10, message="the job paused past its limit kept its slot")
    assert "paused" in paused.progress().message
    wait_until(lambda: waiting.alive)
    registry.stop_all()
    wait_until(lambda: registry.running() == 0)


def test_controls_hammered_from_other_threads_never_deadlock(digits):
    """Pause, resume, step and progress from four threads in tight loops; then stop: the worker always ends."""
    import random

    job = make_job(digits, epochs=1000).start()
    deadline = time.monotonic() + 2.0
    seen_states = set()

    def hammer(seed: int):
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            action = rng.choice(["pause", "resume", "step", "progress", "step_wait", "pause_wait"])
            if action == "pause":
                job.pause()
            elif action == "resume":
                job.resume()
            elif action == "step":
                job.step()
            elif action == "step_wait":
                job.step(wait=True)
            elif action == "pause_wait":
                job.pause(wait=True)
            else:
                seen_states.add(job.progress().state)

    threads = [threading.Thread(target=hammer, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads), "a control call hung"
    assert seen_states <= {State.LOADING, State.RUNNING, State.PAUSED}
    before = job.progress().step
    job.stop()
    assert job.join(timeout=2.0), "the worker must end after stop, whatever it was doing"
    progress = job.progress()
    assert progress.state == State.STOPPED and progress.step >= before
    assert len(progress.losses) == progress.step, "one loss per batch, none lost or doubled"


def test_done_callbacks_run_once_even_when_added_late(digits):
    job = make_job(digits, epochs=1, batch_size=64)
    calls = []
    job.add_done_callback(lambda finished: calls.append(("early", finished)))
    job.start()
    assert job.join(timeout=60)
    job.add_done_callback(lambda finished: calls.append(("late", finished)))
    assert calls == [("early", job), ("late", job)]


def test_stop_while_a_large_validation_set_is_scored_takes_effect_quickly(digits):
    many = Digits(digits.images.repeat(500, 1, 1), digits.labels.repeat(500), "100,000 digits")
    job = TrainingJob(lambda: many, SMALL, TrainConfig(epochs=2, batch_size=4096, seed=0), PROBE, val_fraction=0.95)
    job.start()
    wait_until(lambda: job.progress().step >= 2)  # the first epoch's batches are done: 95,000 digits to score now
    asked = time.monotonic()
    job.stop()
    assert job.join(timeout=1.0), "Stop must not wait for the whole validation set"
    assert time.monotonic() - asked < 1.0 and job.progress().state == State.STOPPED


def test_the_registry_shares_the_cores_between_jobs_training_at_once(digits):
    registry = JobRegistry(max_jobs=2, threads=2)
    first = registry.start("a", lambda: make_job(digits, epochs=500))
    assert first.threads == 2, "one job alone gets every thread"
    second = registry.start("b", lambda: make_job(digits, epochs=500))
    assert first.threads == second.threads == 1, "two jobs on two cores: one thread each, not four fighting over two"
    second.stop()
    assert second.join(timeout=5)
    wait_until(lambda: registry.running() == 1)
    assert first.threads == 2
    first.stop()
    assert first.join(timeout=5)
