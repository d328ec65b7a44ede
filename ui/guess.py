"""Explore's "Guess first": the answer and every chart that gives it away stay hidden until the student guesses."""

import streamlit as st

from cnnviz.network.classes import answers
from ui import state
from ui.markdown import literal
from ui.views.base import Context


def guess_first(ctx: Context) -> bool:
    """With Guess first on and no guess for this image yet: ask for one and return False (show nothing more)."""
    if not st.session_state.get(state.GUESS_FIRST):
        return True
    guesses = st.session_state.setdefault(state.GUESSES, {})
    key = f"{ctx.entry.key}:{ctx.image_key}"
    names = answers(ctx.model.classes)
    if key not in guesses:
        st.markdown("## What will the network say? Guess first.")
        st.caption("The answer, the network's maps and its charts stay hidden until you choose.")
        picked = st.pills("Your guess", names, key=f"guess_{key}", label_visibility="collapsed")
        if picked is None:
            return False
        if len(guesses) > 200:  # a long lesson: forget the oldest
            guesses.pop(next(iter(guesses)))
        guesses[key] = names.index(picked)
    guess, best = guesses[key], ctx.best_answer
    if guess == best:
        st.success(f"You guessed {literal(names[guess])}, and so did the network.", icon=":material/check:")
    else:
        st.info(
            f"You guessed {literal(names[guess])}; the network gives {literal(names[guess])} "
            f"{ctx.probabilities[guess]:.0%} and {literal(names[best])} {ctx.probabilities[best]:.0%}. "
            "The views below show where they part.",
            icon=":material/compare_arrows:",
        )
    return True
