"""A crafted MNIST test-set folder: lying headers, wrong shapes, and a small gzip that expands to gigabytes."""

import gzip
import io

import pytest

from cnnviz.data.mnist import load_mnist_test, read_idx

from command_line import cnnviz_with_peak, run_cli, strict_json


def idx(kind: int, shape: tuple[int, ...], data: bytes) -> bytes:
    return bytes([0, 0, 8, kind]) + b"".join(n.to_bytes(4, "big") for n in shape) + data


@pytest.mark.parametrize(
    "images, labels, words",
    [
        (idx(3, (0, 28, 28), b""), idx(1, (0,), b""), "empty"),
        (idx(3, (2, 20, 20), bytes(800)), idx(1, (2,), bytes(2)), "not N x 28 x 28"),
        (idx(3, (1, 28, 28), bytes(784)), idx(1, (1,), bytes([200])), "a label is 200"),
        (idx(3, (2, 28, 28), bytes(1568)), idx(1, (3,), bytes(3)), "2 images but 3 labels"),
        (idx(3, (10**6, 28, 28), b""), idx(1, (1,), bytes(1)), "holds 0 bytes"),
    ],
    ids=["empty", "wrong-size", "label-200", "counts-differ", "header-lies"],
)
def test_a_crafted_test_set_folder_is_refused_in_one_sentence(tmp_path, images, labels, words):
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(images)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(labels)
    with pytest.raises(ValueError, match=words):
        load_mnist_test(tmp_path)
    result = run_cli("evaluate", "--mnist-dir", tmp_path, "--json")
    assert result.returncode == 1 and "error" in strict_json(result.stdout) and "Traceback" not in result.stderr


def gzip_of_zeros(header: bytes, megabytes: int) -> bytes:
    """A gzip file of an IDX header and then megabytes of zeros: a few hundred kilobytes at most."""
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", compresslevel=1) as out:
        out.write(header)
        chunk = bytes(2**20)
        for _ in range(megabytes):
            out.write(chunk)
    return bomb.getvalue()


def test_reading_stops_at_the_limit_however_far_the_file_would_expand(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(gzip_of_zeros(idx(3, (10**7, 28, 28), b""), 64))
    with pytest.raises(ValueError, match="holds more than 1,000,000 bytes"):
        read_idx(path, limit=10**6)  # a lower limit than the real one: the same cap, proven on less


def test_a_small_gzip_that_expands_past_any_mnist_file_is_cut_off_early(tmp_path):
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip_of_zeros(idx(3, (10**7, 28, 28), b""), 400))
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx(1, (1,), bytes(1)))
    result, seconds, peak = cnnviz_with_peak("evaluate", "--mnist-dir", tmp_path, "--json")
    assert "more than" in strict_json(result.stdout)["error"]
    assert peak < 1000 and seconds < 30, "400 MB were not read: the reading stopped at MNIST's own size"
