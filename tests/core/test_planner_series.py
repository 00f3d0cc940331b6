"""Issue 9.5: repeating blocks can be changed and ended from an occurrence on, deleted
whole, keep their task and Rock, and repeat every 2 weeks or monthly by weekday."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from ceodesk.core.domain.planner import (
    add_block,
    add_series,
    category_by_name,
    delete_block,
    delete_series,
    edit_series_from,
    end_series,
    make_repeating,
    repeat_label,
    repeat_rule,
    week_plan,
)
from ceodesk.core.domain.rocks import add_rock
from ceodesk.core.domain.settings import me, seed_defaults
from ceodesk.core.kernel.errors import DatabaseReadOnly, InputError
from ceodesk.core.store.db import SCHEMA_VERSION, open_database
from ceodesk.core.store.models import DeletedOccurrence, Setting
from ceodesk.core.views.capture import add_task

W48 = "2026-W48"
MON = date(2026, 11, 23)
TUE = MON + timedelta(days=1)


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def occurrences_in(db, now, week: str, title: str | None = None):
    return [b for d in week_plan(db, week, now).days for b in d.blocks if title in (None, b.title)]


def leadership(db, **kw) -> int:
    rule = repeat_rule(kw.pop("repeat", "weekly"), TUE)
    meetings = category_by_name(db, "meetings").id
    return add_series(db, "Leadership", meetings, rule, time(9), time(10, 30), TUE, **kw)


@pytest.mark.parametrize(
    ("repeat", "day", "rule", "label"),
    [
        ("weekly", TUE, "FREQ=WEEKLY;BYDAY=TU", "weekly on Tuesday"),
        ("every 2 weeks", TUE, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every 2 weeks on Tuesday"),
        ("monthly", date(2026, 12, 7), "FREQ=MONTHLY;BYDAY=+1MO", "monthly on the first Monday"),
        ("monthly", date(2026, 12, 29), "FREQ=MONTHLY;BYDAY=-1TU", "monthly on the last Tuesday"),
        ("daily", TUE, "FREQ=DAILY", "daily"),
        ("weekdays", TUE, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday (Monday to Friday)"),
    ],
)
def test_repeat_choices_become_rules(repeat, day, rule, label):
    assert repeat_rule(repeat, day) == rule
    assert repeat_label(repeat, day) == label


def test_an_unknown_repeat_is_one_sentence(one_sentence):
    with pytest.raises(InputError) as refused:
        repeat_rule("hourly", TUE)
    assert one_sentence(str(refused.value))


def test_every_two_weeks_and_monthly_by_weekday(db, now):
    leadership(db, repeat="every 2 weeks")
    assert [len(occurrences_in(db, now, f"2026-W{w}")) for w in (48, 49, 50, 51)] == [1, 0, 1, 0]
    first_monday = date(2026, 12, 7)
    admin = category_by_name(db, "admin").id
    rule = repeat_rule("monthly", first_monday)
    add_series(db, "Board pack", admin, rule, time(14), time(15), first_monday)
    days = [
        b.day
        for w in ("2026-W50", "2027-W01", "2027-W02", "2027-W05")
        for b in occurrences_in(db, now, w, "Board pack")
    ]
    assert days == [first_monday, date(2027, 1, 4), date(2027, 2, 1)]
    [block] = occurrences_in(db, now, "2026-W50", "Board pack")
    assert block.repeats == "monthly"


def test_a_repeating_block_keeps_its_task_and_rock(db, now):
    with db.session() as session:
        owner = me(session).id
    rock = add_rock(
        db, "Close the Series B round", owner, is_company=True, quarter="2026-Q4", now=now
    )
    task = add_task(db, "Investor updates !i", now)
    leadership(db, task_id=task.id, rock_id=rock.id)
    for week in (W48, "2027-W10"):
        [block] = occurrences_in(db, now, week)
        assert (block.task_id, block.rock) == (task.id, "Close the Series B round")


def test_a_one_off_block_made_repeating_keeps_its_links(db, now):
    task = add_task(db, "Weekly numbers !i", now)
    admin = category_by_name(db, "admin").id
    block = add_block(db, TUE, time(16), time(17), "Numbers", admin, task_id=task.id)
    make_repeating(db, block.id, "weekly")
    [again] = occurrences_in(db, now, W48)
    assert (again.id, again.task_id, again.repeats) == (block.id, task.id, "weekly")
    [later] = occurrences_in(db, now, "2027-W02")
    assert later.task_id == task.id
    assert db.undo() == "Made “Numbers” repeat"
    assert occurrences_in(db, now, "2026-W50") == []


def test_changing_a_series_from_an_occurrence_on_leaves_earlier_weeks(db, now):
    leadership(db)
    [third] = occurrences_in(db, now, "2026-W50")
    people = category_by_name(db, "people").id
    edit_series_from(
        db, third.id, title="Staff meeting", category_id=people, minutes=60, repeat="weekly"
    )
    assert [(b.title, b.end) for b in occurrences_in(db, now, "2026-W49")] == [
        ("Leadership", time(10, 30))
    ]
    for week in ("2026-W50", "2027-W20"):
        assert [(b.title, b.category, b.end) for b in occurrences_in(db, now, week)] == [
            ("Staff meeting", "people", time(10))
        ]
    assert db.undo() == "Changed repeating “Staff meeting”"
    assert [b.title for b in occurrences_in(db, now, "2026-W50")] == ["Leadership"]


def test_ending_a_series_and_deleting_it_whole(db, now):
    leadership(db)
    [third] = occurrences_in(db, now, "2026-W50")
    assert end_series(db, third.id) == "Leadership"
    assert len(occurrences_in(db, now, "2026-W49")) == 1
    assert occurrences_in(db, now, "2026-W50") == []
    assert occurrences_in(db, now, "2027-W20") == []
    db.undo()
    assert len(occurrences_in(db, now, "2026-W50")) == 1
    [first] = occurrences_in(db, now, W48)
    assert delete_series(db, first.id) >= 13
    for week in (W48, "2026-W50", "2027-W20"):
        assert occurrences_in(db, now, week) == []
    assert db.undo() == "Deleted repeating “Leadership”"
    assert len(occurrences_in(db, now, "2026-W50")) == 1


def test_a_block_that_does_not_repeat_cannot_be_ended(db, now, one_sentence):
    admin = category_by_name(db, "admin").id
    block = add_block(db, TUE, time(16), time(17), "Numbers", admin)
    with pytest.raises(InputError) as refused:
        end_series(db, block.id)
    assert one_sentence(str(refused.value))


def _rebuild_without(conn: sqlite3.Connection, table: str, columns: set[str]) -> None:
    create = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)
    ).fetchone()[0]
    indexes = [
        row[0]
        for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
            (table,),
        )
        if not any(c in row[0] for c in columns)
    ]
    lines = [line for line in create.splitlines() if not any(c in line for c in columns)]
    create = re.sub(r",\s*\)$", "\n)", "\n".join(lines).rstrip())
    kept = ", ".join(
        f'"{r[1]}"' for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in columns
    )
    conn.execute(create.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_old", 1))
    conn.execute(f"INSERT INTO {table}_old SELECT {kept} FROM {table}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {table}_old RENAME TO {table}")
    for index in indexes:
        conn.execute(index)


def test_a_version_seven_database_keeps_its_deleted_occurrences_as_rows(db_path, now):
    db = open_database(db_path, seed=seed_defaults)
    leadership(db)
    [first] = occurrences_in(db, now, W48)
    db.close()
    conn = sqlite3.connect(db_path)
    try:
        (block_uid,) = conn.execute("SELECT uid FROM timeblock WHERE id=?", (first.id,)).fetchone()
        conn.execute("DELETE FROM timeblock WHERE id=?", (first.id,))
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?)",
            (f"deleted_occurrence:{block_uid}", TUE.isoformat()),
        )
        conn.execute("DROP TABLE deletedoccurrence")
        _rebuild_without(conn, "blockseries", {"task_id", "rock_id"})
        conn.execute("PRAGMA user_version=7")
        conn.commit()
    finally:
        conn.close()
    db = open_database(db_path)
    try:
        assert occurrences_in(db, now, W48) == []  # still deleted
        assert len(occurrences_in(db, now, "2026-W49")) == 1
        task = add_task(db, "Agenda !i", now)
        [later] = occurrences_in(db, now, "2026-W49")
        edit_series_from(
            db,
            later.id,
            title="Leadership",
            category_id=later.category_id,
            minutes=90,
            repeat="weekly",
            task_id=task.id,
        )
        assert occurrences_in(db, now, "2026-W50")[0].task_id == task.id
    finally:
        db.close()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT occurrence_uid FROM deletedoccurrence").fetchall() == [
            (block_uid,)
        ]
        assert (
            conn.execute("SELECT count(*) FROM setting WHERE key LIKE 'deleted%'").fetchone()[0]
            == 0
        )
    finally:
        conn.close()


def test_deleting_one_occurrence_stores_a_row_of_its_own(db, now):
    leadership(db)
    [first] = occurrences_in(db, now, W48)
    delete_block(db, first.id)
    with db.session() as session:
        assert len(session.exec(select(DeletedOccurrence)).all()) == 1
        keys = [s.key for s in session.exec(select(Setting))]
    assert not any(k.startswith("deleted_occurrence:") for k in keys)
    assert occurrences_in(db, now, W48) == []


# ------------------------------------------- weeks written when first shown (bookkeeping)

LATER = "2027-W20"  # past the weeks add_series writes ahead


def test_a_week_first_shown_writes_its_repeating_blocks_and_moves_the_change_feed(db_path, db, now):
    leadership(db)
    other = open_database(db_path)  # another program, watching the feed
    watcher = other.watcher()
    try:
        before, feed_before = db.revision, watcher.latest()
        assert [b.title for b in occurrences_in(db, now, LATER)] == ["Leadership"]
        assert db.revision == before + 1  # this program's own view of the feed moved
        feed = watcher.latest()
        assert feed is not None and feed_before is not None
        assert (feed.revision, feed.writer) == (feed_before.revision + 1, db.origin)
        occurrences_in(db, now, LATER)  # shown again: nothing to write, the feed stays
        assert db.revision == before + 1
    finally:
        watcher.close()
        other.close()


def test_writing_a_shown_week_is_no_undo_step(db, now):
    leadership(db)
    occurrences_in(db, now, LATER)
    assert db.undo() == "Added repeating “Leadership”"
    assert occurrences_in(db, now, LATER) == []  # its blocks go with the series


def test_a_read_only_database_says_why_a_later_week_cannot_show_its_repeating_blocks(
    db_path, db, now, one_sentence
):
    leadership(db)
    db.close()
    read_only = open_database(db_path, read_only=True)
    try:
        assert [b.title for b in occurrences_in(read_only, now, W48)] == ["Leadership"]
        with pytest.raises(DatabaseReadOnly) as refused:
            occurrences_in(read_only, now, LATER)
        assert one_sentence(str(refused.value)) and "read-only" in str(refused.value)
    finally:
        read_only.close()


def _writer_would_write(db, week: str) -> bool:
    """What the bookkeeping writer itself finds to do for ``week`` (the ORM path)."""
    from ceodesk.core.domain.planner.recurrence import _pending_occurrences, _stale_shown

    with db.session() as session:
        new, relink = _pending_occurrences(session, week, ZoneInfo("UTC"))
        return bool(new or relink or _stale_shown(session))


def _checks_say(db, db_path, week: str) -> tuple[bool, bool]:
    """(the check before showing a week, read as plain rows; the first look's, sqlite3)."""
    from ceodesk.core.domain.planner.recurrence import SHOWN_OCCURRENCES, _SessionOccurrences
    from ceodesk.core.domain.planner.views import writes_when_shown
    from ceodesk.core.store.first_look import open_first_look

    zone = ZoneInfo("UTC")
    with db.session() as session:
        plain = writes_when_shown(_SessionOccurrences(session), week, zone, SHOWN_OCCURRENCES)
    reader = open_first_look(str(db_path))
    assert reader is not None
    with reader:
        first = writes_when_shown(reader, week, zone, SHOWN_OCCURRENCES)
    return plain, first


def test_the_check_before_showing_a_week_finds_what_the_writer_would_write(db_path, db, now):
    """Issue 13: the check every redraw of a week asks, read as plain rows, and the first
    look's with sqlite3, say "something to write" exactly when the writer finds some:
    weeks not yet shown, an occurrence deleted, a series undone (its shown blocks to
    remove) and redone (its blocks to link back)."""
    states = []

    def state(label: str, *weeks: str) -> None:
        for week in weeks:
            expected = _writer_would_write(db, week)
            assert _checks_say(db, db_path, week) == (expected, expected), (label, week)
            states.append((label, week, expected))

    state("no series", W48, LATER)
    leadership(db)
    state("a series, written ahead, a later week not yet", W48, LATER)
    occurrences_in(db, now, LATER)
    state("the later week shown", W48, LATER)
    [first] = occurrences_in(db, now, W48)
    delete_block(db, first.id)
    state("an occurrence deleted", W48)
    db.undo()  # the deletion
    db.undo()  # the series: the later week's blocks it wrote when shown stay, unlinked
    state("the series undone", W48, LATER)
    db.redo()
    state("the series redone", W48, LATER)
    # Each kind of answer was met: the test would see a check that always said one thing.
    assert {expected for _label, _week, expected in states} == {True, False}
