"""What marks a SQLite file as ceodesk's, known without loading SQLAlchemy: the schema
version and application id the store writes (``store.db`` takes them from here), and
the look at a file the sqlite3-only paths (``quick_capture``, ``first_look``) take
before they open it: anything else is left to the normal path, which says what is
wrong in a sentence."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 15
# Marks a SQLite file as ceodesk's (PRAGMA application_id), so another program's
# database is never mistaken for an empty one and migrated.
APPLICATION_ID = 0x0CED35C0
SQLITE_HEADER = b"SQLite format 3\x00"
# A write that moves the change feed says which tables it wrote, in its transaction:
# one row per table, at the feed's new value (models.TableRevision). The same words for
# the store (SQLAlchemy's text(), SQLite or PostgreSQL) and quick_capture (sqlite3).
RECORD_TABLE_REVISION = (
    "INSERT INTO tablerevision (name, revision) VALUES (:name, :revision) "
    "ON CONFLICT (name) DO UPDATE SET revision = excluded.revision"
)
# The feed's own tables: what they hold is no screen's data.
FEED_TABLES = frozenset({"revision", "tablerevision", "undostep"})


@dataclass(frozen=True)
class PlainFile:
    path: Path
    header: bytes  # its first 100 bytes: SQLite's file header
    size: int


def writable_ceodesk_file(location: str) -> PlainFile | None:
    """The regular file a plain path names, when it is a SQLite file marked as ceodesk's
    that this user may write, with its folder; None otherwise (a URL, ``:memory:``, a
    missing, empty, foreign or read-only file, a folder, a FIFO or a device, which
    would block)."""
    if "://" in location or location == ":memory:" or not location.strip():
        return None
    try:
        path = Path(location).expanduser().resolve()
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size < 100:
            return None
        with path.open("rb") as handle:
            header = handle.read(100)
    except (RuntimeError, OSError):
        return None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return None
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        return None
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        return None  # read-only: opened read-only, with its marker, the normal way
    folder = path.parent
    if not os.access(folder, os.W_OK) or not folder.stat().st_mode & 0o222:
        return None
    return PlainFile(path, header, info.st_size)
