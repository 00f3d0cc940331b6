"""Opening, refusing, backing up and migrating the database file."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

import ceodesk.core.store.db as core_db
from ceodesk.core.domain.goals import save_big_picture, set_core_values
from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.rocks import add_milestone, add_rock
from ceodesk.core.domain.scorecard import add_measurable, record_value, scorecard
from ceodesk.core.domain.settings import add_category, list_categories, seed_defaults
from ceodesk.core.domain.tasks import Quadrant, task_board
from ceodesk.core.kernel.errors import DatabaseRefused
from ceodesk.core.store.db import MIGRATIONS, SCHEMA_VERSION, backup_sqlite, open_database
from ceodesk.core.views.capture import add_task


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _neighbours(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def _task_titles(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM task ORDER BY id")]
    finally:
        conn.close()


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


# ------------------------------------------------------------------ a new database


def test_new_database_file_is_private_to_the_user(db_path, db):
    assert db_path.exists()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_new_database_file_in_a_missing_folder_is_created(tmp_path):
    path = tmp_path / "deep" / "er" / "ceodesk.db"
    open_database(path, seed=seed_defaults).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("foreign_keys", 1), ("journal_mode", "wal"), ("synchronous", 2), ("busy_timeout", 5000)],
)
def test_every_connection_has_the_safety_pragmas(db, pragma, expected):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected


def test_a_second_connection_has_the_pragmas_too(db):
    with db.engine.connect() as first, db.engine.connect() as second:
        assert first.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert second.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_new_database_is_stamped_with_the_current_schema(db_path, db):
    assert _user_version(db_path) == SCHEMA_VERSION


def test_an_empty_file_is_accepted_as_a_new_database(tmp_path, now):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    db = open_database(path, seed=seed_defaults)
    try:
        add_task(db, "First task !i", now)
        board = task_board(db, now)
    finally:
        db.close()
    assert board.open_count == 1
    assert _user_version(path) == SCHEMA_VERSION


def test_reopening_keeps_the_data(db_path, db, now):
    add_task(db, "Keep me !i", now)
    db.close()
    again = open_database(db_path, seed=seed_defaults)
    try:
        assert [t.title for t in task_board(again, now).quadrants[1].tasks] == ["Keep me"]
    finally:
        again.close()


# ---------------------------------------------------------------------- refusals


def _text_file(path: Path) -> None:
    path.write_text("my shopping list\neggs\nmilk\n")


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _other_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('pancakes')")
    conn.commit()
    conn.close()


def _sqlite_header_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))


def _newer_ceodesk(path: Path) -> None:
    open_database(path, seed=seed_defaults).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


REFUSED = {
    "text file": _text_file,
    "random bytes": _random_bytes,
    "another program's SQLite": _other_program,
    "SQLite header then garbage": _sqlite_header_then_garbage,
    "newer ceodesk": _newer_ceodesk,
}


@pytest.mark.parametrize("make", REFUSED.values(), ids=REFUSED.keys())
def test_a_file_that_is_not_ours_is_refused_and_left_byte_for_byte(tmp_path, make):
    path = tmp_path / "data.db"
    make(path)
    before, files_before = _sha256(path), _neighbours(path)
    with pytest.raises(DatabaseRefused) as refused:
        open_database(path, seed=seed_defaults)
    assert str(path) in str(refused.value)
    assert _sha256(path) == before
    assert not path.with_name(path.name + "-journal").exists()
    if make is not _newer_ceodesk:  # see the WAL test below
        assert _neighbours(path) == files_before


@pytest.mark.parametrize(
    "make",
    [_text_file, _random_bytes, _other_program, _sqlite_header_then_garbage],
    ids=["text file", "random bytes", "another program's SQLite", "SQLite header then garbage"],
)
def test_refusal_is_one_sentence_naming_the_path(tmp_path, make, one_sentence):
    path = tmp_path / "data.db"
    make(path)
    with pytest.raises(DatabaseRefused) as refused:
        open_database(path, seed=seed_defaults)
    message = str(refused.value)
    assert message.startswith(str(path))
    assert one_sentence(message), message


def test_newer_schema_refusal_is_one_sentence(tmp_path, one_sentence):
    path = tmp_path / "data.db"
    _newer_ceodesk(path)
    with pytest.raises(DatabaseRefused) as refused:
        open_database(path, seed=seed_defaults)
    message = str(refused.value)
    assert str(path) in message
    assert one_sentence(message), message


def test_newer_schema_refusal_says_to_upgrade(tmp_path):
    path = tmp_path / "data.db"
    _newer_ceodesk(path)
    with pytest.raises(DatabaseRefused, match="newer ceodesk"):
        open_database(path, seed=seed_defaults)
    assert _user_version(path) == SCHEMA_VERSION + 1


def _other_program_in_wal_mode(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "make",
    [_newer_ceodesk, _other_program_in_wal_mode],
    ids=["newer ceodesk", "another program's WAL-mode SQLite"],
)
def test_refusing_a_wal_mode_file_leaves_no_wal_file(tmp_path, make):
    path = tmp_path / "data.db"
    make(path)
    files_before = _neighbours(path)
    with pytest.raises(DatabaseRefused):
        open_database(path, seed=seed_defaults)
    assert _neighbours(path) == files_before


def test_a_folder_is_refused(tmp_path, one_sentence):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(DatabaseRefused) as refused:
        open_database(folder, seed=seed_defaults)
    assert str(folder) in str(refused.value)
    assert one_sentence(str(refused.value))


# ----------------------------------------------------------------------- backups


def test_backup_is_a_readable_copy_with_the_same_rows(db_path, db, now):
    for text in ("Board deck !iu", "Hiring plan !i", "Expenses"):
        add_task(db, text, now)
    # Still open: the latest rows may be in the write-ahead log only.
    copy = backup_sqlite(db_path, "manual")
    assert copy.parent == db_path.parent
    assert copy != db_path
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert _task_titles(copy) == ["Board deck", "Hiring plan", "Expenses"]
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM category").fetchone()[0] == 8
    finally:
        conn.close()


# -------------------------------------------------------------------- migrations


@pytest.fixture
def old_database(db_path, now) -> Path:
    db = open_database(db_path, seed=seed_defaults)
    add_task(db, "Written by version one !i", now)
    db.close()
    assert _user_version(db_path) == SCHEMA_VERSION
    return db_path


# The tests below add a made-up next schema version on top of the real ones.
NEXT = SCHEMA_VERSION + 1


def _add_colour_column(conn) -> None:
    conn.exec_driver_sql("ALTER TABLE task ADD COLUMN colour VARCHAR DEFAULT 'blue'")


def test_migration_backs_up_then_upgrades(monkeypatch, old_database):
    monkeypatch.setattr(core_db, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(core_db, "MIGRATIONS", {**MIGRATIONS, NEXT: _add_colour_column})
    open_database(old_database).close()

    assert _user_version(old_database) == NEXT
    assert "colour" in _columns(old_database, "task")
    assert _task_titles(old_database) == ["Written by version one"]

    backups = [p for p in old_database.parent.iterdir() if p.name.endswith(".bak")]
    assert len(backups) == 1
    backup = backups[0]
    assert backup.name.startswith(old_database.name)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert _user_version(backup) == SCHEMA_VERSION
    assert "colour" not in _columns(backup, "task")
    assert _task_titles(backup) == ["Written by version one"]


def test_migrated_database_opens_again_without_a_second_backup(monkeypatch, old_database):
    monkeypatch.setattr(core_db, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(core_db, "MIGRATIONS", {**MIGRATIONS, NEXT: _add_colour_column})
    open_database(old_database).close()
    open_database(old_database).close()
    assert len([p for p in old_database.parent.iterdir() if p.name.endswith(".bak")]) == 1


def test_failing_migration_step_leaves_version_and_data(monkeypatch, old_database):
    def broken_step(conn) -> None:
        _add_colour_column(conn)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(core_db, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(core_db, "MIGRATIONS", {**MIGRATIONS, NEXT: broken_step})
    with pytest.raises(DatabaseRefused) as refused:
        open_database(old_database)
    assert str(old_database) in str(refused.value)
    assert _user_version(old_database) == SCHEMA_VERSION
    assert "colour" not in _columns(old_database, "task")
    assert _task_titles(old_database) == ["Written by version one"]


def test_migration_runs_every_step_in_order(monkeypatch, old_database):
    ran: list[int] = []

    def step(version: int):
        def run(conn) -> None:
            ran.append(version)
            conn.exec_driver_sql(f"CREATE TABLE added_in_v{version} (x INTEGER)")

        return run

    monkeypatch.setattr(core_db, "SCHEMA_VERSION", NEXT + 1)
    monkeypatch.setattr(
        core_db, "MIGRATIONS", {**MIGRATIONS, NEXT: step(NEXT), NEXT + 1: step(NEXT + 1)}
    )
    open_database(old_database).close()
    assert ran == [NEXT, NEXT + 1]
    assert _user_version(old_database) == NEXT + 1


# What each schema step added, newest first, to turn a new database into an older one.
_ROCK_TABLES = ("goallink", "rockweek", "milestone", "bigpicture", "corevalue", "rock", "goal")
_SCORECARD_TABLES = ("measurablevalue", "measurablegoal", "measurable")
_PLANNER_TABLES = ("timeblock", "blockseries", "idealblock", "focustask")
_UID_TABLES_OF_SCHEMA_9 = ("idealblock", "milestone", "bigpicture", "corevalue", "undostep")


def _drop_rock_column(conn: sqlite3.Connection, table: str) -> None:
    """Rebuild ``table`` without its schema-3 rock_id column, as schema 2 made it."""
    create = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)
    ).fetchone()[0]
    indexes = [
        row[0]
        for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
            (table,),
        )
        if "rock_id" not in row[0]
    ]
    lines = [line for line in create.splitlines() if "rock_id" not in line]
    create = re.sub(r",\s*\)$", "\n)", "\n".join(lines).rstrip())
    columns = ", ".join(f'"{c}"' for c in _columns_of(conn, table) if c != "rock_id")
    conn.execute(create.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_old", 1))
    conn.execute(f"INSERT INTO {table}_old SELECT {columns} FROM {table}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {table}_old RENAME TO {table}")
    for index in indexes:
        conn.execute(index)


def _columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _make_schema(path: Path, version: int) -> None:
    """Turn a database made by this ceodesk into one as schema ``version`` left it."""
    conn = sqlite3.connect(path)
    try:
        if version < 15:
            conn.execute("DROP TABLE tablerevision")
        if version < 14:
            conn.execute("DROP INDEX IF EXISTS ix_todo_done_at")
        if version < 13:
            for index in core_db.FOREIGN_KEY_INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS {index.name}")
        if version < 12:
            conn.execute("DROP TABLE weekreflection")
        if version < 11:
            conn.execute("DROP TABLE revision")
        if version < 10:
            for table in reversed(core_db.MEETING_TABLES):
                conn.execute(f"DROP TABLE {table}")
        if version < 9:
            for table in _UID_TABLES_OF_SCHEMA_9:
                conn.execute(f"DROP INDEX ix_{table}_uid")
                conn.execute(f"ALTER TABLE {table} DROP COLUMN uid")
            conn.execute("ALTER TABLE category DROP COLUMN kind")
        if version < 7:
            conn.execute("ALTER TABLE task DROP COLUMN unsorted")
        if version < 6:
            conn.execute("ALTER TABLE measurable DROP COLUMN combine")
        if version < 5:
            conn.execute("DROP TABLE undostep")
        if version < 4:
            for table in _SCORECARD_TABLES:
                conn.execute(f"DROP TABLE {table}")
        if version < 3:
            for table in ("task", "timeblock"):
                _drop_rock_column(conn, table)
            for table in _ROCK_TABLES:
                conn.execute(f"DROP TABLE {table}")
        if version < 2:
            for table in _PLANNER_TABLES:
                conn.execute(f"DROP TABLE {table}")
        conn.execute(f"PRAGMA user_version={version}")
        conn.commit()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def _made_by_version(db_path: Path, tmp_path: Path, now, version: int, *titles: str) -> Path:
    """``db_path`` as schema ``version`` left it, holding tasks ``titles``; returns a new
    database made by this ceodesk beside it, to compare the upgraded schema with."""
    fresh = tmp_path / "fresh.db"
    open_database(fresh, seed=seed_defaults).close()
    db = open_database(db_path, seed=seed_defaults)
    for title in titles:
        add_task(db, title, now)
    db.close()
    _make_schema(db_path, version)
    return fresh


def _schema(path: Path) -> dict[str, tuple]:
    """Every table's columns (name, type, not null, primary key), foreign keys and indexes."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: (
                sorted(
                    (r[1], r[2], r[3], r[5]) for r in conn.execute(f"PRAGMA table_info({table})")
                ),
                sorted(r[2:] for r in conn.execute(f"PRAGMA foreign_key_list({table})")),
                sorted(r[1:3] for r in conn.execute(f"PRAGMA index_list({table})")),
            )
            for table in tables
        }
    finally:
        conn.close()


