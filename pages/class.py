"""Class: a student joins the teacher's class (from the link or its code) and follows it; its teacher sees who is in."""

import streamlit as st

from cnnviz.classroom.codes import clean_code
from ui.classroom import keep_seats
from ui.dashboard import teacher_dashboard
from ui.internals import compact_page, phone_page
from ui.pages.lesson_class import follow_lesson
from ui.stages import follow_stage
from ui.student import join_form, joined_class, student_view
from ui.teacher import take_back_form

compact_page()
phone_page()
st.title("Your class")
link = clean_code(st.query_params.get("class"))
if teacher_dashboard():
    pass
elif joined_class(link) is None:
    st.write("Your teacher asks a question about the network on the projector; answer here before the reveal.")
    join_form(link)
    take_back_form()
else:
    student_view(followers={"present": follow_stage, "lesson": follow_lesson})  # how a phone draws each page's step
keep_seats()  # the class found again after a reload
