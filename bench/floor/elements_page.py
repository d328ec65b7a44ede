"""The page of bench/floor/elements.py: Explore's default page as Streamlit elements alone, computing nothing."""

import numpy as np
import streamlit as st

TABS = [
    "How one number is computed",
    "Watch the convolution",
    "Pooling",
    "Preparing the image",
    "Filters",
    "Every map",
    "The decision",
    "Why this answer?",
    "Can it be fooled?",
    "One step of learning",
    "Inside",
]
NUMBERS = np.linspace(-1, 1, 25).reshape(5, 5)  # one 5 x 5 grid of numbers, as a cell's patch, kernel, products
TABLE = (
    "<table>" + "".join("<tr>" + "".join(f"<td>{v:.2f}</td>" for v in row) + "</tr>" for row in NUMBERS) + "</table>"
)


@st.cache_resource
def overview():
    """A browser component, as Explore's overview is one (its maps come apart from the rerun, as there)."""
    return st.components.v2.component("floor.overview", js="export default function () {}")


def explore() -> None:
    """Explore's default page, element for element: the header, the answer, the overview, the downloads, the tabs."""
    st.html("<style>h1 {font-size: 2.1rem;}</style>")
    title, picker, picked, settings = st.columns([3, 4, 3, 2], vertical_alignment="center")
    title.title("Explore a CNN")
    with settings.popover("Settings", icon=":material/settings:", width="stretch"):
        st.file_uploader("Your own weights", type=["pt", "safetensors"])
        st.selectbox("Model", ["Bundled model"], key="model")
        st.radio("Colours", ["Blue-red", "Purple-green"], key="palette")
        st.toggle("Guess first", key="guess_first")
    with picker:
        st.segmented_control(
            "Source",
            ["Sample", "Draw", "Upload", "Webcam"],
            default="Sample",
            key="source",
            bind="query-params",
            label_visibility="collapsed",
        )
    picked.selectbox(
        "Sample",
        ["3 - photo of paper", "7 - drawn with a pen"],
        key="sample",
        bind="query-params",
        label_visibility="collapsed",
    )
    main = st.container()
    with main:
        st.markdown("## The network reads **3** (over 99.9% sure)")
        overview()(key="overview", data={"selected": {"layer": "conv1", "channel": 10, "row": 8, "col": 16}})
        st.caption("The whole network, left to right: the input, every layer's maps, the dense layers and the answer.")
        with st.container(horizontal=True):
            for label in ("Download activations (.npz)", "Print a worksheet (.pdf)", "Download as PyTorch code (.zip)"):
                st.download_button(label, b"", on_click="ignore", width="stretch")
    tabs = st.tabs(TABS, key="view", on_change="rerun")
    with tabs[0]:
        pickers = st.container(horizontal=True)
        pickers.selectbox("Layer", ["conv1", "conv2"], key="layer", bind="query-params")
        for label, key in (("Map (channel)", "channel"), ("Row", "row"), ("Column", "col")):
            pickers.number_input(label, 0, 27, key=key, bind="query-params")
        st.write("Every number in a feature map is a small sum.")
        st.markdown("**Row 8, column 16 of map 10** of the first convolution reads the 5 x 5 patch at rows 6..10.")
        st.markdown("### 3.826 (sum of products) − 0.257 (bias) = **3.569**  \nafter ReLU: max(0, 3.569) = **3.569**")
        st.caption("The model itself computed 3.569 here: the same number.")
        st.html(f"<div style='display: flex'>{TABLE * 3}</div>")
        st.download_button("Download as picture", b"", on_click="ignore", key="cell_picture")


def elsewhere() -> None:
    """Another page of the navigation (cnnviz's has eight: Streamlit sends them all with every page)."""
    st.title("Another page")


OTHERS = ("Lesson", "Train", "Teach", "Sandbox", "Mistakes", "Present", "Class")  # cnnviz's navigation has eight
pages = [st.Page(explore, title="Explore", default=True)]
pages += [st.Page(elsewhere, title=name, url_path=name.lower()) for name in OTHERS]
st.navigation(pages, position="top").run()
