"""cnnviz: `streamlit run app.py`. The app's pages are routed by navigation.py; this file serves them.

Served as a Streamlit App (ASGI), so that a server starting up imports PyTorch, loads the bundled
model and answers the default sample once, in the background, before the first student waits.
"""

import threading
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def warm_up(app):
    """At start-up: warm the server in the background while it already answers."""
    from ui.warm import warm

    threading.Thread(target=warm, name="cnnviz-warm-up", daemon=True).start()
    yield


app = st.App("navigation.py", lifespan=warm_up)