def test_a_real_version_one_database_gains_the_week_planner(db_path, tmp_path, now):
    """Schema 2 adds time blocks and the ideal week to a database made by schema 1."""
    fresh = _made_by_version(db_path, tmp_path, now, 1, "Written by version one !i")
    assert "timeblock" not in _schema(db_path)

    open_database(db_path).close()
    assert _user_version(db_path) == SCHEMA_VERSION
    assert _task_titles(db_path) == ["Written by version one"]
    assert _schema(db_path) == _schema(fresh)  # every later step ran too
    conn = sqlite3.connect(db_path)
    try:
        # Monday to Friday, five blocks each: 08-10 deep work ... 15-17 team collaboration.
        assert conn.execute("SELECT count(*) FROM idealblock").fetchone()[0] == 25
        assert conn.execute("SELECT count(*) FROM timeblock").fetchone()[0] == 0
    finally:
        conn.close()
    assert [p for p in db_path.parent.iterdir() if p.name.endswith(".bak")]


def test_a_real_version_two_database_gains_rocks_and_keeps_its_tasks(db_path, tmp_path, now):
    """Schema 3 adds Rocks, goals and the big picture, and a Rock link on tasks and blocks."""
    fresh = _made_by_version(
        db_path, tmp_path, now, 2, "Written by version two !i", "And another one"
    )
    assert "rock_id" not in _columns(db_path, "task")
    assert "rock" not in _schema(db_path)

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _task_titles(db_path) == ["Written by version two", "And another one"]
        assert _schema(db_path) == _schema(fresh)  # as if it had been made by this version
        alex = list_people(db)[0]
        rock = add_rock(
            db, "Hire a VP of Engineering", alex.id, is_company=True, quarter="2026-Q4", now=now
        )
        linked = add_task(db, "Design the interview loop +rock:hire", now)
        assert linked.rock == rock.title
    finally:
        db.close()
    backups = [p for p in db_path.parent.iterdir() if p.name.endswith(".bak")]
    assert len(backups) == 1
    assert _user_version(backups[0]) == 2
    assert _task_titles(backups[0]) == ["Written by version two", "And another one"]


