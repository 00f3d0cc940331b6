"""The one local now: the injected clock and the user's zone give today, week and quarter.

Nothing but ``core/kernel/clock.py`` reads the wall clock; everything else is handed the clock
(or the instant it gave) and asks ``LocalNow`` what day it is for the user.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ceodesk
from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.planner import (
    add_block,
    category_by_name,
    edit_block,
    move_block,
    record_actual,
    resize_block,
)
from ceodesk.core.domain.rocks import add_rock, finish_rock, quarter_rocks, toggle_week_status
from ceodesk.core.domain.settings import load_settings, local_now, save_settings, seed_defaults
from ceodesk.core.domain.tasks import Quadrant, move_task, task_board, toggle_done
from ceodesk.core.kernel.clock import LocalNow, frozen_clock
from ceodesk.core.kernel.dates import quarter_bounds, week_monday
from ceodesk.core.store.db import backup_sqlite, open_database
from ceodesk.core.store.models import Rock, Task, TimeBlock
from ceodesk.core.views.capture import add_task

LA = "America/Los_Angeles"
# 19:00 on Tue 24 Nov in Los Angeles is already 03:00 on Wed 25 Nov in UTC.
LA_EVENING = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
ZONES = (
    "UTC",
    LA,
    "Europe/Berlin",
    "Asia/Kolkata",  # +05:30
    "Asia/Kathmandu",  # +05:45
    "Pacific/Kiritimati",  # +14
    "Pacific/Pago_Pago",  # -11
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "America/St_Johns",
)
SOURCE = Path(ceodesk.__file__).parent


def test_an_evening_in_los_angeles_is_still_that_day():
    local = LocalNow.at(LA_EVENING, LA)
    assert local.today == date(2026, 11, 24)
    assert local.time_of_day == time(19, 0)
    assert local.wall == datetime(2026, 11, 24, 19, 0)
    assert (local.week, local.quarter) == ("2026-W48", "2026-Q4")
    assert local.instant == LA_EVENING


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


BERLIN = "Europe/Berlin"


@pytest.mark.parametrize(
    ("instant", "zone", "today", "week", "quarter"),
    [
        # A year end in ISO week 53: 31 Dec 2026 is a Thursday.
        (utc(2026, 12, 31, 15, 0), "UTC", date(2026, 12, 31), "2026-W53", "2026-Q4"),
        # Already New Year in Berlin: a new quarter and calendar year, still ISO 2026-W53.
        (utc(2026, 12, 31, 23, 30), BERLIN, date(2027, 1, 1), "2026-W53", "2027-Q1"),
        # Still New Year's Eve in Los Angeles although UTC is in the new quarter.
        (utc(2027, 1, 1, 7, 59), LA, date(2026, 12, 31), "2026-W53", "2026-Q4"),
        # A quarter's first day.
        (utc(2027, 1, 1, 12, 0), "UTC", date(2027, 1, 1), "2026-W53", "2027-Q1"),
        # A Sunday belongs to the week that started on Monday.
        (utc(2026, 11, 29, 22, 0), "UTC", date(2026, 11, 29), "2026-W48", "2026-Q4"),
        # Sunday evening in Los Angeles is Monday in UTC.
        (utc(2026, 11, 30, 5, 0), LA, date(2026, 11, 29), "2026-W48", "2026-Q4"),
        # Berlin springs forward on Sunday 28 Mar 2027 at 02:00 (01:00 UTC).
        (utc(2027, 3, 28, 0, 59), BERLIN, date(2027, 3, 28), "2027-W12", "2027-Q1"),
        (utc(2027, 3, 28, 22, 30), BERLIN, date(2027, 3, 29), "2027-W13", "2027-Q1"),
    ],
)
def test_today_week_and_quarter_on_the_hard_days(instant, zone, today, week, quarter):
    local = LocalNow.at(instant, zone)
    assert (local.today, local.week, local.quarter) == (today, week, quarter)


def test_the_wall_clock_skips_the_lost_hour_in_berlin():
    before = LocalNow.at(datetime(2027, 3, 28, 0, 59, tzinfo=UTC), "Europe/Berlin")
    after = LocalNow.at(datetime(2027, 3, 28, 1, 0, tzinfo=UTC), "Europe/Berlin")
    assert (before.time_of_day, after.time_of_day) == (time(1, 59), time(3, 0))
    assert after.wall - before.wall == timedelta(minutes=61)  # one real minute later


def test_a_clock_and_its_instant_give_the_same_local_now():
    assert LocalNow.at(frozen_clock(LA_EVENING), ZoneInfo(LA)) == LocalNow.at(LA_EVENING, LA)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        LocalNow.at(datetime(2026, 11, 24, 19, 0), LA)


@given(
    instant=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
)
def test_local_now_agrees_with_the_zone_for_any_instant(instant, zone):
    local = LocalNow.at(instant, zone)
    assert local.local == instant  # the same instant, only shown in the zone
    assert local.wall == local.local.replace(tzinfo=None)
    assert local.today == instant.astimezone(ZoneInfo(zone)).date()
    monday = week_monday(local.week)
    assert monday.weekday() == 0 and monday <= local.today <= monday + timedelta(days=6)
    first, last = quarter_bounds(local.quarter)
    assert first <= local.today <= last


# --------------------------------------------------------- the core asks it


@pytest.fixture
def in_los_angeles(db):
    me = list_people(db)[0]
    settings = load_settings(db)
    save_settings(
        db,
        my_name=me.name,
        time_zone=LA,
        day_start=f"{settings.day_start:%H:%M}",
        day_end=f"{settings.day_end:%H:%M}",
    )
    return db


def test_the_core_sees_the_users_day_not_utcs(in_los_angeles):
    db = in_los_angeles
    assert local_now(db, LA_EVENING).today == date(2026, 11, 24)
    assert task_board(db, LA_EVENING).today == date(2026, 11, 24)
    task = add_task(db, "Send the board pack tomorrow", LA_EVENING)
    assert task.due_date == date(2026, 11, 25)


def test_sunday_evening_in_los_angeles_records_that_weeks_rock_status(in_los_angeles):
    db = in_los_angeles
    sunday_evening = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # Mon 30 Nov in UTC: W49
    me = list_people(db)[0].id
    rock = add_rock(db, "Ship it", me, is_company=True, quarter="2026-Q4", now=sunday_evening)
    # A Rock's first status is "on track" (a new Rock has no update yet).
    assert toggle_week_status(db, rock.id, sunday_evening) == "on_track"
    shown = quarter_rocks(db, "2026-Q4", sunday_evening)
    assert shown.week == "2026-W48"
    assert shown.company[0].this_week == "on_track"


def test_new_years_eve_in_los_angeles_adds_to_the_old_quarter(in_los_angeles):
    db = in_los_angeles
    eve = datetime(2027, 1, 1, 6, 0, tzinfo=UTC)  # 22:00 on 31 Dec in Los Angeles
    me = list_people(db)[0].id
    added = add_rock(db, "Close the year", me, is_company=True, quarter="2026-Q4", now=eve)
    assert added.this_week is None and quarter_rocks(db, "2026-Q4", eve).week == "2026-W53"


# ------------------------------------------------------ the one wall clock

# Reading the wall clock: only core/kernel/clock.py may.
_WALL_CLOCK = re.compile(
    r"\b(datetime\.(now|today|utcnow)|date\.today|time\.(time|time_ns|localtime|gmtime))\("
)
# Who may take the system clock: the two programs that start everything (the CLI and the
# app), and open_database's default clock for a caller that passes none (the CLI and the
# app pass theirs; stamps, undo times and backup names come from the database's clock).
_SYSTEM_CLOCK_USERS = {"cli.py", "ui/app.py", "core/store/db.py"}


def test_nothing_but_the_clock_module_reads_the_wall_clock():
    readers = [
        str(path.relative_to(SOURCE))
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "clock.py" and _WALL_CLOCK.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_only_the_programs_take_the_system_clock():
    users = {
        str(path.relative_to(SOURCE))
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "clock.py" and "system_clock" in path.read_text(encoding="utf-8")
    }
    assert users <= _SYSTEM_CLOCK_USERS


# ------------------------------------------------ stamps from the database's clock


def _stamps(db, task_id: int) -> tuple[datetime, datetime]:
    with db.session() as session:
        row = session.get(Task, task_id)
        assert row is not None
        return row.created_at.replace(tzinfo=None), row.updated_at.replace(tzinfo=None)


def test_created_and_updated_stamps_come_from_the_database_clock(tmp_path):
    path = tmp_path / "stamped.db"
    added_at = datetime(2031, 5, 6, 7, 8, tzinfo=UTC)
    db = open_database(path, seed=seed_defaults, clock=frozen_clock(added_at))
    try:
        task = add_task(db, "Call the bank", added_at)
        assert _stamps(db, task.id) == (added_at.replace(tzinfo=None),) * 2
    finally:
        db.close()
    done_at = added_at + timedelta(days=3)
    db = open_database(path, clock=frozen_clock(done_at))
    try:
        toggle_done(db, task.id, done_at)
        assert _stamps(db, task.id) == (added_at.replace(tzinfo=None), done_at.replace(tzinfo=None))
        db.undo()  # undo puts the row back as it was, its stamps too
        assert _stamps(db, task.id) == (added_at.replace(tzinfo=None),) * 2
    finally:
        db.close()


def test_a_backup_is_named_by_the_clock_it_is_given(db_path):
    db = open_database(db_path, seed=seed_defaults, clock=frozen_clock(LA_EVENING))
    db.close()
    copy = backup_sqlite(db_path, "manual", frozen_clock(LA_EVENING))
    assert copy.name == f"{db_path.name}.manual-20261125T030000000000Z.bak"


class _Clock:
    """A database clock the test moves on by hand."""

    def __init__(self, start: datetime) -> None:
        self.instant = start

    def __call__(self) -> datetime:
        return self.instant


def _updated(db, model, row_id: int) -> datetime:
    with db.session() as session:
        row = session.get(model, row_id)
        assert row is not None
        return row.updated_at.replace(tzinfo=None)


def test_every_change_to_a_block_rock_or_task_is_stamped_at_the_database_clock(tmp_path):
    clock = _Clock(datetime(2031, 5, 5, 9, tzinfo=UTC))
    db = open_database(tmp_path / "stamped.db", seed=seed_defaults, clock=clock)
    try:
        admin = category_by_name(db, "admin").id
        block = add_block(db, date(2031, 5, 6), time(11), time(12), "Expenses", admin)
        rock = add_rock(
            db,
            "Close the round",
            list_people(db)[0].id,
            is_company=True,
            quarter="2031-Q2",
            now=clock.instant,
        )
        task = add_task(db, "Call the bank !i", clock.instant)
        changes = [
            (TimeBlock, block.id, lambda: move_block(db, block.id, minutes=30)),
            (TimeBlock, block.id, lambda: resize_block(db, block.id, 15)),
            (TimeBlock, block.id, lambda: record_actual(db, block.id, 45)),
            (
                TimeBlock,
                block.id,
                lambda: edit_block(db, block.id, title="Receipts", category_id=admin, task_id=None),
            ),
            (Rock, rock.id, lambda: finish_rock(db, rock.id, "done")),
            (Task, task.id, lambda: move_task(db, task.id, Quadrant.DO)),
        ]
        for model, row_id, change in changes:
            clock.instant += timedelta(hours=1)
            change()
            assert _updated(db, model, row_id) == clock.instant.replace(tzinfo=None)
        # An edit that changes nothing else is still stamped, and one step to undo.
        edited = _updated(db, TimeBlock, block.id)
        clock.instant += timedelta(hours=1)
        edit_block(db, block.id, title="Receipts", category_id=admin, task_id=None)
        assert _updated(db, TimeBlock, block.id) == clock.instant.replace(tzinfo=None)
        assert db.undo() == "Edited “Receipts”"
        assert _updated(db, TimeBlock, block.id) == edited
    finally:
        db.close()
