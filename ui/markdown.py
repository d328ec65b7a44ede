"""Text from users (file names, model names) shown literally inside Markdown: no bold, links or LaTeX."""

import re

SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def literal(text: str) -> str:
    """The text with every character Markdown would act on escaped by a backslash."""
    return SPECIAL.sub(r"\\\1", text)


def headline(verdict) -> str:
    """A verdict's headline as Markdown: what the network reads in bold, every class name literal."""
    answer, detail = verdict.headline_parts
    return f"The network reads **{literal(answer)}** &nbsp; {literal(detail)}"
