"""Ways to damage a database file on purpose, shared by the store, CLI and app tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def corrupt_table_page(path: Path, table: str) -> None:
    """Overwrite the header of a table's root page: the file opens, the table is damaged."""
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    with path.open("r+b") as handle:
        handle.seek((root[0] - 1) * page_size)
        handle.write(b"\xff" * 16)
