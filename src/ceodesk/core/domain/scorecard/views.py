"""The scorecard as view objects: the 13-week grid, grouped by perspective, and one
measurable's trend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from ceodesk.core.domain.scorecard.formulas import check_formula, evaluate_formula
from ceodesk.core.domain.scorecard.grading import (
    COMBINE_RULES,
    OFF_GOAL_WEEKS_TO_PROPOSE,
    combine_weeks,
    consecutive_off_goal,
    grade,
    is_on_goal,
)
from ceodesk.core.domain.scorecard.values import average, format_goal, format_value
from ceodesk.core.kernel.dates import normal_week_key, shift_week
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.perspectives import PERSPECTIVES
from ceodesk.core.store.db import Database
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import Goal, Measurable, MeasurableGoal, MeasurableValue
from ceodesk.core.store.plain import PlainQuery
from ceodesk.core.store.preferences import person_names

TRAILING_WEEKS = 13
SCORECARD_SIZE = (5, 15)  # aim for this many measurables


@dataclass(frozen=True)
class ScorecardCell:
    week: str
    value: float | None
    formatted: str  # "" when empty
    on_goal: bool | None  # None when empty
    grade: str | None  # one of GRADES, None when empty


@dataclass(frozen=True)
class ScorecardRow:
    id: int
    name: str
    owner_id: int
    owner: str
    unit: str
    perspective: str | None
    leading: bool
    goal_id: int | None
    goal_title: str | None  # the 1-year goal it tracks
    definition: str
    formula: str | None
    tolerance: float | None
    combine: str  # how its weeks combine: sum, average or last
    operator: str  # the goal in force in the end week
    goal: float
    goal_high: float | None
    goal_text: str  # ">= 25", "<= $180", "between 92% and 97%" joined by an en dash
    cells: tuple[ScorecardCell, ...]  # oldest first, ending at the end week
    average: float | None
    average_text: str
    total: float | None  # only for measurables whose weeks sum
    total_text: str
    on_goal: tuple[int, int]  # (weeks on goal, weeks with a value)
    off_goal_weeks: int  # off goal this many weeks running, up to the end week
    propose_as_issue: bool
    # What the row was computed from (the measurable, its goals, owner and values, as
    # read): a row read again from the same is the same row (see ``scorecard``'s reuse).
    inputs: object = field(default=None, compare=False, repr=False)

    @property
    def computed(self) -> bool:
        return self.formula is not None

    @property
    def on_goal_text(self) -> str:
        """ "9/13": weeks on goal of the weeks with a value."""
        return f"{self.on_goal[0]}/{self.on_goal[1]}"

    @property
    def kind(self) -> str:
        return "leading" if self.leading else "lagging"


@dataclass(frozen=True)
class ScorecardGroup:
    perspective: str | None  # None: measurables without a perspective
    rows: tuple[ScorecardRow, ...]


@dataclass(frozen=True)
class ScorecardView:
    end_week: str
    weeks: tuple[str, ...]  # oldest first
    groups: tuple[ScorecardGroup, ...]  # PERSPECTIVES order, then no perspective
    warnings: tuple[str, ...]

    @property
    def rows(self) -> tuple[ScorecardRow, ...]:
        return tuple(row for group in self.groups for row in group.rows)

    def with_rows(self, rows: Mapping[int, ScorecardRow]) -> ScorecardView:
        """This view with the rows of ``rows`` (by id, from ``scorecard_rows``) in place
        of its own."""
        groups = tuple(
            ScorecardGroup(group.perspective, tuple(rows.get(r.id, r) for r in group.rows))
            for group in self.groups
        )
        return replace(self, groups=groups)


class TrendPoint(NamedTuple):
    week: str
    value: float | None
    goal: float  # the goal value in force that week (the lower bound of between)


class _Measurable(NamedTuple):
    """A measurable as the grid reads it: a plain tuple, compared as one (a grid reads
    all of them on every redraw)."""

    id: int
    name: str
    owner_id: int
    unit: str
    perspective: str | None
    leading: bool
    goal_id: int | None
    definition: str
    formula: str | None
    tolerance: float | None
    combine: str
    position: int
    archived: bool


_MEASURABLE_COLUMNS = tuple(col(getattr(Measurable, name)) for name in _Measurable._fields)


# The grid's statements, built once (a redraw sends them all again), read past the ORM
# as plain tuples: a grid reads a hundred measurables and their weeks on every redraw.
_ALL_MEASURABLES = PlainQuery(sa_select(*_MEASURABLE_COLUMNS))
_VALUE_COLUMNS = (
    col(MeasurableValue.measurable_id),
    col(MeasurableValue.week),
    col(MeasurableValue.value),
)
_VALUES_IN_WEEKS = PlainQuery(
    sa_select(*_VALUE_COLUMNS).where(
        col(MeasurableValue.week).in_(bindparam("weeks", expanding=True))
    )
)
# The primary key (measurable, week) serves a range of weeks.
_VALUES_OF = PlainQuery(
    sa_select(*_VALUE_COLUMNS).where(
        col(MeasurableValue.measurable_id).in_(bindparam("ids", expanding=True)),
        col(MeasurableValue.week) >= bindparam("first"),
        col(MeasurableValue.week) <= bindparam("last"),
    )
)
_GOAL_COLUMNS = sa_select(
    col(MeasurableGoal.measurable_id),
    col(MeasurableGoal.from_week),
    col(MeasurableGoal.operator),
    col(MeasurableGoal.value),
    col(MeasurableGoal.value_high),
).order_by(col(MeasurableGoal.from_week))
_ALL_GOALS = PlainQuery(_GOAL_COLUMNS)
_GOALS_OF = PlainQuery(
    _GOAL_COLUMNS.where(col(MeasurableGoal.measurable_id).in_(bindparam("ids", expanding=True)))
)
_GOAL_TITLES = PlainQuery(sa_select(col(Goal.id), col(Goal.title)))


def _measurables(session: Session) -> list[_Measurable]:
    """Every measurable, archived ones too (their names still count for formulas)."""
    return [_Measurable._make(row) for row in _ALL_MEASURABLES.rows(session)]


class _Goal(NamedTuple):
    """A measurable's goal from a week on, as read for a grid (a plain tuple: a grid
    reads it for every cell)."""

    measurable_id: int
    from_week: str
    operator: str
    value: float
    value_high: float | None


def _window(end_week: str, weeks: int) -> tuple[str, ...]:
    end = normal_week_key(end_week)
    return tuple(shift_week(end, -back) for back in range(max(weeks, 1) - 1, -1, -1))


def _goal_in(goals: Sequence[_Goal], week: str) -> _Goal:
    """The goal in force in ``week``: the latest from_week on or before it, else the first."""
    in_force = goals[0]
    for goal in goals:
        if goal.from_week <= week:
            in_force = goal
    return in_force


def _goals(session: Session, ids: Iterable[int] | None = None) -> dict[int, list[_Goal]]:
    """Each measurable's goals, oldest first (of the measurables ``ids`` only, if given)."""
    rows = _ALL_GOALS.rows(session) if ids is None else _GOALS_OF.rows(session, ids=list(ids))
    goals: dict[int, list[_Goal]] = {}
    for row in rows:
        goal = _Goal._make(row)
        goals.setdefault(goal.measurable_id, []).append(goal)
    return goals


