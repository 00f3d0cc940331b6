"""The demo company written into a new database."""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest

from ceodesk.core.demo import write_demo_database
from ceodesk.core.domain.goals import PERSPECTIVES
from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.planner import (
    apply_ideal_week,
    free_slot,
    unfinished_linked_tasks,
    week_plan,
)
from ceodesk.core.domain.rocks import SCORE_TARGET, QuarterView, quarter_rocks
from ceodesk.core.domain.scorecard import UNITS, scorecard, trend
from ceodesk.core.domain.settings import list_categories, load_settings
from ceodesk.core.domain.tasks import Quadrant, task_board
from ceodesk.core.kernel.dates import (
    quarter_bounds,
    quarter_key,
    shift_quarter,
    shift_week,
    week_key,
)
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.store.db import open_database
from ceodesk.core.views.big_picture import big_picture
from ceodesk.core.views.rock_detail import rock_time

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
        f"Wrote the demo company Northwind Analytics into {path}: 25 people, 42 tasks."
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


# ------------------------------------------------------------------ week plan


@pytest.fixture
def wednesday_demo(tmp_path, now):
    """The demo written on Wednesday 09:30 of the same week, as in the screenshots."""
    when = now + timedelta(days=2, minutes=-30)
    path = tmp_path / "wednesday.db"
    write_demo_database(str(path), when, time_zone="UTC")
    db = open_database(path)
    try:
        yield db, when
    finally:
        db.close()


def test_demo_week_has_about_thirty_blocks_with_deep_work_most_mornings(demo, now):
    plan = week_plan(demo, week_key(now.date()), now)
    blocks = [b for d in plan.days for b in d.blocks]
    assert len(blocks) == 30
    mornings = [d for d in plan.days[:5] if any(b.category == "deep work" for b in d.blocks)]
    assert len(mornings) == 5
    assert {b.category for b in blocks} == {c.name for c in list_categories(demo)}
    assert any(b.task_title == "Write 2027 strategy memo" for b in blocks)
    assert plan.days[5].blocks == plan.days[6].blocks == ()


def test_demo_week_has_the_leadership_meeting_as_a_series(demo, now):
    plan = week_plan(demo, week_key(now.date()), now)
    [meeting] = [b for d in plan.days for b in d.blocks if b.series_id is not None]
    assert (meeting.title, meeting.category) == ("Weekly leadership meeting", "meetings")
    assert (meeting.day.weekday(), meeting.start, meeting.end) == (1, time(9), time(10, 30))
    next_week = week_plan(demo, shift_week(plan.week, 1), now)
    assert [b.title for d in next_week.days for b in d.blocks] == ["Weekly leadership meeting"]
    assert next_week.is_empty  # so the ideal week or this week can be applied to it


def test_demo_week_has_exactly_one_overlapping_pair(demo, now):
    plan = week_plan(demo, week_key(now.date()), now)
    overlapping = [(b.day, b.title) for d in plan.days for b in d.blocks if b.overlaps]
    assert len(overlapping) == 2
    assert overlapping[0][0] == overlapping[1][0]
    assert sorted(t for _, t in overlapping) == ["1:1 Jordan", "Customer call: Meridian Health"]


def test_demo_one_on_ones_with_the_leadership_team(demo, now):
    plan = week_plan(demo, week_key(now.date()), now)
    people = sorted(b.title for d in plan.days for b in d.blocks if b.category == "people")
    assert people == ["1:1 Dana", "1:1 Jordan", "1:1 Priya", "1:1 Sam"]


def test_demo_actuals_only_on_days_before_today(demo, now, wednesday_demo):
    monday_plan = week_plan(demo, week_key(now.date()), now)
    assert not any(b.is_recorded for d in monday_plan.days for b in d.blocks)
    db, when = wednesday_demo
    plan = week_plan(db, week_key(when.date()), when)
    past = [b for d in plan.days for b in d.blocks if d.day < plan.today]
    later = [b for d in plan.days for b in d.blocks if d.day >= plan.today]
    assert not any(b.is_recorded for b in later)
    assert sum(b.is_recorded for b in past) == len(past) - 1  # one not recorded yet
    assert sum(b.skipped for b in past) == 1
    shorter = [
        b for b in past if b.actual_minutes is not None and b.actual_minutes < b.planned_minutes
    ]
    assert len(shorter) == 1
    assert plan.actual_minutes > 0
    assert any(t.difference_minutes < 0 for t in plan.totals)


