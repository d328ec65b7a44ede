"""Train: a CNN learns MNIST live; pause, step or stop it, compare runs, then explore what it learned."""

import streamlit as st

from ui import state
from ui.internals import compact_page
from ui.pages.train import compare, live_view, use_or_take_home
from ui.pages.train_settings import training_settings
from ui.pages.train_words import TRAINING

compact_page()
st.title("Train: watch a CNN learn")
st.write(TRAINING)

job = state.current_job()
active = bool(job and job.progress().active)
settings = training_settings(locked=active)
live_view(settings, active)
compare()
use_or_take_home(state.current_job())
