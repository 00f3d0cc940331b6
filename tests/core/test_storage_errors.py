"""The store names what went wrong with the file: locked, read-only, damaged, incomplete."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from bad_files import corrupt_table_page

from ceodesk.core.domain.settings import ENSURE_ME, load_settings, seed_defaults
from ceodesk.core.domain.tasks import task_board
from ceodesk.core.kernel.errors import (
    CeodeskError,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseRefused,
)
from ceodesk.core.store import db as core_db
from ceodesk.core.store.db import MIGRATIONS, SCHEMA_VERSION, open_database
from ceodesk.core.store.doctor import diagnose
from ceodesk.core.views.capture import add_task


@pytest.fixture
def seeded(db_path: Path) -> Path:
    open_database(db_path, seed=seed_defaults).close()
    return db_path


def _titles(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM task ORDER BY id")]
    finally:
        conn.close()


def _backups(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.endswith(".bak")]


# ---------------------------------------------------------------------------- locks


def test_a_foreign_write_lock_is_a_sentence_and_nothing_is_written(seeded, now, one_sentence):
    db = open_database(seeded, busy_timeout_ms=50)
    other = sqlite3.connect(seeded, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseLocked) as caught:
            add_task(db, "Hello", now)
        assert one_sentence(str(caught.value)) and "locked" in str(caught.value)
        assert "Background" not in str(caught.value)
        other.execute("ROLLBACK")
        add_task(db, "Hello again", now)  # once the lock is gone, writing works
    finally:
        other.close()
        db.close()
    assert _titles(seeded) == ["Hello again"]


def test_a_file_being_written_by_another_program_still_opens(seeded):
    other = sqlite3.connect(seeded, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        db = open_database(seeded, seed=seed_defaults, repair=ENSURE_ME, busy_timeout_ms=50)
        assert load_settings(db).my_name
        db.close()
    finally:
        other.close()


# ------------------------------------------------------------------------ read-only


def test_a_file_without_write_permission_opens_read_only(seeded, now, one_sentence):
    seeded.chmod(0o400)
    before = seeded.read_bytes()
    db = open_database(seeded, seed=seed_defaults, repair=ENSURE_ME)
    try:
        assert db.read_only
        assert load_settings(db).my_name  # reading works
        with pytest.raises(DatabaseReadOnly) as caught:
            add_task(db, "Hello", now)
        assert one_sentence(str(caught.value)) and "read-only" in str(caught.value)
        with pytest.raises(CeodeskError):
            db.undo()
    finally:
        db.close()
    assert seeded.read_bytes() == before
    assert stat.S_IMODE(seeded.stat().st_mode) == 0o400


def test_sqlite_itself_refuses_writes_to_a_read_only_database(seeded, now, one_sentence):
    db = open_database(seeded, read_only=True)
    try:
        db.read_only = False  # get past ceodesk's own check: SQLite's mode=ro still holds
        with pytest.raises(DatabaseReadOnly) as caught:
            add_task(db, "Hello", now)
        assert one_sentence(str(caught.value))
    finally:
        db.close()
    assert _titles(seeded) == []


NEXT = SCHEMA_VERSION + 1


def _add_colour_column(conn) -> None:
    conn.exec_driver_sql("ALTER TABLE task ADD COLUMN colour VARCHAR DEFAULT 'blue'")


def test_a_read_only_old_schema_is_refused_before_any_backup(monkeypatch, seeded, one_sentence):
    monkeypatch.setattr(core_db, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(core_db, "MIGRATIONS", {**MIGRATIONS, NEXT: _add_colour_column})
    seeded.chmod(0o400)
    for _attempt in range(2):
        with pytest.raises(DatabaseReadOnly) as caught:
            open_database(seeded)
        assert one_sentence(str(caught.value))
    assert _backups(seeded) == []


def test_an_old_schema_in_a_read_only_folder_gains_no_backup(monkeypatch, seeded):
    monkeypatch.setattr(core_db, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(core_db, "MIGRATIONS", {**MIGRATIONS, NEXT: _add_colour_column})
    seeded.parent.chmod(0o500)
    try:
        with pytest.raises(DatabaseReadOnly):
            open_database(seeded)
    finally:
        seeded.parent.chmod(0o700)
    assert _backups(seeded) == []


# -------------------------------------------------------------------------- damaged


def test_reading_a_damaged_page_is_a_sentence(seeded, now, one_sentence):
    db = open_database(seeded)
    add_task(db, "Hello", now)
    db.close()
    corrupt_table_page(seeded, "task")
    db = open_database(seeded)
    try:
        with pytest.raises(DatabaseCorrupt) as caught:
            task_board(db, now)
        assert one_sentence(str(caught.value)) and "damaged" in str(caught.value)
    finally:
        db.close()


def test_a_damaged_file_is_refused_for_writing_when_checked(seeded, one_sentence):
    corrupt_table_page(seeded, "goal")
    before = seeded.read_bytes()
    with pytest.raises(DatabaseCorrupt) as caught:
        open_database(seeded, check_integrity=True)
    assert one_sentence(str(caught.value))
    assert seeded.read_bytes() == before


# ------------------------------------------------------------------------ no "me"


def test_a_database_without_me_gets_one_back(db_path, now):
    open_database(db_path).close()  # a schema, no seed: nobody is "me"
    db = open_database(db_path, seed=seed_defaults, repair=ENSURE_ME)
    try:
        assert load_settings(db).my_name
        add_task(db, "Hello", now)
    finally:
        db.close()
    assert _titles(db_path) == ["Hello"]


def test_a_read_only_database_without_me_says_so(db_path, one_sentence):
    open_database(db_path).close()
    db_path.chmod(0o400)
    with pytest.raises(DatabaseReadOnly) as caught:
        open_database(db_path, repair=ENSURE_ME)
    assert one_sentence(str(caught.value)) and "marked as you" in str(caught.value)


# ---------------------------------------------------------------- odd paths and files


@pytest.mark.parametrize("target", ["", "   ", "foo://bar", "~nouser-ceodesk/x.db"])
def test_bad_locations_are_refused(target, one_sentence):
    with pytest.raises(DatabaseRefused) as caught:
        open_database(target)
    assert one_sentence(str(caught.value))


def test_a_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "pipe.db"
    import os

    os.mkfifo(fifo)
    with pytest.raises(DatabaseRefused, match="not a regular file"):
        open_database(fifo)
    with pytest.raises(DatabaseRefused, match="not a regular file"):
        diagnose(str(fifo))


def test_missing_folders_are_created_private(tmp_path):
    path = tmp_path / "a" / "b" / "x.db"
    open_database(path).close()
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# --------------------------------------------------------------------------- doctor


def test_doctor_never_migrates_an_old_schema(monkeypatch, seeded):
    monkeypatch.setattr(core_db, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(core_db, "MIGRATIONS", {**MIGRATIONS, NEXT: _add_colour_column})
    report = diagnose(str(seeded))
    assert report.schema_version == SCHEMA_VERSION
    assert report.healthy
    assert _backups(seeded) == []
    conn = sqlite3.connect(seeded)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        conn.close()


def test_doctor_on_an_empty_file_creates_no_schema(db_path):
    db_path.touch()
    report = diagnose(str(db_path))
    assert report.schema_version == 0 and report.healthy
    assert db_path.stat().st_size == 0
