"""Guessing codes and starting classes are limited per browser session and per server, never per address: one page
cannot try codes or PINs fast, the server cannot be combed, and a class of 30 behind one school address joins in
seconds; classes started are limited too. Wrong and ended codes read the same."""

import logging

import pytest

from cnnviz.classroom.limits import Limits
from cnnviz.classroom.membership import NO_CLASS
from cnnviz.classroom.records import (
    CLASSES_PER_SERVER,
    CLASSES_PER_SESSION,
    WRONG_CODES_PER_SERVER,
    WRONG_CODES_PER_SESSION,
    ClassError,
)


@pytest.fixture
def limited(classes, clock):
    """The store's limits on the clock the test moves."""
    classes.limits = Limits(clock)
    return clock


def test_one_page_guessing_codes_is_stopped_and_logged(classes, limited, caplog):
    started = classes.start()
    tries, _ = WRONG_CODES_PER_SESSION
    for _ in range(tries):
        with pytest.raises(ClassError, match="no running class"):
            classes.join("ZZZZZZ", session="a script")
    with caplog.at_level(logging.WARNING, logger="cnnviz.classroom"), pytest.raises(ClassError, match="Too many"):
        classes.join(started.code, session="a script")  # even the right code: the page must wait
    with pytest.raises(ClassError, match="Too many"):
        classes.take_back(started.code, started.pin, session="a script")  # PINs count the same
    classes.join(started.code, session="a student")  # nobody else waits
    limited.now += WRONG_CODES_PER_SESSION[1] + 1
    classes.join(started.code, session="a script")
    assert any("wrong class codes" in record.message for record in caplog.records)


def test_the_server_cannot_be_combed_by_many_pages(classes, limited):
    started = classes.start()
    limit, seconds = WRONG_CODES_PER_SERVER
    for n in range(limit):
        with pytest.raises(ClassError, match="no running class"):
            classes.join("ZZZZZZ", session=f"page {n}")
    with pytest.raises(ClassError, match="on this server"):
        classes.join("ZZZZZZ", session="a fresh page")
    limited.now += seconds + 1
    classes.join(started.code, session="a fresh page")


def test_a_class_of_thirty_behind_one_address_joins_with_a_few_typos(classes, limited):
    started = classes.start()
    typos = {3, 11, 27}
    for n in range(30):  # 30 phones, one school address: each its own session, all within seconds
        if n in typos:
            with pytest.raises(ClassError, match="no running class"):
                classes.join(started.code[:-1] + ("A" if started.code[-1] != "A" else "B"), session=f"phone {n}")
        classes.join(started.code, f"student {n}", session=f"phone {n}")
    assert classes.snapshot(started.code).students == 30


def test_starting_classes_is_limited_per_page_and_per_server(classes, limited):
    per_page, seconds = CLASSES_PER_SESSION
    for _ in range(per_page):
        classes.start(session="a teacher")
    with pytest.raises(ClassError, match="started 3 classes"):
        classes.start(session="a teacher")
    for n in range(CLASSES_PER_SERVER[0] - per_page):
        classes.start(session=f"teacher {n}")
    with pytest.raises(ClassError, match="This server has started"):
        classes.start(session="one more teacher")
    limited.now += max(seconds, CLASSES_PER_SERVER[1]) + 1
    classes.start(session="a teacher")


def test_wrong_and_ended_codes_read_the_same(classes, limited):
    started = classes.start()
    classes.end(started.code, started.secret)
    sentences = set()
    for code in ("ZZZZZZ", started.code):
        with pytest.raises(ClassError) as refused:
            classes.join(code, session="a student")
        sentences.add(str(refused.value))
    assert sentences == {NO_CLASS}