def test_demo_has_one_focus_task_per_weekday(demo, now):
    plan = week_plan(demo, week_key(now.date()), now)
    assert [len(d.focus) for d in plan.days] == [1, 1, 1, 1, 1, 0, 0]
    board = task_board(demo, now)
    important = {t.title for q in (Quadrant.DO, Quadrant.SCHEDULE) for t in board.quadrant(q).tasks}
    assert all(f.title in important for d in plan.days for f in d.focus)
    warnings = [w for d in plan.days for w in d.warnings]
    assert warnings == ["Focus task “Finalize Q1 hiring plan” has no time block on Fri 27 Nov."]


def test_demo_offers_carry_over_and_keeps_the_default_ideal_week(demo, now):
    week = week_key(now.date())
    offered = [title for _, title in unfinished_linked_tasks(demo, week)]
    assert offered == [
        "Map the customer onboarding journey",
        "Review churn analysis with customer success",
    ]
    assert apply_ideal_week(demo, shift_week(week, 1)) == 25


def test_demo_leaves_deep_work_free_for_scheduling(demo, now):
    slot = free_slot(demo, week_key(now.date()), 60, now)
    assert slot is not None and slot[0].weekday() == 3  # Thursday's open deep-work block


# ---------------------------------------------------------- Rocks and the big picture

LEADERS = ("Alex Morgan", "Dana Whitfield", "Jordan Reyes", "Priya Natarajan", "Sam Okafor")


def this_quarter(db, when) -> QuarterView:
    return quarter_rocks(db, quarter_key(when.date()), when)


def last_quarter(db, when) -> QuarterView:
    return quarter_rocks(db, shift_quarter(quarter_key(when.date()), -1), when)


def test_demo_quarter_has_six_company_rocks_and_three_per_leader(demo, now):
    view = this_quarter(demo, now)
    assert len(view.company) == 6
    assert Counter(r.owner for r in view.individual) == dict.fromkeys(LEADERS, 3)
    assert {r.owner for r in view.company} <= set(LEADERS)
    assert view.warnings == ()


def test_demo_rocks_are_mostly_on_track_with_one_off_track_three_weeks(demo, now):
    view = this_quarter(demo, now)
    [flagged] = [r for r in view.rocks if r.propose_as_issue]
    assert flagged.off_track_weeks == 3
    assert flagged.strip[-4:] == ("on_track", "off_track", "off_track", "off_track")
    assert [r.title for r in view.rocks if r.off_track_weeks >= 3] == [flagged.title]
    assert view.counts["on_track"] >= 15
    assert view.counts["off_track"] == 2  # the flagged one and one that slipped this week
    assert any("off_track" in r.strip[:-3] for r in view.rocks)  # history shows recoveries


def test_demo_weekly_status_covers_every_week_of_the_quarter_so_far(demo, now):
    view = this_quarter(demo, now)
    first_week = week_key(quarter_bounds(view.quarter)[0])
    weeks_so_far = sum(shift_week(view.week, n - 12) >= first_week for n in range(13))
    for rock in view.rocks:
        assert all(status is not None for status in rock.strip[-weeks_so_far:]), rock.title
        assert all(status is None for status in rock.strip[:-weeks_so_far]), rock.title


def test_demo_rocks_have_milestones_some_done(demo, now):
    rocks = this_quarter(demo, now).rocks
    assert all(len(r.milestones) >= 2 for r in rocks)
    assert sum(r.milestones_done for r in rocks) >= 10
    assert sum(r.next_milestone is not None for r in rocks) >= 10
    assert [r.progress_text for r in rocks if r.status == "done"] == ["3/3"]


