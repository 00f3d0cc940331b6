"""The week planner: time blocks on a local day, planned against what really happened.

Rules:

- A block lies inside one local day, in wall-clock time in the user's zone: it ends
  after it starts and never crosses midnight (split it into one block per day).
- Overlaps are allowed and flagged; touching blocks (one ends 10:00, the next starts
  10:00) do not overlap. Deep work is protected: a meeting placed over a deep-work
  block needs confirmation.
- Planned vs. actual: planned time is calendar time, each minute once: where blocks
  overlap, a minute counts for the block placed inside the other (a task scheduled into
  deep work counts its hour, the deep work the rest); Rock and task shares are the
  minutes covered by blocks serving a Rock or a task; actual time counts recorded
  blocks (a skipped block counts 0); the difference compares recorded blocks only, so
  blocks still ahead do not read as a shortfall.
- Recurring blocks are RFC 5545 rules expanded in the user's zone at the same
  wall-clock time on every day, across DST changes. Each occurrence is a stored block
  (one per series and day) with an id derived from the series and the day, written
  when its week is first shown; a deleted occurrence leaves a DeletedOccurrence row so
  it stays deleted. A series carries its task and Rock to every occurrence; it can be
  changed or ended from one occurrence on ("this and following"), which ends it the day
  before and starts a new series there.
- A week counts as empty when it holds no blocks besides recurring and imported ones:
  only then can the ideal week be applied or another week copied into it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, rrulestr
from sqlmodel import Session, col, select

from ceodesk.core.kernel.clock import LocalNow
from ceodesk.core.kernel.dates import (
    MONTH_ABBR,
    WEEKDAY_ABBR,
    format_minutes,
    parse_duration,
    shift_week,
    week_days,
    week_key,
    week_monday,
)
from ceodesk.core.kernel.errors import CeodeskError, InputError, NotFoundError
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.models import (
    BlockSeries,
    Category,
    DeletedOccurrence,
    FocusTask,
    IdealBlock,
    Person,
    Rock,
    Setting,
    Task,
    TimeBlock,
    utc_now,
)
from ceodesk.core.store.preferences import CategoryView, load_settings

__all__ = [
    "REPEAT_CHOICES",
    "AlreadyScheduled",
    "BlockView",
    "CategoryTotal",
    "DayView",
    "DeepWorkConflict",
    "FocusView",
    "Scheduled",
    "WeekPlan",
    "add_block",
    "add_series",
    "apply_ideal_week",
    "block_rocks",
    "carry_over",
    "category_by_name",
    "copy_week",
    "counted_minutes",
    "covered_minutes",
    "delete_block",
    "delete_series",
    "done_as_planned",
    "edit_block",
    "edit_series_from",
    "end_series",
    "free_slot",
    "make_repeating",
    "move_block",
    "occurrence_uid",
    "occurrences",
    "overlapping_ids",
    "parse_actual",
    "parse_repeat",
    "planned_rock_minutes",
    "record_actual",
    "repeat_label",
    "repeat_of",
    "repeat_rule",
    "resize_block",
    "save_ideal_week",
    "schedule_task",
    "scheduled_times",
    "toggle_focus",
    "unfinished_linked_tasks",
    "week_plan",
    "write_occurrences",
]

DEEP_WORK = "deep work"
MEETINGS = "meetings"
DAY_MINUTES = 24 * 60
GRID_MINUTES = 15  # free slots start on a quarter hour
SHORTEST_BLOCK_MINUTES = 15
DEFAULT_SESSION_MINUTES = 60  # a task without an estimate gets an hour
# A scheduled task's estimate is split into deep-work sessions at most this long (a
# 4-hour task gets two), none shorter than SHORTEST_SESSION_MINUTES unless less is left.
LONGEST_SESSION_MINUTES = 120
SHORTEST_SESSION_MINUTES = 30
# add_series writes this many weeks of occurrences in its own (undoable) action; later
# weeks are written when first shown.
SERIES_WEEKS_AHEAD = 13
# The weeks of a series written when first shown: "shown_occurrences:<series uid>" ->
# "2027-W30 2027-W31". If undo removes the series, those blocks are removed too.
SHOWN_OCCURRENCES = "shown_occurrences:"
_OCCURRENCE_NAMESPACE = uuid.UUID("6f0d3c2e-5b7a-4e61-9c1d-2a8b4f3e7d10")
_SUB_DAILY = re.compile(r"\bFREQ=(HOURLY|MINUTELY|SECONDLY)\b", re.IGNORECASE)
_BARE_MINUTES = re.compile(r"[0-9]{1,9}")
_SKIP_WORDS = frozenset({"skip", "skipped"})

SAME_DAY = "A block must end after it starts, on the same day."
PAST_MIDNIGHT = "A block cannot move past midnight; it must stay within one day."
FIXED = "Imported calendar events stay where they are."
NO_DEEP_WORK_LEFT = "No free deep-work time left this week; place it with the cursor."


class DeepWorkConflict(CeodeskError):
    """Placing a meeting over a deep-work block needs confirmation."""


# ------------------------------------------------------------------------- views


@dataclass(frozen=True)
class BlockView:
    id: int
    day: date
    start: time
    end: time
    title: str
    category_id: int
    category: str  # category name
    colour: str  # "#4c78a8"
    task_id: int | None
    task_title: str | None
    task_done: bool
    series_id: int | None
    fixed: bool
    actual_minutes: int | None
    skipped: bool
    overlaps: bool  # overlaps another block of the same day
    rock_id: int | None = None  # the Rock it serves, directly or through its task
    rock: str | None = None  # that Rock's title
    direct_rock_id: int | None = None  # the Rock linked to the block itself
    repeats: str | None = None  # a repeat choice ("every 2 weeks"), "custom", or None

    @property
    def planned_minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)

    @property
    def is_recorded(self) -> bool:
        return self.actual_minutes is not None or self.skipped


@dataclass(frozen=True)
class FocusView:
    task_id: int
    title: str
    done: bool
    has_block: bool  # a block linked to this task exists that day


@dataclass(frozen=True)
class DayView:
    day: date
    is_today: bool
    blocks: tuple[BlockView, ...]  # by start, then end
    focus: tuple[FocusView, ...]  # in pinned order
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class CategoryTotal:
    """Planned and actual time of one category in a week.

    ``actual_minutes`` sums recorded actuals (skipped = 0); ``planned_minutes`` sums all
    blocks; ``planned_recorded_minutes`` only those whose actual is recorded.
    """

    category: str
    colour: str
    planned_minutes: int
    actual_minutes: int
    planned_recorded_minutes: int

    @property
    def difference_minutes(self) -> int:
        """Actual minus planned over recorded blocks: negative = less than planned."""
        return self.actual_minutes - self.planned_recorded_minutes


@dataclass(frozen=True)
class WeekPlan:
    week: str  # "2026-W48"
    days: tuple[DayView, ...]  # Monday..Sunday
    today: date
    now_time: time  # the user's wall-clock time now, to the minute
    totals: tuple[CategoryTotal, ...]  # categories in order, those with any time
    planned_minutes: int
    actual_minutes: int
    task_linked_minutes: int  # planned minutes of blocks linked to a task
    is_empty: bool  # no blocks besides recurring and imported ones
    day_start: time
    day_end: time
    rock_minutes: int = 0  # planned minutes of blocks linked to a Rock, directly or via a task


# ----------------------------------------------------------------- pure helpers


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _wall(moment: time) -> time:
    """A time of day to the minute, without a zone (blocks are wall-clock)."""
    return time(moment.hour, moment.minute)


def _short_day(d: date) -> str:
    return f"{WEEKDAY_ABBR[d.weekday()]} {d.day} {MONTH_ABBR[d.month - 1]}"


def _span(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def overlapping_ids(
    blocks: Sequence[tuple[int, time, time]],
    compatible: Callable[[int, int], bool] | None = None,
) -> set[int]:
    """Ids of blocks that overlap another; a block ending when the next starts does not,
    nor does a pair that ``compatible`` accepts (in either order)."""
    ordered = sorted(blocks, key=lambda b: (_minutes(b[1]), _minutes(b[2])))
    flagged: set[int] = set()
    for i, (first, _start, end) in enumerate(ordered):
        for second, later_start, _later_end in ordered[i + 1 :]:
            if _minutes(later_start) >= _minutes(end):
                break
            if compatible and (compatible(first, second) or compatible(second, first)):
                continue
            flagged.update((first, second))
    return flagged


def _on_top_key(block: BlockView) -> tuple[int, int, int]:
    """Of blocks sharing a minute, the one placed inside the other counts it: the latest
    start, then the shortest, then the newest."""
    return (_minutes(block.start), -block.planned_minutes, block.id)


def counted_minutes(views: Iterable[BlockView]) -> dict[int, int]:
    """Block id -> the planned minutes it counts, so each minute of a day counts once.

    Where blocks overlap, a minute counts for the block placed inside the other (the one
    starting latest, then the shortest): a task scheduled into deep work counts its own
    time and the deep-work block the rest, so the week's planned time is the calendar
    time covered, never more.
    """
    counted: dict[int, int] = {}
    by_day: dict[date, list[BlockView]] = {}
    for view in views:
        counted[view.id] = 0
        by_day.setdefault(view.day, []).append(view)
    for day_views in by_day.values():
        edges = sorted({m for v in day_views for m in (_minutes(v.start), _minutes(v.end))})
        for begin, end in pairwise(edges):
            here = [v for v in day_views if _minutes(v.start) <= begin and end <= _minutes(v.end)]
            if here:
                counted[max(here, key=_on_top_key).id] += end - begin
    return counted


def covered_minutes(spans: Iterable[BlockView | tuple[int, date, time, time]]) -> int:
    """Minutes of calendar time covered by these blocks, each minute once."""
    by_day: dict[date, list[tuple[int, int]]] = {}
    for span in spans:
        if isinstance(span, BlockView):
            day, start, end = span.day, span.start, span.end
        else:
            _id, day, start, end = span
        by_day.setdefault(day, []).append((_minutes(start), _minutes(end)))
    total = 0
    for intervals in by_day.values():
        reach = -1
        for first, last in sorted(intervals):
            first = max(first, reach)
            if last > first:
                total += last - first
                reach = last
    return total


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _check_span(start: time, end: time) -> None:
    if _minutes(end) <= _minutes(start):
        raise InputError(SAME_DAY)


def parse_actual(text: str) -> tuple[int | None, bool]:
    """What really happened, as typed: "45", "45m", "1h30" or "skip" -> (minutes, skipped).

    A bare number is minutes; empty text is (None, False), nothing recorded.
    """
    word = text.strip().lower()
    if not word:
        return None, False
    if word in _SKIP_WORDS:
        return None, True
    bad = f"“{text.strip()}” is not a time like 45, 1h30 or skip."
    if _BARE_MINUTES.fullmatch(word):
        minutes: int | None = int(word)
    else:
        try:
            minutes = parse_duration(word)
        except InputError:
            raise InputError(bad) from None
    if minutes is None:
        raise InputError(bad)
    _check_actual(minutes)
    return minutes, False


def _check_actual(minutes: int) -> None:
    if not 0 <= minutes <= DAY_MINUTES:
        raise InputError("An actual time must be between 0 minutes and 24 hours.")


# ------------------------------------------------------------------ recurrence


def occurrence_uid(series_uid: str, day: date) -> str:
    """The stable uid of a series' occurrence on a day (one block per series and day)."""
    return str(uuid.uuid5(_OCCURRENCE_NAMESPACE, f"{series_uid}/{day.isoformat()}"))


