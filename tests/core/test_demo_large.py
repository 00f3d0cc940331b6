"""The demo company with years of history (``ceodesk demo --scale large``), built small."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from ceodesk.cli import main
from ceodesk.core.demo import write_demo_database
from ceodesk.core.demo.large import LARGE, HistorySize
from ceodesk.core.domain.scorecard import scorecard
from ceodesk.core.domain.tasks import task_board
from ceodesk.core.kernel.dates import shift_week, week_key
from ceodesk.core.store.db import open_database
from ceodesk.core.views.meeting import minutes_markdown

# The same code as the large demo, at about a fifth of its size.
SMALL = HistorySize(
    tasks=1_500,
    blocks=2_000,
    measurables=30,
    weeks=52,
    meetings=52,
    issues=400,
    todos=900,
    rocks=60,
)


def counts(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def history_path(tmp_path_factory):
    from clock_travel import NOW

    path = tmp_path_factory.mktemp("large") / "history.db"
    write_demo_database(str(path), NOW, time_zone="UTC", history=SMALL)
    return path


def test_the_history_has_the_asked_totals(history_path):
    found = counts(history_path)
    assert found["task"] == SMALL.tasks
    assert found["timeblock"] == SMALL.blocks
    assert found["measurable"] == SMALL.measurables
    assert found["meeting"] == SMALL.meetings
    assert found["issue"] == SMALL.issues
    assert found["todo"] == SMALL.todos
    assert found["rock"] == SMALL.rocks


def test_every_typed_measurable_has_a_value_each_week(history_path):
    conn = sqlite3.connect(history_path)
    try:
        typed = conn.execute("SELECT COUNT(*) FROM measurable WHERE formula IS NULL").fetchone()[0]
        per_week = conn.execute(
            "SELECT COUNT(DISTINCT week), COUNT(*) FROM measurablevalue"
        ).fetchone()
        # Every history Rock has a status for each week of its quarter.
        bare = conn.execute(
            "SELECT COUNT(*) FROM rock WHERE id NOT IN (SELECT rock_id FROM rockweek)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert per_week == (SMALL.weeks, typed * SMALL.weeks)
    assert bare == 0


def test_the_screens_data_reads_on_the_history(history_path, now):
    db = open_database(history_path)
    try:
        board = task_board(db, now)
        # Years of done tasks stay off the board; the few still open are on it.
        shown = sum(len(q.tasks) for q in board.quadrants) + len(board.unsorted.tasks)
        assert 42 < shown < 200
        card = scorecard(db, shift_week(week_key(now.date()), -1))
        assert len(card.rows) == SMALL.measurables
        first = json.loads(
            sqlite3.connect(history_path)
            .execute("SELECT minutes_json FROM meeting ORDER BY day LIMIT 1")
            .fetchone()[0]
        )
        assert first["issues_solved"], "the oldest meeting solved issues"
        assert first["issues_solved"][0]["title"] in minutes_markdown(db, first["meeting_id"])
    finally:
        db.close()


def test_the_history_is_older_than_the_normal_demo(history_path, now):
    conn = sqlite3.connect(history_path)
    try:
        (oldest_meeting,) = conn.execute("SELECT MIN(day) FROM meeting").fetchone()
        open_old = conn.execute(
            "SELECT COUNT(*) FROM todo WHERE done_at IS NULL AND due < ?",
            ((now - timedelta(days=60)).date().isoformat(),),
        ).fetchone()[0]
    finally:
        conn.close()
    # One meeting a week, going back ``weeks`` weeks.
    assert oldest_meeting <= (now - timedelta(weeks=SMALL.weeks - 2)).date().isoformat()
    assert open_old == 0  # old to-dos are all closed: no screen floods with the past


def test_two_runs_write_the_same_history(tmp_path, now):
    size = HistorySize(
        tasks=300, blocks=300, measurables=14, weeks=30, meetings=12, issues=60, todos=90, rocks=50
    )
    dumps = []
    for name in ("a.db", "b.db"):
        write_demo_database(str(tmp_path / name), now, time_zone="UTC", history=size)
        conn = sqlite3.connect(tmp_path / name)
        dumps.append(
            conn.execute("SELECT title, due_date, done_at FROM task ORDER BY id").fetchall()
            + conn.execute("SELECT week, value FROM measurablevalue ORDER BY 1, 2").fetchall()
        )
        conn.close()
    assert dumps[0] == dumps[1]


def test_the_large_scale_is_five_years(capsys):
    assert (LARGE.tasks, LARGE.blocks, LARGE.measurables, LARGE.weeks) == (
        10_000,
        15_000,
        100,
        260,
    )
    assert (LARGE.meetings, LARGE.issues, LARGE.todos, LARGE.rocks) == (260, 3_000, 8_000, 150)
    assert LARGE.scaled(0.1).tasks == 1_000


def test_demo_refuses_an_unknown_scale(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--db", str(tmp_path / "x.db"), "--scale", "huge"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
