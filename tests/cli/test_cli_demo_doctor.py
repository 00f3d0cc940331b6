"""``ceodesk demo``, ``ceodesk doctor``, ``--version`` and ``--help``."""

from __future__ import annotations

import hashlib
import re

import pytest

from ceodesk import __version__
from ceodesk.core.domain.settings import seed_defaults
from ceodesk.core.store.db import SCHEMA_VERSION, open_database, sqlite_version

pytestmark = pytest.mark.slow


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -------------------------------------------------------------------------- demo


def test_demo_writes_a_company_and_prints_a_summary(run_cli, tmp_path):
    path = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"Wrote the demo company Northwind Analytics into {path}: 25 people, 42 tasks.\n"
    )
    doctor = run_cli("--db", str(path), "doctor")
    assert re.search(r"^\s+person\s+26$", doctor.stdout, re.MULTILINE), doctor.stdout
    assert re.search(r"^\s+task\s+42$", doctor.stdout, re.MULTILINE), doctor.stdout


def test_demo_without_db_is_refused(run_cli, cli_env, one_sentence):
    result = run_cli("demo")
    assert result.returncode == 2
    assert "--db" in result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_demo_never_writes_into_the_database_named_by_the_environment(run_cli, tmp_path):
    mine = tmp_path / "mine.db"
    result = run_cli("demo", env={"CEODESK_DB": str(mine)})
    assert result.returncode == 2
    assert not mine.exists()


def test_demo_refuses_an_existing_file_and_leaves_it(run_cli, tmp_path, one_sentence):
    path = tmp_path / "mine.db"
    open_database(path, seed=seed_defaults).close()
    before = sha256(path)
    result = run_cli("--db", str(path), "demo")
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert sha256(path) == before


def test_demo_into_a_missing_folder_is_refused(run_cli, tmp_path):
    result = run_cli("demo", "--db", str(tmp_path / "nope" / "demo.db"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()


# ------------------------------------------------------------------------ doctor


def test_doctor_reports_path_schema_sqlite_integrity_and_rows(run_cli, tmp_path):
    path = tmp_path / "work.db"
    run_cli("--db", str(path), "add", "Pricing review !i")
    result = run_cli("doctor", "--db", str(path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"database     {path}\n" in out
    assert f"schema       {SCHEMA_VERSION} " in out
    assert f"sqlite       {sqlite_version()}\n" in out
    assert "integrity    ok\n" in out
    assert re.search(r"^size\s+[\d,]+ bytes", out, re.MULTILINE)
    rows = dict(re.findall(r"^  (\w+)\s+([\d,]+)$", out, re.MULTILINE))
    assert rows["task"] == "1"
    assert rows["category"] == "8"
    assert rows["person"] == "1"
    assert rows["team"] == "1"


def test_doctor_on_a_missing_file_does_not_create_it(run_cli, tmp_path, one_sentence):
    path = tmp_path / "missing.db"
    result = run_cli("doctor", "--db", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert not path.exists()


def test_doctor_on_the_default_location_before_first_use(run_cli, cli_env):
    result = run_cli("doctor")
    assert result.returncode == 2
    assert f"{cli_env['XDG_DATA_HOME']}/ceodesk/ceodesk.db" in result.stderr


def test_doctor_refuses_a_text_file_and_leaves_it(run_cli, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database\n")
    before = sha256(path)
    result = run_cli("doctor", "--db", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert sha256(path) == before


# ------------------------------------------------------------------ version, help


def test_version(run_cli):
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"ceodesk {__version__}"


def test_help_lists_the_commands(run_cli):
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("add", "demo", "doctor", "--db", "--demo"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["add", "demo", "doctor"])
def test_each_command_has_help(run_cli, command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "--db" in result.stdout


def test_unknown_command_is_a_usage_error(run_cli):
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
