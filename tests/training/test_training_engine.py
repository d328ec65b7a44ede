"""The training engine learns, reports every step, stops when asked and repeats itself exactly."""

import pytest
import torch

from cnnviz.network.model import ModelConfig, build_model
from cnnviz.training.engine import BatchEnd, EpochEnd, TrainConfig, evaluate, train

SMALL = ModelConfig(conv_channels=(4, 8), hidden_units=32)


def test_loss_falls_within_a_fixed_number_of_steps(digits):
    model = build_model(SMALL, seed=0)
    config = TrainConfig(epochs=20, batch_size=32, learning_rate=3e-3, augment=False, seed=0)
    before, _ = evaluate(model, digits)
    events = list(train(model, digits, config))
    after, accuracy = evaluate(model, digits)
    assert after < 0.5 * before
    assert accuracy > 0.8
    assert sum(isinstance(e, EpochEnd) for e in events) == 20


def test_every_step_reports_progress_and_gradients(digits):
    model = build_model(SMALL, seed=0)
    events = list(train(model, digits, TrainConfig(epochs=1, batch_size=64, seed=0), val_set=digits))
    batches = [e for e in events if isinstance(e, BatchEnd)]
    assert [b.batch for b in batches] == [1, 2, 3, 4] and batches[-1].step == batches[-1].total_steps == 4
    assert sum(b.images for b in batches) == len(digits)
    assert set(batches[0].grad_norms) == {"conv1", "conv2", "fc1", "fc2"}
    assert all(v > 0 for v in batches[0].grad_norms.values())
    epoch = events[-1]
    assert isinstance(epoch, EpochEnd) and 0 <= epoch.val_accuracy <= 1 and epoch.val_loss > 0


def test_max_batches_stops_early(digits):
    events = list(train(build_model(SMALL, seed=0), digits, TrainConfig(epochs=5, batch_size=16, max_batches=3)))
    assert [e.step for e in events if isinstance(e, BatchEnd)] == [1, 2, 3]
    assert isinstance(events[-1], EpochEnd)


def test_closing_the_generator_stops_training_at_once(digits):
    model = build_model(SMALL, seed=0)
    run = train(model, digits, TrainConfig(epochs=50, batch_size=16))
    next(run)
    weights = model.conv1.weight.detach().clone()
    run.close()
    with pytest.raises(StopIteration):
        next(run)
    assert torch.equal(weights, model.conv1.weight)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_same_seed_gives_the_same_numbers(digits, optimizer):
    def losses(seed):
        config = TrainConfig(epochs=1, batch_size=32, optimizer=optimizer, augment=True, seed=seed)
        return [e.loss for e in train(build_model(SMALL, seed=seed), digits, config) if isinstance(e, BatchEnd)]

    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="optimizer"):
        TrainConfig(optimizer="rmsprop")
    with pytest.raises(ValueError):
        TrainConfig(epochs=0)