def _parse_rule(text: str, dtstart: datetime) -> rrule:
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        raise InputError("A repeating block needs a rule like FREQ=WEEKLY;BYDAY=TU.")
    bad = f"“{' '.join(text.split())}” is not a repeat rule like FREQ=WEEKLY;BYDAY=TU."
    if ":" in rule or "\n" in rule:
        raise InputError(bad)
    if _SUB_DAILY.search(rule):
        raise InputError("A block repeats at most once a day.")
    try:
        parsed = rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError, OverflowError):
        raise InputError(bad) from None
    if not isinstance(parsed, rrule):
        raise InputError(bad)
    return parsed


def occurrences(series: BlockSeries, week: str, zone: ZoneInfo) -> list[tuple[date, time, time]]:
    """The series' (day, start, end) in ISO week ``week``, at its wall-clock times.

    The rule is expanded from ``starts_on`` at ``start`` in ``zone``, so a Tuesday 09:00
    meeting stays at 09:00 local on both sides of a DST change.
    """
    days = week_days(week)
    first = max(days[0], series.starts_on)
    last = min(days[-1], series.ends_on or days[-1])
    if first > last:
        return []
    rule = _parse_rule(series.rule, datetime.combine(series.starts_on, series.start, zone))
    hits = rule.between(
        datetime.combine(first, time(0), zone),
        datetime.combine(last, time(23, 59, 59), zone),
        inc=True,
    )
    return [(day, series.start, series.end) for day in sorted({hit.date() for hit in hits})]


def _pending_occurrences(
    session: Session, week: str, zone: ZoneInfo, only: BlockSeries | None = None
) -> tuple[list[TimeBlock], list[tuple[TimeBlock, int]]]:
    """(occurrences to write, stored occurrences to link back to their series) for a week.

    An occurrence loses its series link when the series is removed (undo of adding it)
    and regains it when the series comes back (redo).
    """
    days = week_days(week)
    if only is not None:
        series_list = [only]
    else:
        series_list = list(
            session.exec(
                select(BlockSeries).where(
                    BlockSeries.starts_on <= days[-1],
                    col(BlockSeries.ends_on).is_(None) | (col(BlockSeries.ends_on) >= days[0]),
                )
            )
        )
    wanted: dict[str, tuple[BlockSeries, date, time, time]] = {}
    for series in series_list:
        for day, start, end in occurrences(series, week, zone):
            wanted[occurrence_uid(series.uid, day)] = (series, day, start, end)
    if not wanted:
        return [], []
    stored = {
        block.uid: block
        for block in session.exec(select(TimeBlock).where(col(TimeBlock.uid).in_(wanted)))
    }
    deleted = set(
        session.exec(
            select(DeletedOccurrence.occurrence_uid).where(
                col(DeletedOccurrence.occurrence_uid).in_(wanted)
            )
        )
    )
    new: list[TimeBlock] = []
    relink: list[tuple[TimeBlock, int]] = []
    for uid, (series, day, start, end) in wanted.items():
        block = stored.get(uid)
        if block is None and uid not in deleted:
            new.append(
                TimeBlock(
                    uid=uid,
                    day=day,
                    start=start,
                    end=end,
                    title=series.title,
                    category_id=series.category_id,
                    series_id=series.id,
                    task_id=series.task_id,
                    rock_id=series.rock_id,
                )
            )
        elif block is not None and block.series_id is None and series.id is not None:
            relink.append((block, series.id))
    return new, relink


def write_occurrences(
    session: Session, week: str, zone: ZoneInfo, only: BlockSeries | None = None
) -> int:
    """Store the week's missing occurrences (of one series, or all) in an open session.

    Idempotent: each occurrence has a stable uid, and deleted ones stay deleted.
    Returns how many blocks were written.
    """
    return len(_write_pending(session, week, zone, only))


