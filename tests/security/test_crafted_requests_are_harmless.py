"""What a curious or malicious student can send besides files: crafted canvas states and overview clicks over
the websocket, uploads sent straight to Streamlit's upload route, URL numbers that overflow."""

import asyncio
import base64
import io
import json
import time

import numpy as np
import pytest
from PIL import Image

from cnnviz.errors import InputError
from cnnviz.reading.decode import open_drawing
from harness.waiting import wait_until
from harness.websocket_client import Session, play

from image_files import blank_png


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


# --- the canvas ---------------------------------------------------------------------------


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


def server_memory_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def memory_settled(pid: int, seconds: float = 1.0) -> bool:
    """Whether the server's resident memory stays within 2 MB for `seconds` (its background work is done)."""
    before = server_memory_mb(pid)
    time.sleep(seconds)
    return abs(server_memory_mb(pid) - before) < 2


@pytest.mark.slow
def test_crafted_canvas_states_are_empty_canvases_and_cost_nothing(app_server):
    app_url, pid = app_server.url, app_server.pid
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

    play(scenario())


@pytest.mark.slow
def test_crafted_overview_clicks_are_ignored_and_the_session_keeps_working(app_server):
    app_url = app_server.url
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

    play(scenario())


# --- uploads held in memory -----------------------------------------------------------------


@pytest.mark.slow
def test_one_session_cannot_hold_more_than_its_share_of_uploads_and_a_closed_tab_gives_it_back(app_server, bundled):
    import urllib.request

    app_url, pid = app_server.url, app_server.pid
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

    async def first_screen():
        async with Session(app_url) as tab:
            await tab.rerun()

    # Explore's first screen starts the server's search for the Filters view: its memory settles once that is kept.
    play(first_screen())
    searched = app_server.data / "excitation"
    kept = 2 * len(bundled.conv_layers())  # each conv layer's strongest patches and dreamed inputs
    wait_until(lambda: len(list(searched.glob("*.npz"))) >= kept, 300, 0.5, "no search kept")
    wait_until(lambda: memory_settled(pid), 120, 0, "the server's memory never settled")  # kept by another, maybe

    async def scenario():
        async with Session(app_url) as tab:
            await tab.rerun()
            before = server_memory_mb(pid)
            statuses = [upload(tab.session_id, n) for n in range(30)]  # 240 MB sent
            assert set(statuses) == {204}
            held = server_memory_mb(pid) - before
            assert held < 120, f"one session holds {held:.0f} MB of uploads"
        return before

    before = play(scenario())
    # The closed tab's uploads are given back by the reaper, which looks every 5 s.
    wait_until(lambda: server_memory_mb(pid) - before < 60, timeout=30, message="the closed tab's uploads stayed")


# --- URL numbers Streamlit parses first -------------------------------------------------------


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