def test_a_real_version_three_database_gains_the_scorecard_and_keeps_its_rocks(
    db_path, tmp_path, now
):
    """Schema 4 adds measurables, their goals by week and their weekly values."""
    fresh = tmp_path / "fresh.db"
    open_database(fresh, seed=seed_defaults).close()
    db = open_database(db_path, seed=seed_defaults)
    alex = list_people(db)[0]
    add_rock(db, "Hire a VP of Engineering", alex.id, is_company=True, quarter="2026-Q4", now=now)
    add_task(db, "Written by version three", now)
    db.close()
    _make_schema(db_path, 3)
    assert "measurable" not in _schema(db_path)

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _task_titles(db_path) == ["Written by version three"]
        assert _schema(db_path) == _schema(fresh)  # as if made by this version
        leads = add_measurable(db, "Leads", alex.id, "number", ">=", 25, from_week="2026-W48")
        assert record_value(db, leads, "2026-W48", "30") == 30
        assert scorecard(db, "2026-W48").rows[0].goal_text == ">= 25"
    finally:
        db.close()
    backups = [p for p in db_path.parent.iterdir() if p.name.endswith(".bak")]
    assert len(backups) == 1
    assert _user_version(backups[0]) == 3
    conn = sqlite3.connect(backups[0])
    try:
        assert conn.execute("SELECT title FROM rock").fetchall() == [("Hire a VP of Engineering",)]
    finally:
        conn.close()


