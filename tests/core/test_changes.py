"""Reads kept until a table they read changes (store/changes.py, issue 13): which tables a
statement touches, the stamps this process's writes move, and the review's panels kept
across redraws giving what a review read from nothing gives."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, date, datetime, time

import pytest
from demo_files import demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import col, select

from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.planner import record_actual, week_plan
from ceodesk.core.domain.rocks import rocks_of_week, set_week_status
from ceodesk.core.domain.scorecard import find_measurable, record_value
from ceodesk.core.domain.tasks import task_board, toggle_done
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.dates import week_days
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.store.changes import ChangeStamps, Kept
from ceodesk.core.store.db import open_database
from ceodesk.core.store.models import Measurable, Person, Task, TimeBlock
from ceodesk.core.views.capture import add_task
from ceodesk.core.views.kept import ScreenMemo
from ceodesk.core.views.review import ReviewMemo, weekly_review
from ceodesk.core.views.week_view import week_view

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
WEEK = "2026-W48"


def read_tasks(db) -> list[str]:
    with db.session() as session:
        return [t.title for t in session.exec(select(Task).order_by(col(Task.id)))]


def test_a_write_moves_the_stamp_of_its_table_only(db, now) -> None:
    before = db.changes.now()
    add_task(db, "Call Dana", now)
    after = db.changes.now()
    assert after.of(["task"]) != before.of(["task"])
    assert after.of(["measurable", "rock"]) == before.of(["measurable", "rock"])


def test_undo_moves_the_stamp_of_the_table_it_writes(db, now) -> None:
    add_task(db, "Call Dana", now)
    before = db.changes.now()
    db.undo()
    assert db.changes.now().of(["task"]) != before.of(["task"])


def test_another_programs_write_moves_every_stamp(db) -> None:
    before = db.changes.now()
    db.changes.everything_changed()
    after = db.changes.now()
    tables = ["task", "rock"]
    assert all(a != b for a, b in zip(after.of(tables), before.of(tables), strict=True))


def test_a_kept_read_is_reused_until_a_table_it_read_changes(db, now) -> None:
    kpi = _a_kpi(db)
    kept, reads = Kept(), []

    def read() -> list[str]:
        reads.append(1)
        return read_tasks(db)

    assert kept.get(db.changes.now(), "tasks", (), read) == []
    assert kept.get(db.changes.now(), "tasks", (), read) == []
    assert len(reads) == 1
    record_value(db, kpi, WEEK, "7")
    assert kept.get(db.changes.now(), "tasks", (), read) == []  # another table: kept
    assert len(reads) == 1
    add_task(db, "Call Dana", now)
    assert kept.get(db.changes.now(), "tasks", (), read) == ["Call Dana"]
    assert len(reads) == 2


def _a_kpi(db) -> int:
    from ceodesk.core.domain.scorecard import add_measurable

    me = list_people(db)[0].id
    return add_measurable(db, "Leads", me, "number", ">=", 10, from_week="2026-W40")


def test_other_inputs_read_again(db) -> None:
    kept, reads = Kept(), []

    def read() -> int:
        reads.append(1)
        return len(read_tasks(db))

    kept.get(db.changes.now(), "n", ("W47",), read)
    kept.get(db.changes.now(), "n", ("W48",), read)
    assert len(reads) == 2


def test_a_read_of_plain_sql_text_is_never_kept(db) -> None:
    kept, reads = Kept(), []

    def read() -> int:
        reads.append(1)
        with db.session() as session:
            return int(session.execute(text("SELECT count(*) FROM task")).scalar() or 0)

    for _ in range(2):
        kept.get(db.changes.now(), "count", (), read)
    assert len(reads) == 2  # which tables it read cannot be told


def test_a_write_committed_while_a_read_ran_is_read_again_next_time(db, now) -> None:
    """The stamps are taken before the read; a write landing between them and the read's
    data leaves the kept result marked stale, never current."""
    kept = Kept()
    stamps = db.changes.now()

    def write_meanwhile() -> list[str]:
        worker = threading.Thread(target=add_task, args=(db, "Call Dana", now))
        worker.start()
        worker.join()
        return read_tasks(db)

    assert kept.get(stamps, "tasks", (), write_meanwhile) == ["Call Dana"]
    assert kept.get(db.changes.now(), "tasks", (), lambda: ["read again"]) == ["read again"]


def test_which_tables_a_statement_touches(db) -> None:
    stamps = ChangeStamps()
    stamps.watch(db.engine)
    reads = stamps.recording()
    with db.session() as session:
        session.exec(
            select(Task.title).where(col(Task.owner_id).in_(select(Person.id).where(Person.is_me)))
        ).all()
        session.exec(select(Measurable)).all()
    stamps.stop_recording(reads)
    assert reads.known and reads.tables == {"task", "person", "measurable"}


# -- the review, kept panel by panel -------------------------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> object:
    return demo_copy(tmp_path_factory.mktemp("kept") / "demo.db", NOW)


def _complete_a_task(db) -> None:
    board = task_board(db, NOW)
    task = next(t for q in board.quadrants for t in q.tasks)
    toggle_done(db, task.id, NOW)


def _log_a_value(db) -> None:
    record_value(db, find_measurable(db, "Leads"), WEEK, "3")


def _a_rock_off_track(db) -> None:
    rock = rocks_of_week(db, WEEK)[0]
    set_week_status(db, rock.id, WEEK, "off_track")


def _log_an_actual(db) -> None:
    block = next(b for d in week_plan(db, WEEK, NOW).days for b in d.blocks if not b.is_recorded)
    record_actual(db, block.id, 45)


def _rename_me(db) -> None:
    from ceodesk.core.domain.people import rename_person

    rename_person(db, list_people(db)[0].id, "Jordan Ceo")


def _undo(db) -> None:
    with contextlib.suppress(CeodeskError):  # nothing to undo yet
        db.undo()


WRITES = [_complete_a_task, _log_a_value, _a_rock_off_track, _log_an_actual, _rename_me, _undo]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WRITES), min_size=1, max_size=4))
def test_a_review_and_a_week_kept_across_writes_are_those_read_from_nothing(
    demo_template, tmp_path_factory, writes
) -> None:
    path = tmp_path_factory.mktemp("review") / "demo.db"
    path.write_bytes(demo_template.read_bytes())
    db = open_database(path, clock=frozen_clock(NOW))
    try:
        memo, week_memo = ReviewMemo(), ScreenMemo()
        weekly_review(db, WEEK, NOW, memo)
        week_view(db, WEEK, NOW, week_memo)
        for write in writes:
            write(db)
            assert weekly_review(db, WEEK, NOW, memo) == weekly_review(db, WEEK, NOW)
            assert week_view(db, WEEK, NOW, week_memo) == week_view(db, WEEK, NOW)
    finally:
        db.close()


def test_a_value_logged_reads_the_scorecard_again_and_keeps_the_rest(
    demo_template, tmp_path
) -> None:
    path = tmp_path / "demo.db"
    path.write_bytes(demo_template.read_bytes())
    db = open_database(path, clock=frozen_clock(NOW))
    try:
        memo = ReviewMemo()
        first = weekly_review(db, WEEK, NOW, memo)
        _log_a_value(db)
        again = weekly_review(db, WEEK, NOW, memo)
        assert again.scorecard is not first.scorecard
        assert next(k for k in again.scorecard.lines if k.name == "Leads").value == 3
        assert again.rocks is first.rocks and again.tasks is first.tasks
        assert again.time is first.time
    finally:
        db.close()


def test_a_task_done_reads_the_tasks_again_not_the_rocks_or_to_dos(demo_template, tmp_path):
    from sqlalchemy import event

    path = tmp_path / "demo.db"
    path.write_bytes(demo_template.read_bytes())
    db = open_database(path, clock=frozen_clock(NOW))
    try:
        memo = ReviewMemo()
        weekly_review(db, WEEK, NOW, memo)
        _complete_a_task(db)
        statements: list[str] = []

        def seen(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            again = weekly_review(db, WEEK, NOW, memo)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        read = " ".join(statements)
        assert "FROM task" in read
        for kept in ("FROM rockweek", "FROM milestone", "FROM todo", "FROM measurablevalue"):
            assert kept not in read
        assert again == weekly_review(db, WEEK, NOW)
    finally:
        db.close()


# -------------------------------------------------- another program's writes


def test_each_write_records_the_tables_it_wrote_for_the_other_windows(db_path, db, now) -> None:
    kpi, watcher = _a_kpi(db), db.watcher()
    try:
        start = db.revision
        add_task(db, "Call Dana", now)
        assert watcher.tables_since(start) == {"task"}
        middle = db.revision
        record_value(db, kpi, WEEK, "7")
        assert watcher.tables_since(middle) == {"measurablevalue"}
        assert watcher.tables_since(start) == {"task", "measurablevalue"}
        undone = db.revision
        db.undo()
        assert watcher.tables_since(undone) == {"measurablevalue"}
        assert watcher.tables_since(db.revision) is None  # nothing since: cannot tell
    finally:
        watcher.close()


def test_a_write_whose_tables_cannot_be_told_makes_every_table_changed(db) -> None:
    watcher = db.watcher()
    try:
        start = db.revision
        with db.bulk_write() as session:
            session.execute(text("INSERT INTO tablerevision (name, revision) VALUES ('*', 0)"))
            session.info["ceodesk_wrote_rows"] = True
        assert watcher.tables_since(start) is None
    finally:
        watcher.close()


def test_an_own_write_after_one_the_poll_has_not_seen_keeps_nothing_from_before(
    db_path, db, now
) -> None:
    """Another program adds a task; before the poll sees it, this window saves a value.
    Its write moves the feed two steps: the task panel, kept, is read again."""
    memo = ReviewMemo()
    before = weekly_review(db, WEEK, NOW, memo)
    other = open_database(db_path, clock=frozen_clock(NOW))
    try:
        add_task(other, "Sign the lease due 27 nov", NOW)
    finally:
        other.close()
    record_value(db, _a_kpi(db), WEEK, "7")
    after = weekly_review(db, WEEK, NOW, memo)
    assert [c.title for c in after.carry_over] == [
        *(c.title for c in before.carry_over),
        "Sign the lease",
    ]


def test_a_kept_read_reused_inside_another_counts_as_read_by_it(db, now) -> None:
    """The outer read is kept only while the inner one's tables stay the same too."""
    inner_kept, outer_kept, reads = Kept(), Kept(), []

    def inner() -> list[str]:
        return read_tasks(db)

    def outer() -> int:
        reads.append(1)
        return len(inner_kept.get(db.changes.now(), "tasks", (), inner))

    inner_kept.get(db.changes.now(), "tasks", (), inner)  # kept before the outer read
    assert outer_kept.get(db.changes.now(), "count", (), outer) == 0
    add_task(db, "Call Dana", now)
    assert outer_kept.get(db.changes.now(), "count", (), outer) == 1
    assert len(reads) == 2


