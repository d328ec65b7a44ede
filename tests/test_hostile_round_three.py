"""A third hostile round: what a curious or malicious student can send besides files.

Crafted canvas states and overview clicks over the websocket, uploads sent straight to Streamlit's
upload route, class names that are Markdown or hide invisible characters, models that cost minutes
or answer NaN, headers nested deep, URL numbers that overflow, crafted test-set folders and command
line numbers, and warning filters touched from many threads.
"""

import asyncio
import base64
import gzip
import io
import json
import struct
import subprocess
import sys
import threading
import time
import warnings
import zlib

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import save
from test_hostile_files_are_refused import cnnviz_with_peak, strict_json

from cnnviz.data.mnist import load_mnist_test
from cnnviz.errors import InputError
from cnnviz.network.classes import DIGITS
from cnnviz.network.model import ModelConfig, build_model
from cnnviz.reading.decode import MAX_PIXELS, open_drawing, open_image
from cnnviz.reading.files import loads_limited
from cnnviz.training import checkpoints


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(width: int, height: int) -> bytes:
    """A real grayscale PNG of zeros, compressed hard: a 79-megapixel one is a few hundred kilobytes."""
    rows = b"\0" * ((width + 1) * height)  # a filter byte, then the row
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def a_drawn_one() -> bytes:
    """What the canvas sends for a drawn 1: a white stroke on black, 280 x 280 RGBA."""
    from PIL import ImageDraw

    image = Image.new("RGBA", (280, 280), (0, 0, 0, 255))
    ImageDraw.Draw(image).line([(140, 50), (140, 230)], fill=(255, 255, 255, 255), width=22)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke showpage\n"


# --- 1. the canvas ---------------------------------------------------------------------------


def test_a_drawing_is_read_only_as_a_png_of_canvas_size():
    drawn = io.BytesIO()
    Image.new("RGBA", (280, 280), (255, 255, 255, 255)).save(drawn, "PNG")
    assert open_drawing(drawn.getvalue()).shape == (280, 280, 4)
    for other in (EPS, b"DDS |" + bytes(120), b"BLP2" + bytes(200), b"not an image at all"):
        with pytest.raises(InputError, match="not a PNG"):
            open_drawing(other)
    with pytest.raises(InputError, match="larger than any canvas"):
        open_drawing(blank_png(8900, 8900))  # refused from its header: nothing decoded
    with pytest.raises(InputError, match="could not be read"):
        open_drawing(blank_png(280, 280)[:60])  # a valid header, then nothing


@pytest.fixture(scope="module")
def server():
    """(URL, process id) of a server of the app for this module's websocket tests."""
    from browser_support import streamlit_server

    with streamlit_server() as url:
        yield url, streamlit_server.last_pid


def server_memory_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


@pytest.mark.slow
def test_crafted_canvas_states_are_empty_canvases_and_cost_nothing(server):
    from harness.websocket_client import Session

    app_url, pid = server
    huge = blank_png(8900, 8900)  # 79 megapixels in about 300 KB
    states = [
        {"drawing": {"raw": {"objects": [{"type": "path"}]}, "data": data_url(huge)}},
        {"drawing": {"raw": {"objects": [{"type": "path"}]}, "data": data_url(EPS, "application/postscript")}},
        {"drawing": {"raw": {"objects": [{}]}, "data": "data:image/png;base64,!!!not base64!!!"}},
        {"drawing": {"raw": {"objects": [{}]}, "data": 12345}},
        {"drawing": {"raw": [1, 2, 3], "data": None}},
        {"drawing": "a string where a drawing belongs"},
        {"drawing": None, "backgroundFit": {"naturalWidth": 1}},
        [1, 2, 3],
    ]

    async def scenario():
        async with Session(app_url, "source=Draw") as tab:
            await tab.rerun()
            canvas = next(i for name, i in tab.components.items() if "drawable_canvas" in name)
            before = server_memory_mb(pid)
            for state in states:
                started = asyncio.get_running_loop().time()
                await tab.rerun({canvas: json.dumps(state)})  # an exception box on the page raises here
                assert asyncio.get_running_loop().time() - started < 3
            grown = server_memory_mb(pid) - before
            assert grown < 300, f"the server grew by {grown:.0f} MB"
            drawn = {"drawing": {"raw": {"objects": [{"type": "path"}]}, "data": data_url(a_drawn_one())}}
            assert (await tab.rerun({canvas: json.dumps(drawn)})).startswith("## The network reads")  # still works

    asyncio.run(scenario())