def _by_name(measurables: Iterable[_Measurable]) -> dict[str, _Measurable]:
    """Measurables by name (lower case); active names win over archived ones."""
    ordered = sorted(measurables, key=lambda m: not m.archived)
    return {m.name.lower(): m for m in ordered}


def _typed(
    session: Session, window: Sequence[str], ids: Iterable[int] | None = None
) -> dict[int, dict[str, float]]:
    """The values typed in the weeks of ``window`` (of the measurables ``ids`` only, if
    given), by measurable and week: only the weeks shown are read."""
    if ids is None:
        rows = _VALUES_IN_WEEKS.rows(session, weeks=list(window))
    else:
        rows = _VALUES_OF.rows(session, ids=list(ids), first=min(window), last=max(window))
    typed: dict[int, dict[str, float]] = {}
    for measurable_id, week, value in rows:
        weeks = typed.get(measurable_id)
        if weeks is None:
            typed[measurable_id] = weeks = {}
        weeks[week] = value
    return typed


_NONE: Mapping[str, float] = MappingProxyType({})  # no week typed


@lru_cache(maxsize=256)
def _formula_uses(formula: str, names: tuple[str, ...]) -> tuple[str, ...] | None:
    """The names (lower case) ``formula`` uses of ``names``, None when it no longer reads:
    worked out once per formula and set of names, not at every redraw."""
    try:
        used = check_formula(formula, names)
    except InputError:
        return None
    return tuple(n.lower() for n in used)


