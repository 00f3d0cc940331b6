"""A screen's load reads in a worker thread while the event loop writes: an in-memory
database (one shared SQLite connection) lets them take turns; a file gives each its own
connection."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import Database, open_database
from ceodesk.core.store.models import Category

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def _read_while_another_thread_writes(db: Database) -> tuple[list[str], list[BaseException]]:
    """A read session stays open in one thread while another thread writes; returns the
    names the read saw first and every error either thread met."""
    inside, writer_done = threading.Event(), threading.Event()
    seen: list[str] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with db.session() as session:
                seen.extend(c.name for c in session.exec(select(Category)))
                inside.set()
                writer_done.wait(timeout=0.5)  # the writer may not get in meanwhile
                session.exec(select(Category)).all()
        except BaseException as err:
            errors.append(err)
            inside.set()

    def write() -> None:
        try:
            inside.wait(timeout=10)
            with db.action("Add a category") as session:
                session.add(Category(name="board work", colour="#123456"))
        except BaseException as err:
            errors.append(err)
        finally:
            writer_done.set()

    threads = [threading.Thread(target=read), threading.Thread(target=write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return seen, errors


@pytest.mark.parametrize("where", ["memory", "file"])
def test_a_read_in_one_thread_and_a_write_in_another_both_succeed(tmp_path, where) -> None:
    target = ":memory:" if where == "memory" else tmp_path / "desk.db"
    db = open_database(target, clock=frozen_clock(NOW))
    try:
        seen, errors = _read_while_another_thread_writes(db)
        assert errors == []
        assert "board work" not in seen
        with db.session() as session:
            names = [c.name for c in session.exec(select(Category))]
        assert "board work" in names
        assert db.undo() == "Add a category"
    finally:
        db.close()
