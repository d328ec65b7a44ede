"""The four ways to give the network an image: a sample, a drawing, an upload or a webcam photo."""

import hashlib

import streamlit as st

from cnnviz.errors import InputError
from cnnviz.reading.decode import open_drawing
from cnnviz.reading.preprocess import Preprocessed, preprocess_canvas
from ui import state
from ui.guess import mystery_name
from ui.images import default_sample, preprocess_cached, sample_bytes, sample_image
from ui.markdown import literal

SOURCES = ("Sample", "Draw", "Upload", "Webcam")
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"]
CANVAS_SIZE = 280  # ten screen pixels per MNIST pixel


def pick_image(source: str) -> tuple[str, Preprocessed] | None:
    """Show the widgets of one image source; returns (description, preprocessed) or None if none given yet.

    Raises InputError for an image that cannot be used.
    """
    if source == "Sample":
        samples = sample_bytes()
        titles = list(samples)
        title = st.selectbox(
            "Sample image",
            titles,
            index=titles.index(default_sample()),
            format_func=mystery_name if state.guessing() else str,  # Guess first: the name would give it away
            key=state.SAMPLE,
            bind="query-params",
            label_visibility="collapsed",
        )
        return f"sample {title}", sample_image(title)
    if source == "Draw":
        return _drawing()
    changed = {"key": f"given_{source.lower()}", "on_change": state.forget_given, "args": (source,)}
    if source == "Upload":
        uploaded = st.file_uploader(
            "Upload an image of one digit",
            type=UPLOAD_TYPES,
            help="PNG, JPEG, GIF, BMP, WebP or TIFF, up to 8 MB",
            **changed,
        )
    else:
        uploaded = st.camera_input("Hold a digit written on paper up to the camera", **changed)
    if uploaded is None:  # removed by the student (forgotten then), or a new, empty widget after another page
        kept = state.given(source)
        if kept is not None:
            st.caption(f"Still showing {literal(kept[0])}: give another to replace it.")
            st.button("Remove it", on_click=state.forget_given, args=(source,), key="forget_given", type="tertiary")
        return kept
    chosen = f"{'photo' if source == 'Webcam' else 'file'} {uploaded.name}", preprocess_cached(uploaded.getvalue())
    state.keep_given(source, *chosen)
    return chosen


def drawing_canvas(key: str):
    """A canvas to draw on with the mouse, white ink on black like MNIST; its RGBA pixels, or None while empty.

    The drawing arrives from the browser as a PNG inside the canvas's state. A crafted message can
    put anything there, so the canvas's own decoding (any format Pillow knows) is never used: the
    PNG goes through cnnviz.reading.decode.open_drawing, and a state that is not a drawing counts as empty.
    """
    from streamlit_drawable_canvas import st_canvas  # a custom component: import only when shown

    st.space(40)  # room for the canvas's toolbar, which floats above its top edge (over whatever is there)
    try:
        result = st_canvas(
            stroke_width=22,
            stroke_color="#FFFFFF",
            background_color="#000000",
            height=CANVAS_SIZE,
            width=CANVAS_SIZE,
            drawing_mode="freedraw",
            return_image_data=True,
            key=key,
        )
        drawn = isinstance(result.json_data, dict) and bool(result.json_data.get("objects"))
        png = result.image_bytes if drawn else None
    except (AttributeError, TypeError, ValueError, KeyError):  # a malformed state sent to the server
        return None
    if not png:
        return None
    try:
        return open_drawing(png)
    except InputError:
        return None


def _drawing() -> tuple[str, Preprocessed] | None:
    """The Draw source: a digit drawn on the canvas."""
    pixels = drawing_canvas("canvas")
    st.caption("Draw one digit, large, in the middle. The bin in the canvas toolbar starts again.")
    if pixels is None:
        st.info("The canvas is empty: draw a digit with the mouse.")
        return None
    digest = hashlib.sha1(pixels.tobytes()).hexdigest()[:8]
    return f"drawing {digest}", preprocess_canvas(pixels)


def image_source() -> str:
    """The buttons that choose where the digit comes from (bound to the URL)."""
    source = st.segmented_control(
        "Where the digit comes from",
        SOURCES,
        default=state.kept_source() or SOURCES[0],  # back from another page: the source the student had chosen
        required=True,
        key=state.SOURCE,
        bind="query-params",
        label_visibility="collapsed",
    )
    state.keep_source(source)
    return source


def image_input(source: str) -> tuple[str, Preprocessed] | None:
    """The widgets of the chosen source; a bad image shows one error line and keeps the last good one.

    A digit picked on the Mistakes page is shown instead, until the student drops it.
    """
    picked = state.picked_image()
    if picked is not None:
        st.caption(f"Showing {literal(picked[0])}, picked on the Mistakes page.")
        st.button("Back to my own image", on_click=state.drop_picked_image, key="drop_picked", type="tertiary")
        state.set_current_image(*picked)
        return picked
    try:
        chosen = pick_image(source)
    except InputError as error:
        st.error(str(error))
        if not state.has_current_image():
            return None
        chosen = state.current_image()
        st.caption(f"Still showing your previous image ({literal(chosen[0])}).")
        return chosen
    if chosen is not None:
        state.set_current_image(*chosen)  # also what Sandbox and Present work on
    return chosen