def _write_pending(
    session: Session, week: str, zone: ZoneInfo, only: BlockSeries | None = None
) -> list[TimeBlock]:
    new, relink = _pending_occurrences(session, week, zone, only)
    session.add_all(new)
    for block, series_id in relink:
        block.series_id = series_id
    session.flush()
    return new


def _ensure_occurrences(db: Database, week: str, zone: ZoneInfo) -> None:
    """Write a week's recurring blocks the first time it is shown.

    This is bookkeeping, not a user action: it is not in the undo log (undoing it would
    only write it again), and it takes the write lock only when something is missing.
    It also removes the blocks it wrote for a series that undo has since removed.
    """
    with db.session() as session:
        new, relink = _pending_occurrences(session, week, zone)
        stale = _stale_shown(session)
    if not new and not relink and not stale:
        return
    writer = db.engine.execution_options(ceodesk_begin="IMMEDIATE")
    with Session(writer, expire_on_commit=False) as session:
        for record in _stale_shown(session):  # checked again under the lock
            _remove_shown(session, record)
        new = _write_pending(session, week, zone)
        for series_id in {b.series_id for b in new if b.series_id is not None}:
            series = session.get(BlockSeries, series_id)
            assert series is not None
            _note_shown(session, series.uid, week)
        session.commit()


def _stale_shown(session: Session) -> list[Setting]:
    """Records of shown occurrences whose series no longer exists."""
    records = session.exec(
        select(Setting).where(col(Setting.key).startswith(SHOWN_OCCURRENCES))
    ).all()
    if not records:
        return []
    alive = set(session.exec(select(BlockSeries.uid)))
    return [r for r in records if r.key.removeprefix(SHOWN_OCCURRENCES) not in alive]


def _remove_shown(session: Session, record: Setting) -> None:
    series_uid = record.key.removeprefix(SHOWN_OCCURRENCES)
    uids = [
        occurrence_uid(series_uid, day) for week in record.value.split() for day in week_days(week)
    ]
    for block in session.exec(
        select(TimeBlock).where(col(TimeBlock.uid).in_(uids), col(TimeBlock.series_id).is_(None))
    ):
        session.delete(block)
    session.delete(record)


def _note_shown(session: Session, series_uid: str, week: str) -> None:
    record = session.get(Setting, SHOWN_OCCURRENCES + series_uid)
    if record is None:
        session.add(Setting(key=SHOWN_OCCURRENCES + series_uid, value=week))
    elif week not in record.value.split():
        record.value = f"{record.value} {week}"


# ------------------------------------------------------------- loading views


def _week_blocks(session: Session, first: date, last: date) -> list[TimeBlock]:
    return list(
        session.exec(
            select(TimeBlock)
            .where(TimeBlock.day >= first, TimeBlock.day <= last)
            .order_by(TimeBlock.day, TimeBlock.start, TimeBlock.end, TimeBlock.id)
        )
    )


def _views(session: Session, blocks: Sequence[TimeBlock]) -> list[BlockView]:
    categories = {c.id: c for c in session.exec(select(Category))}
    task_ids = {b.task_id for b in blocks if b.task_id is not None}
    tasks = (
        {t.id: t for t in session.exec(select(Task).where(col(Task.id).in_(task_ids)))}
        if task_ids
        else {}
    )
    by_id = {block.id or 0: block for block in blocks}

    def placed_in(inner_id: int, outer_id: int) -> bool:
        """A task's block inside a deep-work block uses that time; it does not clash."""
        inner, outer = by_id[inner_id], by_id[outer_id]
        return (
            inner.task_id is not None
            and categories[outer.category_id].name == DEEP_WORK
            and outer.start <= inner.start
            and inner.end <= outer.end
        )

    by_day: dict[date, list[tuple[int, time, time]]] = {}
    for block in blocks:
        by_day.setdefault(block.day, []).append((block.id or 0, block.start, block.end))
    flagged: set[int] = set()
    for spans in by_day.values():
        flagged |= overlapping_ids(spans, placed_in)
    serving = block_rocks(session, blocks)
    rock_ids = set(serving.values())
    rock_titles = (
        dict(session.exec(select(Rock.id, Rock.title).where(col(Rock.id).in_(rock_ids))).all())
        if rock_ids
        else {}
    )
    series_ids = {b.series_id for b in blocks if b.series_id is not None}
    rules = (
        dict(
            session.exec(
                select(BlockSeries.id, BlockSeries.rule).where(col(BlockSeries.id).in_(series_ids))
            ).all()
        )
        if series_ids
        else {}
    )
    views = []
    for block in blocks:
        category = categories[block.category_id]
        rule = rules.get(block.series_id) if block.series_id is not None else None
        task = tasks.get(block.task_id) if block.task_id is not None else None
        views.append(
            BlockView(
                id=block.id or 0,
                day=block.day,
                start=block.start,
                end=block.end,
                title=block.title,
                category_id=block.category_id,
                category=category.name,
                colour=category.colour,
                task_id=block.task_id,
                task_title=task.title if task else None,
                task_done=bool(task and task.done_at is not None),
                series_id=block.series_id,
                fixed=block.fixed,
                actual_minutes=block.actual_minutes,
                skipped=block.skipped,
                overlaps=(block.id or 0) in flagged,
                rock_id=serving.get(block.id or 0),
                rock=rock_titles.get(serving.get(block.id or 0)),
                direct_rock_id=block.rock_id,
                repeats=(repeat_of(rule) or "custom") if rule else None,
            )
        )
    return views


def _view(session: Session, block: TimeBlock) -> BlockView:
    """One block as shown, its overlap flag computed against the rest of its day."""
    session.flush()
    day = _week_blocks(session, block.day, block.day)
    return next(v for v in _views(session, day) if v.id == block.id)


def block_rocks(session: Session, blocks: Sequence[TimeBlock]) -> dict[int, int]:
    """Block id -> the Rock its time serves: its own link, else its linked task's Rock."""
    task_ids = {b.task_id for b in blocks if b.rock_id is None and b.task_id is not None}
    task_rocks = (
        dict(
            session.exec(
                select(Task.id, Task.rock_id).where(
                    col(Task.id).in_(task_ids), col(Task.rock_id).is_not(None)
                )
            ).all()
        )
        if task_ids
        else {}
    )
    found: dict[int, int] = {}
    for block in blocks:
        rock_id = block.rock_id if block.rock_id is not None else task_rocks.get(block.task_id)
        if rock_id is not None and block.id is not None:
            found[block.id] = rock_id
    return found


def planned_rock_minutes(db: Database, week: str) -> tuple[int, int]:
    """(planned minutes of the week's blocks that serve a Rock, all planned minutes).

    Writes the week's recurring occurrences first, like ``week_plan``, so totals agree.
    """
    days = week_days(week)
    _ensure_occurrences(db, week, load_settings(db).zone)
    with db.session() as session:
        blocks = _week_blocks(session, days[0], days[-1])
        serving = block_rocks(session, blocks)
    spans = [(b.id or 0, b.day, b.start, b.end) for b in blocks]
    serving_spans = [span for span in spans if span[0] in serving]
    return covered_minutes(serving_spans), covered_minutes(spans)


def _is_own(block: TimeBlock) -> bool:
    """A block the user planned (not a recurring occurrence, not an imported event)."""
    return block.series_id is None and not block.fixed


