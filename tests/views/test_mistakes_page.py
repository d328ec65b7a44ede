"""The Mistakes page with AppTest: the score on held-out digits, the most confident mistakes, one opened in Explore."""

from ui import state

from page_support import page


def test_the_page_scores_the_model_and_lists_its_most_confident_mistakes():
    at = page("mistakes")
    assert not at.exception
    right, count, mistakes = (m.value for m in at.metric)
    assert count == "500"  # offline: the sample's held-out digits
    assert float(right.rstrip("%")) > 95 and int(mistakes) >= 1
    assert any(h.value == "Its most confident mistakes" for h in at.subheader)
    assert len([b for b in at.button if b.label == "Explore"]) == int(mistakes)


def test_explore_on_a_digit_picks_it_for_the_explore_page():
    at = page("mistakes")
    next(b for b in at.button if b.label == "Explore").click().run()
    description, prepared = at.session_state[state.PICKED]
    assert "true" in description and prepared.tensor.shape == (1, 1, 28, 28)
