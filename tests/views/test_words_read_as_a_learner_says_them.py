"""Words a class reads: "an 8", no "0%" for a share that is not 0, no "reads probably", layers by their place."""

import numpy as np
import pytest

from cnnviz.insight.verdict import percent, verdict
from cnnviz.network.classes import DIGITS, NOT_A_DIGIT, with_article
from cnnviz.network.naming import learner_name
from ui.markdown import layer_words

CLASSES = (*DIGITS, NOT_A_DIGIT)


@pytest.mark.parametrize(
    ("name", "said"),
    [("8", "an 8"), ("7", "a 7"), ("11", "an 11"), ("18", "an 18"), ("80", "an 80"), ("1", "a 1"), ("A", "an A")]
    + [("F", "an F"), ("B", "a B"), ("apple", "an apple"), ("house", "a house"), ("unicorn", "a unicorn")],
)
def test_a_class_name_gets_the_article_it_is_said_with(name, said):
    assert with_article(name) == said


@pytest.mark.parametrize(
    ("share", "decimals", "said"),
    [(0.0, 0, "0%"), (0.004, 0, "below 1%"), (0.00004, 1, "below 0.1%"), (0.12, 0, "12%"), (0.9996, 1, "over 99.9%")]
    + [(0.996, 0, "over 99%"), (1.0, 1, "100.0%"), (0.995, 1, "99.5%")],
)
def test_a_share_never_rounds_to_none_or_all_of_it(share, decimals, said):
    assert percent(share, decimals) == said


def test_an_unsure_eight_is_said_as_such_and_never_as_reads_probably():
    probabilities = np.zeros(11)
    probabilities[[8, 3]] = 0.55, 0.44
    said = verdict(probabilities, CLASSES)
    assert said.words == "probably an 8, maybe a 3"
    assert said.headline.startswith("The network is unsure: probably an 8, maybe a 3 (55% and 44%)")
    assert "reads probably" not in said.headline


def test_not_a_digit_claims_no_resemblance_of_zero_percent():
    probabilities = np.full(11, 0.00001)
    probabilities[5], probabilities[-1] = 0.0003, 1 - 0.0003 - 9 * 0.00001
    headline = verdict(probabilities, CLASSES).headline
    assert "0%" not in headline.replace("100%", "") and "looks most like" not in headline, headline
    assert headline.startswith("The network reads no digit (not a digit: over 99%; of the digits, 5 scores highest")


@pytest.mark.parametrize(
    ("layer", "named"),
    [
        ("conv1", "the first convolution"),
        ("relu2", "ReLU after the second convolution"),
        ("pool1", "the max-pooling after the first convolution"),
        ("input", "the input image"),
    ],
)
def test_a_layer_is_named_by_its_place_with_its_code_name_small(bundled, layer, named):
    assert learner_name(bundled, layer) == named
    words = layer_words(bundled, layer).replace("\\", "")  # Markdown escapes aside
    assert words.startswith(named) and (layer == "input" or words.endswith(f":small[({layer})]"))
