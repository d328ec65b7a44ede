"""Class: a student joins the teacher's class (from the link or its code) and answers before the reveal."""

import streamlit as st

from cnnviz.classroom.codes import clean_code
from ui import state
from ui.classroom import join_form, student_view, teacher_dashboard
from ui.internals import compact_page

compact_page()
st.title("Your class")
if teacher_dashboard():
    st.stop()
code = clean_code(st.query_params.get("class"))
joined = state.student_of()
if joined and code and joined[0] != code:  # a link to another class: join that one
    state.set_student_of(None)
    joined = None
if joined is None:
    st.write("Your teacher asks a question about the network on the projector; answer here before the reveal.")
    join_form(code)
else:
    student_view()
