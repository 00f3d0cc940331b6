"""``ceodesk add``: quick capture from the shell, and where it stores the task."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ceodesk.core.domain.settings import seed_defaults
from ceodesk.core.store.db import SCHEMA_VERSION, open_database

pytestmark = pytest.mark.slow

VP_CALL = "Call Dana about the VP offer 2026-12-01 3pm !iu 30m"
VP_LINE = "Q1 Do · Call Dana about the VP offer · due Tue 1 Dec 2026 15:00 · est 30m"


def stored_titles(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM task ORDER BY id")]
    finally:
        conn.close()


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def existing_db(tmp_path):
    path = tmp_path / "work.db"
    open_database(path, seed=seed_defaults).close()
    return path


def test_add_prints_one_line_and_stores_the_task(run_cli, tmp_path):
    path = tmp_path / "work.db"
    result = run_cli("add", VP_CALL, "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == VP_LINE + "\n"
    assert result.stderr == ""
    assert stored_titles(path) == ["Call Dana about the VP offer"]


def test_add_joins_several_words(run_main, tmp_path):
    path = tmp_path / "work.db"
    result = run_main("--db", str(path), "add", "Prep", "board", "deck", "!i", "2h")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Q2 Schedule · Prep board deck · no due date · est 2h")


def test_a_second_add_goes_to_the_same_database(run_main, tmp_path):
    path = tmp_path / "work.db"
    run_main("--db", str(path), "add", "First thing !i")
    run_main("--db", str(path), "add", "Second thing")
    doctor = run_main("--db", str(path), "doctor")
    assert re.search(r"^\s+task\s+2$", doctor.stdout, re.MULTILINE), doctor.stdout


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_option_works_before_or_after_the_command(run_main, tmp_path, where):
    path = tmp_path / f"{where}.db"
    args = ["--db", str(path), "add", "Pricing review !i"]
    if where == "after":
        args = ["add", "Pricing review !i", "--db", str(path)]
    result = run_main(*args)
    assert result.returncode == 0, result.stderr
    assert stored_titles(path) == ["Pricing review"]


def test_ceodesk_db_environment_variable_is_used(run_cli, tmp_path):
    path = tmp_path / "from-env.db"
    result = run_cli("add", "Pricing review !i", env={"CEODESK_DB": str(path)})
    assert result.returncode == 0, result.stderr
    assert stored_titles(path) == ["Pricing review"]


def test_db_option_wins_over_the_environment(run_cli, tmp_path):
    env_path, option_path = tmp_path / "env.db", tmp_path / "option.db"
    result = run_cli(
        "add", "Pricing review", "--db", str(option_path), env={"CEODESK_DB": str(env_path)}
    )
    assert result.returncode == 0, result.stderr
    assert stored_titles(option_path) == ["Pricing review"]
    assert not env_path.exists()


def test_default_database_is_private_in_the_user_data_folder(run_cli, cli_env):
    result = run_cli("add", "Pricing review !i")
    assert result.returncode == 0, result.stderr
    path = f"{cli_env['XDG_DATA_HOME']}/ceodesk/ceodesk.db"
    assert stored_titles(path) == ["Pricing review"]
    assert stat.S_IMODE(Path(path).stat().st_mode) == 0o600


def test_tilde_in_db_means_home(run_main, cli_env):
    result = run_main("--db", "~/notes/ceodesk.db", "add", "Pricing review")
    assert result.returncode == 0, result.stderr
    assert stored_titles(f"{cli_env['HOME']}/notes/ceodesk.db") == ["Pricing review"]


# -------------------------------------------------------------------- user mistakes


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Board meeting feb 30", "30 February"),
        ("Ask @nobody about it", "@nobody"),
        ("Board deck +rock:x", "+rock:x"),
        ("!iu 2h", "title"),
    ],
)
def test_bad_input_is_one_sentence_exit_2_and_stores_nothing(
    run_cli, run_main, existing_db, one_sentence, text, says
):
    run = run_cli if says == "30 February" else run_main  # one through the entry point
    result = run("--db", str(existing_db), "add", text)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert says in result.stderr
    assert stored_titles(existing_db) == []


def _text_file(path):
    path.write_text("groceries: eggs, milk\n")


def _newer_schema(path):
    open_database(path, seed=seed_defaults).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


BAD_FILES = {"text file": _text_file, "newer schema": _newer_schema}


@pytest.mark.parametrize("make", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_database_that_is_not_ours_is_refused_and_untouched(run_cli, tmp_path, make):
    path = tmp_path / "data.db"
    make(path)
    before = sha256(path)
    result = run_cli("--db", str(path), "add", "Pricing review !i")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert str(path) in result.stderr
    assert sha256(path) == before


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_text_file, id="text file"),
        pytest.param(_newer_schema, id="newer schema"),
    ],
)
def test_refusal_message_is_one_sentence(run_cli, tmp_path, make, one_sentence):
    path = tmp_path / "data.db"
    make(path)
    result = run_cli("--db", str(path), "add", "Pricing review !i")
    assert one_sentence(result.stderr), result.stderr


def test_add_without_text_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("--db", str(tmp_path / "x.db"), "add")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


# ---------------------------------------------------------------------- start-up cost


def test_add_does_not_import_textual(tmp_path, cli_env):
    path = tmp_path / "work.db"
    code = (
        "import sys\n"
        "from ceodesk.cli import main\n"
        f"code = main(['--db', {str(path)!r}, 'add', 'Pricing review !i'])\n"
        "assert code == 0, code\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=cli_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Q2 Schedule · Pricing review")


@pytest.mark.parametrize(
    "argv",
    [
        ["add", "Call", "Dana", "fri"],
        ["add", "Call Dana fri !i"],
        ["--db", "work.db", "add", "Call Dana"],
        ["add", "--db", "work.db", "Call Dana"],
        ["--db", "outer.db", "add", "--db", "inner.db", "Call"],
        ["--db", "", "add", ""],
    ],
)
def test_a_plain_add_is_read_as_argparse_reads_it(argv):
    from ceodesk import cli

    assert vars(cli._plain_add(argv)) == vars(cli._parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["add"],
        ["add", "--help"],
        ["add", "-h"],
        ["add", "Call", "--db", "work.db"],
        ["add", "--", "-x is broken"],
        ["add", "--db", "-x", "Call"],
        ["--db=work.db", "add", "Call"],
        ["--demo", "add", "Call"],
        ["--db", "work.db"],
        ["doctor"],
        ["issue", "add", "Churn"],
    ],
)
def test_anything_else_is_left_to_argparse(argv):
    from ceodesk import cli

    assert cli._plain_add(argv) is None


def test_a_plain_add_builds_no_argument_parser(existing_db, cli_env):
    path = existing_db
    code = (
        "import sys\n"
        "preloaded = 'argparse' in sys.modules\n"  # by the clock travel's sitecustomize
        "from ceodesk import cli\n"
        "def refuse():\n"
        "    raise AssertionError('the argument parser was built')\n"
        "cli._parser = refuse\n"
        f"assert cli.main(['--db', {str(path)!r}, 'add', 'First']) == 0\n"
        f"assert cli.main(['add', '--db', {str(path)!r}, 'Second !i']) == 0\n"
        "assert preloaded or 'argparse' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=cli_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert stored_titles(path) == ["First", "Second"]


def test_add_without_flags_says_the_task_waits_in_unsorted(run_main, tmp_path):
    path = tmp_path / "work.db"
    result = run_main("add", "Look into the office lease", "--db", str(path))
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first == "Unsorted · Look into the office lease · no due date"
    assert second.startswith("It waits in Unsorted until you sort it")
    flagged = run_main("add", "Look into the office lease !i", "--db", str(path))
    assert flagged.stdout.startswith("Q2 Schedule · ")
    assert "Unsorted" not in flagged.stdout


def test_add_keeps_date_words_inside_the_title(run_main, tmp_path):
    path = tmp_path / "work.db"
    result = run_main("add", "Read the Sunday Times !i", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Q2 Schedule · Read the Sunday Times · no due date\n"
