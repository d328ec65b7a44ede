"""The exported model.py prepares, reads and judges every image as `python -m cnnviz predict` does: the same JSON."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from cnnviz.data.handwriting import draw_digit, encode, photo_of_digit
from cnnviz.data.samples import list_samples
from cnnviz.training import checkpoints

from command_line import run_cli
from image_files import odd_but_valid

# model.py runs with cnnviz made unimportable: it needs only torch, safetensors, numpy and Pillow.
WITHOUT_CNNVIZ = (
    "import runpy, sys; sys.modules['cnnviz'] = None; sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


def hostile_but_valid() -> dict[str, bytes]:
    """Images a student might bring that are nothing like MNIST: odd sizes and modes, alpha, inverted, non-digits."""
    rng = np.random.default_rng(7)
    files = {name: data for name, (_, data) in odd_but_valid().items()}
    seven = np.asarray(draw_digit(7, 120, seed=3))
    files["inverted_white_on_black"] = encode(Image.fromarray(255 - seven), "PNG")
    files["one_pixel"] = encode(Image.new("L", (1, 1), 0), "PNG")
    files["three_by_five_dot"] = encode(
        Image.fromarray(np.pad(np.full((1, 1), 255, np.uint8), ((2, 2), (1, 1)))), "PNG"
    )
    files["tall_thin"] = encode(Image.fromarray(np.tile(seven[:, 50:60], (4, 1))), "PNG")
    huge = Image.new("L", (4000, 3000), 235)
    huge.paste(draw_digit(2, 500, seed=1), (2800, 300))
    files["huge_page_digit_in_a_corner"] = encode(huge, "JPEG", quality=80)
    files["blank_white"] = encode(Image.new("RGB", (300, 200), (255, 255, 255)), "PNG")
    files["noise"] = encode(Image.fromarray(rng.integers(0, 256, (90, 70), dtype=np.uint8)), "PNG")
    smiley = Image.new("L", (200, 200), 255)
    from PIL import ImageDraw

    draw = ImageDraw.Draw(smiley)
    draw.ellipse((20, 20, 180, 180), outline=0, width=8)
    draw.ellipse((60, 60, 80, 80), fill=0)
    draw.ellipse((120, 60, 140, 80), fill=0)
    draw.arc((60, 80, 140, 150), 20, 160, fill=0, width=8)
    files["smiley"] = encode(smiley, "PNG")
    letters = Image.new("RGB", (260, 120), (250, 245, 230))
    ImageDraw.Draw(letters).text((20, 30), "Hello", fill=(20, 20, 90), font_size=60)
    files["a_word_in_colour"] = encode(letters, "PNG")
    rgba = np.zeros((64, 64, 4), np.uint8)
    rgba[..., 0] = 200
    rgba[..., 3] = 255 - np.asarray(draw_digit(3, 64, seed=2))
    files["red_ink_on_transparent"] = encode(Image.fromarray(rgba, "RGBA"), "PNG")
    files["photo_of_a_five"] = encode(photo_of_digit(5, seed=11), "JPEG", quality=60)
    files["not_an_image"] = b"just some text, not a picture"
    return files


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("images")
    names = [str(sample.path) for sample in list_samples()]
    for name, data in hostile_but_valid().items():
        path = folder / f"{name}.img"
        path.write_bytes(data)
        names.append(str(path))
    return names


@pytest.mark.parametrize("weights", [checkpoints.BUNDLED_WEIGHTS, checkpoints.LENET_WEIGHTS], ids=["modern", "lenet5"])
def test_exported_model_gives_predicts_answers_field_for_field(tmp_path, images, weights):
    folder = tmp_path / "home"
    assert run_cli("export", weights, "--out", folder).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = [sys.executable, "-c", WITHOUT_CNNVIZ, str(folder / "model.py"), *images, "--json"]
    theirs = subprocess.run(command, capture_output=True, text=True, cwd=elsewhere, timeout=600)
    ours = run_cli("predict", *images, "--model", weights, "--json")
    assert theirs.returncode == ours.returncode == 1, theirs.stderr  # the text file is refused by both
    theirs, ours = json.loads(theirs.stdout), json.loads(ours.stdout)
    assert len(theirs) == len(ours) == len(images)
    for mine, app in zip(theirs, ours):
        assert set(mine) == set(app), (mine, app)
        if "error" in app:
            assert mine.get("verdict") == app.get("verdict"), (mine, app)
            continue
        assert {k: v for k, v in mine.items() if k != "probabilities"} == {
            k: v for k, v in app.items() if k != "probabilities"
        }
        np.testing.assert_allclose(mine["probabilities"], app["probabilities"], atol=2e-6)
    assert sum(item.get("verdict") == "not a digit" for item in ours) >= 3  # the non-digits were tested, not skipped
