"""Explore's Guess first (ui/guess.py): "not a digit" is a guess like any other, the network agrees only when it
really said the same (never an unsure lean, never the digit a non-digit most resembles), and the sample's name,
which gives the answer away, stays hidden while the student guesses."""

import numpy as np
import pytest

from cnnviz.insight.verdict import verdict
from cnnviz.network.capture import ActivationCapture
from cnnviz.network.classes import NOT_A_DIGIT
from cnnviz.reading.preprocess import preprocess_bytes
from harness.classroom import smiley_png
from ui import state
from ui.guess import guess_words, mystery_name

from page_support import page

OUTPUTS = (*"0123456789", NOT_A_DIGIT)


def smiley_reading(bundled):
    probabilities = ActivationCapture(bundled)(preprocess_bytes(smiley_png()).tensor)["probabilities"]
    return verdict(probabilities, bundled.classes), probabilities


def test_a_digit_guess_for_a_smiley_is_not_called_agreement(bundled):
    said, probabilities = smiley_reading(bundled)
    resembles = OUTPUTS.index(said.best)  # the digit a smiley looks most like: the old message agreed with it
    agrees, words = guess_words(resembles, said, probabilities, OUTPUTS)
    assert not agrees and "so did the network" not in words and "reads no digit" in words


def test_guessing_not_a_digit_for_a_smiley_agrees(bundled):
    said, probabilities = smiley_reading(bundled)
    agrees, words = guess_words(OUTPUTS.index(NOT_A_DIGIT), said, probabilities, OUTPUTS)
    assert agrees and words.startswith("You guessed not a digit, and so did the network")


@pytest.mark.parametrize(
    "scores, agreed",
    [
        ([0.02] * 3 + [0.9] + [0.01] * 6 + [0.0], True),  # a plain 3
        ([0.01] * 3 + [0.45] + [0.01] * 4 + [0.38] + [0.01, 0.0], False),  # unsure between 3 and 8
    ],
    ids=["sure", "unsure"],
)
def test_a_lean_is_not_agreement(scores, agreed):
    probabilities = np.asarray(scores) / sum(scores)
    said = verdict(probabilities, OUTPUTS)
    agrees, words = guess_words(3, said, probabilities, OUTPUTS)
    assert agrees == agreed and ("so did the network" in words) == agreed


def test_sample_names_are_hidden_while_guessing():
    name = mystery_name("7 - photo of paper")
    assert "7" not in name and name.endswith("photo of paper") and name == mystery_name("7 - photo of paper")
    at = page("explore", run=False)
    at.session_state[state.GUESS_FIRST] = True
    at.run()
    options = at.selectbox(key=state.SAMPLE).options
    assert not any(option[0].isdigit() for option in options), options
    guesses = next(group for group in at.button_group if group.key.startswith("guess_"))
    assert list(guesses.options) == list(OUTPUTS)