class _Values:
    """Values by measurable name (lower case) and week: typed ones as stored, formulas
    computed on demand from their inputs (formulas may use other formulas), each formula
    parsed once and each (name, week) computed once."""

    def __init__(
        self, by_name: Mapping[str, _Measurable], typed: Mapping[int, Mapping[str, float]]
    ) -> None:
        self.by_name = by_name
        self.typed = typed
        self._names: tuple[str, ...] | None = None
        self._weeks: dict[str, dict[str, float | None]] = {}

    def _uses(self, measurable: _Measurable) -> tuple[str, ...] | None:
        """The names (lower case) a formula uses, None when it no longer reads."""
        assert measurable.formula is not None
        if self._names is None:
            self._names = tuple(sorted(self.by_name))
        return _formula_uses(measurable.formula, self._names)

    def inputs(self, name: str) -> tuple[str, ...]:
        """The names (lower case) the formula of ``name`` uses; () for a typed measurable
        or a formula that no longer reads."""
        measurable = self.by_name.get(name)
        if measurable is None or not measurable.formula:
            return ()
        return self._uses(measurable) or ()

    def needed(self, names: Iterable[str]) -> set[str]:
        """``names`` and every name their formulas use, through formulas of formulas."""
        found: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name not in found:
                found.add(name)
                todo.extend(self.inputs(name))
        return found

    def source(self, name: str, window: Sequence[str]) -> tuple[object, ...]:
        """What the values of ``name`` in the weeks of ``window`` are computed from: for
        it and every name its formula uses (through formulas of formulas), the typed
        values, or the formula, its unit and the names it reads."""
        measurable = self.by_name.get(name)
        if measurable is not None and measurable.formula is None:  # most of them: quickly
            return ((name, measurable.id, self.typed.get(measurable.id, _NONE)),)
        parts: list[object] = []
        for used in sorted(self.needed([name])):
            measurable = self.by_name.get(used)
            if measurable is None:
                parts.append(used)
            elif measurable.formula is None:
                parts.append((used, measurable.id, self.typed.get(measurable.id, _NONE)))
            else:
                parts.append((used, measurable.formula, measurable.unit, self._uses(measurable)))
        return tuple(parts)

    def value(self, name: str, week: str) -> float | None:
        return self._value(name, week, frozenset(), self._weeks.setdefault(week, {}))

    def _value(
        self, name: str, week: str, seen: frozenset[str], cache: dict[str, float | None]
    ) -> float | None:
        if name in cache:
            return cache[name]
        measurable = self.by_name.get(name)
        value: float | None = None
        if measurable is not None and measurable.formula is None:
            value = self.typed.get(measurable.id, _NONE).get(week)
        elif measurable is not None and measurable.formula and name not in seen:
            value = self._computed(measurable, week, seen | {name}, cache)
        cache[name] = value
        return value

    def _computed(
        self,
        measurable: _Measurable,
        week: str,
        seen: frozenset[str],
        cache: dict[str, float | None],
    ) -> float | None:
        assert measurable.formula is not None
        used = self._uses(measurable)
        if used is None:
            return None  # the formula no longer reads: its weeks stay empty
        inputs = {n: self._value(n, week, seen, cache) for n in used}
        value = evaluate_formula(measurable.formula, inputs)
        if value is not None and measurable.unit == "percent":
            value *= 100  # a ratio shown as a percentage, as in a spreadsheet
        return value


# A measurable as stored or as the grid reads it: both sort alike.
_Shown = TypeVar("_Shown", Measurable, _Measurable)


def _group_index(perspective: str | None) -> int:
    return PERSPECTIVES.index(perspective) if perspective in PERSPECTIVES else len(PERSPECTIVES)