def week_plan(db: Database, week: str, now: datetime) -> WeekPlan:
    """The week's blocks per day, focus tasks, warnings and planned vs. actual per category.

    Writes the week's recurring occurrences first if it is shown for the first time.
    """
    days = week_days(week)
    settings = load_settings(db)
    zone = settings.zone
    _ensure_occurrences(db, week, zone)
    local = LocalNow.at(now, zone).local
    today = local.date()
    with db.session() as session:
        blocks = _week_blocks(session, days[0], days[-1])
        views = _views(session, blocks)
        pinned = session.exec(
            select(FocusTask, Task)
            .join(Task, col(Task.id) == col(FocusTask.task_id))
            .where(
                FocusTask.day >= days[0],
                FocusTask.day <= days[-1],
                col(Task.archived_at).is_(None),
            )
            .order_by(FocusTask.day, FocusTask.position, FocusTask.task_id)
        ).all()
        categories = list(session.exec(select(Category).order_by(Category.position, Category.id)))
    day_views = []
    for day in days:
        day_blocks = tuple(v for v in views if v.day == day)
        linked = {v.task_id for v in day_blocks if v.task_id is not None}
        focus = tuple(
            FocusView(task.id or 0, task.title, task.done_at is not None, task.id in linked)
            for row, task in pinned
            if row.day == day
        )
        day_views.append(DayView(day, day == today, day_blocks, focus, _day_warnings(day, focus)))
    counted = counted_minutes(views)
    totals = []
    for category in categories:
        mine = [v for v in views if v.category_id == category.id]
        recorded = [v for v in mine if v.is_recorded]
        planned = sum(counted[v.id] for v in mine)
        actual = sum(v.actual_minutes or 0 for v in recorded)
        if planned or actual:
            totals.append(
                CategoryTotal(
                    category.name,
                    category.colour,
                    planned,
                    actual,
                    sum(v.planned_minutes for v in recorded),
                )
            )
    return WeekPlan(
        week=week_key(days[0]),
        days=tuple(day_views),
        today=today,
        now_time=_wall(local.time()),
        totals=tuple(totals),
        planned_minutes=sum(counted.values()),
        actual_minutes=sum(v.actual_minutes or 0 for v in views if v.is_recorded),
        task_linked_minutes=covered_minutes(v for v in views if v.task_id is not None),
        is_empty=not any(_is_own(b) for b in blocks),
        day_start=settings.day_start,
        day_end=settings.day_end,
        rock_minutes=covered_minutes(v for v in views if v.rock_id is not None),
    )


def _day_warnings(day: date, focus: Sequence[FocusView]) -> tuple[str, ...]:
    """A day holds one or two focus tasks, each with time for it: warn, never block."""
    warnings = []
    if len(focus) > 2:
        warnings.append(f"More than two focus tasks on {_short_day(day)}.")
    warnings.extend(
        f"Focus task “{f.title}” has no time block on {_short_day(day)}."
        for f in focus
        if not f.has_block and not f.done
    )
    return tuple(warnings)


# ------------------------------------------------------------ lookups and checks


def category_by_name(db: Database, name: str) -> CategoryView:
    """The category called ``name`` (case and extra spaces do not matter)."""
    wanted = " ".join(name.split()).lower()
    with db.session() as session:
        for category in session.exec(select(Category)):
            if category.name.lower() == wanted:
                return CategoryView(
                    category.id or 0, category.name, category.colour, category.archived
                )
    raise NotFoundError(f"There is no category called {wanted or 'that'}.")


def _category(session: Session, category_id: int, *, new: bool = True) -> Category:
    category = session.get(Category, category_id)
    if category is None:
        raise NotFoundError("That category no longer exists.")
    if new and category.archived:
        raise InputError(f"The category {category.name} is archived; pick another one.")
    return category


def _category_named(session: Session, name: str) -> Category:
    category = session.exec(select(Category).where(Category.name == name)).first()
    if category is None:
        raise NotFoundError(f"There is no category called {name}.")
    return category


def _task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None or task.archived_at is not None:
        raise NotFoundError("That task no longer exists.")
    return task


def _block(session: Session, block_id: int) -> TimeBlock:
    block = session.get(TimeBlock, block_id)
    if block is None:
        raise NotFoundError("That block no longer exists.")
    return block


def _clean_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise InputError("A block needs a title.")
    return cleaned


def _guard_deep_work(
    session: Session,
    *,
    day: date,
    start: time,
    end: time,
    title: str,
    category: Category,
    ignore: int | None,
) -> None:
    """A meeting over a deep-work block raises DeepWorkConflict (the caller may confirm)."""
    if category.name != MEETINGS:
        return
    for other in _week_blocks(session, day, day):
        if other.id == ignore or not _overlaps(
            _minutes(start), _minutes(end), _minutes(other.start), _minutes(other.end)
        ):
            continue
        if _category(session, other.category_id, new=False).name == DEEP_WORK:
            raise DeepWorkConflict(
                f"“{title}” would overlap the deep-work block “{other.title}” on "
                f"{_short_day(day)} {_span(other.start, other.end)}."
            )


# ------------------------------------------------------------------- blocks


class Keep:
    """'Leave it as it is' for an optional argument whose None means 'clear it'."""


KEEP = Keep()


def _check_rock(session: Session, rock_id: int | None) -> None:
    if rock_id is not None and session.get(Rock, rock_id) is None:
        raise NotFoundError("That Rock no longer exists.")


def add_block(
    db: Database,
    day: date,
    start: time,
    end: time,
    title: str,
    category_id: int,
    *,
    task_id: int | None = None,
    rock_id: int | None = None,
    confirm_over_deep_work: bool = False,
) -> BlockView:
    """Plan a block on a local day; it may overlap others (flagged), never cross midnight.

    It may serve a task and (directly) a Rock: the Rock's hours and the week's Rock time
    count it either way.
    """
    start, end = _wall(start), _wall(end)
    _check_span(start, end)
    title = _clean_title(title)
    with db.action(f"Planned “{title}”") as session:
        category = _category(session, category_id)
        if task_id is not None:
            _task(session, task_id)
        _check_rock(session, rock_id)
        if not confirm_over_deep_work:
            _guard_deep_work(
                session, day=day, start=start, end=end, title=title, category=category, ignore=None
            )
        block = TimeBlock(
            day=day,
            start=start,
            end=end,
            title=title,
            category_id=category_id,
            task_id=task_id,
            rock_id=rock_id,
        )
        session.add(block)
        return _view(session, block)


def edit_block(
    db: Database,
    block_id: int,
    *,
    title: str,
    category_id: int,
    task_id: int | None,
    minutes: int | None = None,
    rock_id: int | Keep | None = KEEP,
    confirm_over_deep_work: bool = False,
    repeat: str | None = None,
) -> BlockView:
    """Change a block's title, category, linked task and (given ``minutes``) its length;
    its start stays. ``repeat`` makes a one-off block repeat from its day, in the same
    undoable action."""
    title = _clean_title(title)
    zone = load_settings(db).zone if repeat else None
    with db.action(f"Edited “{title}”") as session:
        block = _block(session, block_id)
        category = _category(session, category_id, new=category_id != block.category_id)
        if task_id is not None and task_id != block.task_id:
            _task(session, task_id)
        if not confirm_over_deep_work and category_id != block.category_id:
            _guard_deep_work(
                session,
                day=block.day,
                start=block.start,
                end=block.end,
                title=title,
                category=category,
                ignore=block.id,
            )
        if not isinstance(rock_id, Keep):
            _check_rock(session, rock_id)
            block.rock_id = rock_id
        block.title, block.category_id, block.task_id = title, category_id, task_id
        if minutes is not None and minutes != _minutes(block.end) - _minutes(block.start):
            _set_end(block, _minutes(block.start) + minutes)
        block.updated_at = utc_now()
        if repeat and zone is not None and block.series_id is None:
            # The series must be flushed with (not after) the edit: undo then restores
            # the block before it removes the series its occurrences point to.
            _make_repeating(session, block, repeat, zone)
        return _view(session, block)