def test_demo_last_quarter_is_closed_with_a_score_between_70_and_85(demo, now):
    view = last_quarter(demo, now)
    assert all(r.finished for r in view.rocks)
    assert view.counts["dropped"] == 1
    assert 0.7 <= view.score <= 0.85
    assert view.score < SCORE_TARGET
    assert view.warnings == ()
    [rolled] = [r for r in this_quarter(demo, now).rocks if r.rolled_from_quarter]
    assert rolled.rolled_from_quarter == view.quarter
    assert rolled.title in {r.title for r in view.rocks if r.status == "not_done"}


def test_demo_has_a_three_year_picture_and_core_values(demo, now):
    view = big_picture(demo, quarter_key(now.date()), now)
    assert view.horizon == date(now.year + 3, 12, 31)
    assert (view.revenue, view.profit) == ("$40M ARR", "18% EBITDA")
    assert 3 <= len(view.measurables) <= 4
    assert len(view.picture.splitlines()) >= 2
    assert len(view.core_values) == 4


def test_demo_goals_form_a_strategy_map_across_the_four_perspectives(demo, now):
    view = big_picture(demo, quarter_key(now.date()), now)
    assert len(view.goals) == 4
    assert all(len(view.by_perspective[p]) == 1 for p in PERSPECTIVES)
    assert view.by_perspective[None] == ()
    # learning and growth -> internal process -> customer -> financial
    chain = [view.by_perspective[p][0] for p in reversed(PERSPECTIVES)]
    for cause, effect in itertools.pairwise(chain):
        assert cause.effects == (effect.id,)
        assert effect.causes == (cause.id,)
    assert all(g.measurable and g.due for g in view.goals)


def test_demo_most_rocks_serve_a_goal_with_the_gaps_called_out(demo, now):
    view = big_picture(demo, quarter_key(now.date()), now)
    rocks = this_quarter(demo, now).rocks
    assert sum(len(g.rocks) for g in view.goals) >= len(rocks) * 3 // 4
    assert [r.is_company for r in view.rocks_without_goal].count(True) == 1
    [lonely] = view.goals_without_rocks
    assert lonely.perspective == "learning and growth"


def test_demo_links_tasks_and_this_weeks_deep_work_to_rocks(demo, now):
    linked = [t for q in task_board(demo, now).quadrants for t in q.tasks if t.rock]
    assert len(linked) >= 8
    week = week_key(now.date())
    serving, planned = rock_time(demo, week)
    plan = week_plan(demo, week, now)
    assert 0 < serving < planned
    assert plan.rock_minutes == serving
    deep = [b for d in plan.days for b in d.blocks if b.category == "deep work"]
    assert sum(b.planned_minutes for b in deep) == serving  # every deep-work block serves one


@pytest.mark.parametrize(
    "when",
    [
        datetime(2027, 1, 1, 9, 0, tzinfo=UTC),  # a quarter's first day
        datetime(2026, 10, 5, 9, 0, tzinfo=UTC),  # its second week
        datetime(2027, 3, 31, 16, 0, tzinfo=UTC),  # its last day
    ],
    ids=["first day", "second week", "last day"],
)
def test_demo_rock_story_holds_on_any_day(tmp_path, when):
    path = tmp_path / "any.db"
    write_demo_database(str(path), when, time_zone="UTC")
    db = open_database(path)
    try:
        view = this_quarter(db, when)
        assert [r.off_track_weeks for r in view.rocks if r.propose_as_issue] == [3]
        assert view.warnings == ()
        assert 0.7 <= last_quarter(db, when).score <= 0.85
        assert rock_time(db, week_key(when.date()))[0] > 0
        assert any(r.milestones_done for r in view.rocks)
    finally:
        db.close()


# ------------------------------------------------------------------------- scorecard


def last_week(when) -> str:
    return shift_week(week_key(when.date()), -1)


