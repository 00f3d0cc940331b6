"""The week planner: blocks, overlaps, free slots, planned vs. actual, templates, recurrence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from ceodesk.core.domain.planner import (
    DeepWorkConflict,
    WeekPlan,
    add_block,
    add_series,
    apply_ideal_week,
    carried_due,
    carry_over,
    carry_task,
    category_by_name,
    copy_week,
    delete_block,
    done_as_planned,
    edit_block,
    free_slot,
    move_block,
    occurrences,
    overlapping_ids,
    parse_actual,
    record_actual,
    resize_block,
    save_ideal_week,
    schedule_task,
    scheduled_times,
    toggle_focus,
    unfinished_linked_tasks,
    week_plan,
)
from ceodesk.core.domain.rocks import add_rock
from ceodesk.core.domain.settings import (
    add_category,
    edit_category,
    me,
    save_settings,
    set_category_archived,
)
from ceodesk.core.domain.tasks import archive_task, reschedule_task, toggle_done
from ceodesk.core.kernel.dates import shift_week, week_days, week_key
from ceodesk.core.kernel.errors import CeodeskError, InputError, NotFoundError
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import BlockSeries, IdealBlock, Task, TimeBlock
from ceodesk.core.views.capture import add_task

W48 = "2026-W48"  # Monday 23 Nov to Sunday 29 Nov 2026; NOW is Monday 10:00 UTC
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 11, 23) + timedelta(days=n) for n in range(7))


def at(text: str) -> time:
    return time.fromisoformat(text)


def cat(db: Database, name: str) -> int:
    return category_by_name(db, name).id


def plan_of(db: Database, now: datetime, week: str = W48) -> WeekPlan:
    return week_plan(db, week, now)


def shown(db: Database, now: datetime, week: str = W48) -> list[tuple[date, str, str]]:
    """(day, "09:00-10:30", title) of every block of the week, in order."""
    return [
        (b.day, f"{b.start:%H:%M}-{b.end:%H:%M}", b.title)
        for d in plan_of(db, now, week).days
        for b in d.blocks
    ]


def block(db: Database, day: date, span: str, title: str, category: str = "admin", **kw):
    start, end = span.split("-")
    return add_block(db, day, at(start), at(end), title, cat(db, category), **kw)


def set_zone(db: Database, zone: str) -> None:
    save_settings(db, my_name="Alex", time_zone=zone, day_start="07:00", day_end="19:00")


def add_fixed(db: Database, day: date, span: str, title: str) -> int:
    """An imported calendar event (the importer is not part of the planner)."""
    start, end = span.split("-")
    with db.action("Imported an event") as session:
        event = TimeBlock(
            day=day,
            start=at(start),
            end=at(end),
            title=title,
            category_id=cat(db, "meetings"),
            fixed=True,
        )
        session.add(event)
        session.flush()
        return event.id


# ---------------------------------------------------------------- overlaps


def spans(*items: str) -> list[tuple[int, time, time]]:
    return [(n, at(s.split("-")[0]), at(s.split("-")[1])) for n, s in enumerate(items)]


@pytest.mark.parametrize(
    ("items", "flagged"),
    [
        (("08:00-10:00", "10:00-11:00"), set()),  # touching is not overlapping
        (("08:00-10:00", "09:59-11:00"), {0, 1}),
        (("08:00-12:00", "09:00-10:00"), {0, 1}),  # nested
        (("08:00-09:00", "08:30-09:30", "09:15-10:00"), {0, 1, 2}),  # a chain of three
        (("08:00-12:00", "09:00-10:00", "10:30-11:00"), {0, 1, 2}),  # two inside one
        (("08:00-09:00", "08:00-09:00"), {0, 1}),  # identical
        (("13:00-14:00", "08:00-09:00", "08:30-08:45"), {1, 2}),  # order does not matter
        ((), set()),
    ],
)
def test_overlapping_ids(items, flagged):
    assert overlapping_ids(spans(*items)) == flagged


interval = st.tuples(st.integers(0, 24 * 60 - 2), st.integers(1, 24 * 60)).map(
    lambda pair: (pair[0], min(pair[0] + pair[1], 24 * 60 - 1))
)


@given(st.lists(interval, max_size=12))
def test_a_block_is_flagged_exactly_when_another_intersects_it(intervals):
    def clock(minutes: int) -> time:
        return time(minutes // 60, minutes % 60)

    blocks = [(n, clock(s), clock(e)) for n, (s, e) in enumerate(intervals) if s < e]
    expected = {
        i for i, si, ei in blocks if any(j != i and si < ej and sj < ei for j, sj, ej in blocks)
    }
    assert overlapping_ids(blocks) == expected


def test_overlapping_blocks_are_flagged_in_the_plan(db, now):
    block(db, TUE, "11:00-11:30", "1:1 Jordan", "people")
    block(db, TUE, "11:15-11:45", "Customer call", "meetings")
    block(db, TUE, "11:45-12:00", "Notes")
    flags = {b.title: b.overlaps for b in plan_of(db, now).days[1].blocks}
    assert flags == {"1:1 Jordan": True, "Customer call": True, "Notes": False}


def test_blocks_on_different_days_never_overlap(db, now):
    block(db, TUE, "11:00-12:00", "Tuesday")
    block(db, WED, "11:00-12:00", "Wednesday")
    assert not any(b.overlaps for d in plan_of(db, now).days for b in d.blocks)


# --------------------------------------------------------------- adding


def test_a_block_appears_on_its_day_and_time(db, now):
    view = block(db, TUE, "09:00-10:30", "Board prep", "strategic planning")
    assert (view.day, view.start, view.end, view.planned_minutes) == (
        TUE,
        at("09:00"),
        at("10:30"),
        90,
    )
    assert (view.category, view.colour) == ("strategic planning", "#b279a2")
    assert shown(db, now) == [(TUE, "09:00-10:30", "Board prep")]


def test_blocks_of_a_day_are_sorted_by_start_then_end(db, now):
    block(db, MON, "13:00-14:00", "C")
    block(db, MON, "08:00-10:00", "B")
    block(db, MON, "08:00-09:00", "A")
    assert [b.title for b in plan_of(db, now).days[0].blocks] == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ("10:00-10:00", "must end after it starts, on the same day"),
        ("10:00-09:00", "must end after it starts, on the same day"),
        ("23:00-01:00", "must end after it starts, on the same day"),  # across midnight
    ],
)
def test_a_block_must_end_after_it_starts_on_the_same_day(db, now, span, message, one_sentence):
    with pytest.raises(InputError, match=message) as refused:
        block(db, MON, span, "Late call")
    assert one_sentence(str(refused.value))
    assert shown(db, now) == []


def test_a_block_needs_a_title_and_a_live_category(db, now):
    with pytest.raises(InputError, match="needs a title"):
        block(db, MON, "09:00-10:00", "   ")
    with pytest.raises(NotFoundError):
        add_block(db, MON, at("09:00"), at("10:00"), "Ghost", 999)
    set_category_archived(db, cat(db, "buffer"), True)
    with pytest.raises(InputError, match="archived"):
        block(db, MON, "09:00-10:00", "Slack time", "buffer")
    assert shown(db, now) == []


def test_a_block_can_end_a_minute_before_midnight(db, now):
    block(db, SUN, "23:00-23:59", "Plan the week")
    assert shown(db, now) == [(SUN, "23:00-23:59", "Plan the week")]


# ------------------------------------------------------------ week boundaries


def test_sunday_belongs_to_its_week_and_monday_starts_the_next(db, now):
    block(db, date(2026, 11, 29), "23:00-23:45", "Sunday evening review")
    block(db, date(2026, 11, 30), "00:00-00:30", "Monday first thing")
    this_week, next_week = plan_of(db, now), plan_of(db, now, "2026-W49")
    assert [d.day for d in this_week.days] == [MON, TUE, WED, THU, FRI, SAT, SUN]
    assert [b.title for b in this_week.days[6].blocks] == ["Sunday evening review"]
    assert sum(len(d.blocks) for d in this_week.days) == 1
    assert next_week.days[0].day == date(2026, 11, 30)
    assert [b.title for b in next_week.days[0].blocks] == ["Monday first thing"]
    assert sum(len(d.blocks) for d in next_week.days) == 1


def test_the_plan_knows_today_and_the_wall_clock_in_the_users_zone(db, now):
    set_zone(db, "America/New_York")
    plan = plan_of(db, now)  # 10:00 UTC is 05:00 in New York
    assert (plan.today, plan.now_time) == (MON, at("05:00"))
    assert [d.is_today for d in plan.days] == [True] + [False] * 6
    assert (plan.day_start, plan.day_end) == (at("07:00"), at("19:00"))
    late = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # Monday 22:00 in New York
    assert plan_of(db, late).today == MON


def test_a_bad_week_key_is_an_input_error(db, now):
    with pytest.raises(InputError):
        week_plan(db, "2026-48", now)


# --------------------------------------------------------- deep-work protection


def test_a_meeting_over_deep_work_needs_confirmation(db, now, one_sentence):
    block(db, TUE, "08:00-10:00", "Deep work", "deep work")
    with pytest.raises(DeepWorkConflict) as refused:
        block(db, TUE, "09:00-09:30", "Vendor pitch", "meetings")
    assert str(refused.value) == (
        "“Vendor pitch” would overlap the deep-work block “Deep work” on Tue 24 Nov 08:00–10:00."
    )
    assert one_sentence(str(refused.value))
    assert isinstance(refused.value, CeodeskError)
    assert [t for _, _, t in shown(db, now)] == ["Deep work"]
    block(db, TUE, "09:00-09:30", "Vendor pitch", "meetings", confirm_over_deep_work=True)
    assert [(b.title, b.overlaps) for b in plan_of(db, now).days[1].blocks] == [
        ("Deep work", True),
        ("Vendor pitch", True),
    ]


def test_other_blocks_and_touching_meetings_need_no_confirmation(db, now):
    block(db, TUE, "08:00-10:00", "Deep work", "deep work")
    block(db, TUE, "10:00-11:00", "Staff meeting", "meetings")  # touching
    block(db, TUE, "09:00-09:15", "Sign contract", "admin")  # not a meeting
    block(db, WED, "09:00-10:00", "Vendor pitch", "meetings")  # another day
    assert len(shown(db, now)) == 4


def test_moving_or_recategorising_a_meeting_onto_deep_work_needs_confirmation(db, now):
    block(db, TUE, "08:00-10:00", "Deep work", "deep work")
    meeting = block(db, TUE, "10:00-11:00", "Staff meeting", "meetings")
    with pytest.raises(DeepWorkConflict):
        move_block(db, meeting.id, minutes=-30)
    other = block(db, TUE, "09:00-09:30", "Call", "admin")
    with pytest.raises(DeepWorkConflict):
        edit_block(db, other.id, title="Call", category_id=cat(db, "meetings"), task_id=None)
    moved = move_block(db, meeting.id, minutes=-30, confirm_over_deep_work=True)
    assert (moved.start, moved.end, moved.overlaps) == (at("09:30"), at("10:30"), True)


# ---------------------------------------------------------- edit, move, resize


def test_editing_changes_title_category_and_task_but_not_time(db, now):
    task = add_task(db, "Write memo !i", now)
    view = block(db, WED, "08:00-10:00", "Deep work", "deep work")
    edited = edit_block(
        db, view.id, title="Memo", category_id=cat(db, "strategic planning"), task_id=task.id
    )
    assert (edited.title, edited.category, edited.task_title) == (
        "Memo",
        "strategic planning",
        "Write memo",
    )
    assert (edited.start, edited.end) == (at("08:00"), at("10:00"))


def test_editing_the_length_is_part_of_the_same_undoable_edit(db, now):
    view = block(db, WED, "08:00-10:00", "Deep work", "deep work")
    edited = edit_block(
        db, view.id, title="Memo", category_id=cat(db, "deep work"), task_id=None, minutes=90
    )
    assert (edited.title, edited.start, edited.end) == ("Memo", at("08:00"), at("09:30"))
    with pytest.raises(InputError, match="at least 15 minutes"):
        edit_block(
            db, view.id, title="Memo", category_id=cat(db, "deep work"), task_id=None, minutes=5
        )
    db.undo()
    assert shown(db, now) == [(WED, "08:00-10:00", "Deep work")]


def test_moving_keeps_the_length(db, now):
    view = block(db, TUE, "09:00-10:30", "Board prep")
    moved = move_block(db, view.id, days=1, minutes=45)
    assert (moved.day, moved.start, moved.end) == (WED, at("09:45"), at("11:15"))
    assert shown(db, now) == [(WED, "09:45-11:15", "Board prep")]


@pytest.mark.parametrize(("span", "minutes"), [("00:15-01:00", -30), ("23:00-23:30", 30)])
def test_a_block_cannot_move_past_midnight(db, now, span, minutes):
    view = block(db, TUE, span, "Edge")
    with pytest.raises(InputError, match="past midnight"):
        move_block(db, view.id, minutes=minutes)
    assert shown(db, now) == [(TUE, span, "Edge")]


def test_moving_to_another_week_moves_it_out_of_this_one(db, now):
    view = block(db, SUN, "10:00-11:00", "Weekend read")
    move_block(db, view.id, days=1)
    assert shown(db, now) == []
    assert shown(db, now, "2026-W49") == [(date(2026, 11, 30), "10:00-11:00", "Weekend read")]


def test_imported_events_stay_where_they_are(db, now):
    event = add_fixed(db, TUE, "14:00-15:00", "Board call")
    with pytest.raises(InputError, match="Imported calendar events stay where they are"):
        move_block(db, event, minutes=30)
    with pytest.raises(InputError, match="stay where they are"):
        resize_block(db, event, 30)
    [view] = [b for d in plan_of(db, now).days for b in d.blocks]
    assert (view.fixed, view.start) == (True, at("14:00"))
    assert delete_block(db, event) == "Board call"


def test_resizing_changes_the_end(db, now):
    view = block(db, TUE, "09:00-10:00", "Board prep")
    assert resize_block(db, view.id, 30).end == at("10:30")
    assert resize_block(db, view.id, -60).end == at("09:30")


def test_a_block_lasts_at_least_15_minutes_and_ends_by_midnight(db, now):
    view = block(db, TUE, "09:00-09:30", "Short")
    with pytest.raises(InputError, match="at least 15 minutes"):
        resize_block(db, view.id, -30)
    assert resize_block(db, view.id, -15).end == at("09:15")
    late = block(db, TUE, "23:00-23:30", "Late")
    with pytest.raises(InputError, match="midnight"):
        resize_block(db, late.id, 30)


def test_deleting_returns_the_title_and_a_missing_block_is_not_found(db, now):
    view = block(db, TUE, "09:00-10:00", "Board prep")
    assert delete_block(db, view.id) == "Board prep"
    assert shown(db, now) == []
    with pytest.raises(NotFoundError):
        delete_block(db, view.id)


# ------------------------------------------------------------------ actuals


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45", (45, False)),
        (" 0 ", (0, False)),
        ("45m", (45, False)),
        ("1h30", (90, False)),
        ("2h", (120, False)),
        ("skip", (None, True)),
        ("Skipped", (None, True)),
        ("1:30", (90, False)),  # a duration, as everywhere: 1h30
        ("", (None, False)),
    ],
)
def test_parse_actual(text, expected):
    assert parse_actual(text) == expected


@pytest.mark.parametrize("text", ["abc", "-5", "1h75", "1500", "25h", "0m", "4 5"])
def test_parse_actual_refuses_what_is_not_a_time(text, one_sentence):
    with pytest.raises(InputError) as refused:
        parse_actual(text)
    assert one_sentence(str(refused.value))


def test_recording_what_really_happened(db, now):
    view = block(db, MON, "08:00-10:00", "Deep work", "deep work")
    assert done_as_planned(db, view.id).actual_minutes == 120
    recorded = record_actual(db, view.id, 90)
    assert (recorded.actual_minutes, recorded.skipped, recorded.is_recorded) == (90, False, True)
    skipped = record_actual(db, view.id, None, skipped=True)
    assert (skipped.actual_minutes, skipped.skipped, skipped.is_recorded) == (None, True, True)
    cleared = record_actual(db, view.id, None)
    assert (cleared.actual_minutes, cleared.skipped, cleared.is_recorded) == (None, False, False)


@pytest.mark.parametrize("minutes", [-1, 24 * 60 + 1])
def test_an_actual_is_between_0_minutes_and_24_hours(db, minutes):
    view = block(db, MON, "08:00-10:00", "Deep work", "deep work")
    with pytest.raises(InputError):
        record_actual(db, view.id, minutes)


# ---------------------------------------------------------- planned vs. actual


def test_planned_and_actual_per_category(db, now):
    task = add_task(db, "Write memo !i", now)
    memo = block(db, MON, "08:00-10:00", "Memo", "deep work", task_id=task.id)
    deep = block(db, TUE, "08:00-10:00", "Deep work", "deep work")
    block(db, WED, "08:00-10:00", "Deep work", "deep work")  # not recorded yet
    standup = block(db, MON, "10:00-10:30", "Standup", "meetings")
    call = block(db, MON, "11:00-12:00", "Call", "meetings")
    record_actual(db, memo.id, 90)
    done_as_planned(db, deep.id)
    done_as_planned(db, standup.id)
    record_actual(db, call.id, None, skipped=True)
    plan = plan_of(db, now)
    totals = {t.category: t for t in plan.totals}
    assert [t.category for t in plan.totals] == ["deep work", "meetings"]  # position order
    deep_work = totals["deep work"]
    assert (deep_work.planned_minutes, deep_work.actual_minutes) == (360, 210)
    assert deep_work.planned_recorded_minutes == 240
    assert deep_work.difference_minutes == -30  # Wednesday's block is not a shortfall
    meetings = totals["meetings"]
    assert (meetings.planned_minutes, meetings.actual_minutes) == (90, 30)  # skipped = 0
    assert meetings.difference_minutes == -60
    assert (plan.planned_minutes, plan.actual_minutes) == (450, 240)
    assert plan.task_linked_minutes == 120
    assert totals["deep work"].colour == "#4c78a8"


def test_more_time_than_planned_shows_as_a_positive_difference(db, now):
    view = block(db, MON, "08:00-09:00", "Deep work", "deep work")
    record_actual(db, view.id, 75)
    [total] = plan_of(db, now).totals
    assert total.difference_minutes == 15


def test_an_empty_week_has_no_totals(db, now):
    plan = plan_of(db, now)
    assert plan.is_empty
    assert (plan.totals, plan.planned_minutes, plan.actual_minutes) == ((), 0, 0)
    assert [d.blocks for d in plan.days] == [()] * 7


# ------------------------------------------------------------------ free slots


def test_the_first_free_slot_is_inside_deep_work_and_after_now(db, now):
    apply_ideal_week(db, W48)  # 08-10 deep work every weekday; it is Monday 10:00
    assert free_slot(db, W48, 60, now) == (TUE, at("08:00"))


def test_a_free_slot_skips_booked_time(db, now):
    apply_ideal_week(db, W48)
    block(db, TUE, "07:45-08:40", "Early call", "meetings", confirm_over_deep_work=True)
    assert free_slot(db, W48, 60, now) == (TUE, at("08:45"))  # the next quarter hour
    block(db, TUE, "09:00-09:30", "Quick sync", "people")
    assert free_slot(db, W48, 15, now) == (TUE, at("08:45"))
    assert free_slot(db, W48, 30, now) == (TUE, at("09:30"))
    assert free_slot(db, W48, 60, now) == (WED, at("08:00"))


def test_a_deep_work_block_linked_to_a_task_is_taken(db, now):
    task = add_task(db, "Write memo !i", now)
    block(db, TUE, "08:00-10:00", "Memo", "deep work", task_id=task.id)
    block(db, WED, "08:00-10:00", "Deep work", "deep work")
    assert free_slot(db, W48, 60, now) == (WED, at("08:00"))


def test_a_free_slot_respects_now(db, now):
    apply_ideal_week(db, W48)
    assert free_slot(db, W48, 60, now.replace(hour=8, minute=20)) == (MON, at("08:30"))
    assert free_slot(db, W48, 60, now.replace(hour=8, minute=0)) == (MON, at("08:00"))
    assert free_slot(db, W48, 60, now.replace(hour=9, minute=5)) == (TUE, at("08:00"))


def test_no_free_slot_when_deep_work_is_full_or_the_week_is_over(db, now):
    assert free_slot(db, W48, 60, now) is None  # no deep work at all
    block(db, TUE, "08:00-09:00", "Deep work", "deep work")
    block(db, TUE, "08:00-09:00", "Interview", "people")
    assert free_slot(db, W48, 60, now) is None
    apply_ideal_week(db, "2026-W47")
    assert free_slot(db, "2026-W47", 60, now) is None  # last week is past
    assert free_slot(db, W48, 180, now) is None  # longer than any deep-work block


def test_free_slot_in_a_later_week_starts_on_its_monday(db, now):
    apply_ideal_week(db, "2026-W49")
    assert free_slot(db, "2026-W49", 30, now) == (date(2026, 11, 30), at("08:00"))
    assert free_slot(db, "2026-W49", 30, now, within_kind="admin") == (
        date(2026, 11, 30),
        at("11:00"),
    )


# ------------------------------------------------------------------ scheduling


def test_scheduling_a_task_creates_a_linked_deep_work_block(db, now):
    apply_ideal_week(db, W48)
    task = add_task(db, "Write memo !i 90m", now)
    view = schedule_task(db, task.id, W48, now).blocks[0]
    assert (view.day, view.start, view.end) == (TUE, at("08:00"), at("09:30"))
    assert (view.title, view.category, view.task_id, view.task_title) == (
        "Write memo",
        "deep work",
        task.id,
        "Write memo",
    )
    assert scheduled_times(db, [task.id]) == {task.id: (TUE, at("08:00"))}
    second = schedule_task(db, add_task(db, "Read report !i 1h15m", now).id, W48, now)
    # Tuesday has only 30 minutes of deep work left: the 1h15 goes into Wednesday.
    assert [(b.day, b.start, b.end) for b in second.blocks] == [(WED, at("08:00"), at("09:15"))]
    assert second.sentence() == "Scheduled “Read report” Wed 25 Nov 08:00–09:15."


def test_renamed_deep_work_and_meetings_keep_scheduling_and_protection(db, now):
    """The rules follow a category's kind: renaming "deep work" to "Focus time" (and
    "meetings" to "Calls") keeps scheduling and the meeting-over-deep-work question;
    a new category called "deep work" gets neither."""
    apply_ideal_week(db, W48)
    edit_category(db, cat(db, "deep work"), "Focus time", "#4c78a8")
    edit_category(db, cat(db, "meetings"), "Calls", "#f58518")
    impostor = add_category(db, "deep work", "#000000")
    assert impostor.kind == "other"

    task = add_task(db, "Write memo !i 90m", now)
    view = schedule_task(db, task.id, W48, now).blocks[0]
    assert (view.day, view.start, view.end, view.category) == (
        TUE,
        at("08:00"),
        at("09:30"),
        "focus time",
    )
    assert not view.overlaps  # placed inside the focus time, not clashing with it
    assert free_slot(db, W48, 30, now) == (TUE, at("09:30"))
    with pytest.raises(DeepWorkConflict):
        block(db, WED, "09:00-09:30", "Vendor pitch", "calls")
    block(db, THU, "07:00-08:30", "Not really deep", "deep work")  # the new one: no rule
    block(db, THU, "07:30-08:00", "Early call", "calls")  # over it: nothing to confirm
    assert free_slot(db, W48, 120, now) == (WED, at("08:00"))  # never in the impostor


def test_a_long_task_is_split_into_two_hour_sessions(db, now):
    apply_ideal_week(db, W48)
    task = add_task(db, "Strategy offsite prep !i 4h", now)
    scheduled = schedule_task(db, task.id, W48, now)
    assert [(b.day, b.start, b.end) for b in scheduled.blocks] == [
        (TUE, at("08:00"), at("10:00")),
        (WED, at("08:00"), at("10:00")),
    ]
    assert not scheduled.is_partial
    assert scheduled.sentence() == (
        "Scheduled “Strategy offsite prep” Tue 24 Nov 08:00–10:00 and Wed 25 Nov 08:00–10:00."
    )


def test_scheduling_uses_the_cursor_when_no_deep_work_is_free(db, now, one_sentence):
    task = add_task(db, "Write memo !i", now)
    with pytest.raises(InputError) as refused:
        schedule_task(db, task.id, W48, now)
    assert str(refused.value) == "No free deep-work time left this week; place it with the cursor."
    assert one_sentence(str(refused.value))
    view = schedule_task(db, task.id, W48, now, at=(THU, at("14:00"))).blocks[0]
    assert (view.day, view.start, view.end, view.category) == (
        THU,
        at("14:00"),
        at("15:00"),
        "deep work",
    )


def test_a_done_or_archived_task_is_not_scheduled(db, now):
    apply_ideal_week(db, W48)
    done = add_task(db, "Done already !i", now)
    toggle_done(db, done.id, now)
    with pytest.raises(InputError, match="already done"):
        schedule_task(db, done.id, W48, now)
    gone = add_task(db, "Gone !i", now)
    archive_task(db, gone.id, now)
    with pytest.raises(NotFoundError):
        schedule_task(db, gone.id, W48, now)


def test_scheduled_times_report_the_earliest_block(db, now):
    task = add_task(db, "Write memo !i", now)
    other = add_task(db, "Unscheduled !i", now)
    block(db, THU, "14:00-15:00", "Memo II", "deep work", task_id=task.id)
    block(db, date(2026, 11, 16), "09:00-10:00", "Memo I", "deep work", task_id=task.id)
    assert scheduled_times(db, [task.id, other.id]) == {task.id: (date(2026, 11, 16), at("09:00"))}
    assert scheduled_times(db, [task.id], today=MON) == {task.id: (THU, at("14:00"))}
    assert scheduled_times(db, []) == {}


# ------------------------------------------------------------ ideal week


def test_a_new_database_has_the_default_ideal_week(db, now):
    assert apply_ideal_week(db, W48) == 25
    plan = plan_of(db, now)
    for weekday in range(5):
        assert [
            (f"{b.start:%H:%M}-{b.end:%H:%M}", b.category) for b in plan.days[weekday].blocks
        ] == [
            ("08:00-10:00", "deep work"),
            ("10:00-11:00", "meetings"),
            ("11:00-12:00", "admin"),
            ("13:00-15:00", "strategic planning"),
            ("15:00-17:00", "team collaboration"),
        ]
    assert plan.days[5].blocks == plan.days[6].blocks == ()
    assert not plan.is_empty


def test_applying_the_ideal_week_twice_adds_no_duplicates(db, now, one_sentence):
    apply_ideal_week(db, W48)
    with pytest.raises(InputError, match="already has blocks") as refused:
        apply_ideal_week(db, W48)
    assert str(refused.value) == (
        "2026-W48 already has blocks; apply the ideal week to an empty week."
    )
    assert one_sentence(str(refused.value))
    assert len(shown(db, now)) == 25


def test_saving_a_week_as_the_ideal_week_replaces_the_template(db, now):
    block(db, MON, "07:00-09:00", "Morning deep work", "deep work")
    block(db, SAT, "10:00-11:00", "Weekly reflection", "personal")
    record_actual(db, plan_of(db, now).days[0].blocks[0].id, 60)
    assert save_ideal_week(db, W48) == 2
    assert apply_ideal_week(db, "2026-W50") == 2
    assert shown(db, now, "2026-W50") == [
        (date(2026, 12, 7), "07:00-09:00", "Morning deep work"),
        (date(2026, 12, 12), "10:00-11:00", "Weekly reflection"),
    ]
    assert not any(b.is_recorded for d in plan_of(db, now, "2026-W50").days for b in d.blocks)


def ideal_uids(db: Database) -> dict[tuple[int, str], str]:
    """(weekday, "HH:MM-HH:MM title") -> uid of each ideal block."""
    with db.session() as session:
        return {
            (i.weekday, f"{i.start:%H:%M}-{i.end:%H:%M} {i.title}"): i.uid
            for i in session.exec(select(IdealBlock))
        }


def test_saving_an_edited_ideal_week_keeps_the_uids_of_the_blocks_kept(db, now):
    before = ideal_uids(db)
    apply_ideal_week(db, W48)
    tuesday = {b.title: b for b in plan_of(db, now).days[1].blocks}
    admin = tuesday["Admin"]
    edit_block(db, admin.id, title="Email", category_id=admin.category_id, task_id=None)
    delete_block(db, tuesday["Team collaboration"].id)
    move_block(db, tuesday["Strategic planning"].id, minutes=60)
    assert save_ideal_week(db, W48) == 24
    after = ideal_uids(db)
    unchanged = {key: uid for key, uid in before.items() if key[0] != 1}
    assert {key: after[key] for key in unchanged} == unchanged  # the other days keep theirs
    assert after[(1, "08:00-10:00 Deep work")] == before[(1, "08:00-10:00 Deep work")]
    assert after[(1, "11:00-12:00 Email")] == before[(1, "11:00-12:00 Admin")]  # retitled
    assert (
        after[(1, "14:00-16:00 Strategic planning")]
        == before[(1, "13:00-15:00 Strategic planning")]
    )  # moved
    assert before[(1, "15:00-17:00 Team collaboration")] not in after.values()  # deleted
    assert len(after) == 24
    db.undo()
    assert ideal_uids(db) == before


def test_an_empty_week_cannot_be_saved_as_the_ideal_week(db, now):
    with pytest.raises(InputError, match="no blocks to save as the ideal week"):
        save_ideal_week(db, W48)
    assert apply_ideal_week(db, W48) == 25  # the default template is still there


def test_an_empty_template_cannot_be_applied(db, now):
    with db.action("Cleared the template") as session:
        for ideal in session.exec(select(IdealBlock)).all():
            session.delete(ideal)
    with pytest.raises(InputError, match="ideal week is empty"):
        apply_ideal_week(db, W48)


def test_recurring_and_imported_blocks_leave_a_week_empty(db, now):
    add_series(
        db, "Leadership", cat(db, "meetings"), "FREQ=WEEKLY;BYDAY=TU", at("09:00"), at("10:30"), MON
    )
    add_fixed(db, WED, "14:00-15:00", "Board call")
    plan = plan_of(db, now)
    assert plan.is_empty
    assert len(shown(db, now)) == 2
    assert apply_ideal_week(db, W48) == 25
    assert save_ideal_week(db, W48) == 25  # the series and the event are not in it


# ------------------------------------------------------------------ copy week


def test_copy_last_week_shifts_blocks_by_a_week_without_actuals(db, now):
    open_task = add_task(db, "Write memo !i", now)
    done_task = add_task(db, "Old memo !i", now)
    monday_before = date(2026, 11, 16)
    first = block(db, monday_before, "08:00-10:00", "Memo", "deep work", task_id=open_task.id)
    block(
        db, monday_before + timedelta(days=2), "10:00-11:00", "Old", "admin", task_id=done_task.id
    )
    block(db, monday_before + timedelta(days=6), "18:00-19:00", "Sunday plan", "personal")
    add_fixed(db, monday_before, "14:00-15:00", "Imported call")
    record_actual(db, first.id, 120)
    toggle_done(db, done_task.id, now)
    assert copy_week(db, "2026-W47", W48) == 3
    blocks = {b.title: b for d in plan_of(db, now).days for b in d.blocks}
    assert sorted(blocks) == ["Memo", "Old", "Sunday plan"]
    assert (blocks["Memo"].day, blocks["Memo"].start) == (MON, at("08:00"))
    assert blocks["Memo"].task_id == open_task.id
    assert blocks["Old"].task_id is None  # the task is done
    assert blocks["Sunday plan"].day == SUN
    assert not any(b.is_recorded for b in blocks.values())


def test_copying_refuses_a_planned_target_or_an_empty_source(db, now):
    block(db, MON, "08:00-09:00", "Here already")
    with pytest.raises(InputError, match="no blocks to copy"):
        copy_week(db, "2026-W47", "2026-W49")
    block(db, date(2026, 11, 16), "08:00-09:00", "Last week")
    with pytest.raises(InputError, match="2026-W48 already has blocks"):
        copy_week(db, "2026-W47", W48)
    with pytest.raises(InputError, match="into itself"):
        copy_week(db, W48, W48)
    assert len(shown(db, now)) == 1


# ------------------------------------------------------------------ carry-over


@pytest.fixture
def last_week_work(db, now):
    """Tasks worked on last week: one open, one done, one already planned this week."""
    tue_before = date(2026, 11, 17)
    open_task = add_task(db, "Map onboarding !i", now)
    done_task = add_task(db, "Churn analysis !i", now)
    planned = add_task(db, "Hiring plan !i", now)
    block(db, tue_before, "08:00-10:00", "Onboarding I", "deep work", task_id=open_task.id)
    thursday_before = tue_before + timedelta(days=2)
    block(
        db,
        thursday_before,
        "13:00-14:30",
        "Onboarding II",
        "strategic planning",
        task_id=open_task.id,
    )
    block(db, tue_before, "10:00-11:00", "Churn", "deep work", task_id=done_task.id)
    block(db, tue_before, "11:00-12:00", "Hiring", "deep work", task_id=planned.id)
    block(db, WED, "11:00-12:00", "Hiring", "deep work", task_id=planned.id)
    toggle_done(db, done_task.id, now)
    return open_task, planned


def test_unfinished_linked_tasks_are_offered_for_carry_over(db, now, last_week_work):
    open_task, planned = last_week_work
    assert unfinished_linked_tasks(db, W48) == [(open_task.id, "Map onboarding")]
    assert unfinished_linked_tasks(db, "2026-W49") == [(planned.id, "Hiring plan")]


def test_carry_over_keeps_weekday_time_and_category_of_the_last_block(db, now, last_week_work):
    last_week_work, _ = last_week_work
    assert carry_over(db, [last_week_work.id], W48, now) == 1
    [view] = [b for b in plan_of(db, now).days[3].blocks if b.task_id == last_week_work.id]
    assert (view.start, view.end, view.category, view.title) == (
        at("13:00"),
        at("14:30"),
        "strategic planning",
        "Onboarding II",
    )
    assert unfinished_linked_tasks(db, W48) == []


def test_carry_over_falls_back_to_a_free_deep_work_slot(db, now, last_week_work):
    last_week_work, _ = last_week_work
    block(db, THU, "13:00-14:00", "Busy", "people")
    block(db, FRI, "08:00-10:00", "Deep work", "deep work")
    assert carry_over(db, [last_week_work.id], W48, now) == 1
    [view] = [b for d in plan_of(db, now).days for b in d.blocks if b.task_id == last_week_work.id]
    assert (view.day, view.start, view.end, view.category) == (
        FRI,
        at("08:00"),
        at("09:00"),
        "deep work",
    )


def test_carry_over_does_not_plan_into_the_past(db, now):
    task = add_task(db, "Map onboarding !i", now)
    block(db, date(2026, 11, 16), "08:00-09:00", "Onboarding", "deep work", task_id=task.id)
    assert carry_over(db, [task.id], W48, now) == 0  # Monday 08:00 is gone, no deep work
    apply_ideal_week(db, W48)
    assert carry_over(db, [task.id], W48, now) == 1
    assert scheduled_times(db, [task.id], today=MON) == {task.id: (TUE, at("08:00"))}


def test_carrying_over_several_tasks_places_them_apart(db, now):
    apply_ideal_week(db, W48)
    tasks = [add_task(db, f"Task {n} !i", now).id for n in range(3)]
    assert carry_over(db, tasks, W48, now) == 3
    starts = scheduled_times(db, tasks)
    assert sorted(starts.values()) == [(TUE, at("08:00")), (TUE, at("09:00")), (WED, at("08:00"))]
    assert db.undo() == "Carried over 3 tasks"
    assert scheduled_times(db, tasks) == {}


# ---------------------------------------------------------------------- focus


def test_pinning_and_unpinning_focus_tasks(db, now):
    memo = add_task(db, "Write memo !i", now)
    deck = add_task(db, "Board deck !iu", now)
    block(db, TUE, "08:00-10:00", "Memo", "deep work", task_id=memo.id)
    assert toggle_focus(db, TUE, deck.id) is True
    assert toggle_focus(db, TUE, memo.id) is True
    tuesday = plan_of(db, now).days[1]
    assert [(f.title, f.has_block) for f in tuesday.focus] == [
        ("Board deck", False),
        ("Write memo", True),
    ]
    assert tuesday.warnings == ("Focus task “Board deck” has no time block on Tue 24 Nov.",)
    assert toggle_focus(db, TUE, deck.id) is False
    assert plan_of(db, now).days[1].warnings == ()


def test_a_third_focus_task_is_allowed_with_a_warning(db, now):
    tasks = [add_task(db, f"Focus {n} !i", now) for n in range(3)]
    for task in tasks:
        block(db, WED, "09:00-10:00", task.title, "deep work", task_id=task.id)
        toggle_focus(db, WED, task.id)
    wednesday = plan_of(db, now).days[2]
    assert len(wednesday.focus) == 3
    assert wednesday.warnings == ("More than two focus tasks on Wed 25 Nov.",)


def test_a_done_focus_task_needs_no_block_and_an_archived_one_is_gone(db, now):
    done = add_task(db, "Done focus !i", now)
    gone = add_task(db, "Archived focus !i", now)
    toggle_focus(db, MON, done.id)
    toggle_focus(db, MON, gone.id)
    toggle_done(db, done.id, now)
    archive_task(db, gone.id, now)
    monday = plan_of(db, now).days[0]
    assert [(f.title, f.done) for f in monday.focus] == [("Done focus", True)]
    assert monday.warnings == ()


# ------------------------------------------------------------------ recurrence

TUESDAYS = "FREQ=WEEKLY;BYDAY=TU"


def leadership(db: Database, starts_on: date, rule: str = TUESDAYS, **kw) -> int:
    meetings = cat(db, "meetings")
    title = "Leadership meeting"
    return add_series(db, title, meetings, rule, at("09:00"), at("10:30"), starts_on, **kw)


@pytest.mark.parametrize(
    ("zone", "weeks", "offsets"),
    [
        # Berlin leaves summer time on Sunday 25 Oct 2026 (in 2026-W43).
        ("Europe/Berlin", ["2026-W42", "2026-W43", "2026-W44", "2026-W45"], {2, 1}),
        # New York leaves daylight time on Sunday 1 Nov 2026 (in 2026-W44).
        ("America/New_York", ["2026-W43", "2026-W44", "2026-W45"], {-4, -5}),
        # Berlin enters summer time on Sunday 28 Mar 2027 (in 2027-W12).
        ("Europe/Berlin", ["2027-W11", "2027-W12", "2027-W13"], {1, 2}),
    ],
)
def test_a_weekly_series_keeps_its_wall_clock_time_across_dst(db, zone, weeks, offsets):
    set_zone(db, zone)
    leadership(db, date(2026, 10, 6))
    tz = ZoneInfo(zone)
    seen_offsets = set()
    for week in weeks:
        now = datetime.combine(date.fromisoformat("2026-10-01"), time(12), tz)
        [(day, span, title)] = shown(db, now, week)
        assert (day.weekday(), span, title) == (1, "09:00-10:30", "Leadership meeting")
        starts = datetime.combine(day, at("09:00"), tz)
        seen_offsets.add(starts.utcoffset() // timedelta(hours=1))
    assert seen_offsets == offsets


def test_occurrences_expand_a_rule_in_the_users_zone(db):
    set_zone(db, "Europe/Berlin")
    leadership(db, date(2026, 10, 1), "FREQ=DAILY")
    with db.session() as session:
        series = session.exec(select(BlockSeries)).one()
    berlin = ZoneInfo("Europe/Berlin")
    days = occurrences(series, "2026-W43", berlin)  # contains the switch on Sunday
    assert [d for d, _, _ in days] == [date(2026, 10, 19) + timedelta(days=n) for n in range(7)]
    assert {(s, e) for _, s, e in days} == {(at("09:00"), at("10:30"))}
    assert occurrences(series, "2026-W39", berlin) == []  # before it starts
    assert len(occurrences(series, "2026-W40", berlin)) == 4  # Thu 1 Oct to Sun 4 Oct


def test_a_series_respects_its_end_and_its_count(db, now):
    leadership(db, MON, ends_on=date(2026, 12, 1))
    rule = "FREQ=WEEKLY;BYDAY=MO;COUNT=2"
    add_series(db, "Kickoffs", cat(db, "meetings"), rule, at("08:00"), at("08:30"), MON)
    assert [t for _, _, t in shown(db, now)] == ["Kickoffs", "Leadership meeting"]
    assert [t for _, _, t in shown(db, now, "2026-W49")] == ["Kickoffs", "Leadership meeting"]
    assert shown(db, now, "2026-W50") == []


def test_showing_a_week_twice_writes_its_occurrences_once(db, now):
    leadership(db, MON)
    far = "2027-W20"  # beyond the weeks add_series writes itself
    first = plan_of(db, now, far)
    second = plan_of(db, now, far)
    assert first == second
    assert len([b for d in second.days for b in d.blocks]) == 1
    assert db.undo() == "Added repeating “Leadership meeting”"  # showing is not an action


def test_a_deleted_occurrence_stays_deleted(db, now):
    series_id = leadership(db, MON)
    for week in (W48, "2027-W10"):  # written by add_series, and written when first shown
        [occurrence] = [b for d in plan_of(db, now, week).days for b in d.blocks]
        assert occurrence.series_id == series_id
        delete_block(db, occurrence.id)
        assert shown(db, now, week) == []
        assert shown(db, now, week) == []
    db.undo()
    assert len(shown(db, now, "2027-W10")) == 1


def test_a_moved_occurrence_is_not_written_again(db, now):
    leadership(db, MON)
    [occurrence] = [b for d in plan_of(db, now).days for b in d.blocks]
    move_block(db, occurrence.id, days=1)
    assert shown(db, now) == [(WED, "09:00-10:30", "Leadership meeting")]


def test_undoing_a_series_removes_its_occurrences(db, now):
    leadership(db, MON)
    assert len(shown(db, now, "2027-W02")) == 1
    db.undo()
    assert shown(db, now) == []
    assert shown(db, now, "2027-W02") == []
    db.redo()
    assert shown(db, now) == [(TUE, "09:00-10:30", "Leadership meeting")]


def test_undoing_a_series_removes_occurrences_written_when_shown(db, now):
    leadership(db, MON)
    far = "2027-W30"  # beyond the weeks add_series writes itself
    assert len(shown(db, now, far)) == 1
    db.undo()
    assert shown(db, now, W48) == []
    assert shown(db, now, far) == []
    db.redo()
    assert shown(db, now, far) == [(date(2027, 7, 27), "09:00-10:30", "Leadership meeting")]


def test_showing_a_written_week_again_does_not_touch_the_file(db, now):
    leadership(db, MON)
    watcher = db.watcher()
    try:
        plan_of(db, now, "2027-W30")
        assert watcher.changed()  # written when first shown
        plan_of(db, now, "2027-W30")
        plan_of(db, now, W48)
        assert not watcher.changed()
    finally:
        watcher.close()


def test_redoing_a_series_links_its_later_occurrences_again(db, now):
    series_id = leadership(db, MON)
    far = "2027-W30"  # beyond the weeks add_series writes itself
    plan_of(db, now, far)
    db.undo()
    db.redo()
    [occurrence] = [b for d in plan_of(db, now, far).days for b in d.blocks]
    assert occurrence.series_id == series_id


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY;BYDAY=XX", "is not a repeat rule"),
        ("every tuesday", "is not a repeat rule"),
        ("  ", "needs a rule"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY", "is not a repeat rule"),
        ("FREQ=HOURLY", "at most once a day"),
    ],
)
def test_a_bad_rule_is_refused(db, now, rule, message, one_sentence):
    with pytest.raises(InputError, match=message) as refused:
        leadership(db, MON, rule)
    assert one_sentence(str(refused.value))
    assert shown(db, now) == []


def test_a_series_accepts_an_rrule_prefix_and_refuses_bad_times(db, now):
    leadership(db, MON, "RRULE:FREQ=WEEKLY;BYDAY=TU")
    assert len(shown(db, now)) == 1
    with pytest.raises(InputError, match="same day"):
        add_series(db, "Late", cat(db, "admin"), TUESDAYS, at("23:00"), at("01:00"), MON)
    with pytest.raises(InputError, match="on or after"):
        leadership(db, MON, ends_on=date(2026, 11, 1))


# -------------------------------------------------------------- categories


def test_category_by_name(db):
    assert category_by_name(db, "  Deep   Work ").name == "deep work"
    with pytest.raises(NotFoundError, match="no category called gardening"):
        category_by_name(db, "gardening")


# ------------------------------------------------------------------- undo


def _setup(db: Database, now: datetime) -> dict[str, int]:
    """A week with a deep-work block, a meeting, a linked task and a recorded actual."""
    apply_ideal_week(db, "2026-W47")
    task = add_task(db, "Write memo !i", now)
    deep = block(db, TUE, "08:00-10:00", "Deep work", "deep work")
    meeting = block(db, WED, "10:00-11:00", "Staff meeting", "meetings")
    block(db, date(2026, 11, 17), "13:00-14:00", "Memo", "strategic planning", task_id=task.id)
    record_actual(db, meeting.id, 45)
    return {"task": task.id, "deep": deep.id, "meeting": meeting.id}


UNDOABLE: dict[str, Callable[[Database, datetime, dict[str, int]], object]] = {
    "add": lambda db, now, ids: block(db, THU, "09:00-10:00", "New"),
    "add over deep work": lambda db, now, ids: block(
        db, TUE, "09:00-09:30", "Pitch", "meetings", confirm_over_deep_work=True
    ),
    "edit": lambda db, now, ids: edit_block(
        db, ids["deep"], title="Memo", category_id=cat(db, "admin"), task_id=ids["task"]
    ),
    "move": lambda db, now, ids: move_block(db, ids["meeting"], days=1, minutes=30),
    "resize": lambda db, now, ids: resize_block(db, ids["deep"], -30),
    "delete": lambda db, now, ids: delete_block(db, ids["meeting"]),
    "record": lambda db, now, ids: record_actual(db, ids["deep"], 100),
    "skip": lambda db, now, ids: record_actual(db, ids["meeting"], None, skipped=True),
    "done as planned": lambda db, now, ids: done_as_planned(db, ids["deep"]),
    "focus": lambda db, now, ids: toggle_focus(db, TUE, ids["task"]),
    "schedule": lambda db, now, ids: schedule_task(db, ids["task"], W48, now),
    "carry over": lambda db, now, ids: carry_over(db, [ids["task"]], W48, now),
    "series": lambda db, now, ids: add_series(
        db, "Weekly", cat(db, "meetings"), TUESDAYS, at("14:00"), at("15:00"), MON
    ),
    "copy": lambda db, now, ids: copy_week(db, "2026-W47", "2026-W49"),
    "apply ideal": lambda db, now, ids: apply_ideal_week(db, "2026-W49"),
    "save ideal": lambda db, now, ids: save_ideal_week(db, W48),
}


@pytest.mark.parametrize("name", list(UNDOABLE))
def test_every_planner_action_is_undone_in_one_step(db, now, name):
    ids = _setup(db, now)
    weeks = ("2026-W47", W48, "2026-W49")
    before = [plan_of(db, now, week) for week in weeks]
    with db.session() as session:
        template_before = sorted(
            (i.weekday, i.start, i.title) for i in session.exec(select(IdealBlock))
        )
    UNDOABLE[name](db, now, ids)
    after = [plan_of(db, now, week) for week in weeks]
    if name != "save ideal":
        assert after != before
    db.undo()
    assert [plan_of(db, now, week) for week in weeks] == before
    with db.session() as session:
        template = sorted((i.weekday, i.start, i.title) for i in session.exec(select(IdealBlock)))
    assert template == template_before


def test_refused_actions_leave_nothing_to_undo(db, now):
    deep = block(db, TUE, "08:00-10:00", "Deep work", "deep work")
    with pytest.raises(DeepWorkConflict):
        block(db, TUE, "09:00-09:30", "Pitch", "meetings")
    with pytest.raises(InputError):
        move_block(db, deep.id, minutes=-9 * 60)
    assert db.undo() == "Planned “Deep work”"


def test_a_block_can_serve_a_rock_directly_or_through_its_task(db, now):
    with db.session() as session:
        owner = me(session).id
    rock = add_rock(
        db, "Close the Series B round", owner, is_company=True, quarter="2026-Q4", now=now
    )
    direct = add_block(
        db, WED, at("08:00"), at("09:00"), "Investor prep", cat(db, "deep work"), rock_id=rock.id
    )
    assert (direct.rock_id, direct.rock) == (rock.id, "Close the Series B round")
    task = add_task(db, "Answer investor questions +rock:close-the", now)
    via_task = add_block(
        db, WED, at("10:00"), at("10:30"), "Answers", cat(db, "admin"), task_id=task.id
    )
    assert via_task.rock == "Close the Series B round" and via_task.direct_rock_id is None
    assert week_plan(db, "2026-W48", now).rock_minutes == 90
    # Editing without naming the Rock keeps it; naming None clears it.
    kept = edit_block(db, direct.id, title="Prep", category_id=cat(db, "deep work"), task_id=None)
    assert kept.rock_id == rock.id
    cleared = edit_block(
        db, direct.id, title="Prep", category_id=cat(db, "deep work"), task_id=None, rock_id=None
    )
    assert cleared.rock is None
    with pytest.raises(NotFoundError):
        add_block(db, WED, at("12:00"), at("13:00"), "X", cat(db, "admin"), rock_id=9999)


# --------------------------------------------------------- carrying one task on

W49 = "2026-W49"  # Monday 30 Nov to Sunday 6 Dec 2026
W49_DAYS = [MON + timedelta(days=7 + n) for n in range(7)]


def due_of(db: Database, task_id: int) -> date | None:
    with db.session() as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task.due_date


def test_carry_task_plans_a_block_next_week_in_one_undo(db, now):
    apply_ideal_week(db, W49)
    task = add_task(db, "Board deck !i thu", now)
    carried = carry_task(db, task.id, W49, now)
    assert carried.title == "Board deck" and carried.due is None
    assert scheduled_times(db, [task.id]) == {task.id: carried.block}
    assert carried.block is not None and carried.block[0] in W49_DAYS
    assert due_of(db, task.id) == THU  # a block, not a new due day
    assert db.undo() == "Planned “Board deck” in 2026-W49"
    assert scheduled_times(db, [task.id]) == {}


def test_carry_task_without_room_moves_the_due_day_into_next_week(db, now):
    this_week = add_task(db, "Board deck thu", now)
    overdue = add_task(db, "Expense report", now)
    undated = add_task(db, "Read the memo", now)
    reschedule_task(db, overdue.id, date(2026, 11, 10))  # a Tuesday, two weeks back
    moved = {t.id: carry_task(db, t.id, W49, now).due for t in (this_week, overdue, undated)}
    assert moved == {
        this_week.id: THU + timedelta(days=7),
        overdue.id: W49_DAYS[1],
        undated.id: W49_DAYS[0],
    }
    assert db.undo() == "Moved “Read the memo” to Mon 30 Nov 2026"
    assert due_of(db, undated.id) is None  # one step undoes the one carry
    assert due_of(db, overdue.id) == W49_DAYS[1]


def test_carry_task_refuses_a_done_task_or_one_due_after_the_week(db, now):
    later = add_task(db, "Offsite plan", now)
    reschedule_task(db, later.id, date(2026, 12, 18))
    done = add_task(db, "Churn analysis", now)
    toggle_done(db, done.id, now)
    with pytest.raises(InputError, match="due Fri 18 Dec 2026, after that week"):
        carry_task(db, later.id, W49, now)
    with pytest.raises(InputError, match="done already"):
        carry_task(db, done.id, W49, now)
    assert due_of(db, later.id) == date(2026, 12, 18) and due_of(db, done.id) is None
    assert db.undo() == "Completed “Churn analysis”"  # the refusals left no undo step


@given(st.dates(date(2000, 1, 1), date(2040, 12, 31)), st.integers(-200, 200))
def test_a_carried_due_day_lands_in_the_week_on_its_weekday(due, weeks):
    week = shift_week(week_key(due), weeks)
    days = week_days(week)
    moved = carried_due(due, week)
    if due > days[-1]:
        assert moved is None
    else:
        assert moved in days and moved.weekday() == due.weekday()
    assert carried_due(None, week) == days[0]
