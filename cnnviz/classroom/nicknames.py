"""Nicknames: shown exactly as typed (cleaned), but compared by how they look, so nobody can pass for another.

Two nicknames are the same when they look alike once Unicode has folded them: NFKC (full-width letters,
ligatures), case, accents and other combining marks dropped, and Unicode's confusable characters (the
Cyrillic "е" of "Tеacher", the Greek "ο", "l", "I" and "1") mapped to one representative each. The
confusables come from Unicode's own table (confusable_homoglyphs ships it).
"""

import string
import unicodedata
from functools import cache

from cnnviz.classroom.records import MAX_NICKNAME

RESERVED = ("teacher",)  # no nickname may contain one of these, however it is spelt


def clean_nickname(text: object) -> str:
    """A nickname as it will be shown (literally): printable characters only, at most MAX_NICKNAME; may be empty."""
    if not isinstance(text, str):
        return ""
    kept = "".join(
        c for c in unicodedata.normalize("NFKC", text[:1000]) if unicodedata.category(c)[0] not in "CZ" or c == " "
    )
    return " ".join(kept.split())[:MAX_NICKNAME]


@cache
def _representatives() -> dict[str, str]:
    """Every confusable character -> one character standing for all that look like it (case merged too)."""
    from confusable_homoglyphs.confusables import confusables_data

    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.get(c, c) != c:
            parent[c] = parent.get(parent[c], parent[c])
            c = parent[c]
        return c

    def union(a: str, b: str) -> None:
        first, second = find(a), find(b)
        if first != second:
            parent[max(first, second)] = min(first, second)

    for character, alikes in confusables_data.items():
        for alike in alikes:
            if len(alike["c"]) == 1:
                union(character, alike["c"])
    for letter in string.ascii_lowercase:  # "O" and "o", "I" and "i": a class reads names regardless of case
        union(letter, letter.upper())
    return {c: find(c) for c in parent}


def nickname_key(nickname: str) -> str:
    """What a nickname looks like, as a key: two nicknames with the same key cannot be told apart on a screen."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", nickname).casefold())
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    representatives = _representatives()
    return " ".join("".join(representatives.get(c, c) for c in kept).split())


def is_reserved(nickname: str) -> bool:
    """Whether a nickname contains a reserved word ("teacher"), in any spelling that looks like it."""
    letters = "".join(c for c in nickname_key(nickname) if c.isalnum())
    return any(nickname_key(word) in letters for word in RESERVED)