def move_block(
    db: Database,
    block_id: int,
    *,
    days: int = 0,
    minutes: int = 0,
    confirm_over_deep_work: bool = False,
) -> BlockView:
    """Move a block by days and/or minutes, keeping its length and its day boundaries."""
    with db.action("Moved a block") as session:
        block = _block(session, block_id)
        session.info[UNDO_LABEL] = f"Moved “{block.title}”"
        if block.fixed:
            raise InputError(FIXED)
        if not days and not minutes:
            return _view(session, block)
        start, end = _minutes(block.start) + minutes, _minutes(block.end) + minutes
        if start < 0 or end >= DAY_MINUTES:
            raise InputError(PAST_MIDNIGHT)
        day = block.day + timedelta(days=days)
        if not confirm_over_deep_work:
            _guard_deep_work(
                session,
                day=day,
                start=_clock(start),
                end=_clock(end),
                title=block.title,
                category=_category(session, block.category_id, new=False),
                ignore=block.id,
            )
        block.day, block.start, block.end = day, _clock(start), _clock(end)
        block.updated_at = utc_now()
        return _view(session, block)


def resize_block(db: Database, block_id: int, minutes: int) -> BlockView:
    """Lengthen (or shorten, with negative minutes) a block at its end; 15 minutes at least."""
    with db.action("Resized a block") as session:
        block = _block(session, block_id)
        session.info[UNDO_LABEL] = f"Resized “{block.title}”"
        _set_end(block, _minutes(block.end) + minutes)
        block.updated_at = utc_now()
        return _view(session, block)


def _set_end(block: TimeBlock, end: int) -> None:
    """Move a block's end (minutes after midnight): 15 minutes long at least, same day."""
    if block.fixed:
        raise InputError(FIXED)
    if end - _minutes(block.start) < SHORTEST_BLOCK_MINUTES:
        raise InputError(f"A block lasts at least {SHORTEST_BLOCK_MINUTES} minutes.")
    if end >= DAY_MINUTES:
        raise InputError("A block must end by midnight, on the day it starts.")
    block.end = _clock(end)


def delete_block(db: Database, block_id: int) -> str:
    """Delete a block (undoable); returns its title. A recurring occurrence stays deleted."""
    with db.action("Deleted a block") as session:
        block = _block(session, block_id)
        title = block.title
        session.info[UNDO_LABEL] = f"Deleted “{title}”"
        if block.series_id is not None:
            _mark_deleted(session, block)
        session.delete(block)
        return title


def _mark_deleted(session: Session, block: TimeBlock) -> None:
    """Remember a deleted occurrence so showing its week does not write it again."""
    known = session.exec(
        select(DeletedOccurrence).where(DeletedOccurrence.occurrence_uid == block.uid)
    ).first()
    if known is None:
        session.add(DeletedOccurrence(occurrence_uid=block.uid, day=block.day))


def record_actual(
    db: Database, block_id: int, minutes: int | None, *, skipped: bool = False
) -> BlockView:
    """Record what really happened: minutes spent, or skipped; (None, not skipped) clears it."""
    if minutes is not None:
        if skipped:
            raise InputError("A skipped block has no actual time.")
        _check_actual(minutes)
    with db.action("Recorded a block") as session:
        block = _block(session, block_id)
        if skipped:
            what = "Skipped"
        elif minutes is None:
            what = "Cleared the actual time of"
        else:
            what = f"Recorded {format_minutes(minutes)} for"
        session.info[UNDO_LABEL] = f"{what} “{block.title}”"
        block.actual_minutes, block.skipped = minutes, skipped
        block.updated_at = utc_now()
        return _view(session, block)


def done_as_planned(db: Database, block_id: int) -> BlockView:
    """Record a block's actual time as its planned time."""
    with db.session() as session:
        block = _block(session, block_id)
        planned = _minutes(block.end) - _minutes(block.start)
    return record_actual(db, block_id, planned)


# ----------------------------------------------------------- ideal week, copy


def _own_blocks(session: Session, week: str) -> list[TimeBlock]:
    days = week_days(week)
    return [b for b in _week_blocks(session, days[0], days[-1]) if _is_own(b)]


def save_ideal_week(db: Database, week: str) -> int:
    """Make the week's own blocks the ideal-week template (replacing it); returns the count.

    Recurring and imported blocks are left out: they come back by themselves.
    """
    with db.action(f"Saved {week} as the ideal week") as session:
        blocks = _own_blocks(session, week)
        if not blocks:
            raise InputError("This week has no blocks to save as the ideal week.")
        for old in session.exec(select(IdealBlock)):
            session.delete(old)
        session.flush()
        for block in blocks:
            session.add(
                IdealBlock(
                    weekday=block.day.weekday(),
                    start=block.start,
                    end=block.end,
                    title=block.title,
                    category_id=block.category_id,
                )
            )
        return len(blocks)


def _refuse_planned(session: Session, week: str, what: str) -> None:
    if _own_blocks(session, week):
        raise InputError(f"{week} already has blocks; {what} an empty week.")


def apply_ideal_week(db: Database, week: str) -> int:
    """Plan an empty week from the ideal-week template; returns how many blocks it added."""
    days = week_days(week)
    _ensure_occurrences(db, week, load_settings(db).zone)
    with db.action(f"Applied the ideal week to {week}") as session:
        _refuse_planned(session, week, "apply the ideal week to")
        template = list(
            session.exec(select(IdealBlock).order_by(IdealBlock.weekday, IdealBlock.start))
        )
        if not template:
            raise InputError("The ideal week is empty; save a week as the ideal week first.")
        for ideal in template:
            session.add(
                TimeBlock(
                    day=days[ideal.weekday],
                    start=ideal.start,
                    end=ideal.end,
                    title=ideal.title,
                    category_id=ideal.category_id,
                )
            )
        return len(template)


def copy_week(db: Database, source_week: str, target_week: str) -> int:
    """Copy a week's own blocks into an empty week, same weekdays and times; returns the count.

    Actuals are not copied; recurring and imported blocks are left out; links to tasks
    that are done or archived are dropped.
    """
    source_monday, target_monday = week_monday(source_week), week_monday(target_week)
    if source_monday == target_monday:
        raise InputError("A week cannot be copied into itself.")
    _ensure_occurrences(db, target_week, load_settings(db).zone)
    shift = target_monday - source_monday
    with db.action(f"Copied {source_week} into {target_week}") as session:
        _refuse_planned(session, target_week, "copy into")
        blocks = _own_blocks(session, source_week)
        if not blocks:
            raise InputError(f"{source_week} has no blocks to copy.")
        open_tasks = _open_task_ids(session, {b.task_id for b in blocks if b.task_id})
        for block in blocks:
            session.add(
                TimeBlock(
                    day=block.day + shift,
                    start=block.start,
                    end=block.end,
                    title=block.title,
                    category_id=block.category_id,
                    task_id=block.task_id if block.task_id in open_tasks else None,
                    rock_id=block.rock_id,
                )
            )
        return len(blocks)


def _open_task_ids(session: Session, task_ids: Iterable[int | None]) -> set[int]:
    ids = {t for t in task_ids if t is not None}
    if not ids:
        return set()
    return {
        t.id
        for t in session.exec(
            select(Task).where(
                col(Task.id).in_(ids), col(Task.done_at).is_(None), col(Task.archived_at).is_(None)
            )
        )
        if t.id is not None
    }


# ------------------------------------------------- free slots, scheduling, carry-over


def _free_start(
    blocks: Sequence[TimeBlock],
    containers: Sequence[TimeBlock],
    minutes: int,
    earliest: int,
) -> int | None:
    """The first quarter-hour inside a container where ``minutes`` fit between the other
    blocks of the day, at or after minute ``earliest``."""
    container_ids = {c.id for c in containers}
    obstacles = [(_minutes(b.start), _minutes(b.end)) for b in blocks if b.id not in container_ids]
    for container in sorted(containers, key=lambda c: (_minutes(c.start), _minutes(c.end))):
        begin = max(_minutes(container.start), earliest)
        begin += -begin % GRID_MINUTES
        while begin + minutes <= _minutes(container.end):
            clash = [e for s, e in obstacles if _overlaps(begin, begin + minutes, s, e)]
            if not clash:
                return begin
            begin = max(clash)
            begin += -begin % GRID_MINUTES
    return None


