"""The Friday review: what moved in one ISO week, as one view object.

``weekly_review(db, week, now)`` reads the scorecard, the planner, the tasks, the Rocks,
the to-dos and the meetings and returns a ``Review``; the screen, the rich text, the
Markdown and the JSON are all drawn from that one object, so they show the same numbers.
Every figure keeps the rows it was computed from (``rows``), so each can be traced.

Rules:

- Scorecard: each measurable's value this week against the goal in force that week,
  graded by the scorecard's own tolerance rule (exceeds / on target / slightly behind /
  off target). Change is shown against last week and against the 13-week average (the
  13 weeks before this one, empty weeks left out); a percent measurable changes in
  points ("+2 pts"). "Improved" means closer to (or further beyond) the goal: up for
  >= and >, down for <= and <, nearer the goal or range for = and between. The summary
  counts measurables with a value this week: "9 of 12 on goal (75%)".
- Time: planned time is calendar time, each minute once (the planner's rule); actual
  time is what was recorded (a skipped block counts 0). Categories are keyed by their id
  and kind, so a renamed category keeps its history. Rock-linked work is a block serving
  a Rock, directly or through its task; Q2 work is a block linked to an important, not
  urgent task. Shares are of the week's actual time. A meeting ran over when a block of
  the meetings kind recorded more minutes than it planned.
- Rocks: the Rocks of every quarter the week overlaps. A status change compares this
  week's status with last week's; a Rock "got almost no hours" when it is off track and
  its blocks this week recorded under an hour.
- Tasks: done this week (by local day in the user's zone, so a DST week counts its 23
  or 25 hours), by quadrant; overdue and delegated are read as of the review day (today,
  or the week's Sunday for a past week).
- To-dos: the leadership team's to-dos due this week, done or not (binary).
- Carry-over: open tasks due this week or linked to one of its blocks.
- People: per person, open and overdue to-dos, delegated tasks waiting for a follow-up
  and Rocks off track or at risk; someone holding at least 40% of the overdue items
  (and at least 3 of them) is flagged as a bottleneck.
- The month roll-up assigns each ISO week to the month of its Thursday (ISO 8601's own
  rule for the year of a week), so a week across two months is counted once, never
  split; each measurable combines its weeks by its rule (sum, average, last).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple, TypeVar

from sqlalchemy import BindParameter, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import and_, col, or_

from ceodesk.core.domain import meetings, todos
from ceodesk.core.domain.planner import (
    BlockView,
    category_rows,
    counted_minutes,
    recorded_time,
    week_plan,
)
from ceodesk.core.domain.rocks import OFF_TRACK_WEEKS_TO_PROPOSE, RockView, rocks_of_weeks
from ceodesk.core.domain.scorecard import (
    ScorecardRow,
    ScorecardView,
    combine_weeks,
    format_value,
    scorecard,
)
from ceodesk.core.domain.tasks import Quadrant
from ceodesk.core.kernel.clock import LocalNow
from ceodesk.core.kernel.dates import (
    MONTH_NAMES,
    format_minutes,
    normal_week_key,
    quarter_bounds,
    shift_week,
    week_days,
    week_key,
    week_monday,
)
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.store.changes import Kept
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import (
    CategoryKind,
    Milestone,
    Person,
    Rock,
    Task,
)
from ceodesk.core.store.plain import PlainQuery, of_ids
from ceodesk.core.store.preferences import load_settings
from ceodesk.core.store.rows import Settings
from ceodesk.core.views.meeting import default_team
from ceodesk.core.views.proposals import at_risk_reasons, rock_block_minutes_at

AVERAGE_WEEKS = 13
ALMOST_NO_MINUTES = 60  # an off-track Rock whose week recorded less than this
BOTTLENECK_SHARE = 0.4
BOTTLENECK_LEAST = 3
MONTH_RULE = "Each ISO week counts in the month of its Thursday (the ISO 8601 rule)."


# ------------------------------------------------------------------ view objects


@dataclass(frozen=True)
class SourceRow:
    """One stored row a figure was computed from, in words."""

    kind: str  # value, block, task, rock, milestone, todo, rating
    id: int
    text: str


Rows = tuple[SourceRow, ...]


@dataclass(frozen=True)
class KpiLine:
    id: int
    name: str
    owner: str
    unit: str
    goal_text: str
    value: float | None
    value_text: str  # "" when no value
    grade: str  # one of the scorecard's GRADES, or "no value"
    on_goal: bool | None
    last_week_text: str
    change_text: str  # vs last week: "↑ 5", "↓ 2 pts", "=", "" when either is empty
    average_text: str  # the 13 weeks before this one
    vs_average_text: str
    trend: int  # +1 improved, -1 slipped, 0 unchanged or unknown (vs last week)
    off_goal_weeks: int
    streak_text: str  # "off goal 3 weeks", ""
    chart: tuple[tuple[str, float | None, float], ...]  # (week, value, goal) for 13 weeks
    rows: Rows


@dataclass(frozen=True)
class ScorecardPanel:
    lines: tuple[KpiLine, ...]
    on_goal: int
    with_value: int
    summary: str  # "9 of 12 on goal (75%)"
    improved: int
    slipped: int
    rows: Rows


@dataclass(frozen=True)
class TimeLine:
    key: str  # "category:3" or "rock:7": by id, never by name
    name: str
    kind: str  # the category's kind, or "rock"
    planned_minutes: int
    actual_minutes: int
    planned_text: str
    actual_text: str
    rows: Rows


@dataclass(frozen=True)
class Share:
    """A share of the week's actual time, with last week's for comparison."""

    label: str
    minutes: int
    of_minutes: int
    percent: int | None
    last_week_percent: int | None
    text: str  # "Rock-linked work: 4h of 20h (20%; last week 12%)"
    rows: Rows


@dataclass(frozen=True)
class BlockLine:
    id: int
    text: str  # "Mon 15:00 Product roadmap sync (1h)"
    rows: Rows


@dataclass(frozen=True)
class TimePanel:
    categories: tuple[TimeLine, ...]
    rocks: tuple[TimeLine, ...]
    planned_minutes: int
    actual_minutes: int
    planned_text: str
    actual_text: str
    rock_share: Share
    q2_share: Share
    rock_planned_minutes: int
    rock_actual_minutes: int
    skipped: tuple[BlockLine, ...]
    ran_over: tuple[BlockLine, ...]
    rows: Rows


@dataclass(frozen=True)
class RockLine:
    id: int
    title: str
    owner: str
    status: str  # on_track, off_track, no_update, done, ...
    text: str
    rows: Rows


@dataclass(frozen=True)
class RocksPanel:
    changes: tuple[RockLine, ...]  # on -> off, off -> on, at risk
    back_on_track: int
    milestones_done: tuple[RockLine, ...]
    rocks_done: tuple[RockLine, ...]
    off_track_long: tuple[RockLine, ...]  # off track 3+ weeks
    off_track_no_hours: tuple[RockLine, ...]
    rows: Rows


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    rows: Rows


@dataclass(frozen=True)
class TasksPanel:
    done_by_quadrant: tuple[Count, ...]  # Q1..Q4, then unsorted
    done_total: int
    overdue: Count
    awaiting_follow_up: Count
    todo_done: int
    todo_due: int
    todo_rate: float | None
    todo_text: str  # "86% (target 90%)" or "nothing due"
    todo_rows: Rows
    meeting_rating: float | None
    meeting_text: str  # "8.4 (3 ratings)" or "no meeting rated"
    meeting_rows: Rows


@dataclass(frozen=True)
class CarryItem:
    task_id: int
    title: str
    why: str  # "due Thu 26 Nov", "planned Tue 24 Nov 09:00"
    due: date | None
    rows: Rows


@dataclass(frozen=True)
class PersonLine:
    id: int
    name: str
    open_todos: int
    overdue_todos: int
    awaiting_follow_up: int
    rocks_off_or_at_risk: int
    overdue_items: int
    bottleneck: bool
    text: str
    rows: Rows


@dataclass(frozen=True)
class Review:
    week: str
    title: str  # "Week 48 · 23-29 Nov 2026"
    days: tuple[date, ...]
    is_current: bool
    headline: str
    scorecard: ScorecardPanel
    time: TimePanel
    rocks: RocksPanel
    tasks: TasksPanel
    carry_over: tuple[CarryItem, ...]
    people: tuple[PersonLine, ...]

    def figures(self) -> list[tuple[str, str, Rows]]:
        """Every traceable figure: (panel, its line, the rows it came from)."""
        found: list[tuple[str, str, Rows]] = [("Headline", self.headline, ())]
        card = self.scorecard
        found.append(("Scorecard", card.summary, card.rows))
        found.extend(("Scorecard", kpi_text(k), k.rows) for k in card.lines)
        time_ = self.time
        found.append(
            ("Time", f"Total: {time_.actual_text} of {time_.planned_text} planned", time_.rows)
        )
        found.extend(("Time", time_line_text(t), t.rows) for t in time_.categories)
        found.extend(("Time", time_line_text(t), t.rows) for t in time_.rocks)
        found.extend(("Time", s.text, s.rows) for s in (time_.rock_share, time_.q2_share))
        found.extend(("Time", f"Skipped: {b.text}", b.rows) for b in time_.skipped)
        found.extend(("Time", f"Ran over: {b.text}", b.rows) for b in time_.ran_over)
        rocks = self.rocks
        for group in (
            rocks.changes,
            rocks.rocks_done,
            rocks.milestones_done,
            rocks.off_track_long,
            rocks.off_track_no_hours,
        ):
            found.extend(("Rocks", r.text, r.rows) for r in group)
        tasks = self.tasks
        found.extend(
            ("Tasks", f"Done {c.label}: {c.count}", c.rows) for c in tasks.done_by_quadrant
        )
        for count in (tasks.overdue, tasks.awaiting_follow_up):
            found.append(("Tasks", f"{count.label}: {count.count}", count.rows))
        found.append(("Tasks", f"To-dos: {tasks.todo_text}", tasks.todo_rows))
        found.append(("Tasks", f"Meeting rating: {tasks.meeting_text}", tasks.meeting_rows))
        found.extend(("Carry over", f"{c.title} ({c.why})", c.rows) for c in self.carry_over)
        found.extend(("People", p.text, p.rows) for p in self.people)
        return found


# ------------------------------------------------------------------ pure rules


def percent(part: float, whole: float) -> int | None:
    return round(100 * part / whole) if whole else None


def on_goal_summary(on_goal: int, with_value: int) -> str:
    """ "9 of 12 on goal (75%)", or "no values this week"."""
    if not with_value:
        return "no values this week"
    return f"{on_goal} of {with_value} on goal ({percent(on_goal, with_value)}%)"


def change_text(now: float | None, before: float | None, unit: str) -> str:
    """The change from ``before`` to ``now`` with an arrow, in the measurable's unit; a
    percent measurable changes in points ("↑ +2 pts"), never in a bare "+2%"."""
    if now is None or before is None:
        return ""
    delta = now - before
    if math.isclose(delta, 0.0, abs_tol=1e-9):
        return "= same"
    arrow = "↑" if delta > 0 else "↓"
    sign = "+" if delta > 0 else "-"
    if unit == "percent":
        points = f"{abs(delta):.1f}".rstrip("0").rstrip(".")
        return f"{arrow} {sign}{points} pts"
    if unit == "yesno":
        return f"{arrow} was {format_value(before, unit)}"
    return f"{arrow} {sign}{format_value(abs(delta), unit)}"


def goal_distance(value: float, operator: str, goal: float, goal_high: float | None) -> float:
    """How far ``value`` is on the good side of the goal (higher is better)."""
    if operator in (">=", ">"):
        return value - goal
    if operator in ("<=", "<"):
        return goal - value
    high = goal if goal_high is None else goal_high
    low, high = min(goal, high), max(goal, high)
    if low <= value <= high:
        return 0.0
    return -(low - value if value < low else value - high)


def direction(
    now: float | None, before: float | None, operator: str, goal: float, goal_high: float | None
) -> int:
    """+1 when the value moved the good way, -1 the bad way, 0 unchanged or unknown."""
    if now is None or before is None:
        return 0
    moved = goal_distance(now, operator, goal, goal_high) - goal_distance(
        before, operator, goal, goal_high
    )
    if math.isclose(moved, 0.0, abs_tol=1e-9):
        return 0
    return 1 if moved > 0 else -1


def streak_text(weeks: int) -> str:
    return f"off goal {weeks} week{'s' if weeks != 1 else ''}" if weeks >= 2 else ""


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def headline_sentence(
    improved: int,
    slipped: int,
    rock_actual: int,
    rock_planned: int,
    back_on_track: int,
    todo_rate: float | None,
) -> str:
    """ "3 KPIs improved, 2 slipped; Rock time 9h30 of 14h planned; 2 Rocks back on
    track; to-dos 86%": only the parts with something to say."""
    parts = []
    if improved or slipped:
        parts.append(f"{_plural(improved, 'KPI')} improved, {slipped} slipped")
    if rock_planned or rock_actual:
        done = format_minutes(rock_actual) if rock_actual else "0h"
        parts.append(f"Rock time {done} of {format_minutes(rock_planned) or '0h'} planned")
    if back_on_track:
        parts.append(f"{_plural(back_on_track, 'Rock')} back on track")
    if todo_rate is not None:
        parts.append(f"to-dos {round(todo_rate * 100)}%")
    return "; ".join(parts) if parts else "A quiet week: nothing recorded yet."


