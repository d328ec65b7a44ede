"""Pillow's pixel-count warnings are process-wide: many threads checking images at once leave the filters alone."""

import io
import threading
import warnings

from PIL import Image

from cnnviz.errors import InputError
from cnnviz.reading.decode import MAX_PIXELS, open_image

from image_files import blank_png


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
