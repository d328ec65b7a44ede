"""Save and load model weights as safetensors: plain numbers and a JSON header, never pickled code."""

import json
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors_bytes
from safetensors.torch import save as save_safetensors_bytes

from cnnviz.data.mnist import BLACK, WHITE
from cnnviz.errors import InputError
from cnnviz.network.layer import IMAGE_SIZE
from cnnviz.network.layers import Architecture, LayerError
from cnnviz.network.model import ModelConfig, Network, multiply_adds
from cnnviz.reading.files import loads_limited, read_limited
from cnnviz.saving import write_file

MAX_MULTIPLY_ADDS = 60_000_000  # per answer: twice the largest net the Train page builds; the bundled one needs 3 M
MAX_CHECKPOINT_BYTES = 50 * 1024 * 1024  # far above any model this app builds (the default is under 1 MB)
ASSETS = Path(__file__).resolve().parents[2] / "assets"
BUNDLED_WEIGHTS = ASSETS / "digit_cnn.safetensors"
LENET_WEIGHTS = ASSETS / "lenet5.safetensors"  # the same data and recipe, LeNet-5's layers


def to_bytes(model: Network, metadata: dict[str, str] | None = None) -> bytes:
    """The model's weights and its layer list as safetensors bytes."""
    header = {NETWORK_KEY: json.dumps(model.config.to_dict()), **(metadata or {})}
    state = {name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()}
    return save_safetensors_bytes(state, metadata=header)


def save(model: Network, path: Path, metadata: dict[str, str] | None = None) -> Path:
    """Write the model's weights and config to a .safetensors file, whole or not at all; its absolute path."""
    return write_file(path, to_bytes(model, metadata))


NETWORK_KEY = "cnnviz_network"  # the header's layer list and classes (Architecture.to_dict)
LEGACY_KEY = "cnnviz_config"  # what files saved before layer lists hold instead (ModelConfig)
MAX_HEADER_CHARS = 1_000_000  # a safetensors header of this app's models is a few kilobytes
MAX_CONFIG_CHARS = 65_536
MAX_CONFIG_DEPTH = 8  # a config is a dict of lists of dicts at most


def _read_metadata(data: bytes) -> dict[str, str]:
    """The __metadata__ of a safetensors header (8-byte little-endian length, then JSON), size and depth bounded."""
    size = int.from_bytes(data[:8], "little")
    header = loads_limited(data[8 : 8 + size], MAX_HEADER_CHARS, 4)
    metadata = header.get("__metadata__") or {} if isinstance(header, dict) else {}
    return metadata if isinstance(metadata, dict) else {}


IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"RIFF", b"II*\x00", b"MM\x00*")
PICKLE_SIGNATURES = (b"PK\x03\x04", b"\x80")  # torch.save's zip archive, or a bare pickle


def _not_weights(data: bytes) -> str:
    """Why these bytes are not safetensors weights, in words that say what they look like instead."""
    if data.startswith(IMAGE_SIGNATURES):
        return "is an image, not a safetensors weights file: give images to the image sources (Sample, Draw, Upload)."
    if data.startswith(PICKLE_SIGNATURES):
        return "is not a safetensors weights file but a pickled .pt/.pth file: refused, since opening one can run code."
    return "is not a safetensors weights file."


def architecture_of(metadata: dict[str, str]) -> Architecture:
    """The network a file's header describes: a layer list, or the one-family config files saved before used."""
    if NETWORK_KEY in metadata:
        return Architecture.from_dict(loads_limited(metadata[NETWORK_KEY], MAX_CONFIG_CHARS, MAX_CONFIG_DEPTH))
    return ModelConfig.from_dict(loads_limited(metadata[LEGACY_KEY], MAX_CONFIG_CHARS, MAX_CONFIG_DEPTH)).architecture()


