"""Reading a file someone named, safely: only regular files, never more than a limit, never blocking."""

import json
import os
import stat
from pathlib import Path

from cnnviz.errors import InputError


def read_limited(path: Path, limit: int, kind: str = "files") -> bytes:
    """The bytes of a regular file of at most limit bytes; InputError with a one-line reason otherwise.

    The type and size are checked before the file is opened: opening a FIFO would block, and
    /dev/zero or a growing file never ends, so the read itself is capped too.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("No such file.") from None
    except OSError as error:
        raise InputError(f"The file cannot be read ({error.strerror or error}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("This is a folder, not a file.")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("This is not a regular file but a device, pipe or socket: give a saved file.")
    if info.st_size > limit:
        raise InputError(f"The file is {info.st_size / 2**20:.1f} MB; {kind} are limited to {limit // 2**20} MB.")
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise InputError(f"The file cannot be read ({error.strerror or error}).") from None
    if len(data) > limit:  # it grew while we read it
        raise InputError(f"The file grew past {limit // 2**20} MB while it was read; {kind} are limited to that.")
    return data


def loads_limited(text: str | bytes, max_chars: int, max_depth: int):
    """json.loads of untrusted text, refused with ValueError when it is longer or nested deeper than the limits.

    Python's parser recurses once per level of nesting: a header nested 100,000 deep would raise
    RecursionError (or worse) inside json.loads, so the depth is measured first, by a scan that
    skips brackets inside strings.
    """
    if len(text) > max_chars:
        raise ValueError(f"it is {len(text):,} characters long; at most {max_chars:,} are read")
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise ValueError(f"it is nested more than {max_depth} deep")
        elif char in "]}":
            depth -= 1
    return json.loads(text)
