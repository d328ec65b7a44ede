"""The floor page: a headline, a 28 x 28 image and an 11-bar Plotly chart, nothing else.

Like Explore it reads `?sample=<title>` ("7 - drawn with a pen"), so a class of sessions can each open their own
digit, and it shows that digit; it computes nothing (there is no network here).
"""

from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from PIL import Image, ImageOps

SAMPLES = Path(__file__).resolve().parents[2] / "assets" / "samples"
ANSWERS = [*map(str, range(10)), "not a digit"]


@st.cache_data
def digit(label: str) -> np.ndarray:
    """A sample of this digit as 28 x 28 grey levels, ink bright (read once, as any Streamlit app would)."""
    path = next(iter(sorted(SAMPLES.glob(f"digit_{label}_photo.*")) + sorted(SAMPLES.glob(f"digit_{label}_*"))))
    return np.asarray(ImageOps.invert(Image.open(path).convert("L")).resize((28, 28)))


title = st.query_params.get("sample", "3")
label = title[0] if title[:1].isdigit() else "3"
probabilities = [0.93 if answer == label else 0.007 for answer in ANSWERS]
st.markdown(f"## The network reads **{label}**")
st.image(digit(label), width=140, caption="28 x 28 pixels")
st.plotly_chart(go.Figure(go.Bar(x=ANSWERS, y=probabilities)), key="bars")