def _display_order(measurables: Iterable[_Shown]) -> list[_Shown]:
    active = [m for m in measurables if not m.archived]
    return sorted(active, key=lambda m: (_group_index(m.perspective), m.position, m.id or 0))


def scorecard(
    db: Database,
    end_week: str,
    weeks: int = TRAILING_WEEKS,
    *,
    open_week: str | None = None,
    reuse: ScorecardView | None = None,
) -> ScorecardView:
    """The active measurables over the ``weeks`` ISO weeks ending at ``end_week``,
    grouped by perspective (PERSPECTIVES order, then none), each group by position.
    ``open_week`` is the week still in progress (this week): empty, it does not end an
    off-goal run. A row of ``reuse`` (an earlier view) read from the same stored data is
    returned as it was, the same object: a redraw with nothing changed builds no row."""
    open_key = normal_week_key(open_week) if open_week else None
    window = _window(end_week, weeks)
    with db.session() as session:
        measurables = _measurables(session)
        typed = _typed(session, window)
        goals = _goals(session)
        people, goal_titles = _names(session)
    values = _Values(_by_name(measurables), typed)
    earlier = {row.id: row for row in reuse.rows} if reuse is not None else {}
    rows = []
    for m in _display_order(measurables):
        if m.id not in goals:
            continue
        own = goals[m.id]
        inputs = _inputs(m, window, values, own, people, goal_titles, open_key)
        row = earlier.get(m.id)
        if row is None or row.inputs != inputs:
            row = _row(m, window, values, own, people, goal_titles, open_key, inputs)
        rows.append(row)
    grouped: dict[int, list[ScorecardRow]] = {}
    for row in rows:
        grouped.setdefault(_group_index(row.perspective), []).append(row)
    groups = [
        ScorecardGroup(perspective, tuple(grouped[index]))
        for index, perspective in enumerate((*PERSPECTIVES, None))
        if index in grouped
    ]
    warnings = []
    low, high = SCORECARD_SIZE
    if rows and not low <= len(rows) <= high:
        warnings.append(
            f"A scorecard works best with {low} to {high} measurables; this one has {len(rows)}."
        )
    return ScorecardView(window[-1], window, tuple(groups), tuple(warnings))


def scorecard_rows(
    db: Database,
    end_week: str,
    measurable_ids: Iterable[int],
    weeks: int = TRAILING_WEEKS,
    *,
    open_week: str | None = None,
) -> dict[int, ScorecardRow]:
    """The rows of the active measurables ``measurable_ids`` and of every formula that
    uses them (through formulas of formulas), by id, as ``scorecard`` draws them: what
    a value saved or cleared changes. Only their own weeks are read."""
    open_key = normal_week_key(open_week) if open_week else None
    window = _window(end_week, weeks)
    wanted = set(measurable_ids)
    with db.session() as session:
        measurables = _measurables(session)
        by_name = _by_name(measurables)
        formulas = _Values(by_name, {})
        names = {m.name.lower() for m in measurables if m.id in wanted}
        affected = [
            m
            for m in _display_order(measurables)
            if m.id in wanted or (m.formula and names & formulas.needed([m.name.lower()]))
        ]
        needed = formulas.needed(m.name.lower() for m in affected)
        ids = [by_name[n].id for n in needed if n in by_name]
        values = _Values(by_name, _typed(session, window, ids))
        goals = _goals(session, [m.id for m in affected])
        people, goal_titles = _names(session)
    rows = {}
    for m in affected:
        if m.id in goals:
            own = goals[m.id]
            read = _inputs(m, window, values, own, people, goal_titles, open_key)
            rows[m.id] = _row(m, window, values, own, people, goal_titles, open_key, read)
    return rows


def _names(session: Session) -> tuple[dict[int | None, str], dict[int | None, str]]:
    """People's names and 1-year goals' titles, by id."""
    people: dict[int | None, str] = dict(person_names(session).items())
    goal_titles: dict[int | None, str] = dict(_GOAL_TITLES.rows(session))
    return people, goal_titles


