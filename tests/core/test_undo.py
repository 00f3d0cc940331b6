"""Undo and redo of user actions, including changes made by another process."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceodesk.core.db import Database, open_database
from ceodesk.core.errors import CeodeskError, ConflictError, NotFoundError
from ceodesk.core.models import Task
from ceodesk.core.people import add_person
from ceodesk.core.settings import seed_defaults
from ceodesk.core.tasks import (
    Quadrant,
    add_task,
    archive_task,
    delegate_task,
    edit_task,
    move_task,
    task_board,
    toggle_done,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def task_rows(path: Path) -> list[tuple]:
    """Every stored column of every task, read straight from the file."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM task ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def dana(db):
    return add_person(db, "Dana Whitfield", "COO")


@pytest.fixture
def task_id(db, now) -> int:
    return add_task(db, "Prep board deck fri 2h !i #board", now).id


ACTIONS: dict[str, Callable[[Database, int, int], object]] = {
    "complete": lambda db, task, person: toggle_done(db, task, NOW),
    "archive": lambda db, task, person: archive_task(db, task, NOW),
    "move to Delegate": lambda db, task, person: move_task(db, task, Quadrant.DELEGATE),
    "move to Do": lambda db, task, person: move_task(db, task, Quadrant.DO),
    "delegate": lambda db, task, person: delegate_task(db, task, person, date(2026, 11, 25)),
    "edit": lambda db, task, person: edit_task(db, task, "Board deck v2 tomorrow 9am !u 3h", NOW),
}


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_undo_restores_exactly_and_redo_reapplies(db, db_path, dana, task_id, action):
    before = task_rows(db_path)
    action(db, task_id, dana.id)
    after = task_rows(db_path)
    assert after != before

    db.undo()
    assert task_rows(db_path) == before
    db.redo()
    assert task_rows(db_path) == after


def test_undo_of_an_added_task_removes_it_and_redo_brings_it_back(db, db_path, now):
    add_task(db, "Call Meridian Health !iu", now)
    added = task_rows(db_path)
    assert db.undo() == "Added “Call Meridian Health”"
    assert task_rows(db_path) == []
    assert task_board(db, now).open_count == 0
    assert db.redo() == "Added “Call Meridian Health”"
    assert task_rows(db_path) == added


def test_a_deleted_row_comes_back_exactly_on_undo(db, db_path, task_id):
    before = task_rows(db_path)
    with db.action("Deleted “Prep board deck”") as session:
        session.delete(session.get(Task, task_id))
    assert task_rows(db_path) == []
    assert db.undo() == "Deleted “Prep board deck”"
    assert task_rows(db_path) == before
    db.redo()
    assert task_rows(db_path) == []


def test_one_action_with_several_rows_is_undone_as_one(db, db_path, task_id, now):
    before = task_rows(db_path)
    with db.action("Tidied up") as session:
        session.get(Task, task_id).title = "Renamed"
        session.add(Task(title="Brand new"))
    assert len(task_rows(db_path)) == 2
    assert db.undo() == "Tidied up"
    assert task_rows(db_path) == before


def test_an_action_that_fails_midway_changes_nothing_and_is_not_logged(db, db_path, task_id):
    before = task_rows(db_path)
    with pytest.raises(RuntimeError), db.action("Half done") as session:
        session.get(Task, task_id).title = "Renamed"
        session.flush()
        raise RuntimeError("power cut")
    assert task_rows(db_path) == before
    assert db.undo().startswith("Added")  # the add before it, not the failed action


def test_an_action_that_changes_nothing_is_not_logged(db, task_id):
    with db.action("Looked only") as session:
        temporary = Task(title="Scratch")
        session.add(temporary)
        session.flush()
        session.delete(temporary)
    assert db.undo().startswith("Added")


def test_undo_and_redo_return_the_action_label(db, task_id):
    toggle_done(db, task_id, NOW)
    assert db.undo() == "Completed “Prep board deck”"
    assert db.redo() == "Completed “Prep board deck”"


def test_undo_walks_back_several_actions_in_reverse_order(db, db_path, task_id, dana):
    start = task_rows(db_path)
    move_task(db, task_id, Quadrant.DO)
    delegate_task(db, task_id, dana.id, date(2026, 11, 24))
    toggle_done(db, task_id, NOW)
    assert db.undo().startswith("Completed")
    assert db.undo() == "Delegated a task"
    assert db.undo().startswith("Moved")
    assert task_rows(db_path) == start


def test_archived_task_comes_back_on_the_board_after_undo(db, task_id, now):
    archive_task(db, task_id, now)
    assert task_board(db, now).open_count == 0
    db.undo()
    board = task_board(db, now)
    assert [t.title for t in board.quadrant(Quadrant.SCHEDULE).tasks] == ["Prep board deck"]


