"""The scorecard: a team's weekly measurables against their goals, 13 weeks at a glance.

Rules:

- A measurable has one owner, a unit (number, currency, percent, yesno, duration) and a
  goal with an operator (>=, <=, =, >, <, between; between includes both bounds).
- Values are kept per ISO week ("2026-W48"). Percent values are percent points: "38%"
  and "38" both mean 38. Yes/no is 1 or 0. A duration is kept in minutes.
- Goal changes apply from a week onward; past weeks keep the goal they had. Weeks before
  the first goal are judged by the first goal, so back-filled history is coloured too.
- With a tolerance (a fraction of the goal, e.g. 0.1), a value reads "exceeds" when it is
  beyond the goal by more than the tolerance, "slightly behind" when it misses by at most
  the tolerance; otherwise "on target" / "off target".
- A formula measurable ("won / leads") is computed per week from the same week's values
  and never typed; a missing input or a division by zero leaves the week empty. A
  percent formula is a ratio shown as a percentage, as in a spreadsheet: 0.38 reads 38%.
- The average ignores empty weeks (for yes/no it is the share of yes weeks).
- Each measurable says how its weeks combine into one number (``combine``): "sum" for
  flows (leads, revenue, hours of training), "average" for levels and rates (NPS, a
  median, a response time, a percentage), "last" for a balance read at the end (cash,
  headcount). By default number and currency sum; percent, yes/no, duration and formulas
  (ratios) average. The grid's total is the sum and shows only for "sum" measurables;
  the month roll-up uses the same rule (``combine_weeks``).
- A measurable off goal 3 weeks running is proposed as an issue. The week still in
  progress (``open_week``) does not end the run while it is empty: it is not in yet.
- Numbers are shown in full below 10,000 ("9,500", "12.5") and compact from there on
  ("12.4k", "1.5m", "2b"); currency the same with "$"; percent with one decimal ("92.5%");
  durations like estimates ("1h30", "45m"); yes/no as "yes" / "no".
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlmodel import Session, col, select

from ceodesk.core.kernel.dates import format_minutes, shift_week, week_key, week_monday
from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.kernel.perspectives import PERSPECTIVES, perspective_named
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.models import Goal, Measurable, MeasurableGoal, MeasurableValue, Person
from ceodesk.core.store.preferences import leadership_team

__all__ = [
    "COMBINE_RULES",
    "GRADES",
    "OFF_GOAL_WEEKS_TO_PROPOSE",
    "OPERATORS",
    "SCORECARD_SIZE",
    "TEMPLATES",
    "TRAILING_WEEKS",
    "UNITS",
    "ScorecardCell",
    "ScorecardGroup",
    "ScorecardRow",
    "ScorecardView",
    "TemplateMeasurable",
    "TrendPoint",
    "add_measurable",
    "add_template",
    "archive_measurable",
    "average",
    "check_formula",
    "clear_value",
    "combine_weeks",
    "consecutive_off_goal",
    "default_combine",
    "edit_measurable",
    "evaluate_formula",
    "find_measurable",
    "format_goal",
    "format_value",
    "grade",
    "is_on_goal",
    "move_measurable",
    "parse_value",
    "record_value",
    "scorecard",
    "set_goal",
    "total",
    "trend",
]

UNITS = ("number", "currency", "percent", "yesno", "duration")
OPERATORS = (">=", "<=", "=", ">", "<", "between")
COMBINE_RULES = ("sum", "average", "last")
GRADES = ("exceeds", "on target", "slightly behind", "off target")
OFF_GOAL_WEEKS_TO_PROPOSE = 3
TRAILING_WEEKS = 13
SCORECARD_SIZE = (5, 15)  # aim for this many measurables
MAX_MAGNITUDE = 1e12  # larger values are typing mistakes, and floats stay exact below it
LONGEST_NAME = 80
_SUMMABLE = frozenset({"number", "currency", "duration"})
_COMPACT = ((1e9, "b"), (1e6, "m"), (1e3, "k"))
_COMPACT_FROM = 10_000
_EXAMPLES = {
    "number": "is not a number like 12000, 12k or 1.5m",
    "currency": "is not a number like 12000, 12k or $12,000",
    "percent": "is not a percentage like 38% or 92.5",
    "yesno": "is not yes or no; write y or n",
    "duration": "is not a duration like 1h30, 90m or 1:30",
}
_NUMBER = re.compile(
    r"([+-]?)(\$?)((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)([kmb]?)(%?)"
)
_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_YES = frozenset({"y", "yes", "1", "true"})
_NO = frozenset({"n", "no", "0", "false"})
_DECIMAL = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_HOURS_MINUTES = re.compile(r"([0-9]+)h([0-9]{1,2})m?")
_CLOCK = re.compile(r"([0-9]+):([0-9]{2})")
_HOURS = re.compile(rf"({_DECIMAL})h")
_MINUTES = re.compile(rf"({_DECIMAL})(?:m|min|mins)?")
_PLACEHOLDER = "_m{}_"


# ------------------------------------------------------------------- values


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"


def _refuse(text: str, unit: str) -> InputError:
    return InputError(f"“{_shown(text)}” {_EXAMPLES[unit]}.")


def _check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise InputError(
            f"“{unit}” is not a unit; use number, currency, percent, yesno or duration."
        )
    return unit


def parse_value(text: str, unit: str) -> float:
    """Read a typed value in ``unit``: "12000", "12k", "1.5m", "$12,000", "38%" (= 38),
    "y"/"n" (1/0), "1h30", "90m", "1:30", "1.5h" (minutes). Anything else is an
    InputError of one sentence with the unit's examples; the result is always finite."""
    _check_unit(unit)
    word = "".join(text.split()).lower()
    if unit == "yesno":
        if word in _YES:
            return 1.0
        if word in _NO:
            return 0.0
        raise _refuse(text, unit)
    if unit == "duration":
        minutes = _parse_minutes(word)
        if minutes is None:
            raise _refuse(text, unit)
        return _bounded(minutes, text)
    match = _NUMBER.fullmatch(word)
    if match is None:
        raise _refuse(text, unit)
    sign, dollar, digits, suffix, percent = match.groups()
    if (dollar and unit != "currency") or (percent and unit != "percent"):
        raise _refuse(text, unit)
    if suffix and unit == "percent":
        raise _refuse(text, unit)
    value = Decimal(digits.replace(",", "")) * _MULTIPLIERS[suffix]
    return _bounded(float(-value if sign == "-" else value), text)