def test_a_real_version_four_database_gains_a_stored_undo_log(db_path, tmp_path, now):
    """Schema 5 stores the undo log, so what is done after the upgrade survives a restart."""
    fresh = _made_by_version(db_path, tmp_path, now, 4, "Written by version four")
    assert "undostep" not in _schema(db_path)

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _schema(db_path) == _schema(fresh)
        assert _task_titles(db_path) == ["Written by version four"]
        add_task(db, "Written after the upgrade", now)
    finally:
        db.close()
    db = open_database(db_path)
    try:
        assert db.undo() == "Added “Written after the upgrade”"
        assert _task_titles(db_path) == ["Written by version four"]
    finally:
        db.close()
    backups = [p for p in db_path.parent.iterdir() if p.name.endswith(".bak")]
    assert [_user_version(b) for b in backups] == [4]


def test_a_real_version_five_database_learns_how_each_measurable_combines(db_path, tmp_path, now):
    """Schema 6 adds how a measurable's weeks combine, defaulting by unit and formula."""
    fresh = tmp_path / "fresh.db"
    open_database(fresh, seed=seed_defaults).close()
    db = open_database(db_path, seed=seed_defaults)
    alex = list_people(db)[0].id
    week = "2026-W48"
    leads = add_measurable(db, "Leads", alex, "number", ">=", 25, from_week=week)
    add_measurable(db, "Won", alex, "number", ">=", 2, from_week=week)
    add_measurable(db, "Response", alex, "duration", "<=", 60, from_week=week)
    add_measurable(db, "Ratio", alex, "number", ">=", 1, formula="won / leads", from_week=week)
    record_value(db, leads, week, "30")
    db.close()
    _make_schema(db_path, 5)
    assert "combine" not in _columns(db_path, "measurable")

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _schema(db_path) == _schema(fresh)
        rules = {r.name: r.combine for r in scorecard(db, week).rows}
        assert rules == {"Leads": "sum", "Won": "sum", "Response": "average", "Ratio": "average"}
        assert scorecard(db, week).rows[0].total == 30
    finally:
        db.close()
    assert len([p for p in db_path.parent.iterdir() if p.name.endswith(".bak")]) == 1


