"""Database.reading(): a screen's load reads in one transaction (one snapshot, one BEGIN),
and still sees what a write inside it wrote (issue 13)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlmodel import select

from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import Database, open_database
from ceodesk.core.store.models import Category
from ceodesk.core.views.review import weekly_review

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def desk(db) -> Database:
    return db  # seeded: you, a Leadership team, the default categories


def _names(db: Database) -> list[str]:
    with db.session() as session:
        return sorted(c.name for c in session.exec(select(Category)))


def _begins(db: Database) -> list[str]:
    seen: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    return seen


def test_reads_inside_share_one_transaction(desk) -> None:
    begins = _begins(desk)
    with desk.reading():
        for _ in range(3):
            _names(desk)
    assert len(begins) == 1
    begins.clear()
    for _ in range(3):  # outside a reading block, each read is a transaction of its own
        _names(desk)
    assert len(begins) == 3


def test_a_whole_review_is_one_read(desk) -> None:
    weekly_review(desk, "2026-W48", NOW)  # the week's recurring blocks written, if any
    begins = _begins(desk)
    weekly_review(desk, "2026-W48", NOW)
    assert len(begins) == 1


def test_reads_inside_see_one_moment_even_as_another_program_writes(desk) -> None:
    before = _names(desk)
    other = sqlite3.connect(desk.location.path)
    try:
        with desk.reading():
            first = _names(desk)
            other.execute(
                "INSERT INTO category (uid, name, colour, position, archived, kind) "
                "VALUES ('x1', 'board work', '#123456', 99, 0, 'other')"
            )
            other.commit()
            second = _names(desk)
        assert first == second == before  # never half of a change
        assert "board work" in _names(desk)  # the next load sees it
    finally:
        other.close()


@pytest.mark.parametrize("where", ["memory", "file"])
def test_a_write_inside_is_seen_by_the_reads_after_it(tmp_path, where) -> None:
    target = ":memory:" if where == "memory" else tmp_path / "desk.db"
    db = open_database(target, clock=frozen_clock(NOW))
    try:
        with db.reading():
            assert "board work" not in _names(db)
            with db.action("Add a category") as session:
                session.add(Category(name="board work", colour="#123456"))
            assert "board work" in _names(db)
    finally:
        db.close()


def test_a_read_that_changes_a_loaded_row_writes_nothing(desk) -> None:
    with desk.reading():
        with desk.session() as session:
            category = session.exec(select(Category)).first()
            assert category is not None
            name = category.name
            category.name = "changed by a read"
        _names(desk)  # a later query in the same session does not flush it
    assert name in _names(desk)
    assert "changed by a read" not in _names(desk)
