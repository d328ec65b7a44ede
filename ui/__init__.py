"""Streamlit glue shared by the pages: cached models and the image input widgets.

Everything here is thin: it caches or collects input, then calls into the cnnviz core.
"""
