"""The scorecard as view objects: the 13-week grid, grouped by perspective, and one
measurable's trend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlmodel import Session, col, select

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
from ceodesk.core.store.models import Goal, Measurable, MeasurableGoal, MeasurableValue, Person

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


class TrendPoint(NamedTuple):
    week: str
    value: float | None
    goal: float  # the goal value in force that week (the lower bound of between)


def _window(end_week: str, weeks: int) -> tuple[str, ...]:
    end = normal_week_key(end_week)
    return tuple(shift_week(end, -back) for back in range(max(weeks, 1) - 1, -1, -1))


def _goal_in(goals: Sequence[MeasurableGoal], week: str) -> MeasurableGoal:
    """The goal in force in ``week``: the latest from_week on or before it, else the first."""
    in_force = goals[0]
    for goal in goals:
        if goal.from_week <= week:
            in_force = goal
    return in_force


def _goals(session: Session) -> dict[int, list[MeasurableGoal]]:
    goals: dict[int, list[MeasurableGoal]] = {}
    for goal in session.exec(select(MeasurableGoal).order_by(col(MeasurableGoal.from_week))):
        goals.setdefault(goal.measurable_id, []).append(goal)
    return goals


def _values_by_week(
    session: Session, weeks: Sequence[str]
) -> tuple[list[Measurable], dict[str, dict[str, float | None]]]:
    """Every measurable and, per week, name (lower case) -> value, formulas computed."""
    measurables = list(session.exec(select(Measurable)))
    # Active names win over archived ones of the same name.
    ordered = sorted(measurables, key=lambda m: not m.archived)
    by_name = {m.name.lower(): m for m in ordered}
    typed: dict[tuple[int, str], float] = {}
    rows = session.exec(select(MeasurableValue).where(col(MeasurableValue.week).in_(weeks)))
    for row in rows:
        typed[(row.measurable_id, row.week)] = row.value
    result = {week: _week_values(week, by_name, typed) for week in weeks}
    return measurables, result


def _week_values(
    week: str, by_name: Mapping[str, Measurable], typed: Mapping[tuple[int, str], float]
) -> dict[str, float | None]:
    """One week's values by name (lower case); formulas may use other formulas."""
    cache: dict[str, float | None] = {}

    def value_of(name: str, seen: frozenset[str]) -> float | None:
        if name in cache:
            return cache[name]
        measurable = by_name.get(name)
        value: float | None = None
        if measurable is not None and measurable.formula is None:
            value = typed.get((measurable.id or 0, week))
        elif measurable is not None and measurable.formula and name not in seen:
            value = _computed(measurable, by_name, lambda n: value_of(n, seen | {name}))
        cache[name] = value
        return value

    return {name: value_of(name, frozenset()) for name in by_name}


def _computed(
    measurable: Measurable,
    by_name: Mapping[str, Measurable],
    lookup: Callable[[str], float | None],
) -> float | None:
    assert measurable.formula is not None
    try:
        used = check_formula(measurable.formula, by_name)
    except InputError:
        return None
    value = evaluate_formula(measurable.formula, {name: lookup(name.lower()) for name in used})
    if value is not None and measurable.unit == "percent":
        value *= 100  # a ratio shown as a percentage, as in a spreadsheet
    return value


def _group_index(perspective: str | None) -> int:
    return PERSPECTIVES.index(perspective) if perspective in PERSPECTIVES else len(PERSPECTIVES)


def _display_order(measurables: Iterable[Measurable]) -> list[Measurable]:
    active = [m for m in measurables if not m.archived]
    return sorted(active, key=lambda m: (_group_index(m.perspective), m.position, m.id or 0))


def scorecard(
    db: Database, end_week: str, weeks: int = TRAILING_WEEKS, *, open_week: str | None = None
) -> ScorecardView:
    """The active measurables over the ``weeks`` ISO weeks ending at ``end_week``,
    grouped by perspective (PERSPECTIVES order, then none), each group by position.
    ``open_week`` is the week still in progress (this week): empty, it does not end an
    off-goal run."""
    open_key = normal_week_key(open_week) if open_week else None
    window = _window(end_week, weeks)
    with db.session() as session:
        measurables, values = _values_by_week(session, window)
        goals = _goals(session)
        people = {p.id: p.name for p in session.exec(select(Person))}
        goal_titles = {g.id: g.title for g in session.exec(select(Goal))}
    rows = [
        _row(m, window, values, goals[m.id or 0], people, goal_titles, open_key)
        for m in _display_order(measurables)
        if m.id in goals
    ]
    groups = []
    for index, perspective in enumerate((*PERSPECTIVES, None)):
        members = tuple(r for r in rows if _group_index(r.perspective) == index)
        if members:
            groups.append(ScorecardGroup(perspective, members))
    warnings = []
    low, high = SCORECARD_SIZE
    if rows and not low <= len(rows) <= high:
        warnings.append(
            f"A scorecard works best with {low} to {high} measurables; this one has {len(rows)}."
        )
    return ScorecardView(window[-1], window, tuple(groups), tuple(warnings))


def _row(
    measurable: Measurable,
    window: Sequence[str],
    values: Mapping[str, Mapping[str, float | None]],
    goals: Sequence[MeasurableGoal],
    people: Mapping[int | None, str],
    goal_titles: Mapping[int | None, str],
    open_week: str | None = None,
) -> ScorecardRow:
    unit, name = measurable.unit, measurable.name.lower()
    cells = []
    for week in window:
        value = values[week].get(name)
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
        id=measurable.id or 0,
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
    )


def trend(db: Database, measurable_id: int, end_week: str, weeks: int = 52) -> list[TrendPoint]:
    """A measurable's value and goal per week, oldest first, for a trend chart."""
    window = _window(end_week, weeks)
    with db.session() as session:
        measurable = _measurable(session, measurable_id, active=False)
        _, values = _values_by_week(session, window)
        goals = _goals(session).get(measurable_id, [])
    if measurable.formula is None:
        with db.session() as session:
            typed = {
                row.week: row.value
                for row in session.exec(
                    select(MeasurableValue).where(MeasurableValue.measurable_id == measurable_id)
                )
            }
        series = [typed.get(week) for week in window]
    else:
        series = [values[week].get(measurable.name.lower()) for week in window]
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
