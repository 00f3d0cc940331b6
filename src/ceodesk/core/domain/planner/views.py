"""The planner's view objects and the pure rules that compose them from plain rows.

Nothing here reads the database: ``common`` and ``plan`` fetch rows through the ORM,
``views.first_look`` with sqlite3 at start-up, and both compose the same views with the
same functions (issue 13: the first frame is drawn before SQLAlchemy has loaded).
Importing this module loads neither SQLAlchemy, SQLModel nor pydantic.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import pairwise
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from ceodesk.core.kernel.dates import MONTH_ABBR, WEEKDAY_ABBR, minutes_of_day, week_days, week_key
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.store.rows import BlockRow, WeekRows

# store.models.CategoryKind.DEEP_WORK (a test keeps them equal): the kind whose blocks
# tasks are scheduled into.
DEEP_WORK_KIND = "deep_work"
_OCCURRENCE_NAMESPACE = uuid.UUID("6f0d3c2e-5b7a-4e61-9c1d-2a8b4f3e7d10")


class DeepWorkConflict(CeodeskError):
    """Placing a meeting over a deep-work block needs confirmation."""


class Keep:
    """'Leave it as it is' for an optional argument whose None means 'clear it'."""


KEEP = Keep()


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
        return minutes_of_day(self.end) - minutes_of_day(self.start)

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


# -- small helpers ---------------------------------------------------------------------


def _wall(moment: time) -> time:
    """A time of day to the minute, without a zone (blocks are wall-clock)."""
    return time(moment.hour, moment.minute)


def _short_day(d: date) -> str:
    return f"{WEEKDAY_ABBR[d.weekday()]} {d.day} {MONTH_ABBR[d.month - 1]}"


def overlapping_ids(
    blocks: Sequence[tuple[int, time, time]],
    compatible: Callable[[int, int], bool] | None = None,
) -> set[int]:
    """Ids of blocks that overlap another; a block ending when the next starts does not,
    nor does a pair that ``compatible`` accepts (in either order)."""
    ordered = sorted(blocks, key=lambda b: (minutes_of_day(b[1]), minutes_of_day(b[2])))
    flagged: set[int] = set()
    for i, (first, _start, end) in enumerate(ordered):
        for second, later_start, _later_end in ordered[i + 1 :]:
            if minutes_of_day(later_start) >= minutes_of_day(end):
                break
            if compatible and (compatible(first, second) or compatible(second, first)):
                continue
            flagged.update((first, second))
    return flagged


def _on_top_key(block: BlockView) -> tuple[int, int, int]:
    """Of blocks sharing a minute, the one placed inside the other counts it: the latest
    start, then the shortest, then the newest."""
    return (minutes_of_day(block.start), -block.planned_minutes, block.id)


class Linked(Protocol):
    """A stored block as far as the Rock it serves goes (a TimeBlock or a BlockRow)."""

    @property
    def id(self) -> int | None: ...
    @property
    def task_id(self) -> int | None: ...
    @property
    def rock_id(self) -> int | None: ...


def rocks_served(blocks: Iterable[Linked], task_rocks: Mapping[int, int | None]) -> dict[int, int]:
    """Block id -> the Rock its time serves: its own link, else its linked task's Rock
    (``task_rocks``: task id -> that task's Rock)."""
    found: dict[int, int] = {}
    for block in blocks:
        rock_id = block.rock_id
        if rock_id is None and block.task_id is not None:
            rock_id = task_rocks.get(block.task_id)
        if rock_id is not None and block.id is not None:
            found[block.id] = rock_id
    return found


# -- blocks as views -----------------------------------------------------------------


def block_views(rows: WeekRows) -> list[BlockView]:
    """The blocks of ``rows`` as shown, each flagged when it clashes with another of its
    day (a task's block inside a deep-work block uses that time: no clash)."""
    categories = {c.id: c for c in rows.categories}
    by_id = {block.id: block for block in rows.blocks}

    def placed_in(inner_id: int, outer_id: int) -> bool:
        """A task's block inside a deep-work block uses that time; it does not clash."""
        inner, outer = by_id[inner_id], by_id[outer_id]
        return (
            inner.task_id is not None
            and categories[outer.category_id].kind == DEEP_WORK_KIND
            and outer.start <= inner.start
            and inner.end <= outer.end
        )

    by_day: dict[date, list[tuple[int, time, time]]] = {}
    for block in rows.blocks:
        by_day.setdefault(block.day, []).append((block.id, block.start, block.end))
    flagged: set[int] = set()
    for spans in by_day.values():
        flagged |= overlapping_ids(spans, placed_in)
    serving = rocks_served(rows.blocks, {t.id: t.rock_id for t in rows.tasks.values()})
    repeat_of: Callable[[str], str | None] | None = None
    if rows.rules:
        from ceodesk.core.domain.planner.repeat import repeat_of  # dateutil: only if needed
    views = []
    for block in rows.blocks:
        category = categories[block.category_id]
        rule = rows.rules.get(block.series_id) if block.series_id is not None else None
        task = rows.tasks.get(block.task_id) if block.task_id is not None else None
        rock_id = serving.get(block.id)
        views.append(
            BlockView(
                id=block.id,
                day=block.day,
                start=block.start,
                end=block.end,
                title=block.title,
                category_id=block.category_id,
                category=category.name,
                colour=category.colour,
                task_id=block.task_id,
                task_title=task.title if task else None,
                task_done=bool(task and task.done),
                series_id=block.series_id,
                fixed=block.fixed,
                actual_minutes=block.actual_minutes,
                skipped=block.skipped,
                overlaps=block.id in flagged,
                rock_id=rock_id,
                rock=rows.rock_titles.get(rock_id) if rock_id is not None else None,
                direct_rock_id=block.rock_id,
                repeats=((repeat_of(rule) if repeat_of else None) or "custom") if rule else None,
            )
        )
    return views


# -- the week plan -------------------------------------------------------------------


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
        edges = sorted(
            {m for v in day_views for m in (minutes_of_day(v.start), minutes_of_day(v.end))}
        )
        for begin, end in pairwise(edges):
            here = [
                v
                for v in day_views
                if minutes_of_day(v.start) <= begin and end <= minutes_of_day(v.end)
            ]
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
        by_day.setdefault(day, []).append((minutes_of_day(start), minutes_of_day(end)))
    total = 0
    for intervals in by_day.values():
        reach = -1
        for first, last in sorted(intervals):
            first = max(first, reach)
            if last > first:
                total += last - first
                reach = last
    return total


class _Own(Protocol):
    @property
    def series_id(self) -> int | None: ...
    @property
    def fixed(self) -> bool: ...


def _is_own(block: _Own) -> bool:
    """A block the user planned (not a recurring occurrence, not an imported event)."""
    return block.series_id is None and not block.fixed


def compose_week_plan(
    week: str, rows: WeekRows, local: datetime, day_start: time, day_end: time
) -> WeekPlan:
    """The week plan of ISO week ``week`` from its rows, at the user's local now."""
    days = week_days(week)
    today = local.date()
    views = block_views(rows)
    day_views = []
    for day in days:
        day_blocks = tuple(v for v in views if v.day == day)
        linked = {v.task_id for v in day_blocks if v.task_id is not None}
        focus = tuple(
            FocusView(pin.task_id, pin.title, pin.done, pin.task_id in linked)
            for pin in rows.focus
            if pin.day == day
        )
        day_views.append(DayView(day, day == today, day_blocks, focus, _day_warnings(day, focus)))
    counted = counted_minutes(views)
    totals = []
    for category in rows.categories:
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
        is_empty=not any(_is_own(b) for b in rows.blocks),
        day_start=day_start,
        day_end=day_end,
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


# -- repeating blocks' occurrences ---------------------------------------------------


class _Series(Protocol):
    """A repeating block's rule and span (a BlockSeries or a SeriesRow)."""

    @property
    def rule(self) -> str: ...
    @property
    def start(self) -> time: ...
    @property
    def end(self) -> time: ...
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date | None: ...


def occurrence_uid(series_uid: str, day: date) -> str:
    """The stable uid of a series' occurrence on a day (one block per series and day)."""
    return str(uuid.uuid5(_OCCURRENCE_NAMESPACE, f"{series_uid}/{day.isoformat()}"))


def occurrences(series: _Series, week: str, zone: ZoneInfo) -> list[tuple[date, time, time]]:
    """The series' (day, start, end) in ISO week ``week``, at its wall-clock times.

    The rule is expanded from ``starts_on`` at ``start`` in ``zone``, so a Tuesday 09:00
    meeting stays at 09:00 local on both sides of a DST change.
    """
    from ceodesk.core.domain.planner.repeat import _parse_rule  # dateutil: when needed

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


class _UidSeries(_Series, Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def uid(self) -> str: ...


S = TypeVar("S", bound=_UidSeries)


def wanted_occurrences(
    series_list: Iterable[S], week: str, zone: ZoneInfo
) -> dict[str, tuple[S, date, time, time]]:
    """Occurrence uid -> (its series, day, start, end) of every series in ``week``."""
    wanted: dict[str, tuple[S, date, time, time]] = {}
    for series in series_list:
        for day, start, end in occurrences(series, week, zone):
            wanted[occurrence_uid(series.uid, day)] = (series, day, start, end)
    return wanted


def pending_occurrences(
    wanted: Mapping[str, tuple[S, date, time, time]],
    stored: Mapping[str, int | None],
    deleted: Iterable[str],
) -> tuple[list[str], list[tuple[str, int]]]:
    """(uids of occurrences to write, (uid, series id) of stored ones to link back).

    ``stored``: the uid -> series id of the stored blocks among ``wanted``; ``deleted``:
    the deleted occurrences among them. An occurrence loses its series link when the
    series is removed (undo of adding it) and regains it when it comes back (redo).
    """
    gone = set(deleted)
    new: list[str] = []
    relink: list[tuple[str, int]] = []
    for uid, (series, _day, _start, _end) in wanted.items():
        if uid not in stored:
            if uid not in gone:
                new.append(uid)
        elif stored[uid] is None and series.id is not None:
            relink.append((uid, series.id))
    return new, relink


def stale_shown(record_keys: Iterable[str], alive: Iterable[str], prefix: str) -> list[str]:
    """The keys of shown-occurrence records (``prefix`` + series uid) whose series no
    longer exists (``alive``: the uids of the series there are)."""
    living = set(alive)
    return [key for key in record_keys if key.removeprefix(prefix) not in living]


class OccurrenceReader(Protocol):
    """What showing a week looks at of its repeating blocks, read by the ORM's session
    (planner.recurrence) or by sqlite3 at start-up (store.first_look)."""

    def series_between(self, first: date, last: date) -> Iterable[_UidSeries]:
        """The series that may have occurrences from ``first`` to ``last``."""
        ...

    def stored_occurrences(self, uids: Collection[str]) -> Mapping[str, int | None]:
        """uid -> series id of the stored blocks among ``uids``."""
        ...

    def deleted_occurrences(self, uids: Collection[str]) -> Iterable[str]:
        """The deleted occurrences among ``uids``."""
        ...

    def shown_records(self, prefix: str) -> Sequence[str]:
        """The keys of the settings recording the weeks of a series written when shown."""
        ...

    def series_uids(self) -> Iterable[str]:
        """The uids of every series there is."""
        ...


def writes_when_shown(reader: OccurrenceReader, week: str, zone: ZoneInfo, prefix: str) -> bool:
    """Whether showing ``week`` writes (planner.recurrence._ensure_occurrences): repeating
    blocks not yet written or to link back, or blocks of a series undo removed (whose
    records' keys are ``prefix`` + series uid)."""
    days = week_days(week)
    wanted = wanted_occurrences(reader.series_between(days[0], days[-1]), week, zone)
    if wanted:
        new, relink = pending_occurrences(
            wanted, reader.stored_occurrences(wanted), reader.deleted_occurrences(wanted)
        )
        if new or relink:
            return True
    records = reader.shown_records(prefix)
    return bool(records and stale_shown(records, reader.series_uids(), prefix))


__all__ = [
    "KEEP",
    "BlockRow",
    "BlockView",
    "CategoryTotal",
    "DayView",
    "DeepWorkConflict",
    "FocusView",
    "Keep",
    "OccurrenceReader",
    "WeekPlan",
    "block_views",
    "compose_week_plan",
    "counted_minutes",
    "covered_minutes",
    "occurrence_uid",
    "occurrences",
    "overlapping_ids",
    "pending_occurrences",
    "rocks_served",
    "stale_shown",
    "wanted_occurrences",
    "writes_when_shown",
]
