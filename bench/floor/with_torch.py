"""The floor plus what any PyTorch demo pays before its first screen: `import torch`, before serving.

    streamlit run bench/floor/with_torch.py

Not the issue's floor (that is bench/floor/app.py): it tells how much of cnnviz's first screen is PyTorch's
import alone, which no page of a PyTorch app can avoid.
"""

from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def import_torch(app):
    """Import PyTorch as cnnviz's start-up does, before the server answers anyone."""
    import torch  # noqa: F401

    yield


app = st.App("page.py", lifespan=import_torch)