def _find_slot(
    session: Session,
    week: str,
    minutes: int,
    local_now: datetime,
    within_category: str,
    placed: Sequence[TimeBlock] = (),
    *,
    last_day: date | None = None,
) -> tuple[date, time] | None:
    category = session.exec(select(Category).where(Category.name == within_category)).first()
    if category is None:
        return None
    today, now_minute = local_now.date(), _minutes(local_now.time())
    if local_now.time().second or local_now.time().microsecond:
        now_minute += 1  # 09:00:30 has passed 09:00
    for day in week_days(week):
        if day < today or (last_day is not None and day > last_day):
            continue
        blocks = [*_week_blocks(session, day, day), *(b for b in placed if b.day == day)]
        # Generic deep-work blocks hold the time; one linked to a task is already taken.
        containers = [b for b in blocks if b.category_id == category.id and b.task_id is None]
        earliest = now_minute if day == today else 0
        start = _free_start(blocks, containers, minutes, earliest)
        if start is not None:
            return day, _clock(start)
    return None


def free_slot(
    db: Database,
    week: str,
    minutes: int,
    now: datetime,
    *,
    within_category: str = DEEP_WORK,
) -> tuple[date, time] | None:
    """The first time, on a quarter hour from now on, where ``minutes`` fit inside a block of
    ``within_category`` (one not linked to a task) without overlapping any other block."""
    zone = load_settings(db).zone
    _ensure_occurrences(db, week, zone)
    with db.session() as session:
        return _find_slot(session, week, minutes, LocalNow.at(now, zone).local, within_category)


def _session_minutes(task: Task) -> int:
    return min(task.estimate_minutes or DEFAULT_SESSION_MINUTES, LONGEST_SESSION_MINUTES)


def _linked_block(
    task: Task, day: date, start: time, minutes: int, category_id: int, title: str | None = None
) -> TimeBlock:
    end = _minutes(start) + minutes
    if end >= DAY_MINUTES:
        raise InputError(SAME_DAY)
    return TimeBlock(
        day=day,
        start=start,
        end=_clock(end),
        title=title or task.title,
        category_id=category_id,
        task_id=task.id,
    )


class AlreadyScheduled(CeodeskError):
    """The task already has time ahead; scheduling again needs ``reschedule=True``."""


@dataclass(frozen=True)
class Scheduled:
    """What scheduling a task planned: its sessions, and how much of its estimate they hold."""

    title: str
    blocks: tuple[BlockView, ...]
    wanted_minutes: int  # the estimate (an hour without one)
    replaced: int = 0  # blocks ahead that rescheduling removed
    due_date: date | None = None

    @property
    def planned_minutes(self) -> int:
        return sum(b.planned_minutes for b in self.blocks)

    @property
    def is_partial(self) -> bool:
        return self.planned_minutes < self.wanted_minutes

    def sentence(self) -> str:
        """One sentence naming the sessions and, when the week had less room than the
        estimate, how much of it they hold."""
        spans = [f"{_short_day(b.day)} {_span(b.start, b.end)}" for b in self.blocks]
        when = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]
        if self.is_partial:
            return (
                f"Scheduled {format_minutes(self.planned_minutes)} of "
                f"{format_minutes(self.wanted_minutes)} for “{self.title}”: {when}; "
                + (
                    f"no more free deep work this week before it is due "
                    f"{_short_day(self.due_date)}."
                    if self.due_date is not None
                    else "no more free deep work this week."
                )
            )
        return f"Scheduled “{self.title}” {when}."


def _my_id(session: Session) -> int | None:
    person = session.exec(select(Person).where(col(Person.is_me))).first()
    return person.id if person else None


def _ahead(session: Session, task_id: int, local_now: datetime) -> list[TimeBlock]:
    """The task's blocks not yet over and not recorded: its time still ahead."""
    today, now = local_now.date(), _wall(local_now.time())
    blocks = session.exec(
        select(TimeBlock)
        .where(TimeBlock.task_id == task_id, TimeBlock.day >= today)
        .order_by(TimeBlock.day, TimeBlock.start)
    ).all()
    return [
        b
        for b in blocks
        if (b.day > today or b.end > now) and b.actual_minutes is None and not b.skipped
    ]


def schedule_task(
    db: Database,
    task_id: int,
    week: str,
    now: datetime,
    *,
    at: tuple[date, time] | None = None,
    reschedule: bool = False,
) -> Scheduled:
    """Scheduling a task creates linked deep-work blocks inside free deep work this week.

    Rules: the estimate (an hour without one) is split into sessions of at most two
    hours, placed in the first free deep-work time from now on and never after the day
    the task is due; if the week has less room, what fits is planned and the result says
    how much. With no room at all it goes at ``at`` (the cursor), else it is refused.
    A task delegated to someone else is theirs: it never takes your deep work. A task
    that already has time ahead raises AlreadyScheduled unless ``reschedule`` is given,
    which replaces that time.
    """
    zone = load_settings(db).zone
    _ensure_occurrences(db, week, zone)
    local = LocalNow.at(now, zone).local
    with db.action("Scheduled a task") as session:
        task = _task(session, task_id)
        session.info[UNDO_LABEL] = f"Scheduled “{task.title}”"
        if task.done_at is not None:
            raise InputError(f"“{task.title}” is already done.")
        if task.owner_id is not None and task.owner_id != _my_id(session):
            owner = session.get(Person, task.owner_id)
            name = owner.name.split()[0] if owner else "someone else"
            raise InputError(
                f"“{task.title}” is delegated to {name}, so it does not take your deep work; "
                "plan a follow-up block with the cursor instead."
            )
        if task.due_date is not None and task.due_date < local.date():
            raise InputError(
                f"“{task.title}” was due {_short_day(task.due_date)}; change its due date "
                "first, or place a block with the cursor."
            )
        ahead = _ahead(session, task_id, local)
        if ahead and not reschedule:
            first = ahead[0]
            raise AlreadyScheduled(
                f"“{task.title}” is already scheduled {_short_day(first.day)} "
                f"{_span(first.start, first.end)}; schedule it again in its place?"
            )
        for old in ahead:
            session.delete(old)
        session.flush()
        deep_work = _category_named(session, DEEP_WORK).id or 0
        wanted = task.estimate_minutes or DEFAULT_SESSION_MINUTES
        placed: list[TimeBlock] = []
        left = wanted
        while left > 0:
            slot, minutes = None, min(left, LONGEST_SESSION_MINUTES)
            while minutes >= SHORTEST_SESSION_MINUTES or minutes == left:
                slot = _find_slot(
                    session, week, minutes, local, DEEP_WORK, placed, last_day=task.due_date
                )
                if slot is not None or minutes <= GRID_MINUTES:
                    break
                minutes -= GRID_MINUTES
            if slot is None:
                break
            block = _linked_block(task, slot[0], _wall(slot[1]), minutes, deep_work)
            placed.append(block)
            session.add(block)
            session.flush()
            left -= minutes
        if not placed:
            if at is None:
                if task.due_date is not None and task.due_date <= week_days(week)[-1]:
                    raise InputError(
                        f"No free deep-work time before “{task.title}” is due "
                        f"{_short_day(task.due_date)}; place it with the cursor."
                    )
                raise InputError(NO_DEEP_WORK_LEFT)
            minutes = min(wanted, LONGEST_SESSION_MINUTES)
            block = _linked_block(task, at[0], _wall(at[1]), minutes, deep_work)
            placed.append(block)
            session.add(block)
        session.flush()
        day_views = {
            v.id: v
            for v in _views(
                session,
                _week_blocks(session, min(b.day for b in placed), max(b.day for b in placed)),
            )
        }
        return Scheduled(
            task.title,
            tuple(day_views[b.id or 0] for b in placed),
            wanted,
            replaced=len(ahead),
            due_date=task.due_date,
        )


