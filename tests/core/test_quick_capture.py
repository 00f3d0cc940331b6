"""``ceodesk add``'s fast path (store.quick_capture, plain sqlite3) stores exactly what
the normal path (views.capture.add_task through SQLAlchemy) stores: the same columns,
the same values, the same undo step and change-feed bump, the same sentences."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime, time

import pytest
from bad_files import corrupt_page, corrupt_table_page, read_page, table_leaf_pages
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import SQLModel

from ceodesk.core.demo import write_demo_database
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.errors import DatabaseLocked, InputError
from ceodesk.core.kernel.quickadd import parse_quick_add
from ceodesk.core.store import db as store_db
from ceodesk.core.store import quick_capture as fast
from ceodesk.core.store import undo
from ceodesk.core.store.db import open_database
from ceodesk.core.store.doctor import diagnose
from ceodesk.core.store.models import Revision, TableRevision, Task
from ceodesk.core.views.capture import add_task

TEXTS = [
    "Plain thing",
    "Prep board deck tomorrow 3pm !i 2h #board #Board",
    "Call Dana fri 30m @dana #customers",
    "Renew the lease @sam by 2026-12-02",
    "Ask about churn @jordan !iu in 3 days",
    "Draft the plan +rock:ship",
    "Interview loop +rock:hire-a-vp-of-engineering",  # closed, carried over: its copy
    "Write memo +rock:hire-a-vp !i",  # a start of this quarter's slug
    'Read "next fri" notes at 9am',
]
MISTAKES = [
    "@nobody Call someone",
    "@j Call J",  # Jordan or Jonas
    "@kevin Former employee",
    "+rock:zzz Nothing",
    "+rock:hire Several start so",
    "!i",
    "Two dates fri mon 2h 3h",
]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    from clock_travel import NOW

    path = tmp_path_factory.mktemp("capture") / "demo.db"
    write_demo_database(str(path), NOW, time_zone="Europe/Berlin")
    return path


@pytest.fixture
def pair(demo_file, tmp_path):
    """Two copies of the same demo file: one for each path."""
    normal, quick = tmp_path / "normal.db", tmp_path / "quick.db"
    shutil.copy(demo_file, normal)
    shutil.copy(demo_file, quick)
    return normal, quick


def rows(path, query: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def add_normally(path, text: str, now) -> str:
    db = open_database(path, clock=frozen_clock(now))
    try:
        return add_task(db, text, now).describe()
    finally:
        db.close()


def test_it_writes_the_models_columns_at_the_models_schema() -> None:
    task = SQLModel.metadata.tables["task"]
    assert tuple(c.name for c in task.columns) == fast.TASK_COLUMNS
    # The undo log's row image lists columns in the mapper's order: the same order.
    assert tuple(undo._columns(Task(title="x"))) == fast.TASK_COLUMNS
    steps = [c.name for c in SQLModel.metadata.tables["undostep"].columns]
    assert sorted(fast.UNDO_COLUMNS) == sorted(c for c in steps if c != "id")
    assert [c.name for c in Revision.__table__.columns] == ["id", "value", "writer", "uid"]
    assert [c.name for c in TableRevision.__table__.columns] == ["name", "revision"]
    assert fast.SCHEMA_VERSION == store_db.SCHEMA_VERSION
    assert fast.APPLICATION_ID == store_db.APPLICATION_ID
    assert fast.BUSY_TIMEOUT_MS == store_db.BUSY_TIMEOUT_MS
    assert fast.KEEP_ACTIONS == undo.KEEP_ACTIONS


@pytest.mark.parametrize("text", TEXTS)
def test_a_task_added_fast_reads_back_as_one_added_normally(pair, text, now) -> None:
    normal, quick = pair
    line = add_normally(normal, text, now)
    captured = fast.quick_capture(str(quick), text, frozen_clock(now))
    assert captured is not None
    assert captured.line == line
    # Every stored value, in SQLite's own text: the same bytes but the random uid.
    columns = ", ".join(c for c in fast.TASK_COLUMNS if c != "uid")
    newest = f"SELECT {columns} FROM task ORDER BY id DESC LIMIT 1"
    assert rows(quick, newest) == rows(normal, newest)
    steps = "SELECT label, done_at, state, coalesce_key, redo_order, changes FROM undostep"
    [(*step_n, changes_n)] = rows(normal, steps)
    [(*step_q, changes_q)] = rows(quick, steps)
    assert step_q == step_n
    images_n, images_q = json.loads(changes_n), json.loads(changes_q)
    for images in (images_n, images_q):
        images[0]["after"].pop("uid")
    assert images_q == images_n
    feed = "SELECT value FROM revision"
    assert rows(quick, feed) == rows(normal, feed)
    # Which tables the write wrote, for the open windows: the same, at the same value.
    tables = "SELECT name FROM tablerevision WHERE revision = (SELECT value FROM revision)"
    assert rows(quick, tables) == rows(normal, tables) == [("task",)]
    # The app reads it back the same: the ORM's view of both rows.
    db_n, db_q = open_database(normal), open_database(quick)
    try:
        with db_n.session() as s_n, db_q.session() as s_q:
            task_n = s_n.get(Task, rows(normal, "SELECT max(id) FROM task")[0][0])
            task_q = s_q.get(Task, rows(quick, "SELECT max(id) FROM task")[0][0])
            assert task_n.model_dump(exclude={"uid"}) == task_q.model_dump(exclude={"uid"})
    finally:
        db_n.close()
        db_q.close()


@pytest.mark.parametrize("text", MISTAKES)
def test_a_mistake_is_the_same_sentence_and_stores_nothing(pair, text, now) -> None:
    normal, quick = pair
    with pytest.raises(InputError) as said_normally:
        add_normally(normal, text, now)
    before = rows(quick, "SELECT COUNT(*) FROM task")
    with pytest.raises(InputError) as said_fast:
        fast.quick_capture(str(quick), text, frozen_clock(now))
    assert str(said_fast.value) == str(said_normally.value)
    assert rows(quick, "SELECT COUNT(*) FROM task") == before
    assert rows(quick, "SELECT COUNT(*) FROM undostep") == [(0,)]


def test_u_in_the_app_undoes_a_fast_capture(pair, now) -> None:
    _, quick = pair
    fast.quick_capture(str(quick), "Undo me fri", frozen_clock(now))
    db = open_database(quick, clock=frozen_clock(now))
    try:
        revision = db.revision
        assert db.undo() == "Added “Undo me”"
        assert db.revision == revision + 1
    finally:
        db.close()
    assert rows(quick, "SELECT COUNT(*) FROM task WHERE title = 'Undo me'") == [(0,)]


def test_files_it_is_not_sure_of_take_the_normal_path(pair, tmp_path, now) -> None:
    _, quick = pair
    clock = frozen_clock(now)
    assert fast.quick_capture(str(tmp_path / "new.db"), "x", clock) is None
    assert fast.quick_capture("postgresql://host/db", "x", clock) is None
    assert fast.quick_capture(":memory:", "x", clock) is None
    conn = sqlite3.connect(quick)
    conn.execute("DELETE FROM person WHERE is_me")  # the normal path repairs this first
    conn.commit()
    conn.close()
    assert fast.quick_capture(str(quick), "x", clock) is None
    conn = sqlite3.connect(quick)
    conn.execute(f"PRAGMA user_version={store_db.SCHEMA_VERSION - 1}")  # to migrate
    conn.close()
    assert fast.quick_capture(str(quick), "x", clock) is None
    quick.chmod(0o444)  # read-only: the normal path's sentence
    try:
        assert fast.quick_capture(str(quick), "x", clock) is None
    finally:
        quick.chmod(0o600)
    assert rows(quick, "SELECT COUNT(*) FROM undostep") == [(0,)]


def test_ceodesk_add_loads_neither_sqlalchemy_nor_sqlmodel(pair) -> None:
    _, quick = pair
    code = (
        "import sys; from ceodesk.cli import main; "
        f"code = main(['add', '--db', {str(quick)!r}, 'Quick one !i']); "
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')]; "
        "print(code, loaded)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"
    assert "Q2 Schedule · Quick one" in done.stdout


def test_its_uids_are_random_uuids_as_the_uuid_module_writes_them() -> None:
    import uuid

    made = {fast._uuid4() for _ in range(200)}
    assert len(made) == 200
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


# ------------------------------------------- damage: what the add's own checks find


def refused_untouched(path, now) -> None:
    """The fast path says "not me" and leaves the file exactly as it was."""
    before = path.read_bytes()
    assert fast.quick_capture(str(path), "Not into damage !i", frozen_clock(now)) is None
    assert path.read_bytes() == before


def test_damage_anywhere_in_a_table_it_writes_is_refused(pair, now) -> None:
    _, quick = pair
    first, *_rest = table_leaf_pages(quick, "task")  # a page the insert itself never loads
    corrupt_page(quick, first)
    refused_untouched(quick, now)


@pytest.mark.parametrize("table", ["goal", "meeting", "ix_measurablevalue_week"])
def test_a_damaged_root_of_any_other_table_or_index_is_refused(pair, now, table) -> None:
    _, quick = pair
    corrupt_table_page(quick, table)
    refused_untouched(quick, now)


def test_a_truncated_file_is_refused(pair, now) -> None:
    _, quick = pair
    with quick.open("r+b") as handle:
        handle.truncate(quick.stat().st_size - 4096)  # only the last page is gone
    refused_untouched(quick, now)


def free_some_pages(path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("CREATE TABLE scratch (data BLOB)")
        conn.execute("INSERT INTO scratch VALUES (zeroblob(20000))")
        conn.execute("DROP TABLE scratch")
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] > 0
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def test_with_free_pages_the_whole_file_is_checked(pair, now) -> None:
    # A free page could be handed to the new rows, and only the whole-file check knows
    # it is not also part of another table: damage deep in any table is then refused.
    _, quick = pair
    free_some_pages(quick)
    corrupt_page(quick, table_leaf_pages(quick, "meeting")[-1])
    refused_untouched(quick, now)


def test_with_free_pages_a_sound_file_is_still_written(pair, now) -> None:
    _, quick = pair
    free_some_pages(quick)
    assert fast.quick_capture(str(quick), "Still fast !i", frozen_clock(now)) is not None
    assert rows(quick, "SELECT COUNT(*) FROM task WHERE title = 'Still fast'") == [(1,)]


def test_damage_deep_in_a_table_it_never_reads_is_left_as_it_was(pair, now) -> None:
    # The limit the module's note names: below the first leaf of a table the add
    # neither reads nor writes, damage is not looked for. The add writes none of those
    # pages, so the damage stays exactly as it was and the whole-file check (doctor,
    # every other command that writes) still finds it.
    _, quick = pair
    last = table_leaf_pages(quick, "meeting")[-1]
    corrupt_page(quick, last)
    damaged = read_page(quick, last)
    assert fast.quick_capture(str(quick), "Written anyway !i", frozen_clock(now)) is not None
    assert read_page(quick, last) == damaged
    assert not diagnose(str(quick)).healthy
    assert rows(quick, "SELECT COUNT(*) FROM task WHERE title = 'Written anyway'") == [(1,)]


def test_a_lock_held_past_the_busy_timeout_is_the_stores_sentence(pair, now, monkeypatch):
    # Said at once, not handed to the normal path to wait as long again.
    _, quick = pair
    monkeypatch.setattr(fast, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(quick, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseLocked) as caught:
            fast.quick_capture(str(quick), "Blocked !i", frozen_clock(now))
    finally:
        other.close()
    busy = sqlite3.OperationalError("database is locked")
    expected = store_db.storage_error(busy, store_db.resolve_location(quick))
    assert str(caught.value) == str(expected)
    assert rows(quick, "SELECT COUNT(*) FROM task WHERE title = 'Blocked'") == [(0,)]


def test_a_fifo_is_not_opened(tmp_path, now) -> None:
    import os

    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    assert fast.quick_capture(str(pipe), "x", frozen_clock(now)) is None  # never blocks


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 1)))
def test_weekday_and_end_of_month_words_agree_with_dateutil(today) -> None:
    # The grammar reads them without dateutil (it cost every `ceodesk add` start-up).
    from dateutil.relativedelta import relativedelta, weekdays

    now = datetime.combine(today, time(12))
    for index, word in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun")):
        expected = today + relativedelta(days=+1, weekday=weekdays[index](+1))
        assert parse_quick_add(f"x {word}", now).due_date == expected
    assert parse_quick_add("x eom", now).due_date == today + relativedelta(day=31)
