"""The demo company written into a new database."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta

import pytest

from ceodesk.core.db import open_database
from ceodesk.core.demo import write_demo_database
from ceodesk.core.errors import CeodeskError
from ceodesk.core.people import list_people
from ceodesk.core.settings import list_categories, load_settings
from ceodesk.core.tasks import Quadrant, task_board

# Columns that are random or wall-clock by nature (uids, bookkeeping timestamps).
_UNSTABLE = {"uid", "created_at", "updated_at"}


@pytest.fixture
def demo_path(tmp_path, now):
    path = tmp_path / "demo.db"
    write_demo_database(str(path), now, time_zone="UTC")
    return path


@pytest.fixture
def demo(demo_path):
    db = open_database(demo_path)
    try:
        yield db
    finally:
        db.close()


def stable_dump(path) -> dict[str, list[tuple]]:
    """Every table's rows without the columns that are random by nature."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = {}
        for table in sorted(tables):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            keep = ", ".join(c for c in columns if c not in _UNSTABLE)
            dump[table] = conn.execute(f"SELECT {keep} FROM {table} ORDER BY 1, 2").fetchall()
        return dump
    finally:
        conn.close()


def test_summary_names_the_company_and_counts(tmp_path, now):
    path = tmp_path / "demo.db"
    summary = write_demo_database(str(path), now, time_zone="UTC")
    assert summary == (
        f"Wrote the demo company Northwind Analytics into {path}: 25 people, 40 tasks."
    )


def test_demo_has_25_active_people_and_a_leadership_team_of_five(demo):
    active = list_people(demo, active_only=True)
    assert len(active) == 25
    leadership = [p for p in active if "Leadership" in p.teams]
    assert sorted(p.name for p in leadership) == [
        "Alex Morgan",
        "Dana Whitfield",
        "Jordan Reyes",
        "Priya Natarajan",
        "Sam Okafor",
    ]
    [you] = [p for p in active if p.is_me]
    assert (you.name, you.role) == ("Alex Morgan", "CEO")
    assert len(list_people(demo)) == 26  # one former employee keeps their name


def test_demo_keeps_the_default_categories_and_the_given_zone(demo):
    assert len(list_categories(demo)) == 8
    assert load_settings(demo).time_zone == "UTC"


def test_demo_tasks_fill_all_four_quadrants(demo, now):
    board = task_board(demo, now)
    assert all(len(q.tasks) >= 3 for q in board.quadrants)
    assert 30 <= board.open_count <= 45


def test_demo_has_delegated_work_with_follow_ups(demo, now):
    delegated = [t for t in task_board(demo, now).quadrant(Quadrant.DELEGATE).tasks if t.owner]
    assert len(delegated) >= 5
    assert all(t.follow_up is not None and t.follow_up >= now.date() for t in delegated)
    assert all(t.follow_up <= t.due_date for t in delegated if t.due_date)


def test_demo_has_tasks_done_this_week_and_not_from_last_week(demo, now):
    board = task_board(demo, now)
    done = [t.title for q in board.quadrants for t in q.done]
    assert len(done) >= 3
    assert "Approve Q4 marketing budget" in done
    assert "Sign October payroll" not in done  # done last week


def test_demo_has_overdue_and_suggested_urgent_tasks(demo, now):
    tasks = [t for q in task_board(demo, now).quadrants for t in q.tasks]
    assert any(t.overdue for t in tasks)
    assert any(t.suggest_urgent for t in tasks)


def test_demo_dates_are_relative_to_now(tmp_path, now):
    later = now + timedelta(days=30)
    path = tmp_path / "later.db"
    write_demo_database(str(path), later, time_zone="UTC")
    db = open_database(path)
    try:
        board = task_board(db, later)
    finally:
        db.close()
    assert any(t.overdue for q in board.quadrants for t in q.tasks)
    assert len([t for q in board.quadrants for t in q.done]) >= 3


def test_demo_done_this_week_even_early_on_monday(tmp_path, now):
    early = now.replace(hour=0, minute=30)
    path = tmp_path / "early.db"
    write_demo_database(str(path), early, time_zone="UTC")
    db = open_database(path)
    try:
        done = [t for q in task_board(db, early).quadrants for t in q.done]
    finally:
        db.close()
    assert len(done) >= 3


def test_demo_is_deterministic_given_now(tmp_path, now):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    write_demo_database(str(first), now, time_zone="UTC")
    write_demo_database(str(second), now, time_zone="UTC")
    assert stable_dump(first) == stable_dump(second)


def test_demo_uses_the_given_time_zone(tmp_path, now):
    path = tmp_path / "tokyo.db"
    write_demo_database(str(path), now, time_zone="Asia/Tokyo")
    db = open_database(path)
    try:
        assert load_settings(db).time_zone == "Asia/Tokyo"
    finally:
        db.close()


def test_demo_refuses_an_existing_file_and_leaves_it(tmp_path, now):
    path = tmp_path / "mine.db"
    path.write_text("my own notes\n")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(CeodeskError, match="already exists"):
        write_demo_database(str(path), now, time_zone="UTC")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_demo_refuses_its_own_earlier_output(demo_path, now):
    with pytest.raises(CeodeskError):
        write_demo_database(str(demo_path), now, time_zone="UTC")


def test_demo_into_a_missing_folder_is_an_error(tmp_path, now):
    with pytest.raises(CeodeskError, match="does not exist"):
        write_demo_database(str(tmp_path / "nope" / "demo.db"), now, time_zone="UTC")
    assert not (tmp_path / "nope").exists()
