"""Explore's "Guess first": the answer and every chart that gives it away stay hidden until the student guesses.

A guess may be any output of the network, "not a digit" included where the model has it, and the network
agrees only when it really said the same: an unsure lean or a digit's low score is never called agreement.
"""

import hashlib

import numpy as np
import streamlit as st

from cnnviz.insight.verdict import DIGIT, NOT_A_DIGIT, UNSURE, Verdict, chosen_answer
from ui import state
from ui.markdown import literal
from ui.views.base import Context


def guess_first(ctx: Context) -> bool:
    """With Guess first on and no guess for this image yet: ask for one and return False (show nothing more)."""
    if not state.guessing():
        return True
    key = f"{ctx.entry.key}:{ctx.image_key}"
    outputs = tuple(ctx.model.classes)  # every answer the network can give, "not a digit" included
    guess = state.guessed(key)
    if guess is None:
        st.markdown("## What will the network say? Guess first.")
        st.caption("The answer, the network's maps and its charts stay hidden until you choose.")
        picked = st.pills("Your guess", outputs, key=f"guess_{key}", label_visibility="collapsed")
        if picked is None:
            return False
        guess = outputs.index(picked)
        state.keep_guess(key, guess)
    agrees, words = guess_words(guess, ctx.verdict, ctx.probabilities, outputs)
    if agrees:
        st.success(words, icon=":material/check:")
    else:
        st.info(words, icon=":material/compare_arrows:")
    return True


def guess_words(guess: int, said: Verdict, probabilities: np.ndarray, outputs: tuple[str, ...]) -> tuple[bool, str]:
    """(whether the network said what was guessed, plainly and surely; the sentence that says how they compare)."""
    named = literal(outputs[guess])
    answer = chosen_answer(said, outputs)
    if answer is None:
        return False, f"You guessed {named}; the network gives no answer for this image: its numbers overflow."
    score = f"{probabilities[guess]:.0%}"
    if guess == answer and said.kind == DIGIT:
        return True, f"You guessed {named}, and so did the network ({score})."
    if guess == answer and said.kind == NOT_A_DIGIT:
        return True, f"You guessed {named}, and so did the network: it reads no digit ({score} for “{NOT_A_DIGIT}”)."
    if guess == answer and said.kind == UNSURE:
        return False, f"You guessed {named}: the network leans that way but is unsure, {literal(said.words)}."
    if guess == answer:  # its best class, on a model without "not a digit", yet too flat to call a digit
        return False, f"You guessed {named}: that is its best guess, but at {score} it does not really read a digit."
    reading = f"{said.lead[:1].lower()}{said.lead[1:]} {literal(said.headline_parts[0])}"
    return False, f"You guessed {named}; {reading}. It gives {named} {score}. The views below show where they part."


def mystery_name(title: str) -> str:
    """A sample's name in the picker while Guess first is on: its kind, not its digit ("Sample 3F2 - photo of
    paper"); the tag is the same each time, and says nothing of the digit or the order of the samples."""
    tag = hashlib.sha1(title.encode()).hexdigest()[:3].upper()
    kind = title.split(" - ", 1)[-1]
    return f"Sample {tag} - {kind}"
