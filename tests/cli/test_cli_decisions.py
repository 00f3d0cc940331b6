"""``ceodesk minutes`` carries each meeting's decisions (the decisions log's entries)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from ceodesk.core.kernel.dates import format_day

pytestmark = pytest.mark.slow


def test_every_meetings_minutes_print_its_decisions_and_review_dates(run_cli, tmp_path):
    path = tmp_path / "demo.db"
    assert run_cli("demo", "--db", str(path)).returncode == 0
    conn = sqlite3.connect(path)
    try:
        decided = conn.execute(
            "SELECT meeting_id, text, review_on FROM decision WHERE meeting_id IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    assert len(decided) == 8 and any(review for _, _, review in decided)
    for meeting_id, text, review_on in decided:
        result = run_cli("minutes", "--meeting", str(meeting_id), "--db", str(path))
        assert result.returncode == 0, result.stderr
        assert f"Decision: {text}" in result.stdout
        if review_on:
            day = format_day(date.fromisoformat(review_on))
            assert f"Review on {day}." in result.stdout
