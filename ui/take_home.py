"""Explore's take-away row: this image's numbers, a worksheet to print, and the network as PyTorch code."""

import re

import streamlit as st

from cnnviz.network.capture import npz_bytes
from cnnviz.training.export import export_zip
from ui.classroom import send_picture_to_class
from ui.views.base import Context


def file_stem(text: str) -> str:
    """A name for downloaded files from a description ("Sample: a 7 in pen" -> "sample-a-7-in-pen")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "image"


def worksheet(ctx: Context) -> bytes:
    """The worksheet PDF for this image (fpdf2 is imported only when one is asked for)."""
    from cnnviz.viz.worksheet import worksheet_pdf

    return worksheet_pdf(ctx.model, ctx.activations, ctx.prepared.tensor, ctx.description)


def take_home_row(ctx: Context) -> None:
    """Three downloads, each made only when clicked: activations (.npz), a worksheet (.pdf), the code (.zip)."""
    stem = file_stem(ctx.description)
    arrays = {"input": ctx.prepared.tensor[0].numpy(), **ctx.activations}
    downloads = [
        (
            "Download activations (.npz)",
            lambda: npz_bytes(arrays),
            f"{stem}-activations.npz",
            "application/octet-stream",
            "The input as the network got it and every layer's output, named as on this page; numpy.load reads it.",
        ),
        (
            "Print a worksheet (.pdf)",
            lambda: worksheet(ctx),
            f"{stem}-worksheet.pdf",
            "application/pdf",
            "A real patch and kernel of this image to multiply and add by hand, ReLU, max-pooling; answers on page 2.",
        ),
        (
            "Download as PyTorch code (.zip)",
            lambda: export_zip(ctx.model, ctx.entry.name),
            f"cnnviz-{file_stem(ctx.entry.name)}.zip",
            "application/zip",
            "model.py (the network as plain PyTorch, and a command that reads digits) and its weights.",
        ),
    ]
    with st.container(horizontal=True):  # one row that wraps on a phone: a block, not a column per button
        for label, make, name, mime, about in downloads:
            st.download_button(label, make, file_name=name, mime=mime, on_click="ignore", width="stretch", help=about)
    send_picture_to_class(ctx)
