"""Where ceodesk keeps its files: one tiny module so tests can redirect it."""

from __future__ import annotations

import os
from pathlib import Path

from ceodesk.core.kernel.errors import InputError

DB_ENV = "CEODESK_DB"


def default_database_path() -> Path:
    """``ceodesk/ceodesk.db`` in the user data directory (XDG_DATA_HOME on Linux)."""
    # Imported here: `ceodesk add --db PATH` never needs it, and it costs start-up time.
    from platformdirs import user_data_dir

    return Path(user_data_dir("ceodesk", appauthor=False)) / "ceodesk.db"


def database_location(explicit: str | None = None) -> str:
    """``--db`` wins over ``CEODESK_DB``, which wins over the default path.

    An empty ``--db ""`` is a mistake, never the default database; an empty
    ``CEODESK_DB`` counts as unset.
    """
    if explicit is not None:
        if not explicit.strip():
            raise InputError("--db needs a file path or a database URL, and it was empty.")
        return explicit
    return os.environ.get(DB_ENV) or str(default_database_path())
