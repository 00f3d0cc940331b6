"""Undo and redo of user actions, including changes made by another process."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceodesk.core.domain.people import add_person
from ceodesk.core.domain.planner import add_block, category_by_name, move_block
from ceodesk.core.domain.rocks import add_milestone, add_rock, delete_milestone
from ceodesk.core.domain.settings import seed_defaults
from ceodesk.core.domain.tasks import (
    Quadrant,
    archive_task,
    delegate_task,
    move_task,
    task_board,
    toggle_done,
)
from ceodesk.core.kernel.errors import CeodeskError, ConflictError, NotFoundError
from ceodesk.core.store.db import Database, open_database
from ceodesk.core.store.models import Task, TimeBlock
from ceodesk.core.store.undo import RowChange, decode_changes, encode_changes
from ceodesk.core.views.capture import add_task, edit_task

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)


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


# ------------------------------------------------------- undo stays inside its action


def _open_other(db_path: Path) -> Database:
    return open_database(db_path, seed=seed_defaults)


def _block_links(db_path: Path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT title, task_id FROM timeblock ORDER BY id").fetchall()
    finally:
        conn.close()


def test_undoing_an_add_refuses_when_another_process_linked_a_block_to_it(
    db, db_path, now, one_sentence
):
    task = add_task(db, "Board deck", now)
    other = _open_other(db_path)
    try:
        deep_work = category_by_name(other, "Deep work").id
        add_block(other, MONDAY, time(9), time(11), "Deck", deep_work, task_id=task.id)
    finally:
        other.close()
    tasks, links = task_rows(db_path), _block_links(db_path)

    with pytest.raises(ConflictError) as refused:
        db.undo()
    assert one_sentence(str(refused.value))
    assert task_rows(db_path) == tasks  # the task is still there
    assert _block_links(db_path) == links == [("Deck", task.id)]  # and still linked


def test_undoing_an_add_refuses_when_another_program_linked_a_block_to_it(db, db_path, now):
    task = add_task(db, "Board deck", now)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(
        'INSERT INTO timeblock (uid, day, start, "end", title, category_id, task_id, fixed,'
        " skipped, created_at, updated_at) VALUES ('x', '2026-11-23', '09:00:00', '10:00:00',"
        " 'Deck', 1, ?, 0, 0, '2026-11-23 10:00:00', '2026-11-23 10:00:00')",
        (task.id,),
    )
    conn.commit()
    conn.close()
    with pytest.raises(ConflictError):
        db.undo()
    assert _block_links(db_path) == [("Deck", task.id)]
    assert len(task_rows(db_path)) == 1


def test_undo_refuses_when_what_it_brings_back_points_at_a_row_deleted_since(db, db_path):
    alex = add_person(db, "Alex Moreno")
    rock = add_rock(db, "Hire a VP", alex.id, is_company=True, quarter="2026-Q4", now=NOW)
    milestone = add_milestone(db, rock.id, "Shortlist", None)
    delete_milestone(db, milestone.id)
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM rock")
    conn.commit()
    conn.close()
    with pytest.raises(ConflictError):
        db.undo()  # the milestone's Rock is gone: no traceback, nothing half-written


def test_undo_of_an_add_still_works_when_the_block_was_linked_in_the_same_action(db, now):
    deep_work = category_by_name(db, "Deep work").id
    with db.action("Planned both") as session:
        task = Task(title="Board deck")
        session.add(task)
        session.flush()
        session.add(
            TimeBlock(
                day=MONDAY,
                start=time(9),
                end=time(10),
                title="Deck",
                category_id=deep_work,
                task_id=task.id,
            )
        )
    assert db.undo() == "Planned both"
    assert task_board(db, now).open_count == 0


# ---------------------------------------------------------------- a stored undo log


def test_undo_works_after_closing_and_opening_again(db_path, now):
    first = open_database(db_path, seed=seed_defaults)
    add_task(first, "Call Meridian Health !iu", now)
    added = task_rows(db_path)
    first.close()

    again = open_database(db_path)
    try:
        assert again.undo() == "Added “Call Meridian Health”"
        assert task_rows(db_path) == []
        assert again.redo() == "Added “Call Meridian Health”"
        assert task_rows(db_path) == added
    finally:
        again.close()


def test_completing_and_moving_are_undone_after_a_restart_too(db_path, now):
    first = open_database(db_path, seed=seed_defaults)
    task = add_task(first, "Board deck !i", now).id
    start = task_rows(db_path)
    move_task(first, task, Quadrant.DO)
    toggle_done(first, task, now)
    first.close()

    again = open_database(db_path)
    try:
        assert again.undo().startswith("Completed")
        assert again.undo().startswith("Moved")
        assert task_rows(db_path) == start
    finally:
        again.close()


def test_after_a_restart_undo_refuses_if_the_row_changed_since(db_path, now, one_sentence):
    first = open_database(db_path, seed=seed_defaults)
    task = add_task(first, "Board deck !i", now)
    move_task(first, task.id, Quadrant.DO)
    first.close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE task SET title = 'Renamed by hand' WHERE id = ?", (task.id,))
    conn.commit()
    conn.close()

    again = open_database(db_path)
    try:
        with pytest.raises(ConflictError) as refused:
            again.undo()
        assert one_sentence(str(refused.value))
        assert task_rows(db_path)[0][2] == "Renamed by hand"
    finally:
        again.close()


def test_the_log_keeps_at_least_the_last_500_actions():
    db = open_database(":memory:", seed=seed_defaults)
    try:
        task = add_task(db, "Counter", NOW).id
        for n in range(510):
            edit_task(db, task, f"Counter {n}", NOW)
        for _ in range(500):
            db.undo()
        with db.session() as session:
            assert session.get(Task, task).title == "Counter 9"
    finally:
        db.close()


def test_each_window_undoes_its_own_action_first(db, db_path, now):
    add_task(db, "Mine", now)
    other = _open_other(db_path)
    try:
        add_task(other, "Theirs", now)
        assert db.undo() == "Added “Mine”"
        assert other.undo() == "Added “Theirs”"
    finally:
        other.close()


def test_a_new_action_after_a_restart_clears_what_could_be_redone(db_path, now):
    first = open_database(db_path, seed=seed_defaults)
    add_task(first, "Board deck", now)
    first.undo()
    first.close()
    again = open_database(db_path)
    try:
        add_task(again, "Hiring plan", now)
        with pytest.raises(CeodeskError, match="Nothing to redo"):
            again.redo()
    finally:
        again.close()


# ------------------------------------------------------------------- coalescing


def _block_at(db: Database, block_id: int) -> tuple:
    with db.session() as session:
        block = session.get(TimeBlock, block_id)
        return block.day, block.start, block.end


def test_moving_a_block_five_times_in_a_row_is_one_undo_step(db, now):
    deep_work = category_by_name(db, "Deep work").id
    block = add_block(db, MONDAY, time(9), time(10), "Deck", deep_work).id
    start = _block_at(db, block)
    for _ in range(5):
        with db.coalescing("move-block"):
            move_block(db, block, minutes=30)
    assert _block_at(db, block) == (MONDAY, time(11, 30), time(12, 30))
    assert db.undo() == "Moved “Deck”"
    assert _block_at(db, block) == start
    assert db.undo() == "Planned “Deck”"  # the step before the moves
    db.redo()
    assert db.redo() == "Moved “Deck”"
    assert _block_at(db, block) == (MONDAY, time(11, 30), time(12, 30))


def test_moves_of_two_blocks_or_with_an_action_between_stay_apart(db, now):
    deep_work = category_by_name(db, "Deep work").id
    first = add_block(db, MONDAY, time(9), time(10), "Deck", deep_work).id
    second = add_block(db, MONDAY, time(14), time(15), "Hiring", deep_work).id
    with db.coalescing("move-block"):
        move_block(db, first, minutes=30)
    with db.coalescing("move-block"):
        move_block(db, second, minutes=30)
    add_task(db, "Between", now)
    with db.coalescing("move-block"):
        move_block(db, second, minutes=30)
    assert db.undo() == "Moved “Hiring”"
    assert db.undo().startswith("Added")
    assert db.undo() == "Moved “Hiring”"
    assert _block_at(db, second) == (MONDAY, time(14), time(15))
    assert db.undo() == "Moved “Deck”"
    assert _block_at(db, first) == (MONDAY, time(9), time(10))


# ---------------------------------------------------- row images survive as JSON

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.dates(),
    st.times(),
    st.times(timezones=st.just(UTC)),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5, minutes=-30))])),
)


@given(row=st.dictionaries(st.text(min_size=1), VALUES))
def test_a_row_image_comes_back_from_json_exactly(row):
    change = RowChange(Task, (1,), row, None)
    [back] = decode_changes(encode_changes([change]))
    assert back.before == row
    for name, value in row.items():
        assert type(back.before[name]) is type(value)  # a bool stays a bool, a date a date
        if isinstance(value, datetime | time):
            assert back.before[name].utcoffset() == value.utcoffset()
