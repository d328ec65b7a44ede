"""The floor with Explore's elements: the same kinds and number of Streamlit elements as Explore's default page
(layout blocks, widgets bound to the URL, a browser component, tabs, HTML tables), computing nothing; served as
cnnviz is (an st.App).

    streamlit run bench/floor/elements.py

Not the issue's floor (that is bench/floor/app.py): it tells how much of an Explore rerun is Streamlit's own cost
of drawing Explore's elements, and how much is cnnviz's work on top.
"""

import streamlit as st

app = st.App("elements_page.py")