def scheduled_times(
    db: Database, task_ids: Iterable[int], *, today: date | None = None
) -> dict[int, tuple[date, time]]:
    """The earliest block linked to each task (on or after ``today`` when given)."""
    ids = set(task_ids)
    if not ids:
        return {}
    query = select(TimeBlock).where(col(TimeBlock.task_id).in_(ids))
    if today is not None:
        query = query.where(TimeBlock.day >= today)
    found: dict[int, tuple[date, time]] = {}
    with db.session() as session:
        for block in session.exec(query.order_by(TimeBlock.day, TimeBlock.start, TimeBlock.id)):
            if block.task_id is not None:
                found.setdefault(block.task_id, (block.day, block.start))
    return found


def unfinished_linked_tasks(db: Database, week: str) -> list[tuple[int, str]]:
    """Open tasks linked to a block last week and to none this week: (task id, title),
    in the order of their first block last week."""
    last_days, days = week_days(shift_week(week, -1)), week_days(week)
    with db.session() as session:
        last = _week_blocks(session, last_days[0], last_days[-1])
        this = {b.task_id for b in _week_blocks(session, days[0], days[-1])}
        candidates: list[int] = []
        for block in last:
            task_id = block.task_id
            if task_id is not None and task_id not in this and task_id not in candidates:
                candidates.append(task_id)
        open_ids = _open_task_ids(session, candidates)
        titles = {
            t.id: t.title for t in session.exec(select(Task).where(col(Task.id).in_(open_ids)))
        }
    return [(task_id, titles[task_id]) for task_id in candidates if task_id in open_ids]


def carry_over(db: Database, task_ids: list[int], week: str, now: datetime) -> int:
    """Give each task a block this week, in one action; returns how many were placed.

    A task gets the weekday, time, length and category of its last block last week when
    that time is still ahead and free; otherwise it is scheduled like ``schedule_task``.
    A task with no room anywhere is left out.
    """
    zone = load_settings(db).zone
    _ensure_occurrences(db, week, zone)
    local = LocalNow.at(now, zone).local
    last_days, shift = week_days(shift_week(week, -1)), timedelta(days=7)
    placed: list[TimeBlock] = []
    with db.action("Carried over tasks") as session:
        deep_work = _category_named(session, DEEP_WORK).id or 0
        last = _week_blocks(session, last_days[0], last_days[-1])
        for task_id in task_ids:
            task = _task(session, task_id)
            if task.done_at is not None:
                continue
            previous = [b for b in last if b.task_id == task_id]
            block = None
            if previous:
                model = previous[-1]
                day = model.day + shift
                if _is_free(session, placed, day, model.start, model.end, local):
                    block = _linked_block(
                        task,
                        day,
                        model.start,
                        _minutes(model.end) - _minutes(model.start),
                        model.category_id,
                        model.title,
                    )
            if block is None:
                minutes = _session_minutes(task)
                slot = _find_slot(session, week, minutes, local, DEEP_WORK, placed)
                if slot is None:
                    continue
                block = _linked_block(task, slot[0], slot[1], minutes, deep_work)
            placed.append(block)
            session.add(block)
        count = len(placed)
        session.info[UNDO_LABEL] = f"Carried over {count} task{'s' if count != 1 else ''}"
        return count


def _is_free(
    session: Session,
    placed: Sequence[TimeBlock],
    day: date,
    start: time,
    end: time,
    local_now: datetime,
) -> bool:
    if (day, start) < (local_now.date(), _wall(local_now.time())):
        return False
    blocks = [*_week_blocks(session, day, day), *(b for b in placed if b.day == day)]
    return not any(
        _overlaps(_minutes(start), _minutes(end), _minutes(b.start), _minutes(b.end))
        for b in blocks
    )


# ----------------------------------------------------------------------- focus


def toggle_focus(db: Database, day: date, task_id: int) -> bool:
    """Pin a task as one of the day's focus tasks, or unpin it; returns whether it is pinned.

    A third pin is allowed: the day then shows a warning.
    """
    with db.action("Changed focus") as session:
        task = _task(session, task_id)
        pin = session.get(FocusTask, (day, task_id))
        if pin is not None:
            session.info[UNDO_LABEL] = f"Unpinned “{task.title}” from {_short_day(day)}"
            session.delete(pin)
            return False
        session.info[UNDO_LABEL] = f"Pinned “{task.title}” as focus for {_short_day(day)}"
        pins = session.exec(select(FocusTask).where(FocusTask.day == day)).all()
        position = max((p.position for p in pins), default=-1) + 1
        session.add(FocusTask(day=day, task_id=task_id, position=position))
        return True


# ------------------------------------------------------------------- recurring


def add_series(
    db: Database,
    title: str,
    category_id: int,
    rule: str,
    start: time,
    end: time,
    starts_on: date,
    ends_on: date | None = None,
    *,
    task_id: int | None = None,
    rock_id: int | None = None,
) -> int:
    """Add a recurring block (an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=TU); returns its id.

    Every occurrence serves ``task_id`` and ``rock_id`` when given. Its first weeks are
    written in the same (undoable) action; later weeks when shown.
    """
    start, end = _wall(start), _wall(end)
    _check_span(start, end)
    title = _clean_title(title)
    if ends_on is not None and ends_on < starts_on:
        raise InputError("A repeating block must end on or after the day it starts.")
    zone = load_settings(db).zone
    _parse_rule(rule, datetime.combine(starts_on, start, zone))
    with db.action(f"Added repeating “{title}”") as session:
        _category(session, category_id)
        if task_id is not None:
            _task(session, task_id)
        _check_rock(session, rock_id)
        series = _start_series(
            session,
            BlockSeries(
                title=title,
                category_id=category_id,
                rule=rule.strip(),
                start=start,
                end=end,
                starts_on=starts_on,
                ends_on=ends_on,
                task_id=task_id,
                rock_id=rock_id,
            ),
            zone,
        )
        return series.id or 0


def _start_series(session: Session, series: BlockSeries, zone: ZoneInfo) -> BlockSeries:
    session.add(series)
    # The series is flushed first, so undo removes its blocks before it.
    session.flush()
    first = week_key(series.starts_on)
    for ahead in range(SERIES_WEEKS_AHEAD):
        write_occurrences(session, shift_week(first, ahead), zone, only=series)
    return series


# What the block form offers under "Repeat", in order: key -> how it reads.
REPEAT_CHOICES = ("weekly", "every 2 weeks", "monthly", "daily", "weekdays")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)


