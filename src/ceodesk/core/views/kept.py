"""A screen's reads kept until a table they read changes (store/changes.py), for the
screens whose load is one read: coming back after a change elsewhere costs no read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ceodesk.core.store.changes import Kept
from ceodesk.core.store.db import Database

T = TypeVar("T")


class ScreenMemo:
    """One screen's kept reads (give each screen its own)."""

    def __init__(self) -> None:
        self._kept = Kept()

    def read(self, db: Database, name: str, inputs: object, read: Callable[[], T]) -> T:
        """``read()``'s result, or the one kept under ``name`` when its inputs are equal
        and none of the tables it read has changed since."""
        return self._kept.get(db.changes.now(), name, inputs, read)  # stamps before the read
