"""The Friday review: each figure on hand-built data, the month roll-up, the three forms."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from demo_files import demo_copy
from hypothesis import given
from hypothesis import strategies as st

from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.planner import add_block, record_actual
from ceodesk.core.domain.rocks import add_milestone, add_rock, set_week_status, toggle_milestone
from ceodesk.core.domain.scorecard import add_measurable, record_value
from ceodesk.core.domain.settings import list_categories, save_settings
from ceodesk.core.domain.tasks import toggle_done
from ceodesk.core.kernel.dates import week_key
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.store.db import open_database
from ceodesk.core.views.capture import add_task
from ceodesk.core.views.review import (
    change_text,
    direction,
    headline_sentence,
    month_of_week,
    monthly_review,
    on_goal_summary,
    review_json,
    review_markdown,
    review_sections,
    week_span,
    week_title,
    weekly_review,
    weeks_of_month,
)

W48 = "2026-W48"
FRIDAY = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # Friday of W48


@pytest.fixture
def me(db) -> int:
    return list_people(db)[0].id


def category(db, kind: str) -> int:
    return next(c.id for c in list_categories(db) if c.kind == kind)


def measure(db, *args, **kw) -> SimpleNamespace:
    return SimpleNamespace(id=add_measurable(db, *args, from_week="2026-W30", **kw))


def kpi(review, name: str):
    return next(k for k in review.scorecard.lines if k.name == name)


# ------------------------------------------------------------------ empty and missing


def test_an_empty_week_reads_as_a_quiet_week_and_every_panel_is_empty(db):
    review = weekly_review(db, W48, FRIDAY)
    assert review.headline == "A quiet week: nothing recorded yet."
    assert review.scorecard.summary == "no values this week"
    assert review.time.planned_minutes == review.time.actual_minutes == 0
    assert review.time.rock_share.text == "Rock-linked work: 0h of 0h (no time recorded)"
    assert review.rocks.changes == () and review.carry_over == ()
    assert review.tasks.todo_text == "nothing due"
    assert review.tasks.meeting_text == "no meeting rated"
    assert review.title == "Week 48 · 23–29 Nov 2026"
    assert "Nothing to carry over." in review_markdown(review)


def test_a_measurable_with_no_value_this_week_is_shown_as_such(db, me):
    leads = measure(db, "Leads", me, "number", ">=", 40)
    record_value(db, leads.id, "2026-W47", "38")
    line = kpi(weekly_review(db, W48, FRIDAY), "Leads")
    assert (line.value, line.grade, line.change_text) == (None, "no value", "")
    assert line.last_week_text == "38"
    assert "Leads: no value vs >= 40 (no value)" in review_markdown(weekly_review(db, W48, FRIDAY))


def test_a_bad_week_is_one_sentence(db, one_sentence):
    with pytest.raises(InputError) as err:
        weekly_review(db, "2026-W99", FRIDAY)
    assert one_sentence(str(err.value))


# ------------------------------------------------------------------ scorecard


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("110", "on target"),  # beyond by exactly the tolerance: not yet "exceeds"
        ("110.5", "exceeds"),
        ("100", "on target"),
        ("90", "slightly behind"),  # short by exactly the tolerance
        ("89.5", "off target"),
    ],
)
def test_status_words_at_the_tolerance_edges(db, me, typed, word):
    sales = measure(db, "Calls", me, "number", ">=", 100, tolerance=0.1)
    record_value(db, sales.id, W48, typed)
    assert kpi(weekly_review(db, W48, FRIDAY), "Calls").grade == word


def test_a_percent_measurable_changes_in_points_never_in_percent(db, me):
    rate = measure(db, "Conversion", me, "percent", ">=", 35)
    record_value(db, rate.id, "2026-W47", "38%")
    record_value(db, rate.id, W48, "40%")
    line = kpi(weekly_review(db, W48, FRIDAY), "Conversion")
    assert line.change_text == "↑ +2 pts"
    assert "%" not in line.change_text


@pytest.mark.parametrize(
    ("now", "before", "unit", "text"),
    [
        (40, 38, "percent", "↑ +2 pts"),
        (36.5, 38, "percent", "↓ -1.5 pts"),
        (45, 40, "number", "↑ +5"),
        (9000, 12000, "currency", "↓ -$3,000"),
        (90, 60, "duration", "↑ +30m"),
        (0, 1, "yesno", "↓ was yes"),
        (5, 5, "number", "= same"),
        (None, 5, "number", ""),
    ],
)
def test_change_text_per_unit(now, before, unit, text):
    assert change_text(now, before, unit) == text


def test_change_against_last_week_and_the_13_week_average_and_streaks(db, me):
    nps = measure(db, "Days to close", me, "number", "<=", 30)
    for back, value in enumerate([36, 34, 32, 20, 20]):  # W48 back to W44
        record_value(db, nps.id, f"2026-W{48 - back}", str(value))
    line = kpi(weekly_review(db, W48, FRIDAY), "Days to close")
    assert line.change_text == "↑ +2"  # 34 -> 36
    assert line.trend == -1  # up is worse for a <= goal
    assert line.average_text == "26.5"  # the four weeks before W48
    assert line.vs_average_text == "↑ +9.5"
    assert line.streak_text == "off goal 3 weeks"
    assert [r.text for r in line.rows][:2] == [
        "Days to close 2026-W48: 36 (off target)",
        "Days to close 2026-W47: 34 (off target)",
    ]


def test_the_summary_counts_measurables_with_a_value():
    assert on_goal_summary(9, 12) == "9 of 12 on goal (75%)"
    assert on_goal_summary(0, 0) == "no values this week"


@given(
    st.sampled_from([">=", ">", "<=", "<", "=", "between"]),
    st.integers(-1000, 1000),
    st.integers(-1000, 1000),
    st.integers(-1000, 1000),
)
def test_improving_means_moving_towards_or_beyond_the_goal(operator, goal, a, b):
    high = goal + 10 if operator == "between" else None
    forward, back = direction(b, a, operator, goal, high), direction(a, b, operator, goal, high)
    assert forward == -back  # the move back is the opposite
    if operator in (">=", ">") and b > a:
        assert forward == 1
    if operator in ("<=", "<") and b > a:
        assert forward == -1


# ------------------------------------------------------------------ time


def test_planned_vs_actual_per_category_by_kind_and_per_rock_and_the_shares(db, me):
    deep, meetings = category(db, "deep_work"), category(db, "meetings")
    rock = add_rock(db, "Ship v2", me, is_company=True, quarter="2026-Q4", now=FRIDAY)
    monday = date(2026, 11, 23)
    work = add_block(db, monday, time(8), time(10), "API work", deep, rock_id=rock.id)
    record_actual(db, work.id, 90)
    sync = add_block(db, monday, time(11), time(12), "Sync", meetings)
    record_actual(db, sync.id, 80)
    skipped = add_block(db, monday, time(14), time(15), "Board prep", meetings)
    record_actual(db, skipped.id, None, skipped=True)
    q2 = add_task(db, "Write the memo !i", FRIDAY)
    memo = add_block(db, monday, time(16), time(17), "Memo", deep, task_id=q2.id)
    record_actual(db, memo.id, 60)
    review = weekly_review(db, W48, FRIDAY)
    time_ = review.time
    by_kind = {t.kind: t for t in time_.categories}
    assert (by_kind["deep_work"].planned_minutes, by_kind["deep_work"].actual_minutes) == (
        180,
        150,
    )
    assert by_kind["deep_work"].key == f"category:{deep}"
    assert (by_kind["meetings"].planned_text, by_kind["meetings"].actual_text) == ("2h", "1h20")
    assert [(t.name, t.actual_text, t.planned_text) for t in time_.rocks] == [
        ("Ship v2", "1h30", "2h")
    ]
    assert time_.rock_share.text == "Rock-linked work: 1h30 of 3h50 (39%)"
    assert time_.q2_share.percent == 26
    assert [b.text for b in time_.skipped] == ["Mon 23 Nov 14:00 Board prep"]
    assert [b.text for b in time_.ran_over] == ["Mon 23 Nov 11:00 Sync (+20m)"]
    assert "Rock time 1h30 of 2h planned" in review.headline
    assert len(by_kind["meetings"].rows) == 2


def test_a_renamed_category_keeps_its_line(db):
    from ceodesk.core.domain.settings import edit_category

    deep = category(db, "deep_work")
    add_block(db, date(2026, 11, 24), time(8), time(9), "Focus", deep)
    edit_category(db, deep, "maker time", "#123456")
    [line] = weekly_review(db, W48, FRIDAY).time.categories
    assert (line.key, line.kind, line.name) == (f"category:{deep}", "deep_work", "maker time")


def test_a_week_across_a_dst_change_counts_tasks_by_local_day(db):
    save_settings(db, my_name="Me", time_zone="Europe/Berlin", day_start="07:00", day_end="19:00")
    start, end = week_span("2026-W43", ZoneInfo("Europe/Berlin"))
    assert end - start == timedelta(hours=169)  # the clocks went back on Sunday 25 Oct
    late_sunday = datetime(2026, 10, 25, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, still W43
    after_midnight = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)  # 00:30 Monday, W44
    sunday_task = add_task(db, "Sunday task !i", late_sunday)
    monday_task = add_task(db, "Monday task !i", late_sunday)
    toggle_done(db, sunday_task.id, late_sunday)
    toggle_done(db, monday_task.id, after_midnight)
    add_block(db, date(2026, 10, 25), time(1), time(4), "Night shift", category(db, "admin"))
    review = weekly_review(db, "2026-W43", datetime(2026, 11, 1, tzinfo=UTC))
    assert review.tasks.done_total == 1
    assert [r.text for c in review.tasks.done_by_quadrant for r in c.rows] == [
        f"#{sunday_task.id} Sunday task (Q2)"
    ]
    assert review.time.planned_minutes == 180  # wall-clock time, as planned
    assert weekly_review(db, "2026-W44", datetime(2026, 11, 1, tzinfo=UTC)).tasks.done_total == 1


# ------------------------------------------------------------------ Rocks


def test_a_week_in_a_new_quarter_shows_both_quarters_rocks(db, me):
    now = datetime(2026, 10, 2, 12, tzinfo=UTC)
    old = add_rock(db, "Finish Q3 launch", me, is_company=True, quarter="2026-Q3", now=now)
    new = add_rock(db, "Start Q4 hiring", me, is_company=True, quarter="2026-Q4", now=now)
    set_week_status(db, old.id, "2026-W39", "off_track")
    set_week_status(db, old.id, "2026-W40", "on_track")
    set_week_status(db, new.id, "2026-W40", "off_track")
    review = weekly_review(db, "2026-W40", now)
    texts = [r.text for r in review.rocks.changes]
    assert "Finish Q3 launch (Me): off track → back on track" in texts[0].replace(
        list_people(db)[0].name, "Me"
    )
    assert any("Start Q4 hiring" in t and "first update: off track" in t for t in texts)
    assert review.rocks.back_on_track == 1
    assert "1 Rock back on track" in review.headline
    assert [r.title for r in review.rocks.off_track_no_hours] == ["Start Q4 hiring"]


def test_milestones_done_and_rocks_off_track_three_weeks(db, me):
    rock = add_rock(db, "Open Berlin office", me, is_company=True, quarter="2026-Q4", now=FRIDAY)
    for week in ("2026-W46", "2026-W47", W48):
        set_week_status(db, rock.id, week, "off_track")
    step = add_milestone(db, rock.id, "Lease signed", None)
    toggle_milestone(db, step.id, FRIDAY)
    rocks = weekly_review(db, W48, FRIDAY).rocks
    assert [r.text.split(" (")[0] for r in rocks.milestones_done] == ["Lease signed"]
    assert [r.text.endswith("off track 3 weeks") for r in rocks.off_track_long] == [True]
    assert rocks.off_track_no_hours[0].text.endswith("off track, 0h this week")


# ------------------------------------------------------------------ tasks and carry-over


def test_tasks_by_quadrant_overdue_delegated_and_carry_over(db, me):
    done = add_task(db, "Call the bank !iu", FRIDAY)
    toggle_done(db, done.id, FRIDAY)
    late = add_task(db, "Send the contract !u 2026-11-20", FRIDAY)
    open_here = add_task(db, "Prepare offsite !i 2026-11-26", FRIDAY)
    review = weekly_review(db, W48, FRIDAY)
    counts = {c.label: c.count for c in review.tasks.done_by_quadrant}
    assert counts["Q1 Do"] == 1 and review.tasks.done_total == 1
    assert review.tasks.overdue.count == 2  # due 20 Nov and 26 Nov, open on Friday 27 Nov
    assert [c.task_id for c in review.carry_over] == [open_here.id]
    assert review.carry_over[0].why == "due Thu 26 Nov"
    assert late.id not in [c.task_id for c in review.carry_over]


# ------------------------------------------------------------------ headline


def test_the_headline_sentence():
    assert (
        headline_sentence(3, 2, 570, 840, 2, 0.857)
        == "3 KPIs improved, 2 slipped; Rock time 9h30 of 14h planned; 2 Rocks back on track; "
        "to-dos 86%"
    )
    assert headline_sentence(1, 0, 0, 0, 0, None) == "1 KPI improved, 0 slipped"
    assert headline_sentence(0, 0, 0, 0, 0, None) == "A quiet week: nothing recorded yet."


# ------------------------------------------------------------------ weeks, W53, months


def test_w53_is_reviewed_and_counts_in_december():
    assert week_title("2026-W53") == "Week 53 · 28 Dec 2026 – 3 Jan 2027"
    assert month_of_week("2026-W53") == "2026-12"  # its Thursday is 31 Dec
    assert weeks_of_month("2026-12")[-1] == "2026-W53"
    assert weeks_of_month("2027-01")[0] == "2027-W01"


def test_a_review_of_w53(db, me):
    leads = measure(db, "Leads", me, "number", ">=", 40)
    record_value(db, leads.id, "2026-W53", "41")
    record_value(db, leads.id, "2026-W52", "30")
    review = weekly_review(db, "2026-W53", datetime(2027, 1, 1, 12, tzinfo=UTC))
    assert kpi(review, "Leads").change_text == "↑ +11"
    assert review.scorecard.summary == "1 of 1 on goal (100%)"


@given(st.dates(min_value=date(2000, 1, 3), max_value=date(2090, 12, 28)))
def test_every_week_counts_in_exactly_one_month(day):
    week = week_key(day)
    month = month_of_week(week)
    year, number = map(int, month.split("-"))
    previous = f"{year - (number == 1):04d}-{12 if number == 1 else number - 1:02d}"
    assert week in weeks_of_month(month)
    assert week not in weeks_of_month(previous)
    assert 4 <= len(weeks_of_month(month)) <= 5


def test_the_month_roll_up_combines_each_measurable_by_its_rule(db, me):
    leads = measure(db, "Leads", me, "number", ">=", 10)  # sum
    nps = measure(db, "NPS", me, "number", ">=", 40, combine="average")
    cash = measure(db, "Cash", me, "currency", ">=", 1, combine="last")
    # November 2026: W45-W48 (W44's Thursday is 29 Oct; W49's is 3 Dec). October: W40-W44.
    for week, values in {
        "2026-W44": (5, 30, 900),
        "2026-W45": (10, 40, 1000),
        "2026-W46": (20, 50, 1100),
        "2026-W48": (30, 60, 1200),
        "2026-W49": (99, 99, 9999),
    }.items():
        for measurable, value in zip((leads, nps, cash), values, strict=True):
            record_value(db, measurable.id, week, str(value))
    month = monthly_review(db, "2026-11", FRIDAY)
    assert month.weeks == ("2026-W45", "2026-W46", "2026-W47", "2026-W48")
    assert "Thursday" in month.rule and "Thursday" in review_json(month)
    lines = {line.name: line for line in month.lines}
    assert (lines["Leads"].current, lines["Leads"].previous) == (60, 5)
    assert lines["NPS"].current == 50 and lines["NPS"].previous == 30
    assert (lines["Cash"].current_text, lines["Cash"].previous_text) == ("$1,200", "$900")
    assert lines["Leads"].change_text == "↑ +55"
    assert len(lines["Leads"].rows) == 9  # October's five weeks and November's four


def test_a_bad_month_is_one_sentence(db, one_sentence):
    for text in ("2026-13", "November", "2026-1-1"):
        with pytest.raises(InputError) as err:
            monthly_review(db, text, FRIDAY)
        assert one_sentence(str(err.value))


# ------------------------------------------------------------------ one view, three forms


@pytest.fixture
def demo(tmp_path):
    now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    path = demo_copy(tmp_path / "demo.db", now, time_zone=None)
    database = open_database(path)
    try:
        yield database, now
    finally:
        database.close()


def _shown_numbers(review) -> list[str]:
    """The formatted figures a reader compares across the forms."""
    found = [review.headline, review.scorecard.summary]
    for k in review.scorecard.lines:
        found += [k.value_text, k.change_text, k.average_text, k.vs_average_text]
    found += [review.time.rock_share.text, review.time.q2_share.text, review.tasks.todo_text]
    found += [t.actual_text for t in review.time.categories]
    return [f for f in found if f]


def test_markdown_json_and_text_show_the_same_numbers(demo):
    db, now = demo
    review = weekly_review(db, "2026-W47", now)
    markdown = review_markdown(review)
    data = json.loads(review_json(review))
    text = "\n".join(
        [review.headline, *(line for s in review_sections(review) for line in s.lines)]
    )
    assert data["headline"] == review.headline
    assert data["scorecard"]["summary"] in markdown
    for figure in _shown_numbers(review):
        assert figure in markdown
        assert figure in text
        assert figure in json.dumps(data, ensure_ascii=False)


def test_the_demo_week_has_something_in_every_panel(demo):
    db, now = demo
    review = weekly_review(db, week_key(now.date()), now)
    assert review.scorecard.lines and review.time.categories and review.time.rocks
    assert review.time.skipped and review.time.ran_over
    assert review.rocks.changes and review.rocks.off_track_long
    assert review.tasks.done_total and review.tasks.overdue.count
    assert review.tasks.todo_rate is not None
    assert review.carry_over and review.people


def test_every_figure_keeps_its_rows(demo):
    db, now = demo
    review = weekly_review(db, "2026-W47", now)
    figures = review.figures()
    assert len(figures) > 20
    kpis = [rows for panel, _text, rows in figures if panel == "Scorecard"]
    assert all(kpis[1:])  # every measurable with history names its weeks
