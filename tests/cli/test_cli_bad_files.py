"""Bad database files and bad arguments: one sentence on stderr, never a traceback.

Exit 2 for what the user can fix (a path, a URL, a read-only or damaged file, a lock),
and nothing stored is changed.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from bad_files import corrupt_table_page

from ceodesk.core.domain.settings import seed_defaults
from ceodesk.core.store.db import open_database

pytestmark = pytest.mark.slow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(result, one_sentence, code: int = 2) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "Background on this error" not in result.stderr
    assert "sqlalchemy." not in result.stderr.lower()
    assert one_sentence(result.stderr), result.stderr
    return result.stderr


@pytest.fixture
def work_db(tmp_path) -> Path:
    path = tmp_path / "work.db"
    open_database(path, seed=seed_defaults).close()
    return path


# ----------------------------------------------------------------- doctor only reads


def test_doctor_on_an_empty_file_reports_it_and_writes_nothing(run_cli, tmp_path):
    path = tmp_path / "x.db"
    path.touch()
    path.chmod(0o644)
    result = run_cli("--db", str(path), "doctor")
    assert result.returncode == 0, result.stderr
    assert "empty file" in result.stdout
    assert path.stat().st_size == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # doctor never chmods
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("x.db")) == ["x.db"]
    # ... and the file then opens as a new database, with "me".
    added = run_cli("--db", str(path), "add", "Hello")
    assert added.returncode == 0, added.stderr


def test_doctor_works_on_a_read_only_file_and_leaves_it(run_cli, work_db):
    work_db.chmod(0o400)
    before = sha256(work_db)
    result = run_cli("--db", str(work_db), "doctor")
    assert result.returncode == 0, result.stderr
    assert "integrity    ok" in result.stdout
    assert sha256(work_db) == before
    assert stat.S_IMODE(work_db.stat().st_mode) == 0o400
    assert sorted(p.name for p in work_db.parent.iterdir()) == ["home", "work.db"]


def test_doctor_on_a_damaged_file_says_so_without_a_traceback(run_cli, work_db):
    corrupt_table_page(work_db, "task")
    before = sha256(work_db)
    result = run_cli("--db", str(work_db), "doctor")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "integrity    " in result.stdout and "integrity    ok" not in result.stdout
    assert sha256(work_db) == before


def test_doctor_on_a_truncated_file_says_so(run_cli, work_db):
    with work_db.open("r+b") as handle:
        handle.truncate(work_db.stat().st_size // 2)
    result = run_cli("--db", str(work_db), "doctor")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "damaged" in result.stdout


# ------------------------------------------------------------- a database without me


def test_a_schema_without_me_is_repaired_on_open(run_cli, tmp_path):
    path = tmp_path / "x.db"
    open_database(path).close()  # what doctor used to leave: a schema, nobody in it
    result = run_cli("--db", str(path), "add", "Hello")
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM person WHERE is_me").fetchone() == (1,)
    finally:
        conn.close()


# --------------------------------------------------------------- read-only, damaged


def test_add_on_a_read_only_file_is_one_sentence(run_cli, work_db, one_sentence):
    work_db.chmod(0o400)
    before = sha256(work_db)
    err = refused(run_cli("--db", str(work_db), "add", "Hello"), one_sentence)
    assert "read-only" in err
    assert sha256(work_db) == before


def test_add_in_a_read_only_folder_is_one_sentence(run_cli, work_db, one_sentence):
    work_db.parent.chmod(0o500)
    try:
        err = refused(run_cli("--db", str(work_db), "add", "Hello"), one_sentence)
    finally:
        work_db.parent.chmod(0o700)
    assert "read-only" in err


def test_add_refuses_a_file_whose_integrity_check_fails(run_cli, work_db, one_sentence):
    corrupt_table_page(work_db, "goal")  # not a table add touches
    before = sha256(work_db)
    err = refused(run_cli("--db", str(work_db), "add", "Hello"), one_sentence)
    assert "damaged" in err or "integrity" in err
    assert sha256(work_db) == before


def test_add_on_a_truncated_file_is_one_sentence(run_cli, work_db, one_sentence):
    with work_db.open("r+b") as handle:
        handle.truncate(work_db.stat().st_size // 2)
    refused(run_cli("--db", str(work_db), "add", "Hello"), one_sentence)


def test_add_while_another_program_holds_the_lock(run_cli, work_db, one_sentence):
    other = sqlite3.connect(work_db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        err = refused(run_cli("--db", str(work_db), "add", "Hello"), one_sentence)
    finally:
        other.close()
    assert "locked" in err
    assert run_cli("--db", str(work_db), "add", "Hello").returncode == 0


# ------------------------------------------------------------------- odd paths, URLs


@pytest.mark.parametrize(
    "target", ["foo://bar", "http://x", "postgresql://h/d", "~nouser-ceodesk/x.db", ""]
)
def test_a_bad_db_argument_is_one_sentence(run_cli, run_main, target, one_sentence):
    run = run_cli if target == "foo://bar" else run_main  # one through the entry point
    refused(run("--db", target, "add", "Hello"), one_sentence)


def test_an_empty_db_argument_never_uses_the_default_database(run_cli, cli_env):
    result = run_cli("--db", "", "add", "Hello")
    assert result.returncode == 2
    assert not (Path(cli_env["XDG_DATA_HOME"]) / "ceodesk").exists()


@pytest.mark.parametrize("command", [["doctor"], ["add", "Hello"], []])
def test_a_fifo_is_refused_at_once(run_cli, run_main, tmp_path, command, one_sentence):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    run = run_cli if command == [] else run_main  # the app's start through the entry point
    err = refused(run("--db", str(fifo), *command), one_sentence)
    assert "not a regular file" in err


def test_text_that_is_not_utf8_is_one_sentence(cli_env, work_db, tmp_path, one_sentence):
    result = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"ceodesk",
            b"--db",
            bytes(work_db),
            b"add",
            b"Invoice \xff",
        ],
        env=cli_env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    refused(result, one_sentence)


# ---------------------------------------------------------------------- data folder


def test_the_data_folder_is_private_even_under_umask_000(cli_env, tmp_path):
    result = subprocess.run(
        ["sh", "-c", 'umask 000; exec "$0" -m ceodesk add Hello', sys.executable],
        env=cli_env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    folder = Path(cli_env["XDG_DATA_HOME"]) / "ceodesk"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "ceodesk.db").stat().st_mode) == 0o600
