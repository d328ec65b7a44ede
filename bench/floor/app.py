"""The framework's floor: the least a digit demo can show in Streamlit, served as cnnviz is (an st.App).

    streamlit run bench/floor/app.py      (from the checkout, so it reads the same .streamlit/config.toml)

The benchmarks measure cnnviz against it in the same run: whatever the machine, the ratio is what the
app itself costs on top of Streamlit.
"""

import streamlit as st

app = st.App("page.py")