def _nth_weekday(day: date) -> int:
    """Which of its month's weekdays a day is: 1..4, or -1 for the last (a 5th is last)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def repeat_label(repeat: str, day: date) -> str:
    """How a repeat choice reads for a block on ``day``: "monthly on the first Tuesday"."""
    name = _WEEKDAY_NAMES[day.weekday()]
    labels = {
        "weekly": f"weekly on {name}",
        "every 2 weeks": f"every 2 weeks on {name}",
        "monthly": f"monthly on the {_ORDINALS[_nth_weekday(day)]} {name}",
        "daily": "daily",
        "weekdays": "every weekday (Monday to Friday)",
    }
    return labels[_repeat_key(repeat)]


def _repeat_key(repeat: str) -> str:
    word = " ".join(repeat.lower().replace("-", " ").split())
    word = {"biweekly": "every 2 weeks", "fortnightly": "every 2 weeks"}.get(word, word)
    if word not in REPEAT_CHOICES:
        raise InputError(f"“{repeat.strip()}” is not one of {', '.join(REPEAT_CHOICES)}.")
    return word


def parse_repeat(text: str) -> str | None:
    """What was typed under "Repeat": None for once ("", "no", "once"), else a choice of
    REPEAT_CHOICES ("biweekly" reads as "every 2 weeks"); anything else is refused."""
    if text.strip().lower() in {"", "no", "once", "none"}:
        return None
    return _repeat_key(text)


def repeat_rule(repeat: str, day: date) -> str:
    """The RFC 5545 rule for a block repeating from ``day`` ("weekly", "every 2 weeks",
    "monthly" on the same weekday of the month, "daily", "weekdays")."""
    weekday = _WEEKDAYS[day.weekday()]
    start = datetime.combine(day, time(0))
    key = _repeat_key(repeat)
    if key == "daily":
        rule = rrule(DAILY, dtstart=start)
    elif key == "weekdays":
        rule = rrule(WEEKLY, byweekday=_WEEKDAYS[:5], dtstart=start)
    elif key == "monthly":
        rule = rrule(MONTHLY, byweekday=weekday(_nth_weekday(day)), dtstart=start)
    else:
        rule = rrule(
            WEEKLY, interval=2 if key == "every 2 weeks" else 1, byweekday=weekday, dtstart=start
        )
    return next(line for line in str(rule).splitlines() if line.startswith("RRULE:"))[6:]


def repeat_of(rule: str) -> str | None:
    """The repeat choice a stored rule reads as, or None for a rule typed by hand."""
    text = rule.upper()
    if "FREQ=DAILY" in text and "BYDAY" not in text:
        return "daily"
    if "FREQ=MONTHLY" in text:
        return "monthly"
    if "FREQ=WEEKLY" in text and "BYDAY=MO,TU,WE,TH,FR" in text:
        return "weekdays"
    if "FREQ=WEEKLY" in text:
        return "every 2 weeks" if "INTERVAL=2" in text else "weekly"
    return None


def _occurrence(session: Session, block_id: int) -> tuple[TimeBlock, BlockSeries]:
    block = _block(session, block_id)
    series = session.get(BlockSeries, block.series_id) if block.series_id is not None else None
    if series is None:
        raise InputError(f"“{block.title}” does not repeat.")
    return block, series


def _end_series_before(session: Session, series: BlockSeries, day: date) -> int:
    """End a series the day before ``day``: its occurrences from then on that hold no
    record of what happened are deleted; returns how many."""
    series.ends_on = day - timedelta(days=1)
    removed = 0
    for later in session.exec(
        select(TimeBlock).where(TimeBlock.series_id == series.id, TimeBlock.day >= day)
    ):
        if later.actual_minutes is None and not later.skipped:
            session.delete(later)
            removed += 1
    for marker in session.exec(select(DeletedOccurrence).where(DeletedOccurrence.day >= day)):
        if marker.occurrence_uid == occurrence_uid(series.uid, marker.day):
            session.delete(marker)
    session.flush()
    return removed


def end_series(db: Database, block_id: int) -> str:
    """Delete an occurrence and every later one: the series ends the day before it.
    Returns the title."""
    with db.action("Ended a repeating block") as session:
        block, series = _occurrence(session, block_id)
        day, title = block.day, block.title
        session.info[UNDO_LABEL] = f"Ended repeating “{title}” from {_short_day(day)}"
        _end_series_before(session, series, day)
        return title


def delete_series(db: Database, block_id: int) -> int:
    """Delete a repeating block altogether: the series and every occurrence, past ones
    included. Returns how many blocks went."""
    with db.action("Deleted a repeating block") as session:
        _block_row, series = _occurrence(session, block_id)
        session.info[UNDO_LABEL] = f"Deleted repeating “{series.title}”"
        blocks = list(session.exec(select(TimeBlock).where(TimeBlock.series_id == series.id)))
        for block in blocks:
            session.delete(block)
        uids = {occurrence_uid(series.uid, b.day) for b in blocks}
        for marker in session.exec(select(DeletedOccurrence)):
            if marker.occurrence_uid in uids or marker.occurrence_uid == occurrence_uid(
                series.uid, marker.day
            ):
                session.delete(marker)
        session.flush()
        session.delete(series)
        return len(blocks)


def edit_series_from(
    db: Database,
    block_id: int,
    *,
    title: str,
    category_id: int,
    minutes: int,
    repeat: str | Keep | None = KEEP,
    task_id: int | None = None,
    rock_id: int | None = None,
) -> int:
    """Change a repeating block from one occurrence on ("this and following"): the old
    series ends the day before, a new one starts there with the new title, category,
    length, link and repeat (KEEP: the same rule). ``repeat=None`` stops it repeating:
    that occurrence stays as a one-off block. Returns the id of the new series (0 when
    it no longer repeats)."""
    title = _clean_title(title)
    zone = load_settings(db).zone
    with db.action(f"Changed repeating “{title}”") as session:
        block, series = _occurrence(session, block_id)
        category = _category(session, category_id, new=category_id != series.category_id)
        if task_id is not None:
            _task(session, task_id)
        _check_rock(session, rock_id)
        day, start = block.day, block.start
        end = _minutes(start) + minutes
        if minutes < SHORTEST_BLOCK_MINUTES or end >= DAY_MINUTES:
            raise InputError(
                SAME_DAY
                if end >= DAY_MINUTES
                else f"A block lasts at least {SHORTEST_BLOCK_MINUTES} minutes."
            )
        # The new blocks are written before the old ones go, so no row id is reused
        # within the action (undo restores rows by id).
        if repeat is None:
            session.add(
                TimeBlock(
                    day=day,
                    start=start,
                    end=_clock(end),
                    title=title,
                    category_id=category.id or 0,
                    task_id=task_id,
                    rock_id=rock_id,
                )
            )
            session.flush()
            _end_series_before(session, series, day)
            return 0
        new = _start_series(
            session,
            BlockSeries(
                title=title,
                category_id=category.id or 0,
                rule=series.rule if isinstance(repeat, Keep) else repeat_rule(repeat, day),
                start=start,
                end=_clock(end),
                starts_on=day,
                ends_on=series.ends_on,
                task_id=task_id,
                rock_id=rock_id,
            ),
            zone,
        )
        _end_series_before(session, series, day)
        return new.id or 0


def make_repeating(db: Database, block_id: int, repeat: str) -> int:
    """Turn a one-off block into a repeating one from its day: the block becomes the first
    occurrence and keeps its task, Rock and what happened. Returns the series id."""
    zone = load_settings(db).zone
    with db.action("Made a block repeat") as session:
        block = _block(session, block_id)
        session.info[UNDO_LABEL] = f"Made “{block.title}” repeat"
        return _make_repeating(session, block, repeat, zone)


def _make_repeating(session: Session, block: TimeBlock, repeat: str, zone: ZoneInfo) -> int:
    if block.series_id is not None:
        raise InputError(f"“{block.title}” already repeats.")
    if block.fixed:
        raise InputError(FIXED)
    series = BlockSeries(
        title=block.title,
        category_id=block.category_id,
        rule=repeat_rule(repeat, block.day),
        start=block.start,
        end=block.end,
        starts_on=block.day,
        task_id=block.task_id,
        rock_id=block.rock_id,
    )
    session.add(series)
    session.flush()
    block.uid = occurrence_uid(series.uid, block.day)
    block.series_id = series.id
    session.flush()
    first = week_key(series.starts_on)
    for ahead in range(SERIES_WEEKS_AHEAD):
        write_occurrences(session, shift_week(first, ahead), zone, only=series)
    return series.id or 0
