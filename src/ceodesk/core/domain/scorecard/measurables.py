"""Measurables: add, edit, archive, reorder, goals and recorded values."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from ceodesk.core.domain.scorecard.formulas import check_formula, renamed_in_formula
from ceodesk.core.domain.scorecard.grading import _check_combine, _check_operator, default_combine
from ceodesk.core.domain.scorecard.values import (
    MAX_MAGNITUDE,
    _check_unit,
    _shown,
    format_value,
    parse_value,
)
from ceodesk.core.domain.scorecard.views import (
    _display_order,
    _group_index,
    _measurable,
)
from ceodesk.core.kernel.dates import normal_week_key
from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.kernel.perspectives import perspective_named
from ceodesk.core.kernel.text import clean_title, one_line
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import Goal, Measurable, MeasurableGoal, MeasurableValue, Person
from ceodesk.core.store.preferences import leadership_team

LONGEST_NAME = 80


def find_measurable(db: Database, name: str) -> int:
    """The id of the active measurable called ``name`` (any case, spacing tidied), else
    of the only one whose name starts with it; NotFoundError when none matches and
    InputError when several do, each one sentence naming the candidates."""
    wanted = one_line(name).lower()
    with db.session() as session:
        active = _display_order(session.exec(select(Measurable)))
    if not wanted:
        raise InputError("Name a measurable, like Leads.")
    exact = [m for m in active if m.name.lower() == wanted]
    matches = exact or [m for m in active if m.name.lower().startswith(wanted)]
    if len(matches) == 1:
        return matches[0].id or 0
    if matches:
        names = ", ".join(m.name for m in matches[:-1]) + " or " + matches[-1].name
        raise InputError(f"“{_shown(name)}” could be {names}; type more of the name.")
    if not active:
        raise NotFoundError("The scorecard has no measurables yet.")
    known = _joined([m.name for m in active])
    raise NotFoundError(f"There is no measurable called “{_shown(name)}”; there are {known}.")


def _clean_name(name: str) -> str:
    return clean_title(name, "A measurable", field="name", longest=LONGEST_NAME)


def _active_names(session: Session) -> list[str]:
    return list(session.exec(select(Measurable.name).where(col(Measurable.archived).is_(False))))


def _checked_goal(
    operator: str, value: float, value_high: float | None
) -> tuple[str, float, float | None]:
    _check_operator(operator)
    for number in (value, value_high):
        if number is not None and (not math.isfinite(number) or abs(number) > MAX_MAGNITUDE):
            raise InputError("A goal must be a number no larger than a trillion.")
    if operator != "between":
        return operator, float(value), None
    if value_high is None:
        raise InputError("A between goal needs an upper bound too.")
    if value_high < value:
        raise InputError("The upper bound of a between goal cannot be below the lower one.")
    return operator, float(value), float(value_high)


@dataclass(frozen=True)
class _Spec:
    name: str
    unit: str
    operator: str
    goal: float
    goal_high: float | None
    perspective: str | None
    leading: bool
    goal_id: int | None
    definition: str
    formula: str | None
    tolerance: float | None
    team_id: int | None
    combine: str | None = None  # None: the unit's default


def _check_spec(spec: _Spec) -> _Spec:
    _check_unit(spec.unit)
    operator, goal, goal_high = _checked_goal(spec.operator, spec.goal, spec.goal_high)
    tolerance = spec.tolerance
    if tolerance is not None and (not math.isfinite(tolerance) or not 0 <= tolerance <= 1):
        raise InputError("A tolerance is a share of the goal between 0% and 100%.")
    formula = one_line(spec.formula) if spec.formula and spec.formula.strip() else None
    return _Spec(
        name=_clean_name(spec.name),
        unit=spec.unit,
        operator=operator,
        goal=goal,
        goal_high=goal_high,
        perspective=perspective_named(spec.perspective),
        leading=spec.leading,
        goal_id=spec.goal_id,
        definition=one_line(spec.definition),
        formula=formula,
        tolerance=tolerance or None,
        team_id=spec.team_id,
        combine=(
            _check_combine(spec.combine)
            if spec.combine and spec.combine.strip()
            else default_combine(spec.unit, formula)
        ),
    )


def _owner(session: Session, person_id: int) -> Person:
    return get_or_refuse(
        session,
        Person,
        person_id,
        "That team member no longer exists.",
        gone=lambda p: not p.active,
    )


def _goal(session: Session, goal_id: int) -> Goal:
    return get_or_refuse(
        session, Goal, goal_id, "That goal no longer exists.", gone=lambda g: g.archived
    )


def _insert(session: Session, spec: _Spec, owner_id: int, from_week: str) -> Measurable:
    names = _active_names(session)
    if spec.name.lower() in {n.lower() for n in names}:
        raise InputError(f"There is already a measurable called {spec.name}.")
    _owner(session, owner_id)
    if spec.goal_id is not None:
        _goal(session, spec.goal_id)
    if spec.formula is not None:
        check_formula(spec.formula, names)
    positions = session.exec(select(Measurable.position))
    measurable = Measurable(
        name=spec.name,
        owner_id=owner_id,
        team_id=spec.team_id if spec.team_id is not None else leadership_team(session).id,
        unit=spec.unit,
        perspective=spec.perspective,
        leading=spec.leading,
        goal_id=spec.goal_id,
        definition=spec.definition,
        formula=spec.formula,
        tolerance=spec.tolerance,
        position=max(positions, default=-1) + 1,
        combine=spec.combine or default_combine(spec.unit, spec.formula),
    )
    session.add(measurable)
    session.flush()
    assert measurable.id is not None  # flushed: the database gave it an id
    session.add(
        MeasurableGoal(
            measurable_id=measurable.id,
            from_week=from_week,
            operator=spec.operator,
            value=spec.goal,
            value_high=spec.goal_high,
        )
    )
    session.flush()
    return measurable


def add_measurable(
    db: Database,
    name: str,
    owner_id: int,
    unit: str,
    operator: str,
    goal: float,
    goal_high: float | None = None,
    *,
    perspective: str | None = None,
    leading: bool = False,
    goal_id: int | None = None,
    definition: str = "",
    formula: str | None = None,
    tolerance: float | None = None,
    team_id: int | None = None,
    combine: str | None = None,
    from_week: str,
) -> int:
    """Add a measurable at the end of the scorecard with its goal from ``from_week`` on;
    the name is unique among active measurables and a formula may only use their names.
    Without ``team_id`` it belongs to the leadership team; without ``combine`` its weeks
    combine as its unit's default (``default_combine``). Returns its id."""
    spec = _check_spec(
        _Spec(
            name,
            unit,
            operator,
            goal,
            goal_high,
            perspective,
            leading,
            goal_id,
            definition,
            formula,
            tolerance,
            team_id,
            combine,
        )
    )
    week = normal_week_key(from_week)
    with db.action(f"Added measurable {spec.name}") as session:
        return _insert(session, spec, owner_id, week).id or 0