def test_a_week_looked_at_again_costs_no_query_for_its_recurring_blocks(db_path, db) -> None:
    """The check for a week's recurring blocks is kept until a table it read changes:
    another program's new series is written into the week at the next look."""
    from sqlalchemy import event

    from ceodesk.core.domain.planner import add_series, category_by_name, repeat_rule
    from ceodesk.core.domain.planner.recurrence import _ensure_occurrences
    from ceodesk.core.store.preferences import load_settings

    later = "2027-W20"  # beyond the weeks a new series writes at once
    zone = load_settings(db).zone
    _ensure_occurrences(db, later, zone)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    _ensure_occurrences(db, later, zone)
    assert statements == []
    other = open_database(db_path, clock=frozen_clock(NOW))
    try:
        admin = category_by_name(other, "admin").id
        tuesday = date(2026, 11, 24)
        add_series(
            other,
            "Weekly 1:1",
            admin,
            repeat_rule("weekly", tuesday),
            time(10),
            time(10, 30),
            tuesday,
        )
    finally:
        other.close()
    db.changes.changed(["blockseries", "timeblock", "setting"])  # what the poll marks
    _ensure_occurrences(db, later, zone)
    event.remove(db.engine, "before_cursor_execute", count)
    assert statements
    days = week_days(later)
    with db.session() as session:
        query = select(TimeBlock.title).where(TimeBlock.day >= days[0], TimeBlock.day <= days[-1])
        assert list(session.exec(query)) == ["Weekly 1:1"]


def test_after_a_task_changes_the_review_keeps_the_weeks_block_rows(db, now, monkeypatch) -> None:
    """A task done or added reads the tasks again, not the week's blocks; a block's
    change reads them again."""
    from ceodesk.core.domain.planner import add_block, category_by_name
    from ceodesk.core.domain.planner import plan as planner_plan

    reads: list[str] = []
    stored_blocks = planner_plan._stored_blocks

    def counted(session, first, last):
        reads.append(f"{first}..{last}")
        return stored_blocks(session, first, last)

    monkeypatch.setattr(planner_plan, "_stored_blocks", counted)
    memo = ReviewMemo()
    weekly_review(db, WEEK, NOW, memo)
    assert len(reads) == 1
    task = add_task(db, "Board deck thu", now)
    review = weekly_review(db, WEEK, NOW, memo)
    assert len(reads) == 1
    assert "Board deck" in [c.title for c in review.carry_over]
    admin = category_by_name(db, "admin").id
    add_block(db, date(2026, 11, 26), time(9), time(10), "Prep", admin, task_id=task.id)
    review = weekly_review(db, WEEK, NOW, memo)
    assert len(reads) == 2
    assert review == weekly_review(db, WEEK, NOW)  # the same as one read from nothing
