"""Where the class database is: a URL given, or an SQLite file in the data folder (no SQLAlchemy needed to ask)."""

import os
from pathlib import Path

from cnnviz.saving import data_dir

DATABASE_URL_VARIABLE = "CNNVIZ_DATABASE_URL"
FILE_NAME = "classes.sqlite3"


def default_file() -> Path:
    """Where the SQLite file is when no CNNVIZ_DATABASE_URL is set: CNNVIZ_DATA_DIR (default ~/.cache/cnnviz)."""
    return data_dir() / FILE_NAME


def default_url() -> str:
    """CNNVIZ_DATABASE_URL, else the SQLite file of default_file(); OSError if its folder cannot be made."""
    if os.environ.get(DATABASE_URL_VARIABLE):
        return os.environ[DATABASE_URL_VARIABLE]
    default_file().parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{default_file()}"


def has_classes() -> bool:
    """Whether this server has a class database already (a URL given, or the SQLite file made by an earlier run)."""
    return bool(os.environ.get(DATABASE_URL_VARIABLE)) or default_file().exists()
