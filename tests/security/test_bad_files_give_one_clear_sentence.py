"""Every bad file gets one clear sentence, quickly: never a traceback, never a hang."""

import time

import numpy as np
import pytest

from cnnviz.errors import InputError
from cnnviz.reading.preprocess import preprocess_bytes, preprocess_canvas

from image_files import bad_files

BAD = bad_files()
EXPECTED_WORDS = {
    "empty": "empty",
    "text_renamed_png": "not an image",
    "truncated_png": "damaged",
    "corrupt_jpeg": "damaged",
    "svg": "SVG",
    "decompression_bomb_40000px": "too large",
    "blank_white": "No digit",
    "flat_gray_rgb": "No digit",
    "fully_transparent": "transparent",
    "over_8_mb": "limited to 8 MB",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_is_refused_with_one_sentence(case):
    started = time.perf_counter()
    with pytest.raises(InputError) as refused:
        preprocess_bytes(BAD[case])
    message = str(refused.value)
    assert EXPECTED_WORDS[case].lower() in message.lower()
    assert "\n" not in message and message.endswith((".", ")")) and len(message) < 160
    assert time.perf_counter() - started < 5, "refusing a bad file must not take long"


@pytest.mark.parametrize("canvas", [None, np.zeros((280, 280, 4), np.uint8), np.full((280, 280, 4), 255, np.uint8)])
def test_blank_canvas_is_refused(canvas):
    with pytest.raises(InputError, match="empty|No digit"):
        preprocess_canvas(canvas)
