"""A network's outputs by name: the ten digits (perhaps with "not a digit" last), or a class's own new symbols."""

import unicodedata

DIGITS = tuple(str(d) for d in range(10))
NOT_A_DIGIT = "not a digit"  # an extra last output a digit model may have: "none of the ten", trained on non-digits
MAX_CLASSES = 100
HIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}  # control, format (zero-width, bidi), unassigned


def check_class_names(names) -> None:
    """ValueError in words unless these make a model's classes: 2 to MAX_CLASSES different, printable names.

    Names may come from an uploaded file: control and invisible characters (a zero-width space,
    a right-to-left mark) are refused, and names that look the same once normalised are the same name.
    """
    if isinstance(names, (str, bytes)) or not isinstance(names, (list, tuple)):
        raise ValueError("classes must be a list of names")
    if not 2 <= len(names) <= MAX_CLASSES or not all(isinstance(c, str) and 0 < len(c.strip()) <= 40 for c in names):
        raise ValueError(f"classes needs 2 to {MAX_CLASSES} names of 1 to 40 characters")
    for name in names:
        hidden = [c for c in name if unicodedata.category(c) in HIDDEN_CATEGORIES]
        if hidden:
            raise ValueError(
                f"the class name {name.encode('unicode_escape').decode()!r} holds an invisible or control character "
                f"(U+{ord(hidden[0]):04X}); names must be plain, visible text"
            )
    seen = [unicodedata.normalize("NFKC", name).casefold().strip() for name in names]
    if len(set(seen)) != len(seen):
        raise ValueError("classes needs different names (names that look alike count as the same)")
    if NOT_A_DIGIT in names[:-1] or (names[-1] == NOT_A_DIGIT and len(names) < 3):
        raise ValueError(f"{NOT_A_DIGIT!r} can only be the last class, after two or more others")


def rejects(classes: tuple[str, ...]) -> bool:
    """Whether the last output is "not a digit": a class of its own, trained on letters, shapes and scribbles."""
    return classes[-1] == NOT_A_DIGIT


def answers(classes: tuple[str, ...]) -> tuple[str, ...]:
    """The classes an image can be read as: every output but "not a digit"."""
    return tuple(classes[:-1]) if rejects(classes) else tuple(classes)


def is_digits(classes: tuple[str, ...]) -> bool:
    """Whether the answers are the ten digits (the bundled task), not a class's own new symbols."""
    return answers(classes) == DIGITS


AN_LETTERS = set("AEFHILMNORSX")  # letters whose spoken name starts with a vowel: "an A", "an F", "an X"
A_WORDS = ("one", "once", "uni", "use", "usu", "eu")  # words spelled with a vowel but said with a consonant


def with_article(name: str) -> str:
    """A class name as a sentence says it, with "a" or "an": "a 7", "an 8", "an 11", "an A", "a house"."""
    said = name.strip()
    if said.isdigit():
        vowel = said.startswith("8") or said in ("11", "18") or (len(said) in (5, 6) and said[:2] in ("11", "18"))
    elif len(said) == 1:
        vowel = said.upper() in AN_LETTERS
    else:
        lower = said.lower()
        vowel = lower[:1] in "aeiou" and not lower.startswith(A_WORDS) or lower.startswith(("hour", "honest"))
    return f"{'an' if vowel else 'a'} {name}"