def edit_measurable(
    db: Database,
    measurable_id: int,
    *,
    name: str,
    owner_id: int,
    perspective: str | None,
    leading: bool,
    goal_id: int | None,
    definition: str,
    tolerance: float | None,
    combine: str | None = None,
) -> None:
    """Change what a measurable is called, who owns it and how it is read (``combine``:
    sum, average or last; None keeps it).

    Its unit, formula and history stay (a new unit would re-read every stored value);
    goals change with ``set_goal``. The formulas that use its old name follow the new
    one (see ``_rename``).
    """
    name = _clean_name(name)
    if tolerance is not None and (not math.isfinite(tolerance) or not 0 <= tolerance <= 1):
        raise InputError("A tolerance is a share of the goal between 0% and 100%.")
    stored_perspective = perspective_named(perspective)
    rule = _check_combine(combine) if combine is not None else None
    with db.action("Edited a measurable") as session:
        measurable = _measurable(session, measurable_id)
        session.info[UNDO_LABEL] = f"Edited measurable {name}"
        if name.lower() != measurable.name.lower():
            _rename(session, measurable, name)
        _owner(session, owner_id)
        if goal_id is not None:
            _goal(session, goal_id)
        measurable.name, measurable.owner_id = name, owner_id
        measurable.perspective, measurable.leading = stored_perspective, leading
        measurable.goal_id, measurable.tolerance = goal_id, tolerance or None
        measurable.definition = one_line(definition)
        if rule is not None:
            measurable.combine = rule


def _rename(session: Session, measurable: Measurable, name: str) -> None:
    """Refuse a name an active measurable has; the formulas that use the old name follow
    it to the new one (as a spreadsheet's do), active and archived alike, in the same
    step to undo. A new name a formula would read otherwise ("2" in "won * 2") is refused.

    Formulas read the names of archived measurables too (as the grid, the trend and an
    import read them): an archived one a formula uses is not a mistake, and an archived
    formula keeps computing its weeks (and an export of them imports again).
    """
    everyone = list(session.exec(select(Measurable)))
    others = [m for m in everyone if m.id != measurable.id]
    if any(m.name.lower() == name.lower() for m in others if not m.archived):
        raise InputError(f"There is already a measurable called {name}.")
    names = [m.name for m in everyone]
    old = measurable.name.lower()
    users = [m for m in others if old in _uses(m.formula, names)]
    for user in users:
        assert user.formula is not None  # it uses the old name
        formula = renamed_in_formula(user.formula, measurable.name, name, names)
        if formula is None:
            archived = "the archived measurable " if user.archived else ""
            raise InputError(
                f"{measurable.name} is used in the formula of {archived}{user.name}, where "
                f"{name} would not read as that one measurable; choose another name."
            )
        user.formula = formula