def _parse_minutes(word: str) -> float | None:
    if match := _HOURS_MINUTES.fullmatch(word) or _CLOCK.fullmatch(word):
        if int(match[2]) >= 60:
            return None
        return float(int(match[1]) * 60 + int(match[2]))
    if match := _HOURS.fullmatch(word):
        return float(Decimal(match[1]) * 60)
    if match := _MINUTES.fullmatch(word):
        return float(Decimal(match[1]))
    return None


def _bounded(value: float, text: str) -> float:
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise InputError(f"“{_shown(text)}” is too large for the scorecard.")
    return value + 0.0  # no "-0"


def _trim(number: str) -> str:
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return "0" if number in ("-0", "") else number


def _amount(value: float) -> str:
    """A magnitude in full below 10,000, compact (k, m, b, one decimal) from there on."""
    size = abs(value)
    if size >= _COMPACT_FROM:
        for divisor, suffix in _COMPACT:
            if size >= divisor:
                return _trim(f"{size / divisor:.1f}") + suffix
    return _trim(f"{size:,.2f}")


def format_value(value: float, unit: str) -> str:
    """A value as the scorecard shows it: "12,000"-style numbers below 10,000 and compact
    ones from there ("12.4k", "1.5m"), "$12.4k", "38%" / "92.5%", "yes" / "no", "1h30"."""
    _check_unit(unit)
    if unit == "yesno":
        return "yes" if value >= 0.5 else "no"
    if unit == "duration":
        return format_minutes(round(value))
    if unit == "percent":
        return _trim(f"{value:.1f}") + "%"
    sign = "-" if value < 0 and _amount(value) != "0" else ""
    return f"{sign}{'$' if unit == 'currency' else ''}{_amount(value)}"


