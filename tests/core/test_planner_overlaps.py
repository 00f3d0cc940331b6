"""Issue 9.5: nested and overlapping blocks count each minute of calendar time once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceodesk.core.domain.people import add_person
from ceodesk.core.domain.planner import (
    AlreadyScheduled,
    BlockView,
    add_block,
    apply_ideal_week,
    category_by_name,
    counted_minutes,
    covered_minutes,
    edit_block,
    planned_rock_minutes,
    schedule_task,
    week_plan,
)
from ceodesk.core.domain.rocks import add_rock
from ceodesk.core.domain.settings import me
from ceodesk.core.domain.tasks import delegate_task
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.views.capture import add_task

W48 = "2026-W48"
MON = date(2026, 11, 23)


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _view(n: int, day: date, start: int, end: int, category: int = 1, **kw) -> BlockView:
    return BlockView(
        id=n,
        day=day,
        start=_clock(start),
        end=_clock(end),
        title=f"b{n}",
        category_id=category,
        category="c",
        colour="#ffffff",
        task_id=kw.get("task_id"),
        task_title=None,
        task_done=False,
        series_id=None,
        fixed=False,
        actual_minutes=None,
        skipped=False,
        overlaps=False,
        rock_id=kw.get("rock_id"),
    )


def test_scheduling_tasks_into_deep_work_adds_no_planned_time(db, now):
    apply_ideal_week(db, W48)
    assert week_plan(db, W48, now).planned_minutes == 40 * 60
    schedule_task(db, add_task(db, "Board memo !i 2h", now).id, W48, now)
    schedule_task(db, add_task(db, "Read report !i 1h", now).id, W48, now)
    plan = week_plan(db, W48, now)
    assert plan.planned_minutes == 40 * 60
    deep_work = next(t for t in plan.totals if t.category == "deep work")
    assert deep_work.planned_minutes == 10 * 60
    assert sum(t.planned_minutes for t in plan.totals) == 40 * 60
    assert plan.task_linked_minutes == 3 * 60


def test_rock_time_counts_a_task_block_inside_a_rock_block_once(db, now):
    apply_ideal_week(db, W48)
    with db.session() as session:
        owner = me(session).id
    rock = add_rock(db, "Hire a VP Sales", owner, is_company=True, quarter="2026-Q4", now=now)
    task = add_task(db, "Write the VP job ad !i 1h", now)
    deep_work = category_by_name(db, "deep work").id
    tuesday = MON + timedelta(days=1)
    deep = next(b for b in week_plan(db, W48, now).days[1].blocks if b.category_id == deep_work)
    edit_block(db, deep.id, title=deep.title, category_id=deep_work, task_id=None, rock_id=rock.id)
    add_block(db, tuesday, time(8, 0), time(9, 0), "VP ad", deep_work, task_id=task.id)
    plan = week_plan(db, W48, now)
    assert plan.planned_minutes == 40 * 60
    assert plan.rock_minutes == 2 * 60  # not 3h: the task's hour lies inside the Rock's 2h
    assert plan.task_linked_minutes == 60
    assert planned_rock_minutes(db, W48) == (2 * 60, 40 * 60)


def test_a_minute_shared_by_blocks_counts_for_the_one_placed_inside(db, now):
    views = [_view(1, MON, 8 * 60, 10 * 60), _view(2, MON, 8 * 60 + 30, 9 * 60)]
    assert counted_minutes(views) == {1: 90, 2: 30}
    # Same start and length: the newer one (a task scheduled into it) counts.
    same = [_view(1, MON, 480, 600), _view(2, MON, 480, 600)]
    assert counted_minutes(same) == {1: 0, 2: 120}


spans = st.tuples(st.integers(0, 6), st.integers(0, 24 * 60 - 2), st.integers(1, 600))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(st.lists(spans, max_size=10), st.data())
def test_planned_time_never_exceeds_the_calendar_time_covered(items, data):
    views = []
    for n, (day, start, length) in enumerate(items, start=1):
        end = min(start + length, 24 * 60 - 1)
        if end > start:
            views.append(
                _view(
                    n,
                    MON + timedelta(days=day),
                    start,
                    end,
                    category=data.draw(st.integers(1, 3)),
                    task_id=data.draw(st.sampled_from([None, 7])),
                    rock_id=data.draw(st.sampled_from([None, 9])),
                )
            )
    union = {
        (v.day, minute)
        for v in views
        for minute in range(v.start.hour * 60 + v.start.minute, v.end.hour * 60 + v.end.minute)
    }
    counted = counted_minutes(views)
    assert sum(counted.values()) == len(union) == covered_minutes(views)
    assert all(0 <= counted[v.id] <= v.planned_minutes for v in views)
    assert covered_minutes(v for v in views if v.task_id) <= len(union)
    assert covered_minutes(v for v in views if v.rock_id) <= len(union)


# ------------------------------------------------------------ scheduling a task (s)

TUE, WED, THU = (MON + timedelta(days=n) for n in (1, 2, 3))


def _spans(scheduled) -> list[tuple[date, str]]:
    return [(b.day, f"{b.start:%H:%M}-{b.end:%H:%M}") for b in scheduled.blocks]


def test_scheduling_never_plans_after_the_due_date(db, now, one_sentence):
    apply_ideal_week(db, W48)
    schedule_task(db, add_task(db, "Fill Tuesday !i 2h", now).id, W48, now)
    due_tuesday = add_task(db, "Board memo !i 2h tue", now)
    with pytest.raises(InputError) as refused:
        schedule_task(db, due_tuesday.id, W48, now)
    assert str(refused.value) == (
        "No free deep-work time before “Board memo” is due Tue 24 Nov; place it with the cursor."
    )
    assert one_sentence(str(refused.value))
    due_wednesday = add_task(db, "Pricing memo !i 3h wed", now)
    scheduled = schedule_task(db, due_wednesday.id, W48, now)
    assert _spans(scheduled) == [(WED, "08:00-10:00")]
    assert scheduled.is_partial
    assert scheduled.sentence() == (
        "Scheduled 2h of 3h for “Pricing memo”: Wed 25 Nov 08:00–10:00; "
        "no more free deep work this week before it is due Wed 25 Nov."
    )


def test_an_overdue_task_is_not_scheduled_into_the_week(db, now, one_sentence):
    apply_ideal_week(db, W48)
    task = add_task(db, "Late report !i 2026-11-20", now)
    with pytest.raises(InputError) as refused:
        schedule_task(db, task.id, W48, now)
    assert "was due Fri 20 Nov" in str(refused.value) and one_sentence(str(refused.value))


def test_a_delegated_task_does_not_take_your_deep_work(db, now, one_sentence):
    apply_ideal_week(db, W48)
    dana = add_person(db, "Dana Whitfield", "COO")
    task = add_task(db, "Vendor contract !i 1h", now)
    delegate_task(db, task.id, dana.id, None)
    with pytest.raises(InputError) as refused:
        schedule_task(db, task.id, W48, now)
    assert str(refused.value).startswith("“Vendor contract” is delegated to Dana")
    assert one_sentence(str(refused.value))
    assert week_plan(db, W48, now).task_linked_minutes == 0


def test_an_already_scheduled_task_asks_before_it_is_scheduled_again(db, now, one_sentence):
    apply_ideal_week(db, W48)
    task = add_task(db, "Board memo !i 1h", now)
    schedule_task(db, task.id, W48, now)
    with pytest.raises(AlreadyScheduled) as asked:
        schedule_task(db, task.id, W48, now)
    assert str(asked.value) == (
        "“Board memo” is already scheduled Tue 24 Nov 08:00–09:00; schedule it again in its place?"
    )
    assert one_sentence(str(asked.value))
    again = schedule_task(db, task.id, W48, now, reschedule=True)
    assert again.replaced == 1
    assert _spans(again) == [(TUE, "08:00-09:00")]
    linked = [b for d in week_plan(db, W48, now).days for b in d.blocks if b.task_id == task.id]
    assert len(linked) == 1
    assert db.undo() == "Scheduled “Board memo”"
    linked = [b for d in week_plan(db, W48, now).days for b in d.blocks if b.task_id == task.id]
    assert len(linked) == 1  # undo brings the first schedule back, in one step


def test_a_four_hour_task_with_two_hours_free_says_it_got_two(db, now):
    apply_ideal_week(db, W48)
    thursday = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)  # only Friday's deep work is ahead
    task = add_task(db, "Strategy memo !i 4h", now)
    scheduled = schedule_task(db, task.id, W48, thursday)
    assert _spans(scheduled) == [(MON + timedelta(days=4), "08:00-10:00")]
    assert scheduled.sentence().startswith("Scheduled 2h of 4h for “Strategy memo”")