def month_of_week(week: str) -> str:
    """The month an ISO week counts in: its Thursday's ("2026-W49" -> "2026-12")."""
    thursday = week_monday(week) + timedelta(days=3)
    return f"{thursday.year:04d}-{thursday.month:02d}"


def weeks_of_month(month: str) -> tuple[str, ...]:
    """The ISO weeks whose Thursday falls in ``month`` ("2026-11"), oldest first."""
    year, number = _parse_month(month)
    first = date(year, number, 1)
    # The first Thursday of the month, then every seven days while still in it.
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    weeks = []
    while thursday.month == number:
        weeks.append(week_key(thursday))
        thursday += timedelta(days=7)
    return tuple(weeks)


def _parse_month(month: str) -> tuple[int, int]:
    text = month.strip()
    parts = text.split("-")
    if (
        len(parts) != 2
        or not (parts[0].isdigit() and len(parts[0]) == 4)
        or not (parts[1].isdigit() and 1 <= len(parts[1]) <= 2)
        or not 1 <= int(parts[1]) <= 12
        or int(parts[0]) < 2
    ):
        raise InputError(f"“{text[:30]}” is not a month; write it like 2026-11.")
    return int(parts[0]), int(parts[1])


def shift_month(month: str, months: int) -> str:
    year, number = _parse_month(month)
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_title(month: str) -> str:
    year, number = _parse_month(month)
    return f"{MONTH_NAMES[number - 1]} {year}"