def format_goal(operator: str, value: float, value_high: float | None, unit: str) -> str:
    """A goal as text: ">= 25", "<= $180", "between 92%\u201397%" (with an en dash)."""
    if operator == "between":
        high = value if value_high is None else value_high
        return f"between {format_value(value, unit)}–{format_value(high, unit)}"
    return f"{operator} {format_value(value, unit)}"


# --------------------------------------------------------------------- goals


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


# ------------------------------------------------------------------- formulas


def _name_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in name.lower().split()]
    return re.compile(r"(?<![\w])" + r"[\s_]+".join(words) + r"(?![\w])")


def _substitute(formula: str, names: Iterable[str]) -> tuple[str, dict[str, str]]:
    """Replace known names (longest first, any case, "_" for spaces) by placeholders."""
    text = formula.lower()
    placeholders: dict[str, str] = {}
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        placeholder = _PLACEHOLDER.format(len(placeholders))
        text, count = _name_pattern(name).subn(f" {placeholder} ", text)
        if count:
            placeholders[placeholder] = name
    return text, placeholders


def _parse_formula(formula: str, names: Iterable[str]) -> tuple[ast.expr, dict[str, str]]:
    text, placeholders = _substitute(formula, names)
    shown = _shown(formula)
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        raise InputError(f"“{shown}” is not a formula like won / leads.") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in placeholders:
                raise InputError(f"“{node.id}” in the formula is not a measurable.")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise InputError(f"“{shown}” is not a formula like won / leads.")
        elif not isinstance(
            node,
            ast.BinOp
            | ast.UnaryOp
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div
            | ast.USub
            | ast.UAdd
            | ast.Load,
        ):
            raise InputError(
                f"“{shown}” can only use + - * /, parentheses, numbers and measurables."
            )
    return tree, placeholders


def check_formula(formula: str, known_names: Iterable[str]) -> tuple[str, ...]:
    """The measurables a formula uses, in order of first use; an unknown name or anything
    but + - * /, parentheses and numbers is an InputError."""
    if not formula.strip():
        raise InputError("A formula needs at least one measurable, like won / leads.")
    tree, placeholders = _parse_formula(formula, list(known_names))
    used: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and placeholders[node.id] not in used:
            used.append(placeholders[node.id])
    if not used:
        raise InputError("A formula needs at least one measurable, like won / leads.")
    return tuple(used)


def evaluate_formula(formula: str, values: Mapping[str, float | None]) -> float | None:
    """The formula's value from ``values`` (measurable name -> value, any case); None when
    an input is missing, a division is by zero or the result is not finite."""
    lowered = {name.lower(): value for name, value in values.items()}
    tree, placeholders = _parse_formula(formula, lowered)
    try:
        result = _evaluate(tree, {p: lowered[n] for p, n in placeholders.items()})
    except (ZeroDivisionError, OverflowError, _Missing):
        return None
    return result if math.isfinite(result) else None


class _Missing(Exception):
    pass


def _evaluate(node: ast.expr, inputs: Mapping[str, float | None]) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        value = inputs[node.id]
        if value is None:
            raise _Missing
        return value
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, inputs)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.BinOp)
    left, right = _evaluate(node.left, inputs), _evaluate(node.right, inputs)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    return left / right


# -------------------------------------------------------------- aggregates


