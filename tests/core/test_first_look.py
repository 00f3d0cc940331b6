"""The first look (views.first_look over store.first_look, plain sqlite3) sees exactly
what the ORM path shows: the same week plan, reflection and revision, by the same pure
rules; and it steps aside (None) whenever it cannot be sure (issue 13)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel

from ceodesk.cli import main
from ceodesk.core.demo import write_demo_database
from ceodesk.core.demo.large import HistorySize
from ceodesk.core.domain import planner
from ceodesk.core.domain.planner import plan as planner_plan
from ceodesk.core.domain.planner import recurrence
from ceodesk.core.domain.planner import views as planner_views
from ceodesk.core.domain.reflections import previous_reflection, save_reflection
from ceodesk.core.domain.settings import local_now
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.dates import shift_week, week_days, week_key
from ceodesk.core.kernel.errors import DatabaseRefused
from ceodesk.core.store import db as store_db
from ceodesk.core.store import first_look as reader
from ceodesk.core.store.db import open_database
from ceodesk.core.store.models import CategoryKind, TimeBlock
from ceodesk.core.views import first_look as flow

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # a Wednesday, ISO week 2026-W48
SMALL = HistorySize(
    tasks=300, blocks=600, measurables=5, weeks=30, meetings=5, issues=20, todos=20, rocks=12
)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("first-look") / "demo.db"
    write_demo_database(str(path), NOW, time_zone="Europe/Berlin")
    return path


@pytest.fixture(scope="module")
def history_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("first-look-history") / "history.db"
    write_demo_database(str(path), NOW, time_zone="UTC", history=SMALL)
    return path


@pytest.fixture
def demo_path(demo_file, tmp_path):
    copy = tmp_path / "demo.db"
    shutil.copy(demo_file, copy)
    return copy


def orm_view(path, instant):
    """What the week screen shows through the ORM at ``instant``: (plan, reflection,
    revision); showing the week writes its repeating blocks first."""
    db = open_database(path, clock=frozen_clock(instant))
    try:
        week = local_now(db, instant).week
        plan = planner.week_plan(db, week, instant)
        return plan, previous_reflection(db, week), db.revision
    finally:
        db.close()


def assert_same(path, instant) -> flow.FirstLook:
    plan, reflection, revision = orm_view(path, instant)
    look = flow.first_look(str(path), frozen_clock(instant))
    assert look is not None
    assert look.plan == plan
    assert look.reflection == reflection
    assert look.revision == revision
    assert look.week == plan.week
    return look


# -- drift: what it reads is what the models define ----------------------------------------


def test_it_reads_only_tables_and_columns_the_models_have() -> None:
    tables = SQLModel.metadata.tables
    for table, columns in reader.READS.items():
        assert table in tables, table
        assert set(columns) <= {c.name for c in tables[table].columns}, table
    assert reader.SCHEMA_VERSION == store_db.SCHEMA_VERSION
    assert reader.APPLICATION_ID == store_db.APPLICATION_ID
    assert flow.SHOWN_OCCURRENCES == recurrence.SHOWN_OCCURRENCES
    assert CategoryKind.DEEP_WORK.value == planner_views.DEEP_WORK_KIND
    # The rows it builds have the fields of the stored columns it reads.
    assert tuple(reader.BlockRow.__dataclass_fields__) == reader.BLOCK_COLUMNS
    assert tuple(reader.SeriesRow.__dataclass_fields__) == reader.SERIES_COLUMNS


def test_the_orm_path_composes_with_the_same_pure_function(monkeypatch, demo_path) -> None:
    calls = []
    real = planner_plan.compose_week_plan

    def spy(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(planner_plan, "compose_week_plan", spy)
    orm_view(demo_path, NOW)
    assert calls == ["2026-W48"]


# -- parity ----------------------------------------------------------------------------------


def test_the_demo_week_reads_the_same(demo_path) -> None:
    look = assert_same(demo_path, NOW)
    assert sum(len(day.blocks) for day in look.plan.days) > 10
    assert any(b.series_id for day in look.plan.days for b in day.blocks)  # repeating ones
    assert look.settings.time_zone == "Europe/Berlin"


@pytest.mark.parametrize("weeks", [-60, -9, -1, 1, 2, 14, 40])
def test_other_weeks_of_the_demo_read_the_same(demo_path, weeks) -> None:
    assert_same(demo_path, NOW + timedelta(weeks=weeks))


def test_a_reflection_of_last_week_reads_the_same(demo_path) -> None:
    db = open_database(demo_path, clock=frozen_clock(NOW))
    try:
        save_reflection(
            db,
            shift_week("2026-W48", -1),
            focus="Close the round",
            adjustment_kind="delegate",
            adjustment="hand hiring to Sam",
            now=NOW,
        )
    finally:
        db.close()
    look = assert_same(demo_path, NOW)
    assert look.reflection is not None and look.reflection.focus == "Close the round"


@pytest.mark.slow
def test_weeks_of_years_of_history_read_the_same(history_file, tmp_path) -> None:
    path = tmp_path / "history.db"
    shutil.copy(history_file, path)
    kinds = set()
    for weeks in (-40, -29, -20, -12, -5, -2, -1, 0, 1, 3, 8, 30):
        look = assert_same(path, NOW + timedelta(weeks=weeks))
        blocks = [b for day in look.plan.days for b in day.blocks]
        kinds.add("empty" if not blocks else "past" if weeks < 0 else "now or later")
        if any(b.series_id for b in blocks):
            kinds.add("repeating")
        if any(b.actual_minutes is not None or b.skipped for b in blocks):
            kinds.add("recorded")
    assert kinds >= {"empty", "past", "repeating", "recorded"}


# Blocks written straight into the file: any day of the week, time, category, task, Rock,
# actual; overlapping and nested ones included.
BLOCK = st.tuples(
    st.integers(0, 6),
    st.integers(0, 22 * 4),  # start, in quarters of an hour
    st.integers(1, 8),  # length, in quarters
    st.integers(0, 7),  # category, by position
    st.booleans(),  # linked to a task
    st.booleans(),  # linked to a Rock
    st.one_of(st.none(), st.integers(0, 240), st.just(-1)),  # actual; -1: skipped
    st.booleans(),  # fixed
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(BLOCK, max_size=12))
def test_generated_blocks_read_the_same(demo_file, tmp_path_factory, blocks) -> None:
    path = tmp_path_factory.mktemp("generated") / "demo.db"
    shutil.copy(demo_file, path)
    days = week_days(week_key(NOW.date()))
    conn = sqlite3.connect(path)
    try:
        categories = [r[0] for r in conn.execute("SELECT id FROM category ORDER BY position")]
        tasks = [r[0] for r in conn.execute("SELECT id FROM task ORDER BY id LIMIT 5")]
        rocks = [r[0] for r in conn.execute("SELECT id FROM rock ORDER BY id LIMIT 3")]
    finally:
        conn.close()
    db = open_database(path, clock=frozen_clock(NOW))
    try:
        with db.session() as session:
            for i, (day, start, length, category, task, rock, actual, fixed) in enumerate(blocks):
                begin = start * 15
                end = min(begin + length * 15, 24 * 60 - 1)
                session.add(
                    TimeBlock(
                        day=days[day],
                        start=time(begin // 60, begin % 60),
                        end=time(end // 60, end % 60),
                        title=f"Generated {i}",
                        category_id=categories[category % len(categories)],
                        task_id=tasks[i % len(tasks)] if task else None,
                        rock_id=rocks[i % len(rocks)] if rock else None,
                        actual_minutes=actual if actual is not None and actual >= 0 else None,
                        skipped=actual == -1,
                        fixed=fixed,
                    )
                )
            session.commit()
    finally:
        db.close()
    assert_same(path, NOW)


# -- when it steps aside ---------------------------------------------------------------------


def set_version(path, version: int) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA user_version={version}")
        conn.commit()
    finally:
        conn.close()


def test_an_older_schema_takes_the_normal_path(demo_path) -> None:
    set_version(demo_path, store_db.SCHEMA_VERSION - 1)
    assert flow.first_look(str(demo_path), frozen_clock(NOW)) is None


def test_a_newer_schema_is_refused_with_todays_sentence(demo_path, capsys) -> None:
    set_version(demo_path, store_db.SCHEMA_VERSION + 1)
    assert flow.first_look(str(demo_path), frozen_clock(NOW)) is None
    with pytest.raises(DatabaseRefused) as refused:
        open_database(demo_path)
    assert main(["--db", str(demo_path)]) == 2
    assert capsys.readouterr().err.strip() == str(refused.value)


def test_a_week_whose_repeating_blocks_are_not_written_takes_the_normal_path(demo_path) -> None:
    later = NOW + timedelta(weeks=20)  # never shown: showing it writes its occurrences
    assert flow.first_look(str(demo_path), frozen_clock(later)) is None
    assert_same(demo_path, later)  # the ORM wrote them: now the first look is sure


def test_blocks_of_a_series_undo_removed_take_the_normal_path(demo_path) -> None:
    conn = sqlite3.connect(demo_path)
    try:
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, '2026-W48')",
            (recurrence.SHOWN_OCCURRENCES + "no-such-series",),
        )
        conn.commit()
    finally:
        conn.close()
    assert flow.first_look(str(demo_path), frozen_clock(NOW)) is None


def test_files_it_is_not_sure_of_take_the_normal_path(demo_path, tmp_path) -> None:
    clock = frozen_clock(NOW)
    assert flow.first_look(str(tmp_path / "missing.db"), clock) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 20)
    assert flow.first_look(str(junk), clock) is None
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(demo_path.read_bytes()[:100] + b"\0" * 4096)
    assert flow.first_look(str(damaged), clock) is None
    assert flow.first_look(f"sqlite:///{demo_path}", clock) is None  # a URL
    assert flow.first_look("postgresql://localhost/ceodesk", clock) is None
    assert flow.first_look(":memory:", clock) is None
    assert flow.first_look(str(tmp_path), clock) is None  # a folder
    demo_path.chmod(0o400)
    try:
        assert flow.first_look(str(demo_path), clock) is None  # read-only: marked so
    finally:
        demo_path.chmod(0o600)
    conn = sqlite3.connect(demo_path)
    try:
        conn.execute("UPDATE person SET is_me = 0")
        conn.commit()
    finally:
        conn.close()
    assert flow.first_look(str(demo_path), clock) is None  # no "me": repaired first


def test_a_setting_that_does_not_parse_takes_the_normal_path(demo_path) -> None:
    conn = sqlite3.connect(demo_path)
    try:
        conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('day_start', 'soon')")
        conn.commit()
    finally:
        conn.close()
    assert flow.first_look(str(demo_path), frozen_clock(NOW)) is None


# -- the import graph ------------------------------------------------------------------------

ORM = ("sqlalchemy", "sqlmodel", "pydantic")


def loaded_in_child(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_the_app_module_loads_no_orm() -> None:
    code = (
        "import sys, ceodesk.ui.app, ceodesk.core.views.first_look; "
        f"print(*[m for m in sys.modules if m.split('.')[0] in {ORM!r}])"
    )
    assert loaded_in_child(code) == []


def test_the_cli_builds_the_app_from_a_first_look_without_the_orm(demo_path) -> None:
    code = f"""
import inspect, sys
from datetime import datetime
from pathlib import Path
from ceodesk.cli import run_tui
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.ui.app import CeodeskApp

class Recorder(CeodeskApp):
    CSS_PATH = str(Path(inspect.getfile(CeodeskApp)).parent / CeodeskApp.CSS_PATH)

    def run(self, *args, **kwargs):  # built, as the CLI builds it: note what is loaded
        print("first-look" if self._first_look is not None else "normal")
        print(*[m for m in sys.modules if m.split('.')[0] in {ORM!r}])

clock = frozen_clock(datetime.fromisoformat({NOW.isoformat()!r}))
run_tui({str(demo_path)!r}, clock, app_class=Recorder)
"""
    assert loaded_in_child(code) == ["first-look"]
