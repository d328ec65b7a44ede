"""Inside the model file: how many numbers each layer keeps, the file's size, and that no picture is in it."""

import streamlit as st

from cnnviz.network.naming import capitalised, learner_name
from cnnviz.training.checkpoints import to_bytes
from ui.models import ModelEntry
from ui.views.base import Context, View

EXPLANATION = (
    "A trained model is a file of numbers: the weights and biases of each layer, and a short description of the "
    "layers. No picture it was trained on is stored in it."
)


def inside_story(total: int, size: int) -> str:
    """What the model file holds, from its numbers (Markdown)."""
    return (
        f"**{total:,} numbers**, about 4 bytes each ({size / 1024:,.0f} KB): the weights and biases it learned. "
        "No training image is in the file: one 28 x 28 digit alone would be 784 numbers, and the network saw "
        "tens of thousands. What it learned from them is spread across these weights."
    )


@st.cache_resource(max_entries=32, show_spinner=False)
def file_size(_entry: ModelEntry, key: str) -> int:
    """Bytes of the model saved as safetensors, as Train's download would save it (once per model)."""
    return len(to_bytes(_entry.model))


def render(ctx: Context, large: bool = False) -> None:
    import pandas as pd  # imported here: only this table needs it

    rows = []
    for info in ctx.model.layers():
        count = sum(p.numel() for p in info.module.parameters(recurse=info.residual is None and not info.spec.inner))
        if info.spec.inner:  # a residual block
            count = sum(p.numel() for p in info.module.shortcut.parameters())  # its own: the skip's 1x1 conv, if any
        named = capitalised(learner_name(ctx.model, info.name))
        rows.append({"layer": named, "in the code": info.name, "numbers it keeps": count})
    table = pd.DataFrame(rows)
    total = int(table["numbers it keeps"].sum())
    size = file_size(ctx.entry, ctx.entry.key)
    left, right = st.columns([3, 2])
    left.dataframe(table, hide_index=True, width="stretch")
    right.metric("Numbers in the model", f"{total:,}")
    right.metric("Size of its file", f"{size / 1024:,.0f} KB", f"{size / max(total, 1):.1f} bytes a number", "off")
    right.markdown(inside_story(total, size))


VIEW = View("file", "Inside the model file", lambda ctx: EXPLANATION, render)