def test_a_real_version_six_database_keeps_its_tasks_sorted(db_path, tmp_path, now):
    """Schema 7 adds the unsorted tray; tasks stored before stay where they were."""
    fresh = _made_by_version(db_path, tmp_path, now, 6, "Filed in Drop by version six")
    assert "unsorted" not in _columns(db_path, "task")

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _schema(db_path) == _schema(fresh)
        board = task_board(db, now)
        assert board.unsorted.tasks == ()
        assert [t.title for t in board.quadrant(Quadrant.DROP).tasks] == [
            "Filed in Drop by version six"
        ]
        # New captures without flags wait in the tray.
        add_task(db, "Captured after the upgrade", now)
        assert [t.title for t in task_board(db, now).unsorted.tasks] == [
            "Captured after the upgrade"
        ]
    finally:
        db.close()


def _uid_problems(path: Path) -> dict[str, str]:
    """Tables whose rows lack a uid or share one, with what is wrong."""
    conn = sqlite3.connect(path)
    try:
        problems = {}
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall():
            if "id" not in _columns_of(conn, table):
                continue
            if "uid" not in _columns_of(conn, table):
                problems[table] = "no uid column"
                continue
            rows, distinct, blank = conn.execute(
                f"SELECT count(*), count(DISTINCT uid), "
                f"sum(uid IS NULL OR length(uid) != 36) FROM {table}"
            ).fetchone()
            if distinct != rows or blank:
                problems[table] = f"{rows} rows, {distinct} distinct uids, {blank} blank"
        return problems
    finally:
        conn.close()


