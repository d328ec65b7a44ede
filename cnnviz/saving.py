"""Writing files someone named, safely: the place checked before any work, the bytes written beside it under a
temporary name and renamed into place, so a file is either whole or not there at all.

Every command that writes goes through here (train, teach, export, activations, worksheet). Each problem
is an InputError with one sentence that names the place: the command line prints it and exits 1.
"""

import os
import secrets
import shutil
import stat
from pathlib import Path

from cnnviz.errors import InputError

DATA_DIR_VARIABLE = "CNNVIZ_DATA_DIR"
TEMPORARY = ".cnnviz-"  # the start of a temporary name beside the destination (short: a long name still fits)


def data_dir() -> Path:
    """Where a server keeps its own files (the class database, caches): CNNVIZ_DATA_DIR, default ~/.cache/cnnviz."""
    return Path(os.environ.get(DATA_DIR_VARIABLE) or Path.home() / ".cache" / "cnnviz")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _longest_name(folder: Path) -> int:
    """The longest file name the folder's file system takes (255 on most)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _existing_folder(path: Path, flag: str) -> Path:
    """The folder path goes in; InputError unless it exists and is a folder (missing folders are not made)."""
    folder = path.parent
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise InputError(f"{flag} {path}: the folder {folder} does not exist; create it first.") from None
    except OSError as error:
        raise InputError(f"{flag} {path}: the folder {folder} cannot be used ({_reason(error)}).") from None
    if not stat.S_ISDIR(info.st_mode):
        raise InputError(f"{flag} {path}: {folder} is not a folder.")
    if len(os.fsencode(path.name)) > _longest_name(folder):
        raise InputError(
            f"{flag}: the name {path.name[:40]}... is {len(os.fsencode(path.name))} bytes long; "
            f"this folder takes names of at most {_longest_name(folder)}."
        )
    return folder


def _probe(folder: Path, path: Path, flag: str) -> None:
    """Create and remove a temporary file in folder: the only sure test that it can be written (root passes every
    permission check, yet cannot write in /proc or on a read-only disk)."""
    probe = folder / f"{TEMPORARY}{secrets.token_hex(6)}.probe"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
    except OSError as error:
        raise InputError(f"{flag} {path}: no file can be made in {folder} ({_reason(error)}).") from None


def check_file(path: Path, flag: str = "--out") -> Path:
    """InputError with one sentence unless a regular file can be written at path: checked before minutes of work.

    An existing regular file may be replaced; a folder, a device (/dev/full), a pipe or a socket may not.
    """
    path = Path(path)
    folder = _existing_folder(path, flag)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise InputError(f"{flag} {path} cannot be used ({_reason(error)}).") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError(f"{flag} {path} is a folder: name a file to save in.")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputError(f"{flag} {path} is a device, pipe or socket, not a file: name a file to save in.")
    _probe(folder, path, flag)
    return path


def _write_temporary(folder: Path, data: bytes) -> Path:
    """data in a new file of a temporary name in folder, flushed to the disk; the file is removed if that fails."""
    temporary = folder / f"{TEMPORARY}{secrets.token_hex(6)}.part"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as to any file
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_file(path: Path, data: bytes, flag: str = "--out") -> Path:
    """Write data to path whole or not at all (a temporary name beside it, then renamed); the absolute path.

    An existing file at path stays as it was if anything fails. Problems raise InputError with one sentence.
    """
    path = check_file(path, flag)
    try:
        temporary = _write_temporary(path.parent, data)
    except OSError as error:
        raise InputError(f"{flag} {path} could not be written ({_reason(error)}); nothing was saved.") from None
    try:
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(f"{flag} {path} could not be written ({_reason(error)}); nothing was saved.") from None
    return path.absolute()


def write_folder(folder: Path, files: dict[str, bytes], replace: bool = False, flag: str = "--out") -> list[Path]:
    """Write files ({name: bytes}) into folder, all of them or none; the absolute paths.

    The folder's parent must exist (a mistyped path is not made into a chain of folders). A new folder is
    filled under a temporary name and renamed into place at once. In an existing folder that already holds
    any of the files, nothing is replaced unless replace is true; every file is written under a temporary
    name first, so a failure leaves what was there.
    """
    folder = Path(folder)
    parent = _existing_folder(folder, flag)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{flag} {folder} is a file: name a folder to write {' and '.join(files)} in.")
    if not folder.exists():
        _probe(parent, folder, flag)
        try:
            building = parent / f"{TEMPORARY}{secrets.token_hex(6)}"
            building.mkdir()
        except OSError as error:
            raise InputError(f"{flag} {folder} could not be made ({_reason(error)}).") from None
        try:
            for name, data in files.items():
                os.replace(_write_temporary(building, data), building / name)
            os.rename(building, folder)
        except OSError as error:
            shutil.rmtree(building, ignore_errors=True)
            raise InputError(f"{flag} {folder} could not be written ({_reason(error)}); nothing was saved.") from None
        return [(folder / name).absolute() for name in files]
    there = [name for name in files if (folder / name).exists()]
    if there and not replace:
        raise InputError(
            f"{flag} {folder} already holds {' and '.join(there)}: add --force to replace them, or name another folder."
        )
    _probe(folder, folder / next(iter(files)), flag)
    written: dict[str, Path] = {}
    try:
        for name, data in files.items():
            written[name] = _write_temporary(folder, data)
        for name, temporary in written.items():
            os.replace(temporary, folder / name)
    except OSError as error:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        raise InputError(f"{flag} {folder} could not be written ({_reason(error)}); nothing was saved.") from None
    return [(folder / name).absolute() for name in files]