@pytest.mark.slow
def test_crafted_overview_clicks_are_ignored_and_the_session_keeps_working(server):
    from harness.websocket_client import Session

    app_url, _ = server
    clicks = [
        {"kind": "cell", "block": "conv1", "channel": "3", "row": 1, "col": 1},
        {"kind": "cell", "block": "conv9", "channel": 0, "row": 0, "col": 0},
        '{"kind": "cell", "block": "conv1", "channel": 0, "row": ' + "9" * 5000 + ', "col": 0, "at": 2}',
        {"kind": "cell", "block": "conv1", "channel": 0.5, "row": float("nan"), "col": None},
        {"kind": "class", "index": 99},
        {"kind": "class"},
        {"block": {"deep": [[[[[[[[[[[]]]]]]]]]]]}},
        "clicked",
    ]

    async def scenario():
        async with Session(app_url) as tab:
            await tab.rerun()
            overview = next(i for name, i in tab.components.items() if name.endswith("overview"))
            for n, click in enumerate(clicks):
                text = click if isinstance(click, str) and click.startswith("{") else json.dumps(click)
                state = '{"clicked": ' + (text if isinstance(click, str) else json.dumps({**click, "at": n})) + "}"
                await tab.rerun({overview: state})
                assert (await tab.rerun()).startswith("## The network reads")

    asyncio.run(scenario())


# --- 2. uploads held in memory -----------------------------------------------------------------


@pytest.mark.slow
def test_one_session_cannot_hold_more_than_its_share_of_uploads_and_a_closed_tab_gives_it_back(server):
    import urllib.request

    from harness.websocket_client import Session

    app_url, pid = server
    with urllib.request.urlopen(app_url + "/_stcore/health") as health:  # where Streamlit sets its XSRF cookie
        cookie = health.headers.get("Set-Cookie", "")
    token = next((p.split("=", 1)[1] for p in cookie.split(";") if p.strip().startswith("_streamlit_xsrf=")), "")
    payload = bytes(np.random.default_rng(0).integers(0, 256, 8 * 2**20 - 4096, dtype=np.uint8))

    def upload(session: str, number: int) -> int:
        boundary = "cnnvizboundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f{number}.png"\r\n'
                "Content-Type: image/png\r\n\r\n"
            ).encode()
            + payload
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            f"{app_url}/_stcore/upload_file/{session}/file-{number}",
            data=body,
            method="PUT",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": token,
                "Cookie": f"_streamlit_xsrf={token}",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status

    async def scenario():
        async with Session(app_url) as tab:
            await tab.rerun()
            before = server_memory_mb(pid)
            statuses = [upload(tab.session_id, n) for n in range(30)]  # 240 MB sent
            assert set(statuses) == {204}
            held = server_memory_mb(pid) - before
            assert held < 120, f"one session holds {held:.0f} MB of uploads"
        return before

    before = asyncio.run(scenario())
    deadline = asyncio.run(asyncio.sleep(12))  # the reaper looks every 5 s
    assert deadline is None and server_memory_mb(pid) - before < 60


# --- 3. class names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names, words",
    [
        (("8\u200b", "3"), "invisible"),
        (("a\u202eb", "c"), "invisible"),
        (("tab\there", "x"), "invisible"),
        (("Ｏ", "O"), "look alike"),
        (("cat", "CAT"), "look alike"),
    ],
)
def test_class_names_with_hidden_characters_or_lookalikes_are_refused(names, words):
    with pytest.raises(ValueError, match=words):
        ModelConfig(classes=names)


