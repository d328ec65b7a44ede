"""The app's router: page config and navigation, run for every page view (app.py serves it)."""

import os

import streamlit as st
import torch

from ui.internals import clean_url
from ui.jobs import job_registry


@st.cache_resource
def configure_torch() -> int:
    """Set PyTorch's thread count once per server process (CNNVIZ_THREADS, default: all cores)."""
    threads = int(os.environ.get("CNNVIZ_THREADS", os.cpu_count() or 1))
    torch.set_num_threads(threads)
    return threads


st.set_page_config(page_title="cnnviz", page_icon="🧠", layout="wide")  # an emoji icon is drawn in the page: no fetch
configure_torch()
job_registry()  # the server's housekeeping starts with the first page opened: training slots, closed tabs' uploads
ignored = clean_url()
if ignored:
    st.toast(f"Ignored in the link: {', '.join(ignored)} (not a usable value).", icon=":material/link_off:")
pages = [
    st.Page("pages/explore.py", title="Explore", icon=":material/visibility:", default=True),
    st.Page("pages/lesson.py", title="Lesson", icon=":material/menu_book:"),
    st.Page("pages/train.py", title="Train", icon=":material/model_training:"),
    st.Page("pages/teach.py", title="Teach", icon=":material/school:"),
    st.Page("pages/sandbox.py", title="Sandbox", icon=":material/tune:"),
    st.Page("pages/mistakes.py", title="Mistakes", icon=":material/rule:"),
    st.Page("pages/present.py", title="Present", icon=":material/co_present:"),
    st.Page("pages/class.py", title="Class", icon=":material/groups:"),
]
st.navigation(pages, position="top").run()
