"""One step of backpropagation, slowly: the hand-written chain rule equals torch.autograd; a step is w - lr * g."""

import copy

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.data.mnist import Digits, load_offline_sample, split
from cnnviz.data.samples import list_samples
from cnnviz.insight.evaluation import VALIDATION_SPLIT, evaluate
from cnnviz.network.backprop import RATES, backward, judge, rate_sweep, step
from cnnviz.network.classes import DIGITS
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.network.presets import PRESETS, preset
from cnnviz.reading.preprocess import preprocess_bytes
from cnnviz.training.checkpoints import load_bundled

from page_support import open_view, page

CONFIGS = {
    **{name: preset(name, DIGITS) for name in PRESETS},  # tanh, sigmoid, average pooling, stride, residual sums
    "bundled-shape": ModelConfig(),
    "one-conv-bn": ModelConfig(conv_channels=(4,), batch_norm=True),
    "three-conv-bn-k3": ModelConfig(conv_channels=(4, 6, 8), kernel_size=3, batch_norm=True),
    "four-conv-odd-maps": ModelConfig(conv_channels=(3, 4, 4, 5), kernel_size=3),  # 7 x 7 maps pooled to 3 x 3
}


def with_used_batch_norm(model):
    """Running statistics and scales that are not the identity, as after training."""
    generator = torch.Generator().manual_seed(5)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.3, 0.3, generator=generator)
                module.running_var.uniform_(0.5, 2.0, generator=generator)
                module.weight.uniform_(0.5, 1.5, generator=generator)
                module.bias.uniform_(-0.2, 0.2, generator=generator)
    return model.eval()


def autograd_gradients(model, image, label) -> tuple[float, dict[str, torch.Tensor]]:
    loss = F.cross_entropy(model.eval()(image), torch.tensor([label]))
    names = [name for name, _ in model.named_parameters()]
    return loss.item(), dict(zip(names, torch.autograd.grad(loss, list(model.parameters()))))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_gradient_equals_autograd(name):
    model = with_used_batch_norm(build_model(CONFIGS[name], seed=3))
    image = torch.randn(1, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    found = backward(model, image, 4)
    loss, expected = autograd_gradients(model, image, 4)
    assert found.loss == pytest.approx(loss, rel=1e-5)
    assert len(found.weight_gradients) + len(found.bias_gradients) == len(expected)
    own = {}  # each parameter's name in the model -> the gradient written out for it
    for info in model.layers():
        path = next(path for path, module in model.named_modules() if module is info.module)
        if info.name in found.weight_gradients:
            own[f"{path}.weight"] = found.weight_gradients[info.name]
            own[f"{path}.bias"] = found.bias_gradients[info.name]
        if f"{info.name}.skip" in found.weight_gradients:  # a residual block's 1x1 conv on its skip
            own[f"{path}.shortcut.weight"] = found.weight_gradients[f"{info.name}.skip"]
    assert set(own) == set(expected)
    for parameter, gradient in expected.items():
        mine = own[parameter]
        assert mine.shape == gradient.shape
        np.testing.assert_allclose(mine, gradient.numpy(), rtol=1e-4, atol=1e-6 * float(gradient.abs().max()))


def test_the_bundled_model_on_a_sample_digit():
    model = load_bundled()
    sample = list_samples()[0]
    image = preprocess_bytes(sample.path.read_bytes()).tensor
    wrong = (sample.label + 1) % 10
    found = backward(model, image, wrong)
    loss, expected = autograd_gradients(model, image, wrong)
    assert found.loss == pytest.approx(loss, rel=1e-5) and found.loss > 1
    for parameter, gradient in expected.items():
        layer, kind = parameter.split(".")
        mine = (found.weight_gradients if kind == "weight" else found.bias_gradients)[layer]
        np.testing.assert_allclose(mine, gradient.numpy(), rtol=1e-4, atol=1e-6 * float(gradient.abs().max()))
    assert list(found.norms()) == ["conv1", "conv2", "fc1", "fc2"]  # first layer first
    arriving = found.output_gradients["conv1"]
    assert arriving.shape == (16, 28, 28)


def test_a_step_is_plain_gradient_descent_and_leaves_the_model_alone():
    model = build_model(ModelConfig(conv_channels=(4, 8)), seed=2).eval()
    original = copy.deepcopy(model.state_dict())
    image = torch.randn(1, 1, 28, 28, generator=torch.Generator().manual_seed(2))
    found = backward(model, image, 7)
    stepped = step(model, image, found, 0.05)
    expected = copy.deepcopy(model)
    optimiser = torch.optim.SGD(expected.parameters(), lr=0.05)
    F.cross_entropy(expected(image), torch.tensor([7])).backward()
    optimiser.step()
    for key, value in expected.state_dict().items():
        torch.testing.assert_close(stepped.model.state_dict()[key], value, rtol=1e-5, atol=1e-6)
    for key, value in model.state_dict().items():
        assert torch.equal(value, original[key])  # the shown model is untouched
    assert stepped.loss_after < stepped.loss_before


def test_the_learning_rate_sweep_goes_from_too_small_to_too_big():
    model = load_bundled()
    _, held_out = split(load_offline_sample(), *VALIDATION_SPLIT)
    others = Digits(held_out.images[:200], held_out.labels[:200], "others")
    before = evaluate(model, others).accuracy
    sample = next(s for s in list_samples() if s.label == 7)
    image = preprocess_bytes(sample.path.read_bytes()).tensor
    found = backward(model, image, 1)  # teach it that this 7 is a 1
    verdicts = [judge(s, before) for s in rate_sweep(model, image, found, lambda m: evaluate(m, others).accuracy)]
    assert verdicts[0] == "small"
    assert "right" in verdicts
    assert verdicts[-1] == "broke"
    assert verdicts.index("right") < verdicts.index("broke")
    assert judge(step(model, image, backward(model, image, 7), RATES[4]), before) == "sure"


def test_explore_shows_one_step_of_learning():
    at = open_view(page("explore"), "learning")
    assert not at.exception, at.exception
    labels = [m.label for m in at.metric]
    assert labels[1:] == ["Loss after one step", "Other digits right after it"]
    story = next(m.value for m in at.markdown if m.value.startswith("**") and ("Too" in m.value or "About" in m.value))
    at.select_slider(key="step_rate").set_value(RATES[-1]).run()
    assert not at.exception, at.exception
    broke = next(m.value for m in at.markdown if m.value.startswith("**Too big"))
    assert broke != story
