"""``ceodesk minutes`` carries each meeting's decisions (the decisions log's entries)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from ceodesk import cli
from ceodesk.core.kernel.dates import format_day

pytestmark = pytest.mark.slow


def test_every_meetings_minutes_print_its_decisions_and_review_dates(run_cli, demo_db, capsys):
    path = demo_db  # as `ceodesk demo --db PATH` writes it (tests/cli/conftest.py)
    conn = sqlite3.connect(path)
    try:
        decided = conn.execute(
            "SELECT meeting_id, text, review_on FROM decision WHERE meeting_id IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    assert len(decided) == 8 and any(review for _, _, review in decided)
    for number, (meeting_id, text, review_on) in enumerate(decided):
        args = ("minutes", "--meeting", str(meeting_id), "--db", str(path))
        if number == 0:  # the command as a user runs it; the others in this process
            result = run_cli(*args)
            code, out, err = result.returncode, result.stdout, result.stderr
        else:
            code = cli.main(list(args))
            out, err = capsys.readouterr()
        assert code == 0, err
        assert f"Decision: {text}" in out
        if review_on:
            day = format_day(date.fromisoformat(review_on))
            assert f"Review on {day}." in out
