"""The four ways to give the network an image: a sample, a drawing, an upload or a webcam photo."""

import hashlib

import streamlit as st

from cnnviz.errors import InputError
from cnnviz.preprocess import Preprocessed, preprocess_bytes, preprocess_canvas
from cnnviz.samples import list_samples

SOURCES = ("Sample", "Draw", "Upload", "Webcam")
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"]
CANVAS_SIZE = 280  # ten screen pixels per MNIST pixel


@st.cache_data(max_entries=64, show_spinner=False)  # about 0.3 MB each
def preprocess_cached(data: bytes) -> Preprocessed:
    """Preprocess file bytes once per distinct file (bad files raise InputError and are not cached)."""
    return preprocess_bytes(data)


@st.cache_data(show_spinner=False)
def sample_bytes() -> dict[str, bytes]:
    """The bundled sample images by title, read once."""
    return {sample.title: sample.path.read_bytes() for sample in list_samples()}


def pick_image(source: str) -> tuple[str, Preprocessed] | None:
    """Show the widgets of one image source; returns (description, preprocessed) or None if none given yet.

    Raises InputError for an image that cannot be used.
    """
    if source == "Sample":
        samples = sample_bytes()
        titles = list(samples)
        title = st.selectbox("Sample image", titles, index=titles.index(default_sample()), key="sample")
        return f"sample {title}", preprocess_cached(samples[title])
    if source == "Draw":
        return _drawing()
    if source == "Upload":
        uploaded = st.file_uploader("Upload an image of one digit", type=UPLOAD_TYPES, help="PNG, JPEG, GIF, BMP, WebP or TIFF, up to 8 MB")
    else:
        uploaded = st.camera_input("Hold a digit written on paper up to the camera")
    if uploaded is None:
        return None
    return f"{'photo' if source == 'Webcam' else 'file'} {uploaded.name}", preprocess_cached(uploaded.getvalue())


def default_sample() -> str:
    """The sample shown first: a photo of a 3 on paper, the kind of image students bring."""
    titles = list(sample_bytes())
    return next((t for t in titles if t.startswith("3 - photo")), titles[0])


def _drawing() -> tuple[str, Preprocessed] | None:
    """A canvas to draw on with the mouse; white ink on black, like MNIST."""
    from streamlit_drawable_canvas import st_canvas  # a custom component: import only when shown

    result = st_canvas(
        stroke_width=22, stroke_color="#FFFFFF", background_color="#000000", height=CANVAS_SIZE, width=CANVAS_SIZE,
        drawing_mode="freedraw", return_image_data=True, key="canvas",
    )
    st.caption("Draw one digit, large, in the middle. The bin in the canvas toolbar starts again.")
    pixels = result.image_data
    if pixels is None or not (result.json_data or {}).get("objects"):
        st.info("The canvas is empty: draw a digit with the mouse.")
        return None
    digest = hashlib.sha1(pixels.tobytes()).hexdigest()[:8]
    return f"drawing {digest}", preprocess_canvas(pixels)


def image_input() -> tuple[str, Preprocessed] | None:
    """The source chooser and its widgets; a bad image shows one error line and keeps the last good one."""
    source = st.radio("Where does the digit come from?", SOURCES, horizontal=True, key="source")
    try:
        chosen = pick_image(source)
    except InputError as error:
        st.error(str(error))
        chosen = st.session_state.get("last_good_image")
        if chosen is not None:
            st.caption(f"Still showing your previous image ({chosen[0]}).")
        return chosen
    if chosen is not None:
        st.session_state["last_good_image"] = chosen  # also what the Sandbox page works on
    return chosen