def test_a_real_version_eight_database_gains_uids_and_category_kinds(db_path, tmp_path, now):
    """Schema 9 gives every row with an id a uid of its own, and each category a kind
    from its default name, so renaming it no longer switches its rules off."""
    fresh = tmp_path / "fresh.db"
    open_database(fresh, seed=seed_defaults).close()
    db = open_database(db_path, seed=seed_defaults)
    alex = list_people(db)[0]
    rock = add_rock(
        db, "Hire a VP of Engineering", alex.id, is_company=True, quarter="2026-Q4", now=now
    )
    add_milestone(db, rock.id, "Job description", None)
    add_milestone(db, rock.id, "Shortlist", None)
    set_core_values(db, [("Candour", "Say it early"), ("Craft", "")])
    save_big_picture(
        db, horizon=None, revenue="$40M", profit="", measurables="", picture="Leaders everywhere"
    )
    add_category(db, "customer calls", "#aabbcc")
    task = add_task(db, "Written by version eight", now)
    db.close()
    task_uid = _rows(db_path, "SELECT uid FROM task")
    _make_schema(db_path, 8)
    assert "uid" not in _columns(db_path, "milestone")
    assert "kind" not in _columns(db_path, "category")

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _schema(db_path) == _schema(fresh)
        assert _uid_problems(db_path) == {}
        for table in _UID_TABLES_OF_SCHEMA_9:
            assert _rows(db_path, f"SELECT count(*) FROM {table}")[0][0] > 0, table
        assert _rows(db_path, "SELECT uid FROM task") == task_uid  # uids already there stay
        assert {c.name: c.kind for c in list_categories(db)} == {
            "deep work": "deep_work",
            "meetings": "meetings",
            "admin": "admin",
            "strategic planning": "strategic_planning",
            "team collaboration": "team_collaboration",
            "people": "people",
            "personal": "personal",
            "buffer": "buffer",
            "customer calls": "other",
        }
        # What was done before the upgrade is still undone and redone, row and uid alike.
        assert db.undo() == f"Added “{task.title}”"
        assert db.redo() == f"Added “{task.title}”"
        assert _uid_problems(db_path) == {}
        # New rows get their own uids as well.
        add_milestone(db, rock.id, "Offer", None)
        assert _uid_problems(db_path) == {}
    finally:
        db.close()
    backups = [p for p in db_path.parent.iterdir() if p.name.endswith(".bak")]
    assert [_user_version(b) for b in backups] == [8]


