"""The Friday review at any size of history (issue 13): it reads the weeks it compares,
in a number of queries and rows that years of history do not change, and says what a
read of every task and to-do would say. Queries and rows are counted, never timed."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from read_counts import reads
from sqlalchemy import event
from sqlmodel import Session, col, select

from ceodesk.core.demo import write_demo_database
from ceodesk.core.demo.large import LARGE
from ceodesk.core.domain import todos
from ceodesk.core.domain.settings import leadership_team
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.dates import shift_week, week_key
from ceodesk.core.store.changes import Kept
from ceodesk.core.store.db import Database, open_database
from ceodesk.core.store.models import Category, Person, Task, TimeBlock, Todo
from ceodesk.core.views import review as review_module
from ceodesk.core.views.ceo_update import ceo_update, update_markdown
from ceodesk.core.views.review import review_json, weekly_review

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # a Wednesday of 2026-W48
WEEK = week_key(NOW.date())


def add_old_history(path: Path, count: int) -> None:
    """``count`` tasks done years ago, as many of the leadership team's to-dos due and
    done then, and as many time blocks on those days."""
    db = open_database(path)
    try:
        with Session(db.engine) as session:
            category = session.exec(select(Category)).first()
            owner = session.exec(select(Person).where(col(Person.is_me))).first()
            team = leadership_team(session)
            assert category and category.id and owner and owner.id and team.id
            long_ago = NOW - timedelta(days=3 * 365)
            for n in range(count):
                when = long_ago + timedelta(hours=n)
                session.add(Task(title=f"Old task {n}", done_at=when, created_at=when))
                session.add(
                    Todo(
                        team_id=team.id,
                        title=f"Old to-do {n}",
                        owner_id=owner.id,
                        due=when.date(),
                        done_at=when,
                        created_at=when,
                    )
                )
                session.add(
                    TimeBlock(
                        day=when.date(),
                        start=time(9),
                        end=time(10),
                        title=f"Old block {n}",
                        category_id=category.id,
                    )
                )
            session.commit()
    finally:
        db.close()


def review_reads(path: Path, week: str) -> dict[str, int]:
    db = open_database(path, clock=frozen_clock(NOW))
    try:
        weekly_review(db, week, NOW)  # the week's recurring blocks written once, as shown
        with reads(db) as seen:
            weekly_review(db, week, NOW)
        return seen
    finally:
        db.close()


@pytest.fixture(scope="module")
def history_file(tmp_path_factory) -> Path:
    """A tenth of the large demo: half a year of tasks, blocks, values, meetings, Rocks."""
    path = tmp_path_factory.mktemp("history") / "history.db"
    write_demo_database(str(path), NOW, time_zone="UTC", history=LARGE.scaled(0.1))
    return path


@pytest.mark.parametrize("week", [WEEK, shift_week(WEEK, -1), shift_week(WEEK, 1)])
def test_years_of_old_tasks_to_dos_and_blocks_add_no_query_and_no_row(tmp_path, week) -> None:
    demo = tmp_path / "demo.db"
    write_demo_database(str(demo), NOW, time_zone="UTC")
    older = tmp_path / "older.db"
    write_demo_database(str(older), NOW, time_zone="UTC")
    add_old_history(older, 1500)
    small, large = review_reads(demo, week), review_reads(older, week)
    assert small["queries"] > 0 and small["rows"] > 0
    assert large == small


def test_the_review_issues_the_same_queries_on_the_demo_and_on_half_a_year(
    tmp_path, history_file
) -> None:
    demo = tmp_path / "demo.db"
    write_demo_database(str(demo), NOW, time_zone="UTC")
    assert review_reads(history_file, WEEK)["queries"] == review_reads(demo, WEEK)["queries"]


def whole_history_tasks(db: Database, *_args) -> list[Task]:
    """What the review read before it read only its weeks: every task."""
    with db.session() as session:
        return list(session.exec(select(Task).order_by(col(Task.id))))


def whole_history_todos(db, team_id, first, last, today):
    """... and every to-do of the team, filtered to the week afterwards."""
    every = todos.todos(db, today, team_id=team_id, include_done=True)
    return tuple(t for t in every if first <= t.due <= last)


def review_and_update(db: Database, week: str) -> tuple[str, str]:
    review = weekly_review(db, week, NOW)
    return review_json(review), update_markdown(ceo_update(db, week, NOW, review))


def test_the_review_says_what_reading_every_task_and_to_do_says(
    tmp_path, history_file, monkeypatch
) -> None:
    path = tmp_path / "history.db"
    path.write_bytes(history_file.read_bytes())
    weeks = [shift_week(WEEK, n) for n in (1, 0, -1, -2, -8, -20, -27)]
    db = open_database(path, clock=frozen_clock(NOW))
    try:
        for week in weeks:  # recurring blocks written first, so both read the same rows
            weekly_review(db, week, NOW)
        narrow = {week: review_and_update(db, week) for week in weeks}
        with monkeypatch.context() as patched:
            patched.setattr(review_module, "_review_tasks", whole_history_tasks)
            patched.setattr(review_module.todos, "due_between", whole_history_todos)
            whole = {week: review_and_update(db, week) for week in weeks}
    finally:
        db.close()
    assert narrow == whole
    # The weeks compared have something in them to compare.
    assert any('"kind": "task"' in text for text, _update in narrow.values())
    assert any('"kind": "todo"' in text for text, _update in narrow.values())


def test_a_saved_update_is_printed_without_drafting_one(tmp_path, monkeypatch) -> None:
    from ceodesk.core.domain.reflections import save_update
    from ceodesk.core.views import ceo_update as update_module

    path = tmp_path / "demo.db"
    write_demo_database(str(path), NOW, time_zone="UTC")
    db = open_database(path, clock=frozen_clock(NOW))
    try:
        save_update(db, WEEK, "# Our week\n\nWe shipped.", NOW)
        drafted: list[str] = []
        monkeypatch.setattr(update_module, "weekly_review", lambda *a: drafted.append(a[1]))
        assert update_module.update_text(db, WEEK.lower(), NOW) == "# Our week\n\nWe shipped.\n"
        assert drafted == []
    finally:
        db.close()


# Tables that grow with the years; a review reads them by an index, never whole.
HISTORY_TABLES = ("task", "todo", "timeblock", "measurablevalue", "rockweek", "meeting")
HISTORY_TABLES += ("meetingrating", "headline", "milestone", "issue")
# None is left: everyone's open to-dos (the people panel) are read by done_at's index
# since schema 14.
KNOWN_SCANS: tuple[str, ...] = ()


def test_the_review_reads_years_of_history_only_through_indexes(tmp_path, history_file) -> None:
    path = tmp_path / "history.db"
    path.write_bytes(history_file.read_bytes())
    db = open_database(path, clock=frozen_clock(NOW))
    sent: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, *_args) -> None:
        sent.append((statement, parameters))

    try:
        weekly_review(db, WEEK, NOW)
        event.listen(db.engine, "before_cursor_execute", keep)
        review = weekly_review(db, WEEK, NOW)
        ceo_update(db, WEEK, NOW, review)
        event.remove(db.engine, "before_cursor_execute", keep)
    finally:
        db.close()
    conn = sqlite3.connect(path)
    try:
        bad = []
        for statement, parameters in sent:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = " | ".join(
                str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            )
            flat = " ".join(statement.split())
            scanned = set(re.findall(r"\bSCAN (\w+)", plan)) & set(HISTORY_TABLES)
            if scanned and not any(known in flat for known in KNOWN_SCANS):
                bad.append((plan, flat[:160]))
            if "ix_todo_team_id" in plan:  # every to-do the team ever had
                bad.append((plan, flat[:160]))
    finally:
        conn.close()
    assert bad == []


def statements_of(db: Database, week: str) -> list[str]:
    """The SELECT statements one review of ``week`` sends, flattened to one line each."""
    sent: list[str] = []

    def keep(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(" ".join(statement.split()))

    weekly_review(db, week, NOW)  # the week's recurring blocks written once, as shown
    db.checks = Kept()  # and looked for again: what a review looks at, not what was kept
    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        weekly_review(db, week, NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return sent


def test_the_week_before_is_read_only_for_what_the_review_compares(history_file) -> None:
    """Last week gives its Rocks' statuses and its shares of recorded time: its Rocks are
    drawn from the same reads as this week's, its time is one sum of its stored blocks
    (no week plan composed, no recurring block written), and the blocks of the three
    weeks before both review days come in one query."""
    db = open_database(history_file, clock=frozen_clock(NOW))
    try:
        for week in (WEEK, shift_week(WEEK, -1)):
            sent = statements_of(db, week)
            assert len([s for s in sent if "FROM rockweek" in s]) == 1
            assert len([s for s in sent if "FROM rock WHERE rock.quarter IN" in s]) == 1
            # The recurring series are looked at for the week shown only.
            assert (
                len([s for s in sent if s.startswith("SELECT blockseries.id, blockseries.uid")])
                == 1
            )
            assert len([s for s in sent if "FROM focustask" in s]) == 1
            at_risk = [s for s in sent if "FROM timeblock" in s and "timeblock.rock_id IN" in s]
            assert len(at_risk) == 1
    finally:
        db.close()


@pytest.mark.parametrize("week", [WEEK, shift_week(WEEK, -1), shift_week(WEEK, -7), "2026-W40"])
def test_reads_for_two_weeks_at_once_say_what_a_read_for_each_says(history_file, week) -> None:
    from ceodesk.core.domain.planner import recorded_time, week_plan
    from ceodesk.core.domain.rocks import rocks_of_week, rocks_of_weeks
    from ceodesk.core.kernel.dates import week_days
    from ceodesk.core.views.proposals import rock_block_minutes, rock_block_minutes_at

    before = shift_week(week, -1)
    db = open_database(history_file, clock=frozen_clock(NOW))
    try:
        both = rocks_of_weeks(db, [week, before])
        assert both == [rocks_of_week(db, week), rocks_of_week(db, before)]
        assert both[0] and both[1]
        blocks = [b for day in week_plan(db, before, NOW).days for b in day.blocks]
        with db.session() as session:
            tasks = {t.id: t for t in session.exec(select(Task))}
        q2 = [b for b in blocks if b.task_id and tasks[b.task_id].important]
        q2 = [b for b in q2 if not tasks[b.task_id].urgent]
        recorded = recorded_time(db, before)
        assert recorded.minutes == sum(b.actual_minutes or 0 for b in blocks) > 0
        assert recorded.rock_minutes == sum(b.actual_minutes or 0 for b in blocks if b.rock_id)
        assert recorded.q2_minutes == sum(b.actual_minutes or 0 for b in q2)
        rock_ids = [r.id for r in both[0]]
        days = [week_days(week)[-1], week_days(before)[-1]]
        minutes = rock_block_minutes_at(db, rock_ids, days)
        assert minutes == [rock_block_minutes(db, rock_ids, day) for day in days]
        assert any(minutes[0].values()) or week != WEEK  # this week's Rocks have blocks
    finally:
        db.close()


def test_a_review_with_its_screens_memo_makes_again_only_the_lines_whose_rows_changed(
    tmp_path, monkeypatch
) -> None:
    """A redraw of the review (the screen's memo given) makes no KPI line again from a
    scorecard row equal to the one it was made from; a value typed makes that line again,
    and the review says what one made from nothing says."""
    from ceodesk.core.domain.scorecard import find_measurable, record_value

    path = tmp_path / "demo.db"
    write_demo_database(str(path), NOW, time_zone="UTC")
    db = open_database(path, clock=frozen_clock(NOW))
    made: list[str] = []
    original = review_module._kpi_line

    def counted(row):
        made.append(row.name)
        return original(row)

    monkeypatch.setattr(review_module, "_kpi_line", counted)
    try:
        memo = review_module.ReviewMemo()
        first = weekly_review(db, WEEK, NOW, memo)
        assert len(made) == len(first.scorecard.lines) > 1
        made.clear()
        assert weekly_review(db, WEEK, NOW, memo) == first
        assert made == []
        record_value(db, find_measurable(db, "Leads"), WEEK, "7")
        again = weekly_review(db, WEEK, NOW, memo)
        assert made == ["Leads"]
        assert again == weekly_review(db, WEEK, NOW)
        assert next(k for k in again.scorecard.lines if k.name == "Leads").value == 7
    finally:
        db.close()


def test_a_review_with_its_screens_memo_builds_no_scorecard_row_again(
    tmp_path, monkeypatch
) -> None:
    """The review's grid reuses the rows of the memo's last grid read from the same data
    (the scorecard screen's reuse): a redraw with nothing changed builds none, one value
    typed builds its own row and the formulas that read it."""
    from ceodesk.core.domain.scorecard import find_measurable, record_value
    from ceodesk.core.domain.scorecard import views as scorecard_views

    path = tmp_path / "demo.db"
    write_demo_database(str(path), NOW, time_zone="UTC")
    db = open_database(path, clock=frozen_clock(NOW))
    built: list[str] = []
    original = scorecard_views._row

    def counted(m, *args):
        built.append(m.name)
        return original(m, *args)

    monkeypatch.setattr(scorecard_views, "_row", counted)
    try:
        memo = review_module.ReviewMemo()
        first = weekly_review(db, WEEK, NOW, memo)
        assert len(built) == len(first.scorecard.lines)
        built.clear()
        assert weekly_review(db, WEEK, NOW, memo) == first
        assert built == []
        record_value(db, find_measurable(db, "Leads"), WEEK, "7")
        weekly_review(db, WEEK, NOW, memo)
        assert "Leads" in built and len(built) < len(first.scorecard.lines)
    finally:
        db.close()