def _inputs(
    measurable: _Measurable,
    window: Sequence[str],
    values: _Values,
    goals: Sequence[_Goal],
    people: Mapping[int | None, str],
    goal_titles: Mapping[int | None, str],
    open_week: str | None,
) -> tuple[object, ...]:
    """Everything ``_row`` reads to make the row of ``measurable``: equal inputs, equal
    rows."""
    return (
        measurable,
        tuple(goals),
        people.get(measurable.owner_id, ""),
        goal_titles.get(measurable.goal_id),
        open_week,
        tuple(window),
        values.source(measurable.name.lower(), window),
    )


def _row(
    measurable: _Measurable,
    window: Sequence[str],
    values: _Values,
    goals: Sequence[_Goal],
    people: Mapping[int | None, str],
    goal_titles: Mapping[int | None, str],
    open_week: str | None,
    inputs: tuple[object, ...],
) -> ScorecardRow:
    unit, name = measurable.unit, measurable.name.lower()
    cells = []
    for week in window:
        value = values.value(name, week)
        if value is None:
            cells.append(ScorecardCell(week, None, "", None, None))
            continue
        goal = _goal_in(goals, week)
        on_goal = is_on_goal(value, goal.operator, goal.value, goal.value_high)
        label = grade(value, goal.operator, goal.value, goal.value_high, measurable.tolerance)
        cells.append(ScorecardCell(week, value, format_value(value, unit), on_goal, label))
    series = [c.value for c in cells]
    rule = measurable.combine if measurable.combine in COMBINE_RULES else "sum"
    mean = average(series, unit)
    summed = combine_weeks("sum", series) if rule == "sum" else None
    if mean is None:
        average_text = ""
    elif unit == "yesno":
        average_text = f"{round(mean * 100)}% yes"
    else:
        average_text = format_value(mean, unit)
    flags = [c.on_goal for c in cells]
    not_in_yet = cells[-1].week == open_week and cells[-1].value is None
    off_goal = consecutive_off_goal(flags[:-1] if not_in_yet else flags)
    end_goal = _goal_in(goals, window[-1])
    return ScorecardRow(
        id=measurable.id,
        name=measurable.name,
        owner_id=measurable.owner_id,
        owner=people.get(measurable.owner_id, ""),
        unit=unit,
        perspective=measurable.perspective,
        leading=measurable.leading,
        goal_id=measurable.goal_id,
        goal_title=goal_titles.get(measurable.goal_id),
        definition=measurable.definition,
        formula=measurable.formula,
        tolerance=measurable.tolerance,
        combine=rule,
        operator=end_goal.operator,
        goal=end_goal.value,
        goal_high=end_goal.value_high,
        goal_text=format_goal(end_goal.operator, end_goal.value, end_goal.value_high, unit),
        cells=tuple(cells),
        average=mean,
        average_text=average_text,
        total=summed,
        total_text="" if summed is None else format_value(summed, unit),
        on_goal=(sum(1 for f in flags if f), sum(1 for f in flags if f is not None)),
        off_goal_weeks=off_goal,
        propose_as_issue=off_goal >= OFF_GOAL_WEEKS_TO_PROPOSE,
        inputs=inputs,
    )


def trend(db: Database, measurable_id: int, end_week: str, weeks: int = 52) -> list[TrendPoint]:
    """A measurable's value and goal per week, oldest first, for a trend chart. Only its
    own weeks are read (and, for a formula, those of the measurables it uses)."""
    window = _window(end_week, weeks)
    with db.session() as session:
        measurable = _measurable(session, measurable_id, active=False)
        goals = _goals(session, [measurable_id]).get(measurable_id, [])
        if measurable.formula is None:
            typed = _typed(session, window, [measurable_id]).get(measurable_id, {})
            series = [typed.get(week) for week in window]
        else:
            name = measurable.name.lower()
            by_name = _by_name(_measurables(session))
            needed = _Values(by_name, {}).needed([name])
            ids = [by_name[n].id for n in needed if n in by_name]
            values = _Values(by_name, _typed(session, window, ids))
            series = [values.value(name, week) for week in window]
    return [
        TrendPoint(week, value, _goal_in(goals, week).value if goals else 0.0)
        for week, value in zip(window, series, strict=True)
    ]


def _measurable(session: Session, measurable_id: int, *, active: bool = True) -> Measurable:
    return get_or_refuse(
        session,
        Measurable,
        measurable_id,
        "That measurable no longer exists.",
        gone=lambda m: active and m.archived,
    )
