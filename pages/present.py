"""Present: the network one stage at a time, large enough for the back of a classroom."""

import numpy as np
import streamlit as st

from cnnviz import lessons
from cnnviz.features import max_pool_winners
from cnnviz.viz import feature_maps_figure, filters_figure, pooling_figure, probabilities_figure
from cnnviz.viz.inputs import pixelated
from ui import state, url_state
from ui.internals import MAIN, SIDEBAR, SIDEBAR_EXPAND, css, require_app_entry

require_app_entry()
STAGES = [
    ("The image the network gets", lessons.PREPROCESSING),
    ("The filters it learned", lessons.FILTERS),
    ("Layer 1: feature maps", lessons.CONV),
    ("Layer 1: after ReLU", lessons.RELU),
    ("Layer 1: max-pooling", lessons.POOLING),
    ("Layer 2: feature maps after ReLU", lessons.FILTERS_DEEP),
    ("The decision", lessons.CLASSIFIER),
]
url_state.restore("present", {"stage": range(len(STAGES))})
stage = st.session_state.setdefault("stage", 0)
css(
    f"[data-testid='{SIDEBAR}'], [data-testid='{SIDEBAR_EXPAND}'] {{display: none;}}"
    f" [data-testid='{MAIN}'] p, [data-testid='{MAIN}'] li {{font-size: 1.6rem; line-height: 1.4;}}"
)

description, prepared = state.current_image()
entry = state.current_model()
model = entry.model
first, last = model.blocks()[0], model.blocks()[-1]
activations = entry.capture(prepared.tensor)
title, explanation = STAGES[stage]
st.title(f"{stage + 1} / {len(STAGES)} · {title}")
st.write(explanation)

if stage == 0:
    picked = [prepared.steps[0], prepared.steps[3], prepared.steps[6]]
    for column, step in zip(st.columns(3), picked):
        column.image(pixelated(step.image, 360), caption=step.title, width="stretch")
elif stage == 1:
    conv = getattr(model, first.conv)
    figure = filters_figure(conv.weight.detach().numpy(), conv.bias.detach().numpy(), "Layer 1 filters")
elif stage in (2, 3):
    name = first.conv if stage == 2 else first.relu
    figure = feature_maps_figure(activations[name], STAGES[stage][0], signed=stage == 2)
elif stage == 4:
    figure = pooling_figure(
        activations[first.relu], max_pool_winners(activations[first.relu]), "What max-pooling keeps"
    )
elif stage == 5:
    figure = feature_maps_figure(activations[last.relu], f"{last.title} after ReLU", signed=False)
else:
    figure = probabilities_figure(activations[model.head.logits], activations["probabilities"])
    st.markdown(f"# It reads **{int(np.argmax(activations['probabilities']))}**")
if stage > 0:
    figure.update_layout(font_size=24, title_font_size=28, height=int(figure.layout.height * 1.5))
    figure.update_xaxes(tickfont_size=20, title_font_size=22)
    figure.update_yaxes(tickfont_size=20, title_font_size=22)
    st.plotly_chart(figure, key=f"present_{stage}")

back, where, forward = st.columns([1, 2, 1])
if back.button("◀ Previous", disabled=stage == 0, width="stretch"):
    st.session_state["stage"] = stage - 1
    st.rerun()
where.caption(f"Image: {description} · model: {entry.name}. Choose the image on the Explore page.")
if forward.button("Next ▶", type="primary", disabled=stage == len(STAGES) - 1, width="stretch"):
    st.session_state["stage"] = stage + 1
    st.rerun()
url_state.save("stage")
if st.button("Leave presenter mode", icon=":material/close:"):
    st.switch_page("pages/explore.py")
