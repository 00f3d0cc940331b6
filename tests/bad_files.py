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


def _page_size(path: Path) -> int:
    with path.open("rb") as handle:
        handle.seek(16)
        size = int.from_bytes(handle.read(2), "big")
    return 65536 if size == 1 else size


def read_page(path: Path, page: int) -> bytes:
    size = _page_size(path)
    with path.open("rb") as handle:
        handle.seek((page - 1) * size)
        return handle.read(size)


def table_leaf_pages(path: Path, table: str) -> list[int]:
    """The leaf pages right below a table's root, left to right (the root must be an
    interior page: a table of more than one page, and no write-ahead log pending)."""
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()
    finally:
        conn.close()
    data = read_page(path, root[0])
    start = 100 if root[0] == 1 else 0
    assert data[start] == 0x05, f"{table}'s root is not an interior table page"
    cells = int.from_bytes(data[start + 3 : start + 5], "big")
    pointers = [
        int.from_bytes(data[start + 12 + 2 * i : start + 14 + 2 * i], "big") for i in range(cells)
    ]
    children = [int.from_bytes(data[p : p + 4], "big") for p in pointers]
    return [*children, int.from_bytes(data[start + 8 : start + 12], "big")]


def corrupt_page(path: Path, page: int) -> None:
    """Overwrite a page's b-tree header: the file opens, that page is damaged."""
    size = _page_size(path)
    with path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xff" * 16)
