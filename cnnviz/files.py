"""Reading a file someone named, safely: only regular files, never more than a limit, never blocking."""

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
