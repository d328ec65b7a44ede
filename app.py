"""cnnviz: `streamlit run app.py`. The pages are routed by navigation.py; this file serves them.

Served as a Streamlit App (ASGI) for its start-up hook: before the server answers anyone, it
imports every page's modules, loads the bundled model and reads the default sample, so the first
student does not wait for them. This is done before serving, not beside it: a page run importing
the same modules in another thread at the same moment could find them half made.
"""

from contextlib import asynccontextmanager

import streamlit as st

from ui.maps import ROUTES


@asynccontextmanager
async def warm_up(app):
    """At start-up, before the first request: the work every first visit would otherwise wait for."""
    from ui.warm import warm, warm_after_first_screen

    warm()
    warm_after_first_screen()
    yield


app = st.App("navigation.py", lifespan=warm_up, routes=ROUTES)  # ROUTES: the overview's maps (ui/maps.py)