def test_a_model_whose_class_names_are_markdown_shows_them_literally():
    from ui.models import model_entry

    from page_support import page

    names = ("![x](http://example.invalid/t.png)", "[click](http://example.invalid)", "$x^2$", "<b>bold</b>")
    entry = model_entry("markdown names", build_model(ModelConfig(classes=names), seed=0))
    for view in ("The decision", "Why this answer?", "Can it be fooled?"):
        at = page("explore", run=False)
        at.session_state["session_models"] = {entry.name: entry}
        at.session_state["current_model"] = entry.name
        at.session_state["model"] = entry.name
        at.session_state["view"] = view
        at.run()
        assert not at.exception, at.exception
        shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [m.label for m in at.metric]
        for text in shown:
            assert "](http" not in text.replace("\\]\\(http", ""), f"a class name became a link or an image: {text}"
            assert "<b>" not in text.replace("\\<b\\>", ""), f"a class name became HTML: {text}"
            assert "$x^2$" not in text.replace("\\$x^2\\$", ""), f"a class name became LaTeX: {text}"


# --- 4. and 6. models that cost minutes or answer NaN -------------------------------------------


def weights(config: ModelConfig, change=None) -> bytes:
    model = build_model(config, seed=0)
    state = model.state_dict()
    if change:
        change(state)
    return save({k: v.contiguous() for k, v in state.items()}, metadata={"cnnviz_config": json.dumps(config.to_dict())})


def test_a_model_far_bigger_than_a_classroom_needs_is_refused_in_one_sentence_naming_the_limit():
    config = ModelConfig(conv_channels=(256, 64), kernel_size=11)
    with torch.device("meta"):
        pass
    data = weights(config)
    with pytest.raises(InputError, match=r"million multiply-adds, the limit is 60 million"):
        checkpoints.from_bytes(data, "big.safetensors")


@pytest.mark.parametrize(
    "config, change",
    [
        (ModelConfig(batch_norm=True), lambda s: s["bn1.running_var"].fill_(-1.0)),
        (ModelConfig(), lambda s: [v.fill_(1e30) for k, v in s.items() if k.endswith("weight")]),
        (ModelConfig(batch_norm=True), lambda s: (s["bn1.running_var"].fill_(1e-30), s["bn1.weight"].fill_(3e38))),
    ],
    ids=["negative-variance", "weights-1e30", "extreme-statistics"],
)
def test_finite_weights_whose_answers_are_not_numbers_are_refused(tmp_path, config, change):
    path = tmp_path / "overflow.safetensors"
    path.write_bytes(weights(config, change))
    with pytest.raises(InputError, match="variance|overflow"):
        checkpoints.load(path)
    for command in (["predict"], ["explain", "--method", "saliency"]):
        image = tmp_path / "seven.png"
        Image.new("L", (28, 28), 0).save(image)
        result, _, _ = cnnviz_with_peak(*command, image, "--model", path, "--json")
        answers = strict_json(result.stdout)
        assert len(answers) == 1 and "error" in answers[0] and "Traceback" not in result.stderr


# --- 7. headers nested deep ---------------------------------------------------------------------


def test_a_config_nested_100000_deep_is_refused_without_recursion(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    data = save({"conv1.weight": torch.zeros(1, 1, 5, 5)}, metadata={"cnnviz_config": deep})
    with pytest.raises(InputError, match="no valid cnnviz model config"):
        checkpoints.from_bytes(data)
    with pytest.raises(ValueError, match="nested more than 8"):
        loads_limited(deep, 10**6, 8)
    path = tmp_path / "deep.safetensors"
    path.write_bytes(data)
    image = tmp_path / "x.png"
    Image.new("L", (28, 28), 0).save(image)
    result, _, _ = cnnviz_with_peak("predict", image, "--model", path, "--json")
    assert "error" in strict_json(result.stdout)[0] and "Traceback" not in result.stderr


# --- 8. URL numbers Streamlit parses first -------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"row": "inf", "view": "How one number is computed"},
        {"channel": "1e309"},
        {"col": "-inf"},
        {"row": "9" * 200_000},
        {"source": ""},
        {"stage": "nan"},
    ],
    ids=["row-inf", "channel-1e309", "col-minus-inf", "row-200000-digits", "source-empty", "stage-nan"],
)
def test_url_numbers_that_overflow_are_ignored_before_any_widget_reads_them(query):
    from page_support import app_page

    at = app_page(**query)
    assert not at.exception, [e.message for e in at.exception]
    assert any("Ignored in the link" in t.value for t in at.toast)


