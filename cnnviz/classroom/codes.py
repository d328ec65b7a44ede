"""Join codes a class can read off a projector: random, six or more characters, none that look alike."""

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no O/0 and no I/1: read aloud or copied, never mistaken
LENGTH = 6


def new_code(length: int = LENGTH) -> str:
    """A fresh random join code (32^6, about a billion, at the default length)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def clean_code(text: object) -> str | None:
    """The code in what a student typed or a link held (any case, spaces and dashes ignored), or None if none."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = text.strip().upper().replace("-", "").replace(" ", "")
    if len(code) < LENGTH or len(code) > 12 or any(c not in ALPHABET for c in code):
        return None
    return code


def new_token() -> str:
    """A secret only the teacher's session holds: the right to ask, reveal and end."""
    return secrets.token_urlsafe(24)


PIN_LENGTH = 8  # 32^8, about a trillion: typed by a teacher, guessed by nobody within the limits on guessing


def new_pin() -> str:
    """A teacher's PIN, to take the class back on another device: "ABCD-EFGH" (no characters that look alike)."""
    pin = new_code(PIN_LENGTH)
    return f"{pin[:4]}-{pin[4:]}"


def clean_pin(text: object) -> str | None:
    """The PIN in what a teacher typed (any case, spaces and dashes ignored), or None if it cannot be one."""
    pin = clean_code(text)
    return pin if pin is not None and len(pin) == PIN_LENGTH else None