# ------------------------------------------------------------------ helpers


def week_title(week: str) -> str:
    """The week's number and days: "Week 48 · 23-29 Nov 2026" (with an en dash)."""
    days = week_days(week)
    first, last = days[0], days[-1]
    number = int(week.split("W")[1])
    if first.year != last.year:
        span = f"{first.day} {first:%b} {first.year} – {last.day} {last:%b} {last.year}"
    elif first.month != last.month:
        span = f"{first.day} {first:%b} – {last.day} {last:%b} {last.year}"
    else:
        span = f"{first.day}–{last.day} {last:%b} {last.year}"
    return f"Week {number} · {span}"


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def week_span(week: str, zone: tzinfo) -> tuple[datetime, datetime]:
    """The week's first and last instant in the user's zone, as UTC (end excluded): a
    week across a DST change is 167 or 169 hours long."""
    days = week_days(week)
    start = datetime.combine(days[0], time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return start, end


def _short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _block_row(block: BlockView) -> SourceRow:
    if block.skipped:
        actual = "skipped"
    elif block.actual_minutes is not None:
        actual = f"actual {format_minutes(block.actual_minutes) or '0m'}"
    else:
        actual = "not recorded"
    return SourceRow(
        "block",
        block.id,
        f"{_short_day(block.day)} {block.start:%H:%M}–{block.end:%H:%M} {block.title} "
        f"({block.category}, planned {format_minutes(block.planned_minutes)}, {actual})",
    )


def _task_row(task: Task | _ReviewTask, note: str = "") -> SourceRow:
    place = "Unsorted" if task.unsorted else f"Q{Quadrant.of(task.important, task.urgent).value}"
    extra = f", {note}" if note else ""
    return SourceRow("task", task.id or 0, f"#{task.id} {task.title} ({place}{extra})")


def _minutes_text(minutes: int) -> str:
    return format_minutes(minutes) if minutes else "0h"


# ------------------------------------------------------------------ panels


class ReviewMemo:
    """What a screen's last review made, for its next one to reuse what has not changed
    (issue 13): each KPI line with the scorecard row it was made from. Give each screen
    its own; a line is reused only for an equal row, so a stale memo costs a rebuild,
    never a wrong line."""

    def __init__(self) -> None:
        self.kpi_lines: dict[int, tuple[ScorecardRow, KpiLine]] = {}
        self.grid: ScorecardView | None = None  # the last grid, whose rows scorecard() reuses
        # Each panel, kept until a table it read changes (a task completed reads the
        # tasks again, not the scorecard or the Rocks).
        self.panels = Kept()


def _scorecard_panel(
    db: Database, week: str, open_week: str | None, memo: ReviewMemo | None
) -> ScorecardPanel:
    # This week, last week and the 13 before it: one grid of 15 weeks.
    grid = scorecard(
        db, week, AVERAGE_WEEKS + 2, open_week=open_week, reuse=memo.grid if memo else None
    )
    made = memo.kpi_lines if memo is not None else {}
    lines = []
    for row in grid.rows:
        earlier = made.get(row.id)
        lines.append(earlier[1] if earlier is not None and earlier[0] == row else _kpi_line(row))
    if memo is not None:  # replaced whole: a load running meanwhile sees one or the other
        memo.kpi_lines = {row.id: (row, line) for row, line in zip(grid.rows, lines, strict=True)}
        memo.grid = grid
    with_value = [k for k in lines if k.value is not None]
    on_goal = [k for k in with_value if k.on_goal]
    rows = tuple(r for k in with_value for r in k.rows[:1])
    return ScorecardPanel(
        lines=tuple(lines),
        on_goal=len(on_goal),
        with_value=len(with_value),
        summary=on_goal_summary(len(on_goal), len(with_value)),
        improved=sum(1 for k in lines if k.trend > 0),
        slipped=sum(1 for k in lines if k.trend < 0),
        rows=rows,
    )


def _kpi_line(row: ScorecardRow) -> KpiLine:
    cells = row.cells
    this, last = cells[-1], cells[-2]
    before = [c.value for c in cells[:-1][-AVERAGE_WEEKS:]]
    present = [v for v in before if v is not None]
    mean = math.fsum(present) / len(present) if present else None
    unit = row.unit
    rows = tuple(
        SourceRow("value", row.id, f"{row.name} {c.week}: {c.formatted} ({c.grade})")
        for c in reversed(cells)
        if c.value is not None
    )
    trend = direction(this.value, last.value, row.operator, row.goal, row.goal_high)
    return KpiLine(
        id=row.id,
        name=row.name,
        owner=row.owner,
        unit=unit,
        goal_text=row.goal_text,
        value=this.value,
        value_text=this.formatted,
        grade=this.grade or "no value",
        on_goal=this.on_goal,
        last_week_text=last.formatted,
        change_text=change_text(this.value, last.value, unit),
        average_text=combined_text(mean, unit, "average"),
        vs_average_text=(
            change_text(_pct(this.value), _pct(mean), "percent")
            if unit == "yesno"
            else change_text(this.value, mean, unit)
        ),
        trend=trend,
        off_goal_weeks=row.off_goal_weeks,
        streak_text=streak_text(row.off_goal_weeks),
        chart=tuple((c.week, c.value, row.goal) for c in cells[-AVERAGE_WEEKS:]),
        rows=rows,
    )


# Of the tasks given, those important and not urgent (Q2).
_Q2_TASKS = of_ids(col(Task.id), where=[col(Task.important), col(Task.urgent).is_(False)])


@dataclass(frozen=True)
class _WeekTime:
    blocks: list[BlockView]
    counted: dict[int, int]
    actual: int
    rock_actual: int
    q2_actual: int
    q2_ids: set[int]


def _week_time(
    db: Database, week: str, now: datetime, settings: Settings, kept: Kept | None
) -> _WeekTime:
    plan = week_plan(db, week, now, settings=settings, kept=kept)
    blocks = [b for day in plan.days for b in day.blocks]
    task_ids = sorted({b.task_id for b in blocks if b.task_id is not None})
    with db.session() as session:
        q2_tasks = {row[0] for row in _Q2_TASKS.rows(session, ids=task_ids)} if task_ids else set()
    q2_ids = {b.id for b in blocks if b.task_id in q2_tasks}
    recorded = [b for b in blocks if b.is_recorded]
    return _WeekTime(
        blocks=blocks,
        counted=counted_minutes(blocks),
        actual=sum(b.actual_minutes or 0 for b in recorded),
        rock_actual=sum(b.actual_minutes or 0 for b in recorded if b.rock_id is not None),
        q2_actual=sum(b.actual_minutes or 0 for b in recorded if b.id in q2_ids),
        q2_ids=q2_ids,
    )


def _share(label: str, minutes: int, total: int, last: int | None, rows: Rows) -> Share:
    share = percent(minutes, total)
    shown = f"{share}%" if share is not None else "no time recorded"
    before = f"; last week {last}%" if last is not None else ""
    text = f"{label}: {_minutes_text(minutes)} of {_minutes_text(total)} ({shown}{before})"
    return Share(label, minutes, total, share, last, text, rows)


def _time_panel(
    db: Database, week: str, now: datetime, settings: Settings, kept: Kept | None = None
) -> tuple[TimePanel, list[BlockView]]:
    this = _week_time(db, week, now, settings, kept)
    # Last week only gives its shares: its recorded minutes, not a whole week plan.
    last = recorded_time(db, shift_week(week, -1))
    with db.session() as session:
        categories = category_rows(session)
    blocks, counted = this.blocks, this.counted
    # Each block in words once, however many lines it backs.
    block_rows = {b.id: _block_row(b) for b in blocks}
    lines = []
    for category in categories:
        mine = [b for b in blocks if b.category_id == category.id]
        planned = sum(counted[b.id] for b in mine)
        actual = sum(b.actual_minutes or 0 for b in mine if b.is_recorded)
        if planned or actual:
            lines.append(
                TimeLine(
                    key=f"category:{category.id}",
                    name=category.name,
                    kind=category.kind,
                    planned_minutes=planned,
                    actual_minutes=actual,
                    planned_text=_minutes_text(planned),
                    actual_text=_minutes_text(actual),
                    rows=tuple(block_rows[b.id] for b in mine),
                )
            )
    rock_lines = []
    rock_ids = sorted({b.rock_id for b in blocks if b.rock_id is not None})
    for rock_id in rock_ids:
        mine = [b for b in blocks if b.rock_id == rock_id]
        planned = sum(counted[b.id] for b in mine)
        actual = sum(b.actual_minutes or 0 for b in mine if b.is_recorded)
        rock_lines.append(
            TimeLine(
                key=f"rock:{rock_id}",
                name=mine[0].rock or "",
                kind="rock",
                planned_minutes=planned,
                actual_minutes=actual,
                planned_text=_minutes_text(planned),
                actual_text=_minutes_text(actual),
                rows=tuple(block_rows[b.id] for b in mine),
            )
        )
    rock_blocks = tuple(block_rows[b.id] for b in blocks if b.rock_id is not None)
    q2_blocks = tuple(block_rows[b.id] for b in blocks if b.id in this.q2_ids)
    kinds = {c.id: c.kind for c in categories}
    skipped = tuple(
        BlockLine(b.id, f"{_short_day(b.day)} {b.start:%H:%M} {b.title}", (block_rows[b.id],))
        for b in blocks
        if b.skipped
    )
    ran_over = tuple(
        BlockLine(
            b.id,
            f"{_short_day(b.day)} {b.start:%H:%M} {b.title} "
            f"(+{format_minutes((b.actual_minutes or 0) - b.planned_minutes)})",
            (block_rows[b.id],),
        )
        for b in blocks
        if kinds.get(b.category_id) == CategoryKind.MEETINGS.value
        and b.actual_minutes is not None
        and b.actual_minutes > b.planned_minutes
    )
    planned_total = sum(counted.values())
    rock_planned = sum(counted[b.id] for b in blocks if b.rock_id is not None)
    panel = TimePanel(
        categories=tuple(lines),
        rocks=tuple(rock_lines),
        planned_minutes=planned_total,
        actual_minutes=this.actual,
        planned_text=_minutes_text(planned_total),
        actual_text=_minutes_text(this.actual),
        rock_share=_share(
            "Rock-linked work",
            this.rock_actual,
            this.actual,
            percent(last.rock_minutes, last.minutes),
            rock_blocks,
        ),
        q2_share=_share(
            "Q2 work (important, not urgent)",
            this.q2_actual,
            this.actual,
            percent(last.q2_minutes, last.minutes),
            q2_blocks,
        ),
        rock_planned_minutes=rock_planned,
        rock_actual_minutes=this.rock_actual,
        skipped=skipped,
        ran_over=ran_over,
        rows=tuple(block_rows.values()),
    )
    return panel, blocks


_CHANGE_WORDS = {
    ("on_track", "off_track"): "on track → off track",
    ("off_track", "on_track"): "off track → back on track",
    ("no_update", "off_track"): "first update: off track",
}


def _rock_row(rock: RockView, week: str) -> SourceRow:
    strip = rock.strip[-3:]
    recent = ", ".join((s or "—").replace("_", " ") for s in strip)
    return SourceRow(
        "rock", rock.id, f"{rock.title} ({rock.owner}; {week} and the two weeks before: {recent})"
    )


def _risks(rock: RockView, day: date, block_minutes: int | None) -> tuple[str, ...]:
    return at_risk_reasons(
        today=day,
        quarter_start=quarter_bounds(rock.quarter)[0],
        open_milestone_dues=[m.due for m in rock.milestones if not m.done],
        statuses=rock.strip,
        block_minutes=block_minutes,
    )


@dataclass(frozen=True)
class _RockReads:
    """The week's Rocks and the week before's, with when their milestones and they were
    done: what the Rocks panel reads of the Rocks' own tables (kept apart from the block
    hours, which a task's change moves)."""

    this_week: tuple[RockView, ...]
    last_week: tuple[RockView, ...]
    milestones: tuple[tuple[int | None, int, str, datetime | None], ...]
    changed_at: tuple[tuple[int | None, datetime], ...]


_MILESTONES_DONE = of_ids(
    col(Milestone.id),
    col(Milestone.rock_id),
    col(Milestone.title),
    col(Milestone.done_at),
    key=col(Milestone.rock_id),
)
_ROCKS_CHANGED = of_ids(col(Rock.id), col(Rock.updated_at))


def _rock_reads(db: Database, week: str) -> _RockReads:
    this_week, last_week = rocks_of_weeks(db, [week, shift_week(week, -1)])
    rock_ids = [r.id for r in this_week]
    # When milestones and Rocks were done: plain columns, no objects to load.
    milestones: list[tuple[int | None, int, str, datetime | None]] = []
    changed_at: list[tuple[int | None, datetime]] = []
    if rock_ids:
        with db.session() as session:
            milestones = _MILESTONES_DONE.rows(session, ids=rock_ids)
            changed_at = _ROCKS_CHANGED.rows(session, ids=rock_ids)
    return _RockReads(this_week, last_week, tuple(milestones), tuple(changed_at))


def _rocks_panel(
    db: Database,
    reads: _RockReads,
    week: str,
    span: tuple[datetime, datetime],
    review_day: date,
    time_: TimePanel,
    mine: set[int],
) -> RocksPanel:
    now_views = {r.id: r for r in reads.this_week}
    before = {r.id: r for r in reads.last_week}
    start, end = span
    milestones = reads.milestones
    changed_at = dict(reads.changed_at)
    running = [r for r in now_views.values() if not r.finished]
    # The time-block rule applies to your own Rocks: the planner holds only your time.
    own = [r.id for r in running if r.owner_id in mine]
    last_day = review_day - timedelta(days=7)
    minutes, minutes_before = rock_block_minutes_at(db, own, [review_day, last_day])
    changes, back = [], 0
    for rock in now_views.values():
        old = before.get(rock.id)
        old_status = old.status if old is not None else "no_update"
        rows = (_rock_row(rock, week),)
        key = (old_status, rock.status)
        if key in _CHANGE_WORDS:
            back += key == ("off_track", "on_track")
            text = f"{rock.title} ({rock.owner}): {_CHANGE_WORDS[key]}"
            changes.append(RockLine(rock.id, rock.title, rock.owner, rock.status, text, rows))
            continue
        if rock.finished or rock.off_track_weeks >= OFF_TRACK_WEEKS_TO_PROPOSE:
            continue
        reasons = _risks(rock, review_day, minutes.get(rock.id))
        # At risk is a change when it was not so a week earlier.
        earlier = _risks(old, last_day, minutes_before.get(rock.id)) if old else ()
        if reasons and not earlier:
            text = f"{rock.title} ({rock.owner}): now at risk, {'; '.join(reasons)}"
            changes.append(RockLine(rock.id, rock.title, rock.owner, "at_risk", text, rows))
    done_here = []
    for milestone_id, rock_id, title, milestone_done in milestones:
        done_at = _utc(milestone_done)
        if done_at is not None and start <= done_at < end:
            rock = now_views[rock_id]
            done_here.append(
                RockLine(
                    rock.id,
                    rock.title,
                    rock.owner,
                    rock.status,
                    f"{title} ({rock.title}, {rock.owner})",
                    (SourceRow("milestone", milestone_id or 0, f"{title} done"),),
                )
            )
    rocks_done = []
    for rock in now_views.values():
        changed = _utc(changed_at.get(rock.id))
        if rock.status == "done" and changed is not None and start <= changed < end:
            rocks_done.append(
                RockLine(
                    rock.id,
                    rock.title,
                    rock.owner,
                    rock.status,
                    f"{rock.title} ({rock.owner}): done",
                    (_rock_row(rock, week),),
                )
            )
    long_off = tuple(
        RockLine(
            r.id,
            r.title,
            r.owner,
            r.status,
            f"{r.title} ({r.owner}): off track {r.off_track_weeks} weeks",
            (_rock_row(r, week),),
        )
        for r in now_views.values()
        if not r.finished and r.off_track_weeks >= OFF_TRACK_WEEKS_TO_PROPOSE
    )
    hours = {int(t.key.split(":")[1]): t for t in time_.rocks}
    no_hours = []
    for rock in now_views.values():
        if rock.status != "off_track":
            continue
        line = hours.get(rock.id)
        actual = line.actual_minutes if line else 0
        if actual < ALMOST_NO_MINUTES:
            no_hours.append(
                RockLine(
                    rock.id,
                    rock.title,
                    rock.owner,
                    rock.status,
                    f"{rock.title} ({rock.owner}): off track, {_minutes_text(actual)} this week",
                    (_rock_row(rock, week), *(line.rows if line else ())),
                )
            )
    return RocksPanel(
        changes=tuple(changes),
        back_on_track=back,
        milestones_done=tuple(done_here),
        rocks_done=tuple(rocks_done),
        off_track_long=long_off,
        off_track_no_hours=tuple(no_hours),
        rows=tuple(_rock_row(r, week) for r in now_views.values()),
    )


class _ReviewTask(NamedTuple):
    """What the review reads of a task, its moments in UTC."""

    id: int
    title: str
    important: bool
    urgent: bool
    unsorted: bool
    due_date: date | None
    owner_id: int | None
    follow_up: date | None
    done_at: datetime | None
    archived_at: datetime | None
    created_at: datetime | None


# Where the moments begin in a row: they are the last fields, read back in UTC.
_MOMENTS = _ReviewTask._fields.index("done_at")
assert _ReviewTask._fields[_MOMENTS:] == ("done_at", "archived_at", "created_at")


def _open_at(task: _ReviewTask, moment: datetime) -> bool:
    done_at, archived = task.done_at, task.archived_at
    return (done_at is None or done_at >= moment) and (archived is None or archived >= moment)


def _review_tasks_query() -> PlainQuery:
    done_at, archived_at = col(Task.done_at), col(Task.archived_at)
    due = col(Task.due_date)
    # Typed by the columns they are compared with (the model's own types).
    moment: BindParameter[datetime] = bindparam("moment")
    review_day: BindParameter[date] = bindparam("review_day")
    # Open at the review moment (not done or archived by then), and overdue or
    # delegated with a follow-up due.
    waiting = and_(
        or_(archived_at.is_(None), archived_at >= moment),
        or_(
            due < review_day,
            and_(col(Task.owner_id).is_not(None), col(Task.follow_up) <= review_day),
        ),
    )
    # Each part leads with done_at, so SQLite reads them all by its index in one query
    # (no ORDER BY: sorting by id would make it scan the table instead).
    query = sa_select(*(col(getattr(Task, name)) for name in _ReviewTask._fields)).where(
        or_(
            # Done in the week.
            and_(done_at >= bindparam("done_from"), done_at < bindparam("done_to")),
            and_(done_at.is_(None), waiting),
            and_(done_at >= moment, waiting),
            # Open, and due this week or planned in one of its blocks.
            and_(
                done_at.is_(None),
                archived_at.is_(None),
                or_(
                    and_(due >= bindparam("first_day"), due <= bindparam("last_day")),
                    col(Task.id).in_(bindparam("planned", expanding=True)),
                ),
            ),
        )
    )
    return PlainQuery(query)


# Built once, read past the ORM: a redraw of the review reads every task of its week.
_REVIEW_TASKS = _review_tasks_query()


def _review_tasks(
    db: Database,
    week: str,
    span: tuple[datetime, datetime],
    review_day: date,
    review_moment: datetime,
    blocks: Iterable[BlockView],
) -> list[_ReviewTask]:
    """The tasks the week's panels can show, by id: done in the week; open at the review
    moment and overdue or waiting for a follow-up; open and due this week or planned in
    one of its blocks. A superset read by the indexes (a day's margin on stored times, so
    the comparison does not hang on how a time was written); each panel applies its
    exact rule, so the result is that of reading every task, at any size of history."""
    start, end = span
    days = week_days(week)
    with db.session() as session:
        rows = _REVIEW_TASKS.rows(
            session,
            moment=review_moment - timedelta(days=1),
            review_day=review_day,
            done_from=start - timedelta(days=1),
            done_to=end + timedelta(days=1),
            first_day=days[0],
            last_day=days[-1],
            planned=sorted({b.task_id for b in blocks if b.task_id is not None}),
        )
    tasks = [_ReviewTask._make((*row[:_MOMENTS], *map(_utc, row[_MOMENTS:]))) for row in rows]
    tasks.sort(key=lambda task: task.id)
    return tasks


@dataclass(frozen=True)
class _TeamWeek:
    """The week's to-dos due and meeting ratings: what the tasks panel reads besides the
    tasks (kept apart from them, which every task done moves)."""

    todo_done: int
    todo_due: int
    todo_rate: float | None
    todo_text: str
    todo_rows: Rows
    meeting_rating: float | None
    meeting_text: str
    meeting_rows: Rows


def _team_week(db: Database, week: str, review_day: date) -> _TeamWeek:
    team_id = default_team(db)
    days = week_days(week)
    due = todos.due_between(db, team_id, days[0], days[-1], review_day)
    done_flags = [t.done for t in due]
    rate = todos.completion_rate(done_flags)
    todo_rows = tuple(
        SourceRow(
            "todo", t.id, f"#{t.id} [{'x' if t.done else ' '}] {t.title} ({t.owner}, due {t.due})"
        )
        for t in due
    )
    scores: list[int] = []
    rating_rows: list[SourceRow] = []
    for meeting_id in meetings.meeting_ids_of_week(db, team_id, week):
        for rating in meetings.ratings(db, meeting_id):
            scores.append(rating.score)
            rating_rows.append(
                SourceRow("rating", meeting_id, f"{rating.person}: {rating.score}/10")
            )
    average = meetings.rating_average(scores)
    meeting_text = (
        f"{average:g} ({_plural(len(scores), 'rating')})"
        if average is not None
        else "no meeting rated"
    )
    return _TeamWeek(
        todo_done=sum(done_flags),
        todo_due=len(done_flags),
        todo_rate=rate,
        todo_text=(
            f"{todos.rate_text(rate)}, {sum(done_flags)} of {len(done_flags)} done"
            if rate is not None
            else todos.rate_text(rate)
        ),
        todo_rows=todo_rows,
        meeting_rating=average,
        meeting_text=meeting_text,
        meeting_rows=tuple(rating_rows),
    )


def _tasks_panel(
    db: Database,
    team_week: _TeamWeek,
    week: str,
    span: tuple[datetime, datetime],
    review_day: date,
    review_moment: datetime,
    my_id: int | None,
    blocks: Iterable[BlockView],
) -> tuple[TasksPanel, list[_ReviewTask]]:
    start, end = span
    tasks = _review_tasks(db, week, span, review_day, review_moment, blocks)
    done = [t for t in tasks if (d := t.done_at) is not None and start <= d < end]
    counts = []
    for quadrant in Quadrant:
        mine = [
            t for t in done if not t.unsorted and Quadrant.of(t.important, t.urgent) == quadrant
        ]
        counts.append(
            Count(f"Q{quadrant.value} {quadrant.label}", len(mine), tuple(map(_task_row, mine)))
        )
    unsorted = [t for t in done if t.unsorted]
    if unsorted:
        counts.append(Count("Unsorted", len(unsorted), tuple(map(_task_row, unsorted))))
    open_then = [t for t in tasks if _open_at(t, review_moment) and t.created_at is not None]
    overdue = [t for t in open_then if t.due_date is not None and t.due_date < review_day]
    waiting = [
        t
        for t in open_then
        if t.owner_id is not None
        and t.owner_id != my_id
        and t.follow_up is not None
        and t.follow_up <= review_day
    ]
    panel = TasksPanel(
        done_by_quadrant=tuple(counts),
        done_total=len(done),
        overdue=Count(
            "Overdue",
            len(overdue),
            tuple(_task_row(t, f"due {t.due_date}") for t in overdue),
        ),
        awaiting_follow_up=Count(
            "Delegated, awaiting follow-up",
            len(waiting),
            tuple(_task_row(t, f"follow up {t.follow_up}") for t in waiting),
        ),
        **{f.name: getattr(team_week, f.name) for f in fields(team_week)},
    )
    return panel, tasks


def _carry_over(
    tasks: Sequence[_ReviewTask], week: str, blocks: Iterable[BlockView]
) -> tuple[CarryItem, ...]:
    days = week_days(week)
    by_task: dict[int, list[BlockView]] = {}
    for block in blocks:
        if block.task_id is not None:
            by_task.setdefault(block.task_id, []).append(block)
    items = []
    for task in sorted(tasks, key=lambda t: (t.due_date or date.max, t.id)):
        if task.done_at is not None or task.archived_at is not None:
            continue
        planned = by_task.get(task.id, [])
        due_here = task.due_date is not None and days[0] <= task.due_date <= days[-1]
        if not (due_here or planned):
            continue
        why = []
        if due_here and task.due_date is not None:
            why.append(f"due {_short_day(task.due_date)}")
        if planned:
            first = planned[0]
            why.append(f"planned {_short_day(first.day)} {first.start:%H:%M}")
        rows = (_task_row(task), *map(_block_row, planned))
        items.append(CarryItem(task.id, task.title, ", ".join(why), task.due_date, rows))
    return tuple(items)


class _Person(NamedTuple):
    id: int | None
    name: str
    is_me: bool


_ACTIVE_PEOPLE = PlainQuery(
    sa_select(*(col(getattr(Person, name)) for name in _Person._fields)).where(col(Person.active))
)


def _people_reads(
    db: Database, review_day: date
) -> tuple[tuple[_Person, ...], tuple[todos.TodoView, ...]]:
    """The active people and the open to-dos as of ``review_day``."""
    with db.session() as session:
        people = tuple(_Person._make(row) for row in _ACTIVE_PEOPLE.rows(session))
    return people, todos.todos(db, review_day)


def _people(
    reads: tuple[tuple[_Person, ...], tuple[todos.TodoView, ...]],
    tasks: Sequence[_ReviewTask],
    rocks: RocksPanel,
    review_day: date,
    review_moment: datetime,
    my_id: int | None,
) -> tuple[PersonLine, ...]:
    people, open_todos = reads
    flagged = {
        r.id: r
        for r in (*rocks.changes, *rocks.off_track_long, *rocks.off_track_no_hours)
        if r.status != "on_track"
    }
    todos_of: dict[int | None, list[todos.TodoView]] = {}
    for todo in open_todos:
        todos_of.setdefault(todo.owner_id, []).append(todo)
    # Delegated to someone else, open at the review moment, its follow-up due.
    waiting_of: dict[int, list[_ReviewTask]] = {}
    for task in tasks:
        if (
            task.owner_id is not None
            and task.owner_id != my_id
            and task.follow_up is not None
            and task.follow_up <= review_day
            and _open_at(task, review_moment)
        ):
            waiting_of.setdefault(task.owner_id, []).append(task)
    lines = []
    for person in sorted(people, key=lambda p: (not p.is_me, p.name.lower())):
        pid = person.id or 0
        theirs = todos_of.get(pid, [])
        overdue = [t for t in theirs if t.overdue]
        waiting = waiting_of.get(pid, [])
        late_tasks = [t for t in waiting if t.due_date is not None and t.due_date < review_day]
        their_rocks = [r for r in flagged.values() if r.owner == person.name]
        if not (theirs or waiting or their_rocks):
            continue
        rows = (
            *(
                SourceRow("todo", t.id, f"#{t.id} {t.title} ({t.due_text or t.due})")
                for t in theirs
            ),
            *(_task_row(t, f"follow up {t.follow_up}") for t in waiting),
            *(r.rows[0] for r in their_rocks),
        )
        parts = [_plural(len(theirs), "open to-do")]
        if overdue:
            parts.append(f"{len(overdue)} overdue")
        if waiting:
            parts.append(f"{len(waiting)} delegated to follow up")
        if their_rocks:
            parts.append(f"{_plural(len(their_rocks), 'Rock')} off track or at risk")
        lines.append(
            PersonLine(
                id=pid,
                name=person.name,
                open_todos=len(theirs),
                overdue_todos=len(overdue),
                awaiting_follow_up=len(waiting),
                rocks_off_or_at_risk=len(their_rocks),
                overdue_items=len(overdue) + len(late_tasks),
                bottleneck=False,
                text=f"{person.name}: {', '.join(parts)}",
                rows=rows,
            )
        )
    total_overdue = sum(p.overdue_items for p in lines)
    result = []
    for line in lines:
        heavy = (
            line.overdue_items >= BOTTLENECK_LEAST
            and line.overdue_items >= BOTTLENECK_SHARE * total_overdue
        )
        if heavy:
            share = percent(line.overdue_items, total_overdue)
            text = f"{line.text} — bottleneck: {share}% of overdue items"
            line = replace(line, bottleneck=True, text=text)
        result.append(line)
    return tuple(result)


# ------------------------------------------------------------------ the review


_T = TypeVar("_T")


def weekly_review(db: Database, week: str, now: datetime, memo: ReviewMemo | None = None) -> Review:
    """The review of ISO week ``week`` as of ``now``: a pure read of the database (the
    planner writes a week's recurring occurrences when first shown, as it always does).
    With ``memo`` (a screen's), what an earlier review read is reused while the tables it
    read have not changed, at the same minute. Its reads share one transaction."""
    with db.reading():
        return _weekly_review(db, week, now, memo)


def _weekly_review(db: Database, week: str, now: datetime, memo: ReviewMemo | None) -> Review:
    stamps = db.changes.now()  # before any read: a write from here on moves a stamp
    week = normal_week_key(week)
    # A screen redraws once a minute for the clock (DeskScreen.stale): a panel read in
    # the same minute from the same tables is the same.
    minute = now.replace(second=0, microsecond=0)

    def keep(name: str, inputs: object, read: Callable[[], _T]) -> _T:
        if memo is None:
            return read()
        return memo.panels.get(stamps, name, inputs, read)

    settings = keep("settings", (), lambda: load_settings(db))  # the planner needs them too
    here = LocalNow.at(now, settings.zone)
    zone = here.zone
    span = week_span(week, zone)
    days = tuple(week_days(week))
    is_current = week == here.week
    review_day = min(here.today, days[-1])
    review_moment = min(here.instant, span[1])
    me = keep("me", (), lambda: _my_ids(db))
    my_id = me[0] if me else None
    open_week = here.week if week >= here.week else None
    card = keep("scorecard", (week, open_week), lambda: _scorecard_panel(db, week, open_week, memo))
    time_, time_blocks = keep(
        "time",
        (week, minute, settings),
        lambda: _time_panel(db, week, now, settings, memo.panels if memo is not None else None),
    )
    mine = {i for i in me if i is not None}
    # The Rocks' own rows apart from their block hours: a task done reads these again.
    rock_reads = keep("rock views", (week,), lambda: _rock_reads(db, week))
    rocks = keep(
        "rocks",
        (week, review_day, time_, mine, rock_reads),
        lambda: _rocks_panel(db, rock_reads, week, span, review_day, time_, mine),
    )

    # To-dos, ratings and people apart from the tasks: a task done reads these again.
    team_week = keep("team week", (week, review_day), lambda: _team_week(db, week, review_day))
    people_reads = keep("people", (review_day,), lambda: _people_reads(db, review_day))

    def tasks_and_people() -> tuple[TasksPanel, tuple[CarryItem, ...], tuple[PersonLine, ...]]:
        panel, tasks = _tasks_panel(
            db, team_week, week, span, review_day, review_moment, my_id, time_blocks
        )
        carry = _carry_over(tasks, week, time_blocks)
        people = _people(people_reads, tasks, rocks, review_day, review_moment, my_id)
        return panel, carry, people

    tasks_panel, carry, people = keep(
        "tasks",
        (week, minute, review_day, my_id, time_blocks, rocks, team_week, people_reads),
        tasks_and_people,
    )
    headline = headline_sentence(
        card.improved,
        card.slipped,
        time_.rock_actual_minutes,
        time_.rock_planned_minutes,
        rocks.back_on_track,
        tasks_panel.todo_rate,
    )
    title = week_title(week)
    return Review(
        week=week,
        title=title,
        days=days,
        is_current=is_current,
        headline=headline,
        scorecard=card,
        time=time_,
        rocks=rocks,
        tasks=tasks_panel,
        carry_over=carry,
        people=people,
    )


_MY_IDS = PlainQuery(sa_select(col(Person.id)).where(col(Person.is_me)))


def _my_ids(db: Database) -> list[int | None]:
    with db.session() as session:
        return [person_id for (person_id,) in _MY_IDS.rows(session)]


# ------------------------------------------------------------------ the month


@dataclass(frozen=True)
class MonthLine:
    id: int
    name: str
    unit: str
    combine: str
    current: float | None
    previous: float | None
    current_text: str
    previous_text: str
    change_text: str
    rows: Rows


@dataclass(frozen=True)
class MonthReview:
    month: str  # "2026-11"
    title: str  # "November 2026"
    previous: str
    weeks: tuple[str, ...]
    previous_weeks: tuple[str, ...]
    rule: str  # how weeks are assigned to months, said in the output
    lines: tuple[MonthLine, ...]


def _is_share(unit: str, rule: str) -> bool:
    return unit == "yesno" and rule == "average"


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


def combined_text(value: float | None, unit: str, rule: str) -> str:
    """A combined month in its unit; yes/no weeks averaged read as the share of yes."""
    if value is None:
        return ""
    if _is_share(unit, rule):
        return f"{round(value * 100)}% yes"
    return format_value(value, unit)


def monthly_review(db: Database, month: str, now: datetime) -> MonthReview:
    """Each measurable's month, current vs previous, its weeks combined by its rule
    (sum, average, last); weeks belong to the month of their Thursday."""
    _parse_month(month)
    month = "{:04d}-{:02d}".format(*_parse_month(month))
    previous = shift_month(month, -1)
    weeks, before = weeks_of_month(month), weeks_of_month(previous)
    span = len(before) + len(weeks)
    grid = scorecard(db, weeks[-1], span)
    lines = []
    for row in grid.rows:
        values = {c.week: c for c in row.cells}
        current_cells = [values[w] for w in weeks]
        previous_cells = [values[w] for w in before]
        current = combine_weeks(row.combine, [c.value for c in current_cells])
        earlier = combine_weeks(row.combine, [c.value for c in previous_cells])
        lines.append(
            MonthLine(
                id=row.id,
                name=row.name,
                unit=row.unit,
                combine=row.combine,
                current=current,
                previous=earlier,
                current_text=combined_text(current, row.unit, row.combine),
                previous_text=combined_text(earlier, row.unit, row.combine),
                change_text=change_text(
                    current, earlier, "percent" if _is_share(row.unit, row.combine) else row.unit
                )
                if not _is_share(row.unit, row.combine)
                else change_text(_pct(current), _pct(earlier), "percent"),
                rows=tuple(
                    SourceRow("value", row.id, f"{row.name} {c.week}: {c.formatted or 'empty'}")
                    for c in (*previous_cells, *current_cells)
                ),
            )
        )
    del now
    return MonthReview(
        month=month,
        title=month_title(month),
        previous=previous,
        weeks=weeks,
        previous_weeks=before,
        rule=MONTH_RULE,
        lines=tuple(lines),
    )


# ------------------------------------------------------------------ rendering


def kpi_text(k: KpiLine) -> str:
    value = k.value_text or "no value"
    parts = [f"{k.name}: {value} vs {k.goal_text} ({k.grade})"]
    if k.change_text:
        parts.append(f"vs last week {k.change_text}")
    if k.vs_average_text:
        parts.append(f"vs 13-week avg {k.average_text} {k.vs_average_text}")
    if k.streak_text:
        parts.append(k.streak_text)
    return "; ".join(parts)


def time_line_text(t: TimeLine) -> str:
    return f"{t.name}: {t.actual_text} of {t.planned_text} planned"


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


def review_sections(review: Review) -> tuple[Section, ...]:
    """The review as titled sections of plain lines: the text and Markdown forms."""
    card, time_, rocks, tasks = review.scorecard, review.time, review.rocks, review.tasks
    scorecard_lines = (f"Summary: {card.summary}", *(kpi_text(k) for k in card.lines))
    time_lines = [
        f"Total: {time_.actual_text} of {time_.planned_text} planned",
        *(f"Category {time_line_text(t)}" for t in time_.categories),
        *(f"Rock {time_line_text(t)}" for t in time_.rocks),
        time_.rock_share.text,
        time_.q2_share.text,
        *(f"Skipped: {b.text}" for b in time_.skipped),
        *(f"Ran over: {b.text}" for b in time_.ran_over),
    ]
    rock_lines = [
        *(f"Change: {r.text}" for r in rocks.changes),
        *(f"Done: {r.text}" for r in rocks.rocks_done),
        *(f"Milestone done: {r.text}" for r in rocks.milestones_done),
        *(f"Off track 3+ weeks: {r.text}" for r in rocks.off_track_long),
        *(f"Almost no hours: {r.text}" for r in rocks.off_track_no_hours),
    ] or ["No Rock changed status this week."]
    task_lines = [
        "Done: " + (", ".join(f"{c.label} {c.count}" for c in tasks.done_by_quadrant) or "nothing"),
        f"{tasks.overdue.label}: {tasks.overdue.count}",
        f"{tasks.awaiting_follow_up.label}: {tasks.awaiting_follow_up.count}",
        f"To-dos: {tasks.todo_text}",
        f"Meeting rating: {tasks.meeting_text}",
    ]
    carry = [f"{c.title} ({c.why})" for c in review.carry_over] or ["Nothing to carry over."]
    people = [p.text for p in review.people] or ["Nobody has open items."]
    return (
        Section("Scorecard", tuple(scorecard_lines)),
        Section("Time: plan vs. reality", tuple(time_lines)),
        Section("Rocks", tuple(rock_lines)),
        Section("Tasks and to-dos", tuple(task_lines)),
        Section("Carry over", tuple(carry)),
        Section("People and bottlenecks", tuple(people)),
    )


def review_markdown(review: Review) -> str:
    lines = [f"# Friday review · {review.title} ({review.week})", "", f"**{review.headline}**"]
    for section in review_sections(review):
        lines += ["", f"## {section.title}", ""]
        lines += [f"- {line}" for line in section.lines]
    return "\n".join(lines) + "\n"


def month_sections(review: MonthReview) -> tuple[Section, ...]:
    lines = [
        f"{line.name} ({line.combine}): {line.current_text or 'no values'} "
        f"vs {line.previous_text or 'no values'}"
        + (f" {line.change_text}" if line.change_text else "")
        for line in review.lines
    ] or ["The scorecard has no measurables yet."]
    weeks = f"Weeks: {review.weeks[0]} to {review.weeks[-1]}. {review.rule}"
    return (Section(f"{review.title} vs {month_title(review.previous)}", (weeks, *lines)),)


def month_markdown(review: MonthReview) -> str:
    lines = [f"# Month at a glance · {review.title}", "", review.rule, ""]
    lines += [
        f"| Measurable | Rule | {review.title} | {month_title(review.previous)} | Change |",
        "|---|---|---|---|---|",
    ]
    for line in review.lines:
        lines.append(
            f"| {line.name} | {line.combine} | {line.current_text or '—'} | "
            f"{line.previous_text or '—'} | {line.change_text or '—'} |"
        )
    lines += ["", f"Weeks counted: {', '.join(review.weeks)}."]
    return "\n".join(lines) + "\n"


def _jsonable(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def review_json(review: Review | MonthReview) -> str:
    data = asdict(review)
    return json.dumps(data, default=_jsonable, ensure_ascii=False, indent=2) + "\n"
