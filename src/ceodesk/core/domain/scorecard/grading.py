"""Goals and grades: operators, tolerance, grades, off-goal runs and how weeks combine."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ceodesk.core.domain.scorecard.values import _check_unit, _shown
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import one_line

OPERATORS = (">=", "<=", "=", ">", "<", "between")
COMBINE_RULES = ("sum", "average", "last")
GRADES = ("exceeds", "on target", "slightly behind", "off target")
OFF_GOAL_WEEKS_TO_PROPOSE = 3


def _check_operator(operator: str) -> str:
    if operator not in OPERATORS:
        raise InputError(f"“{operator}” is not a goal operator; use >=, <=, =, >, < or between.")
    return operator


def is_on_goal(value: float, operator: str, goal: float, goal_high: float | None = None) -> bool:
    """Whether ``value`` meets the goal; ``between`` includes both bounds."""
    _check_operator(operator)
    if operator == "between":
        high = goal if goal_high is None else goal_high
        low, high = min(goal, high), max(goal, high)
        return low <= value <= high
    if operator == "=":
        return math.isclose(value, goal, rel_tol=1e-9, abs_tol=1e-9)
    return {
        ">=": value >= goal,
        "<=": value <= goal,
        ">": value > goal,
        "<": value < goal,
    }[operator]


def grade(
    value: float,
    operator: str,
    goal: float,
    goal_high: float | None = None,
    tolerance: float | None = None,
) -> str:
    """exceeds / on target / slightly behind / off target.

    The tolerance is a fraction of the goal. Beyond a >=, >, <= or < goal by more than the
    tolerance "exceeds"; short of any goal by at most the tolerance "slightly behind".
    Without a tolerance only "on target" and "off target" are used.
    """
    on_goal = is_on_goal(value, operator, goal, goal_high)
    if not tolerance:
        return "on target" if on_goal else "off target"
    margin = abs(goal) * tolerance
    if operator in (">=", ">"):
        if on_goal:
            return "exceeds" if value > goal + margin else "on target"
        return "slightly behind" if value >= goal - margin else "off target"
    if operator in ("<=", "<"):
        if on_goal:
            return "exceeds" if value < goal - margin else "on target"
        return "slightly behind" if value <= goal + margin else "off target"
    if on_goal:
        return "on target"
    if operator == "=":
        near = abs(value - goal) <= margin
    else:
        high = goal if goal_high is None else goal_high
        low, high = min(goal, high), max(goal, high)
        near = low - abs(low) * tolerance <= value <= high + abs(high) * tolerance
    return "slightly behind" if near else "off target"


def default_combine(unit: str, formula: str | None = None) -> str:
    """How weeks combine when nothing was chosen: number and currency sum; percent,
    yes/no, duration and formulas (ratios such as won / leads) average."""
    _check_unit(unit)
    if formula or unit in ("percent", "yesno", "duration"):
        return "average"
    return "sum"


def _check_combine(rule: str) -> str:
    """ "sum", "average" or "last", also spelled "avg", "mean" or by a prefix ("av")."""
    word = one_line(rule).lower()
    word = "average" if word in ("avg", "mean") else word
    for known in COMBINE_RULES:
        if word and known.startswith(word):
            return known
    raise InputError(f"“{_shown(rule)}” is not a way to combine weeks; use sum, average or last.")


def combine_weeks(rule: str, values: Iterable[float | None]) -> float | None:
    """Weeks combined by ``rule``: "sum" adds them, "average" is their mean, "last" the
    latest one; empty weeks (None) are skipped and no values at all give None."""
    rule = _check_combine(rule)
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule == "sum":
        return math.fsum(present)
    if rule == "average":
        return math.fsum(present) / len(present)
    return present[-1]


def consecutive_off_goal(flags: Sequence[bool | None]) -> int:
    """How many weeks at the end of ``flags`` (oldest first, True = on goal) are off goal
    in a row; an empty week (None) ends the run."""
    run = 0
    for flag in reversed(flags):
        if flag is not False:
            break
        run += 1
    return run