def average(values: Iterable[float | None], unit: str) -> float | None:
    """The mean of the weeks with a value (for yes/no: the share of yes weeks)."""
    _check_unit(unit)
    present = [v for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None


def total(values: Iterable[float | None], unit: str) -> float | None:
    """The sum of the weeks with a value, for number, currency and duration only."""
    _check_unit(unit)
    present = [v for v in values if v is not None]
    return math.fsum(present) if present and unit in _SUMMABLE else None


def default_combine(unit: str, formula: str | None = None) -> str:
    """How weeks combine when nothing was chosen: number and currency sum; percent,
    yes/no, duration and formulas (ratios such as won / leads) average."""
    _check_unit(unit)
    if formula or unit in ("percent", "yesno", "duration"):
        return "average"
    return "sum"


def _check_combine(rule: str) -> str:
    """ "sum", "average" or "last", also spelled "avg", "mean" or by a prefix ("av")."""
    word = " ".join(rule.split()).lower()
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


# -------------------------------------------------------------------- views


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


# ------------------------------------------------------------------ loading


def _week(key: str) -> str:
    """A week key in its one stored spelling ("2026-w5" -> "2026-W05")."""
    return week_key(week_monday(key))


def _window(end_week: str, weeks: int) -> tuple[str, ...]:
    end = _week(end_week)
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
    open_key = _week(open_week) if open_week else None
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


# ---------------------------------------------------------------- changes


def _measurable(session: Session, measurable_id: int, *, active: bool = True) -> Measurable:
    measurable = session.get(Measurable, measurable_id)
    if measurable is None or (active and measurable.archived):
        raise NotFoundError("That measurable no longer exists.")
    return measurable


def find_measurable(db: Database, name: str) -> int:
    """The id of the active measurable called ``name`` (any case, spacing tidied), else
    of the only one whose name starts with it; NotFoundError when none matches and
    InputError when several do, each one sentence naming the candidates."""
    wanted = " ".join(name.split()).lower()
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
    name = " ".join(name.split())
    if not name:
        raise InputError("A measurable needs a name.")
    if len(name) > LONGEST_NAME:
        raise InputError(f"A measurable's name can be at most {LONGEST_NAME} characters long.")
    return name


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
    formula = " ".join(spec.formula.split()) if spec.formula and spec.formula.strip() else None
    return _Spec(
        name=_clean_name(spec.name),
        unit=spec.unit,
        operator=operator,
        goal=goal,
        goal_high=goal_high,
        perspective=perspective_named(spec.perspective),
        leading=spec.leading,
        goal_id=spec.goal_id,
        definition=" ".join(spec.definition.split()),
        formula=formula,
        tolerance=tolerance or None,
        team_id=spec.team_id,
        combine=(
            _check_combine(spec.combine)
            if spec.combine and spec.combine.strip()
            else default_combine(spec.unit, formula)
        ),
    )


def _insert(session: Session, spec: _Spec, owner_id: int, from_week: str) -> Measurable:
    names = _active_names(session)
    if spec.name.lower() in {n.lower() for n in names}:
        raise InputError(f"There is already a measurable called {spec.name}.")
    owner = session.get(Person, owner_id)
    if owner is None or not owner.active:
        raise NotFoundError("That team member no longer exists.")
    if spec.goal_id is not None:
        linked = session.get(Goal, spec.goal_id)
        if linked is None or linked.archived:
            raise NotFoundError("That goal no longer exists.")
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
    week = _week(from_week)
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
    goals change with ``set_goal``. A name another formula uses cannot change.
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
            others = [m for m in session.exec(select(Measurable)) if not m.archived]
            if any(m.name.lower() == name.lower() for m in others):
                raise InputError(f"There is already a measurable called {name}.")
            users = [
                m.name
                for m in others
                if m.formula and measurable.name in check_formula(m.formula, _active_names(session))
            ]
            if users:
                raise InputError(
                    f"{measurable.name} is used in the formula of {', '.join(users)}; "
                    "change that formula first."
                )
        owner = session.get(Person, owner_id)
        if owner is None or not owner.active:
            raise NotFoundError("That team member no longer exists.")
        if goal_id is not None:
            linked = session.get(Goal, goal_id)
            if linked is None or linked.archived:
                raise NotFoundError("That goal no longer exists.")
        measurable.name, measurable.owner_id = name, owner_id
        measurable.perspective, measurable.leading = stored_perspective, leading
        measurable.goal_id, measurable.tolerance = goal_id, tolerance or None
        measurable.definition = " ".join(definition.split())
        if rule is not None:
            measurable.combine = rule


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
    week = _week(from_week)
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
    key = _week(week)
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


def clear_value(db: Database, measurable_id: int, week: str) -> None:
    """Empty a measurable's week (undoable); an empty week stays empty."""
    key = _week(week)
    with db.action("Cleared value") as session:
        measurable = _measurable(session, measurable_id)
        session.info[UNDO_LABEL] = f"Cleared {measurable.name} for {key}"
        row = session.get(MeasurableValue, (measurable_id, key))
        if row is not None:
            session.delete(row)


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


# ---------------------------------------------------------------- templates


@dataclass(frozen=True)
class TemplateMeasurable:
    name: str
    unit: str
    operator: str
    goal: float
    goal_high: float | None = None
    perspective: str | None = None
    leading: bool = False
    definition: str = ""
    formula: str | None = None


TEMPLATES: dict[str, list[TemplateMeasurable]] = {
    "sales funnel relay": [
        TemplateMeasurable(
            "Leads",
            "number",
            ">=",
            50,
            perspective="customer",
            leading=True,
            definition="New qualified leads from marketing this week.",
        ),
        TemplateMeasurable(
            "Opportunities",
            "number",
            ">=",
            20,
            perspective="customer",
            leading=True,
            definition="Leads that became sales opportunities this week.",
        ),
        TemplateMeasurable(
            "Proposals",
            "number",
            ">=",
            10,
            perspective="internal process",
            leading=True,
            definition="Proposals sent to prospects this week.",
        ),
        TemplateMeasurable(
            "Won",
            "number",
            ">=",
            4,
            perspective="financial",
            definition="Deals signed this week.",
        ),
        TemplateMeasurable(
            "Conversion",
            "percent",
            ">=",
            8,
            perspective="internal process",
            definition="Deals won as a share of leads.",
            formula="Won / Leads",
        ),
        TemplateMeasurable(
            "Revenue invoiced",
            "currency",
            ">=",
            50_000,
            perspective="financial",
            definition="Invoices sent this week.",
        ),
    ],
    "balanced scorecard for sales": [
        TemplateMeasurable(
            "Conversion rate",
            "percent",
            ">=",
            20,
            perspective="internal process",
            leading=True,
            definition="Opportunities won as a share of opportunities closed.",
        ),
        TemplateMeasurable(
            "Acquisition cost",
            "currency",
            "<=",
            500,
            perspective="financial",
            definition="Sales and marketing spend per new customer.",
        ),
        TemplateMeasurable(
            "Revenue growth",
            "percent",
            ">=",
            2,
            perspective="financial",
            definition="Revenue growth over the same week last year.",
        ),
        TemplateMeasurable(
            "Satisfaction",
            "percent",
            ">=",
            90,
            perspective="customer",
            definition="Customers rating us 4 or 5 out of 5 this week.",
        ),
        TemplateMeasurable(
            "Lifetime value",
            "currency",
            ">=",
            5_000,
            perspective="customer",
            definition="Average gross margin per customer over their lifetime.",
        ),
    ],
    "marketing": [
        TemplateMeasurable(
            "Cost per lead",
            "currency",
            "<=",
            50,
            perspective="financial",
            leading=True,
            definition="Marketing spend divided by new leads this week.",
        ),
        TemplateMeasurable(
            "Return on ad spend",
            "number",
            ">=",
            3,
            perspective="financial",
            definition="Revenue from ads per dollar spent on them.",
        ),
        TemplateMeasurable(
            "Acquisition cost",
            "currency",
            "<=",
            500,
            perspective="financial",
            definition="Sales and marketing spend per new customer.",
        ),
    ],
}


def add_template(db: Database, name: str, owner_id: int, from_week: str) -> int:
    """Add a template's measurables in one undoable step, skipping names already on the
    scorecard; returns how many were added."""
    key = " ".join(name.lower().split())
    if key not in TEMPLATES:
        raise NotFoundError(
            f"There is no template called “{_shown(name)}”; choose {_joined(list(TEMPLATES))}."
        )
    week = _week(from_week)
    added = 0
    with db.action(f"Added the {key} template") as session:
        for item in TEMPLATES[key]:
            if item.name.lower() in {n.lower() for n in _active_names(session)}:
                continue
            spec = _check_spec(
                _Spec(
                    item.name,
                    item.unit,
                    item.operator,
                    item.goal,
                    item.goal_high,
                    item.perspective,
                    item.leading,
                    None,
                    item.definition,
                    item.formula,
                    None,
                    None,
                )
            )
            _insert(session, spec, owner_id, week)
            added += 1
    return added