def from_bytes(data: bytes, name: str = "weights file", trusted: bool = False) -> Network:
    """A model in eval mode from safetensors bytes; any problem raises InputError naming it.

    Args:
        trusted: the app's own file, whose config may be built before its shapes are checked. Any
            other file's shapes are worked out on the meta device first (no memory; the first time
            in a process it costs about 0.7 s of PyTorch imports, which the bundled model skips).
    """
    if not data:
        raise InputError(f"{name} is empty.")
    if len(data) > MAX_CHECKPOINT_BYTES:
        raise InputError(
            f"{name} is {len(data) / 2**20:.0f} MB; weights files are limited to {MAX_CHECKPOINT_BYTES // 2**20} MB."
        )
    try:
        state = load_safetensors_bytes(data)
        metadata = _read_metadata(data)
    except (SafetensorError, ValueError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{name} {_not_weights(data)}") from error
    try:
        config = architecture_of(metadata)
    except LayerError as error:
        raise InputError(f"{name} describes a network that cannot be built: {error}.") from error
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"{name} has no valid cnnviz model config in its header; save weights with cnnviz.") from error
    if trusted:
        model = Network(config)
        expected = {key: tuple(value.shape) for key, value in model.state_dict().items()}
    else:
        with torch.device("meta"):  # shapes only, no memory: a config must match the file before a model is built
            shapes = Network(config)
            expected = {key: tuple(value.shape) for key, value in shapes.state_dict().items()}
            cost = multiply_adds(shapes)
        if cost > MAX_MULTIPLY_ADDS:
            raise InputError(
                f"{name} is too big for a classroom server: one answer takes {cost / 1e6:,.0f} million multiply-adds, "
                f"the limit is {MAX_MULTIPLY_ADDS / 1e6:,.0f} million (the bundled model needs about 3)."
            )
    found = {key: tuple(value.shape) for key, value in state.items()}
    problems = [f"missing {key}" for key in expected if key not in found]
    problems += [f"unexpected {key}" for key in found if key not in expected]
    problems += [
        f"{key} has shape {list(found[key])}, expected {list(shape)}"
        for key, shape in expected.items()
        if key in found and found[key] != shape
    ]
    if problems:
        shown = "; ".join(problems[:4]) + (f" (and {len(problems) - 4} more)" if len(problems) > 4 else "")
        raise InputError(f"{name} does not match its model config: {shown}.")
    for key, value in state.items():
        if key.endswith("num_batches_tracked"):  # batch norm's counter is an integer by design
            continue
        if not value.is_floating_point():
            raise InputError(
                f"{name} has {str(value.dtype).removeprefix('torch.')} weights in {key}; weights are decimal numbers."
            )
        if not torch.isfinite(value).all():
            raise InputError(
                f"{name} has weights that are not numbers (NaN or infinite) in {key}: it cannot give answers."
            )
    model = model if trusted else Network(config)
    model.load_state_dict(
        {key: value.to(torch.float32) if value.is_floating_point() else value for key, value in state.items()}
    )
    check_numbers(model.eval(), name)
    return model


def check_numbers(model: Network, name: str = "the model") -> None:
    """InputError unless the model gives numbers: batch norm variances that are not negative, and finite answers
    for a blank image, a fully inked one and noise (weights of 1e30 are finite, yet overflow at once)."""
    for layer_name, layer in model.named_modules():
        variance = getattr(layer, "running_var", None)  # batch norm's
        if variance is not None and (variance < 0).any():
            raise InputError(f"{name} has a negative variance in its batch norm {layer_name}: it cannot give answers.")
    probes = torch.stack(
        [
            torch.full((1, IMAGE_SIZE, IMAGE_SIZE), BLACK),
            torch.full((1, IMAGE_SIZE, IMAGE_SIZE), WHITE),
            torch.rand(1, IMAGE_SIZE, IMAGE_SIZE, generator=torch.Generator().manual_seed(0)) * 3 - 0.5,
        ]
    )
    with torch.no_grad():
        answers = torch.softmax(model(probes), dim=1)
    if not torch.isfinite(answers).all():
        raise InputError(f"{name}'s numbers overflow: its answers are not numbers (NaN or infinite).")


def load(path: Path, trusted: bool = False) -> Network:
    """A model in eval mode from a .safetensors file; problems raise InputError."""
    return from_bytes(read_limited(path, MAX_CHECKPOINT_BYTES, "weights files"), Path(path).name, trusted)


def load_bundled(path: Path = BUNDLED_WEIGHTS) -> Network:
    """A trained model that ships with the app (the default one unless another path is given)."""
    return load(path, trusted=True)