def test_demo_scorecard_has_twelve_measurables_for_the_leadership_team(demo, now):
    view = scorecard(demo, last_week(now))
    rows = view.rows
    assert len(rows) == 12
    assert view.warnings == ()
    assert [g.perspective for g in view.groups] == list(PERSPECTIVES)
    assert {r.owner for r in rows} <= set(LEADERS)
    assert {r.unit for r in rows} == set(UNITS)
    assert 3 <= sum(r.leading for r in rows) <= 9
    assert len([r for r in rows if r.goal_title]) >= 2
    assert len([r for r in rows if r.tolerance]) == 1


def test_demo_conversion_is_computed_from_won_and_leads(demo, now):
    rows = {r.name: r for r in scorecard(demo, last_week(now), 26).rows}
    conversion = rows["Conversion"]
    assert [r.name for r in rows.values() if r.computed] == ["Conversion"]
    assert (conversion.unit, conversion.formula) == ("percent", "Won / Leads")
    for cell, won, leads in zip(
        conversion.cells, rows["Won"].cells, rows["Leads"].cells, strict=True
    ):
        assert cell.value == pytest.approx(100 * won.value / leads.value)


def test_demo_scorecard_has_26_weeks_ending_last_week(demo, now):
    history = scorecard(demo, last_week(now), 26)
    assert all(c.value is not None for r in history.rows for c in r.cells)
    before = scorecard(demo, shift_week(last_week(now), -26), 1)
    assert all(c.value is None for r in before.rows for c in r.cells)
    this_week = scorecard(demo, week_key(now.date()), 1)
    assert all(c.value is None for r in this_week.rows for c in r.cells)
    misses = [r.on_goal[1] - r.on_goal[0] for r in history.rows]
    assert all(miss >= 1 for miss in misses)  # nobody is perfect
    assert sum(r.on_goal[0] for r in history.rows) > sum(misses)


def test_demo_scorecard_proposes_exactly_one_measurable_as_an_issue(demo, now):
    rows = scorecard(demo, last_week(now)).rows
    [red] = [r for r in rows if r.propose_as_issue]
    assert red.off_goal_weeks == 3
    assert [c.on_goal for c in red.cells[-4:]] == [True, False, False, False]
    assert red.goal_title == "Onboard new customers in 30 days"
    assert all(r.cells[-1].on_goal for r in rows if r is not red)


def test_demo_leads_goal_was_raised_halfway(demo, now):
    [leads] = [r for r in scorecard(demo, last_week(now)).rows if r.name == "Leads"]
    goals = [p.goal for p in trend(demo, leads.id, last_week(now), 26)]
    assert goals == [35] * 13 + [40] * 13
    assert leads.goal_text == ">= 40"


@pytest.mark.parametrize(
    "when",
    [datetime(2027, 1, 4, 0, 30, tzinfo=UTC), datetime(2027, 3, 31, 23, 0, tzinfo=UTC)],
    ids=["new year", "quarter end"],
)
def test_demo_scorecard_story_holds_on_any_day(tmp_path, when):
    path = tmp_path / "any.db"
    write_demo_database(str(path), when, time_zone="Asia/Tokyo")
    db = open_database(path)
    try:
        local = when.astimezone(load_settings(db).zone)
        rows = scorecard(db, last_week(local), 26).rows
        assert [r.off_goal_weeks for r in rows if r.propose_as_issue] == [3]
        assert all(c.value is not None for r in rows for c in r.cells)
        current = scorecard(db, week_key(local.date()), 1).rows
        assert all(c.value is None for r in current for c in r.cells)
    finally:
        db.close()


def test_demo_scorecard_totals_only_what_adds_up(demo, now):
    rows = {r.name: r for r in scorecard(demo, last_week(now)).rows}
    averaged = ("NPS", "Median onboarding days", "First response time", "Conversion")
    for name in averaged:
        assert rows[name].combine == "average" and rows[name].total_text == "", name
    for name in ("Leads", "Won", "Revenue invoiced", "Training hours"):
        assert rows[name].combine == "sum" and rows[name].total_text, name