def _rows(path: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_older_schema_upgrades_to_exactly_the_new_one(db_path, tmp_path, version):
    """A file from any older version ends up as if this version had made it, every row
    with a uid of its own."""
    fresh = tmp_path / "fresh.db"
    open_database(fresh, seed=seed_defaults).close()
    open_database(db_path, seed=seed_defaults).close()
    _make_schema(db_path, version)

    open_database(db_path, seed=seed_defaults).close()
    assert _user_version(db_path) == SCHEMA_VERSION
    assert _schema(db_path) == _schema(fresh)
    assert _uid_problems(db_path) == {}


def test_a_real_version_nine_database_gains_the_weekly_meeting(db_path, tmp_path, now):
    """Schema 10 adds issues, to-dos, meetings and their minutes; what was there stays."""
    from ceodesk.core.domain import issues
    from ceodesk.core.views import meeting as flow

    fresh = _made_by_version(db_path, tmp_path, now, 9, "Written by version nine")
    assert "meeting" not in _schema(db_path)

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _schema(db_path) == _schema(fresh)
        assert _task_titles(db_path) == ["Written by version nine"]
        team = flow.default_team(db)
        flow.add_issue_text(db, "Support is at capacity #long", now)
        assert [i.title for i in issues.open_issues(db, team)] == ["Support is at capacity"]
        meeting_id = flow.start_or_resume(db, team, now)
        assert flow.meeting_view(db, meeting_id, now).state.section.title == "Segue"
    finally:
        db.close()


def test_a_version_eight_database_gains_the_change_feed(db_path, tmp_path, now):
    """Schema 11 adds the change feed: actions, undo and redo move it, naming the writer."""
    fresh = _made_by_version(db_path, tmp_path, now, 8, "Written by version eight")
    assert "revision" not in _schema(db_path)

    db = open_database(db_path)
    other = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _schema(db_path) == _schema(fresh)
        assert db.revision == 0
        add_task(db, "After the upgrade", now)
        assert db.revision == 1
        watcher = other.watcher()
        try:
            change = watcher.latest()
            assert change is not None
            assert (change.revision, change.writer) == (1, db.origin)
            other.undo()
            change = watcher.latest()
            assert change is not None
            assert (change.revision, change.writer) == (2, other.origin)
            assert other.revision == 2
        finally:
            watcher.close()
    finally:
        other.close()
        db.close()
    assert _task_titles(db_path) == ["Written by version eight"]


def test_a_version_fourteen_database_gains_the_tables_of_the_change_feed(db_path, tmp_path, now):
    """Schema 15 records which tables each write wrote, for the other windows; what was
    stored stays, and the first write after the upgrade is told table by table."""
    fresh = _made_by_version(db_path, tmp_path, now, 14, "Written by version fourteen")
    assert "tablerevision" not in _schema(db_path)

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _schema(db_path) == _schema(fresh)
        watcher = db.watcher()
        try:
            before = db.revision
            assert watcher.tables_since(before) is None  # nothing recorded yet
            add_task(db, "After the upgrade", now)
            assert watcher.tables_since(before) == {"task"}
        finally:
            watcher.close()
    finally:
        db.close()
    assert _task_titles(db_path) == ["Written by version fourteen", "After the upgrade"]


def test_a_version_eleven_database_gains_the_week_reflection(db_path, tmp_path, now):
    """Schema 12 adds the Friday review's reflection; what was stored stays."""
    from ceodesk.core.domain.reflections import reflection, save_reflection

    fresh = _made_by_version(db_path, tmp_path, now, 11, "Written by version eleven")
    assert "weekreflection" not in _schema(db_path)

    db = open_database(db_path)
    try:
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _schema(db_path) == _schema(fresh)
        save_reflection(db, "2026-W48", wins="Closed Acme", focus="Hiring", now=now)
        stored = reflection(db, "2026-W48")
        assert stored is not None and stored.wins == "Closed Acme"
    finally:
        db.close()
    assert _task_titles(db_path) == ["Written by version eleven"]
