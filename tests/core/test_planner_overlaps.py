"""Issue 9.5: nested and overlapping blocks count each minute of calendar time once."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceodesk.core.planner import (
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
from ceodesk.core.rocks import add_rock
from ceodesk.core.settings import me
from ceodesk.core.tasks import add_task

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
    rock = add_rock(db, "Hire a VP Sales", owner, is_company=True, quarter="2026-Q4")
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
