"""Words into Markdown: text from users shown literally (no bold, links or LaTeX), the headline, layers by name."""

import re

from cnnviz.network.naming import INPUT, capitalised, learner_name

SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def literal(text: str) -> str:
    """The text with every character Markdown would act on escaped by a backslash."""
    return SPECIAL.sub(r"\\\1", text)


def headline(verdict) -> str:
    """A verdict's headline as Markdown: what the network reads in bold, every class name literal."""
    answer, detail = verdict.headline_parts
    return f"{verdict.lead} **{literal(answer)}** &nbsp; {literal(detail)}"


def count(number: int, thing: str) -> str:
    """A count with its noun: "1 digit", "12 digits"."""
    return f"{number:,} {thing}{'' if number == 1 else 's'}"


def layer_words(model, name: str, large: bool = False) -> str:
    """A layer as a sentence in Markdown names it, its code name in small type: "the first convolution (conv1)"
    (large: on a projector, where no text may be small, the learner's name alone)."""
    if name == INPUT:
        return "the input image"
    return literal(learner_name(model, name)) + ("" if large else f" :small[({literal(name)})]")


def layer_label(model, name: str) -> str:
    """A layer in plain text (a label, a chart's title), capitalised: "The first convolution (conv1)"."""
    return capitalised(learner_name(model, name)) + ("" if name == INPUT else f" ({name})")