def test_a_new_action_clears_redo(db, task_id):
    move_task(db, task_id, Quadrant.DO)
    db.undo()
    toggle_done(db, task_id, NOW)
    with pytest.raises(CeodeskError, match="Nothing to redo"):
        db.redo()


def test_nothing_to_undo_on_a_fresh_database(db):
    with pytest.raises(CeodeskError) as nothing:
        db.undo()
    assert str(nothing.value) == "Nothing to undo."


def test_nothing_to_redo_without_an_undo(db, task_id):
    with pytest.raises(CeodeskError) as nothing:
        db.redo()
    assert str(nothing.value) == "Nothing to redo."


def test_a_refused_action_is_not_in_the_undo_log(db, db_path, now):
    with pytest.raises(CeodeskError):
        add_task(db, "Ask @nobody", now)
    assert task_rows(db_path) == []
    with pytest.raises(CeodeskError, match="Nothing to undo"):
        db.undo()


def test_undo_after_another_process_changed_the_task_is_a_conflict(db, db_path, task_id):
    move_task(db, task_id, Quadrant.DO)
    other = open_database(db_path, seed=seed_defaults)
    try:
        toggle_done(other, task_id, NOW + timedelta(minutes=5))
    finally:
        other.close()
    theirs = task_rows(db_path)

    with pytest.raises(ConflictError) as conflict:
        db.undo()
    assert "changed elsewhere" in str(conflict.value)
    assert task_rows(db_path) == theirs
    board = task_board(db, NOW)
    assert [t.title for t in board.quadrant(Quadrant.DO).done] == ["Prep board deck"]


def test_redo_after_another_process_changed_the_task_is_a_conflict(db, db_path, task_id):
    move_task(db, task_id, Quadrant.DO)
    db.undo()
    other = open_database(db_path)
    try:
        edit_task(other, task_id, "Renamed elsewhere !i", NOW)
    finally:
        other.close()
    theirs = task_rows(db_path)
    with pytest.raises(ConflictError):
        db.redo()
    assert task_rows(db_path) == theirs


def test_undo_after_another_process_deleted_the_row_is_a_conflict(db, db_path, now):
    task = add_task(db, "Short-lived", now)
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM task WHERE id = ?", (task.id,))
    conn.commit()
    conn.close()
    # Undoing the add would delete a row that is already gone.
    with pytest.raises(ConflictError):
        db.undo()


def test_a_change_to_another_task_elsewhere_does_not_block_undo(db, db_path, task_id, now):
    other_task = add_task(db, "Someone else's", now).id
    move_task(db, task_id, Quadrant.DO)
    other = open_database(db_path)
    try:
        toggle_done(other, other_task, now)
    finally:
        other.close()
    assert db.undo().startswith("Moved")
    board = task_board(db, now)
    assert [t.title for t in board.quadrant(Quadrant.SCHEDULE).tasks] == ["Prep board deck"]
    assert [t.title for t in board.unsorted.done] == ["Someone else's"]


# ----------------------------------------------------------------- property test

STEP = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["Plan offsite !i", "Call bank tomorrow !u 30m"])),
    st.tuples(st.just("toggle"), st.integers(0, 4)),
    st.tuples(st.just("archive"), st.integers(0, 4)),
    st.tuples(st.just("move"), st.integers(0, 4), st.sampled_from(list(Quadrant))),
    st.tuples(st.just("delegate"), st.integers(0, 4), st.sampled_from([None, date(2026, 12, 1)])),
    st.tuples(st.just("edit"), st.integers(0, 4), st.sampled_from(["New title fri !iu #x", "y"])),
)


def _snapshot(db: Database) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM task ORDER BY id")]


def _run(db: Database, step: tuple, person: int) -> bool:
    """Do one step; False when it was refused (e.g. the task is archived)."""
    ids = [row[0] for row in _snapshot(db)]
    kind, *args = step
    try:
        if kind == "add":
            add_task(db, args[0], NOW)
            return True
        task = ids[args[0] % len(ids)]
        if kind == "toggle":
            toggle_done(db, task, NOW)
        elif kind == "archive":
            archive_task(db, task, NOW)
        elif kind == "move":
            move_task(db, task, args[1])
        elif kind == "delegate":
            delegate_task(db, task, person, args[1])
        else:
            edit_task(db, task, args[1], NOW)
    except NotFoundError:
        return False
    return True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=15))
def test_undoing_every_action_restores_the_tasks_and_redo_replays_them(steps):
    db = open_database(":memory:", seed=seed_defaults)
    try:
        person = add_person(db, "Dana Whitfield").id
        for text in ("Board deck !iu", "Hiring plan !i eow", "Expenses @dana"):
            add_task(db, text, NOW)
        initial = _snapshot(db)

        done = sum(_run(db, step, person) for step in steps)
        final = _snapshot(db)
        for _ in range(done):
            db.undo()
        assert _snapshot(db) == initial
        for _ in range(done):
            db.redo()
        assert _snapshot(db) == final
    finally:
        db.close()