# --- 10. crafted MNIST folders --------------------------------------------------------------------


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
    result, _, _ = cnnviz_with_peak("evaluate", "--mnist-dir", tmp_path, "--json")
    assert result.returncode == 1 and "error" in strict_json(result.stdout) and "Traceback" not in result.stderr


def test_a_small_gzip_that_expands_to_gigabytes_is_cut_off_early(tmp_path):
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", compresslevel=9) as out:
        out.write(idx(3, (10**7, 28, 28), b""))
        chunk = bytes(2**24)
        for _ in range(400):  # 6.7 GB of zeros, a few megabytes compressed
            out.write(chunk)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(bomb.getvalue())
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx(1, (1,), bytes(1)))
    result, seconds, peak = cnnviz_with_peak("evaluate", "--mnist-dir", tmp_path, "--json")
    assert "more than" in strict_json(result.stdout)["error"]
    assert peak < 1500 and seconds < 30


# --- 11. command line numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["train", "--lr", "nan"],
        ["train", "--lr", "inf"],
        ["train", "--layers", "conv 8 5, dropout 1.5, flatten"],
        ["train", "--handwriting", "2000000000", "--dry-run"],
        ["train", "--epochs", "0"],
        ["train", "--val-fraction", "-0.1"],
        ["teach", ".", "--seed", "-1"],
        ["explain", "x.png", "--method", "saliency", "--target", "1e309"],
    ],
)
def test_nonsense_numbers_on_the_command_line_are_refused_at_parse_time(arguments):
    result = subprocess.run([sys.executable, "-m", "cnnviz", *arguments], capture_output=True, text=True, timeout=15)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "error: argument" in result.stderr


def test_an_unwritable_out_is_refused_before_training(tmp_path):
    folder = tmp_path / "not-here" / "w.safetensors"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "cnnviz", "train", "--dry-run", "--data", "sample", "--out", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert "training on" not in result.stderr and time.monotonic() - started < 30  # refused before any data is made


# --- 12. warning filters are process-wide -----------------------------------------------------


def test_many_threads_checking_pixel_counts_leave_the_warning_filters_alone():
    side = int((MAX_PIXELS * 1.5) ** 0.5)  # over the limit, under Pillow's own error: the case that warned
    big = blank_png(side, side)
    small = io.BytesIO()
    Image.new("L", (40, 40), 255).save(small, "PNG")
    filters_before = list(warnings.filters)

    def attempt(data: bytes) -> None:
        try:
            open_image(data)
        except InputError:
            pass

    threads = [threading.Thread(target=attempt, args=(big if n % 2 else small.getvalue(),)) for n in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert warnings.filters == filters_before
    assert open_image(small.getvalue()).image.size == (40, 40)


# --- 13. the proxy --------------------------------------------------------------------------------


def test_the_proxy_tells_visitors_nothing_about_its_replicas_unless_asked():
    from browser_support import ROOT

    active = [line.split("#")[0] for line in (ROOT / "deploy" / "nginx.conf").read_text().splitlines()]
    assert not any("X-Cnnviz-Replica" in line for line in active)
    assert any("limit_req " in line for line in active), "uploads are rate-limited at the proxy"


def test_every_digit_class_name_is_still_allowed():
    assert ModelConfig(classes=DIGITS).classes == DIGITS
