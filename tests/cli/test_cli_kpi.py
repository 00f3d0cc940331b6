"""``ceodesk kpi set``: recording a scorecard value from the shell."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from ceodesk.core.kernel.dates import shift_week, week_key

pytestmark = pytest.mark.slow


def all_values(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT m.name, v.week, v.value FROM measurablevalue v"
            " JOIN measurable m ON m.id = v.measurable_id ORDER BY 1, 2"
        ).fetchall()
    finally:
        conn.close()


def value_of(path, name: str, week: str) -> float | None:
    found = [v for n, w, v in all_values(path) if (n, w) == (name, week)]
    return found[0] if found else None


def time_zone(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT value FROM setting WHERE key = 'time_zone'").fetchone()[0]
    finally:
        conn.close()


def this_week(path) -> str:
    """The week the demo was written in (its history ends the week before)."""
    return week_key(datetime.now(UTC).astimezone(ZoneInfo(time_zone(path))).date())


@pytest.fixture
def last_week(demo_db) -> str:
    """A week of the demo's recent history, where the Leads goal is already 40."""
    return shift_week(this_week(demo_db), -1)


def test_set_prints_one_line_and_stores_the_value(run_cli, demo_db, last_week):
    result = run_cli("--db", str(demo_db), "kpi", "set", "Leads", "42", "--week", last_week)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Leads · {last_week} · 42 (goal >= 40: on target)\n"
    assert result.stderr == ""
    assert value_of(demo_db, "Leads", last_week) == 42


def test_a_second_set_replaces_the_value(run_main, demo_db, last_week):
    run_main("--db", str(demo_db), "kpi", "set", "Leads", "42", "--week", last_week)
    result = run_main(
        "--db", str(demo_db), "kpi", "set", "leads", "31", "--week", last_week.lower()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Leads · {last_week} · 31 (goal >= 40: off target)\n"
    assert value_of(demo_db, "Leads", last_week) == 31


def test_12k_is_twelve_thousand_and_a_unique_start_is_enough(run_main, demo_db):
    result = run_main("--db", str(demo_db), "kpi", "set", "revenue", "12k", "--week", "2026-W40")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Revenue invoiced · 2026-W40 · $12k (goal >= $250k: off target)\n"
    assert value_of(demo_db, "Revenue invoiced", "2026-W40") == 12_000


def test_tolerance_grades_and_durations(run_main, demo_db):
    result = run_main(
        "--db", str(demo_db), "kpi", "set", "first response time", "2h10", "--week", "2026-W47"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "First response time · 2026-W47 · 2h10 (goal <= 2h: slightly behind)\n"
    assert value_of(demo_db, "First response time", "2026-W47") == 130


def test_the_default_week_is_this_week_in_the_users_time_zone(run_main, demo_db):
    result = run_main("--db", str(demo_db), "kpi", "set", "Won", "5")
    assert result.returncode == 0, result.stderr
    week = this_week(demo_db)
    assert result.stdout == f"Won · {week} · 5 (goal >= 3: on target)\n"
    assert value_of(demo_db, "Won", week) == 5


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_option_works_before_or_after_the_command(run_main, demo_db, where):
    args = ["kpi", "set", "NPS", "44", "--week", "2026-W30"]
    args = ["--db", str(demo_db), *args] if where == "before" else [*args, "--db", str(demo_db)]
    result = run_main(*args)
    assert result.returncode == 0, result.stderr
    assert value_of(demo_db, "NPS", "2026-W30") == 44


# -------------------------------------------------------------------- user mistakes


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("nope", "3"), "no measurable called “nope”"),
        (("n", "3"), "Net burn or NPS"),
        (("Leads", "abc"), "“abc” is not a number"),
        (("Leads", "42", "--week", "2026-W60"), "no week 60"),
        (("Leads", "42", "--week", "last week"), "not a week"),
        (("Conversion", "8%"), "computed from Won and Leads"),
        (("Release", "maybe"), "not yes or no"),
    ],
    ids=["unknown", "ambiguous", "bad value", "bad week", "not a week", "formula", "yes/no"],
)
def test_bad_input_is_one_sentence_exit_2_and_stores_nothing(
    run_cli, run_main, demo_db, one_sentence, args, says
):
    before = all_values(demo_db)
    run = run_cli if args == ("nope", "3") else run_main  # one through the entry point
    result = run("--db", str(demo_db), "kpi", "set", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert says in result.stderr
    assert all_values(demo_db) == before


def test_kpi_without_action_shows_usage(run_cli, demo_db):
    result = run_cli("--db", str(demo_db), "kpi")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("usage: ceodesk kpi")
    assert "Traceback" not in result.stderr


def test_kpi_set_without_value_shows_usage(run_cli, demo_db):
    before = all_values(demo_db)
    result = run_cli("--db", str(demo_db), "kpi", "set", "Leads")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: ceodesk kpi set")
    assert all_values(demo_db) == before


def test_kpi_set_does_not_import_textual(demo_db, cli_env):
    code = (
        "import sys\n"
        "from ceodesk.cli import main\n"
        f"code = main(['--db', {str(demo_db)!r}, 'kpi', 'set', 'Won', '4'])\n"
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
    assert result.stdout.startswith("Won · ")