def _uses(formula: str | None, names: Sequence[str]) -> tuple[str, ...]:
    """The names (lower case) ``formula`` uses; () for none or a formula that no longer
    reads (it names a measurable that is gone)."""
    if not formula:
        return ()
    try:
        return tuple(n.lower() for n in check_formula(formula, names))
    except InputError:
        return ()


def set_goal(
    db: Database,
    measurable_id: int,
    operator: str,
    value: float,
    value_high: float | None,
    from_week: str,
) -> None:
    """Set the goal from ``from_week`` onward; weeks before it keep the goal they had."""
    operator, value, value_high = _checked_goal(operator, value, value_high)
    week = normal_week_key(from_week)
    with db.action("Changed goal") as session:
        measurable = _measurable(session, measurable_id)
        session.info[UNDO_LABEL] = f"Changed the goal of {measurable.name}"
        row = session.get(MeasurableGoal, (measurable_id, week))
        if row is None:
            row = MeasurableGoal(
                measurable_id=measurable_id, from_week=week, operator=operator, value=value
            )
            session.add(row)
        row.operator, row.value, row.value_high = operator, value, value_high


def record_value(db: Database, measurable_id: int, week: str, text: str) -> float:
    """Record a typed value for an ISO week (parsed by unit); returns the stored value.
    Formula measurables are computed, never typed."""
    key = normal_week_key(week)
    with db.session() as session:
        measurable = _measurable(session, measurable_id)
        unit, name, formula = measurable.unit, measurable.name, measurable.formula
        names = _active_names(session)
    if formula is not None:
        inputs = _joined(check_formula(formula, [*names, name]))
        raise InputError(f"{name} is computed from {inputs}; it cannot be typed.")
    value = parse_value(text, unit)
    with db.action(f"Recorded {name} for {key}: {format_value(value, unit)}") as session:
        _measurable(session, measurable_id)
        row = session.get(MeasurableValue, (measurable_id, key))
        if row is None:
            session.add(MeasurableValue(measurable_id=measurable_id, week=key, value=value))
        else:
            row.value = value
    return value


def _joined(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def clear_value(db: Database, measurable_id: int, week: str) -> bool:
    """Empty a measurable's week (undoable); returns whether it had a value. An empty
    week stays empty and records no undo step."""
    key = normal_week_key(week)
    with db.action("Cleared value") as session:
        measurable = _measurable(session, measurable_id)
        session.info[UNDO_LABEL] = f"Cleared {measurable.name} for {key}"
        row = session.get(MeasurableValue, (measurable_id, key))
        if row is None:
            return False
        session.delete(row)
    return True


def archive_measurable(db: Database, measurable_id: int) -> str:
    """Hide a measurable from the scorecard, keeping its history; returns its name."""
    with db.action("Archived measurable") as session:
        measurable = _measurable(session, measurable_id)
        session.info[UNDO_LABEL] = f"Archived {measurable.name}"
        measurable.archived = True
        return measurable.name


def move_measurable(db: Database, measurable_id: int, step: int) -> bool:
    """Move a measurable ``step`` places down (up when negative) within its perspective
    group; returns whether it moved."""
    with db.action("Moved measurable") as session:
        measurable = _measurable(session, measurable_id)
        session.info[UNDO_LABEL] = f"Moved {measurable.name}"
        group = [
            m
            for m in _display_order(session.exec(select(Measurable)))
            if _group_index(m.perspective) == _group_index(measurable.perspective)
        ]
        index = next(i for i, m in enumerate(group) if m.id == measurable_id)
        target = max(0, min(len(group) - 1, index + step))
        if target == index:
            return False
        slots = sorted(m.position for m in group)
        group.insert(target, group.pop(index))
        for slot, member in zip(slots, group, strict=True):
            if member.position != slot:
                member.position = slot
        if len(set(slots)) < len(slots):  # repair duplicate positions
            base = min(slots)
            for offset, member in enumerate(group):
                member.position = base + offset
        return True
