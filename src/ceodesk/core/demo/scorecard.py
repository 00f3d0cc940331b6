"""Demo scorecard: twelve weekly measurables for the leadership team, half a year deep.

Every perspective has measurables, some leading and some lagging, in all five units;
three track a 1-year goal, first response time has a tolerance and Conversion is
computed from Won / Leads. There are 26 weeks of history ending with last week (the
current week is left empty: Monday's meeting reviews last week). Values follow trends
with a little seeded noise and a few misses; only median onboarding time has been off
goal for the last three weeks, so it alone is proposed as an issue. The Leads goal was
raised from 35 to 40 halfway through.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ceodesk.core.demo.rocks import GOALS
from ceodesk.core.domain.scorecard import default_combine, is_on_goal
from ceodesk.core.domain.settings import leadership_team
from ceodesk.core.kernel.dates import shift_week, week_key
from ceodesk.core.store.models import Goal, Measurable, MeasurableGoal, MeasurableValue, Person

HISTORY_WEEKS = 26
GOAL_CHANGE_AT = 13  # the Leads goal changes from this week of the history on
RED = "Median onboarding days"
_SEED = 4048


@dataclass(frozen=True)
class _Demo:
    name: str
    owner: str
    unit: str
    perspective: str
    leading: bool
    operator: str
    goal: float
    definition: str
    start: float = 0.0  # the trend's first and last value
    end: float = 0.0
    noise: float = 0.0
    decimals: int = 0
    misses: tuple[int, ...] = ()  # weeks of the history forced off goal
    goal_key: str | None = None  # the 1-year goal it tracks (rocks.GOALS key)
    tolerance: float | None = None
    formula: str | None = None
    combine: str | None = None  # how its weeks combine; None: the unit's default


MEASURABLES = (
    _Demo(
        "Revenue invoiced",
        "sam",
        "currency",
        "financial",
        False,
        ">=",
        250_000,
        "Invoices sent this week, in dollars.",
        start=232_000,
        end=286_000,
        noise=14_000,
        decimals=-3,
        misses=(9,),
        goal_key="revenue",
    ),
    _Demo(
        "Net burn",
        "sam",
        "currency",
        "financial",
        False,
        "<=",
        350_000,
        "Cash out minus cash in this week.",
        start=372_000,
        end=318_000,
        noise=15_000,
        decimals=-3,
    ),
    _Demo(
        "Leads",
        "jordan",
        "number",
        "customer",
        True,
        ">=",
        35,
        "New qualified leads from marketing this week.",
        start=32,
        end=47,
        noise=3,
        misses=(16,),
    ),
    _Demo(
        "Won",
        "jordan",
        "number",
        "customer",
        False,
        ">=",
        3,
        "Deals signed this week.",
        start=2.6,
        end=4.4,
        noise=1.2,
        misses=(7, 19),
    ),
    _Demo(
        "Conversion",
        "jordan",
        "percent",
        "customer",
        False,
        ">=",
        7,
        "Deals won as a share of new leads, the same week.",
        formula="Won / Leads",
    ),
    _Demo(
        "NPS",
        "alex",
        "number",
        "customer",
        False,
        ">=",
        40,
        "Net promoter score from this week's customer survey replies.",
        start=36,
        end=47,
        noise=3,
        misses=(12,),
        goal_key="nps",
        combine="average",  # a score and a median: summing them means nothing
    ),
    _Demo(
        RED,
        "dana",
        "number",
        "internal process",
        False,
        "<=",
        30,
        "Median days from signature to go-live for customers who went live this week.",
        start=34,
        end=27,
        noise=1.5,
        goal_key="onboarding",
        combine="average",  # a score and a median: summing them means nothing
    ),
    _Demo(
        "First response time",
        "dana",
        "duration",
        "internal process",
        True,
        "<=",
        120,
        "Median time to the first human reply on a support ticket.",
        start=150,
        end=95,
        noise=10,
        decimals=-1,
        misses=(14,),
        tolerance=0.1,
    ),
    _Demo(
        "Release shipped",
        "priya",
        "yesno",
        "internal process",
        True,
        "=",
        1,
        "A production release went out this week.",
        start=1,
        end=1,
        misses=(5, 17, 21),
    ),
    _Demo(
        "Sprint commitments met",
        "priya",
        "percent",
        "internal process",
        False,
        ">=",
        80,
        "Share of the stories committed at sprint planning that shipped in the sprint.",
        start=76,
        end=91,
        noise=5,
        misses=(10,),
    ),
    _Demo(
        "Candidates interviewed",
        "alex",
        "number",
        "learning and growth",
        True,
        ">=",
        6,
        "Final-round interviews held across all open roles.",
        start=5,
        end=9,
        noise=2,
        misses=(3, 18),
    ),
    _Demo(
        "Training hours",
        "dana",
        "duration",
        "learning and growth",
        True,
        ">=",
        480,
        "Hours customer success spent on playbook training and certification.",
        start=420,
        end=600,
        noise=60,
        decimals=-1,
        misses=(22,),
        goal_key="training",
        combine="sum",  # hours add up, unlike a response time
    ),
)
# The Leads goal from GOAL_CHANGE_AT on: the team raised the bar once it was met.
LEADS_GOAL_LATER = 40
# Median onboarding days for the last three weeks: off goal three weeks running.
RED_TAIL = (33, 35, 36)


def _goal(spec: _Demo, index: int) -> float:
    if spec.name == "Leads" and index >= GOAL_CHANGE_AT:
        return LEADS_GOAL_LATER
    return spec.goal


def _round(value: float, decimals: int) -> float:
    return float(round(value, decimals)) + 0.0


def _off(spec: _Demo, goal: float, rng: random.Random) -> float:
    """A believable miss: a little on the wrong side of the goal."""
    if spec.unit == "yesno":
        return 0.0
    step = max(abs(goal) * rng.uniform(0.06, 0.15), 10.0**-spec.decimals)
    below = spec.operator in (">=", ">", "=")
    return _round(goal - step if below else goal + step, spec.decimals)


def _on(spec: _Demo, goal: float, rng: random.Random) -> float:
    """A value just on the right side of the goal."""
    if spec.unit == "yesno":
        return 1.0
    step = abs(goal) * rng.uniform(0.02, 0.08)
    better = spec.operator in (">=", ">", "=")
    value = _round(goal + step if better else goal - step, spec.decimals)
    if not is_on_goal(value, spec.operator, goal):  # rounding took it back over the line
        value = _round(goal + 10.0**-spec.decimals if better else goal, spec.decimals)
    return value


def _series(spec: _Demo, rng: random.Random) -> list[float]:
    """The measurable's value for each week of the history, oldest first."""
    last = HISTORY_WEEKS - 1
    values = []
    for index in range(HISTORY_WEEKS):
        goal = _goal(spec, index)
        trend = spec.start + (spec.end - spec.start) * index / last
        value = _round(max(trend + rng.uniform(-spec.noise, spec.noise), 0.0), spec.decimals)
        if spec.unit == "percent":
            value = min(value, 100.0)
        if index in spec.misses and is_on_goal(value, spec.operator, goal):
            value = _off(spec, goal, rng)
        elif index == last and not is_on_goal(value, spec.operator, goal):
            value = _on(spec, goal, rng)  # only one measurable ends off goal
        values.append(value)
    if spec.name == RED:
        values[-len(RED_TAIL) :] = [float(v) for v in RED_TAIL]
    if spec.name == "Won":
        values[-1] = 4.0  # with last week's leads, conversion ends on goal
    return values


def build(session: Session, now_local: datetime, staff: dict[str, Person]) -> None:
    """Add the scorecard with 26 weeks of history ending last week; ``now_local`` is
    aware and local, and the result depends on nothing else."""
    this_week = week_key(now_local.date())
    weeks = [shift_week(this_week, n - HISTORY_WEEKS) for n in range(HISTORY_WEEKS)]
    titles = {key: title for key, title, _, _ in GOALS}
    goals = {g.title: g.id for g in session.exec(select(Goal))}
    team = leadership_team(session).id
    rng = random.Random(_SEED)
    for position, spec in enumerate(MEASURABLES):
        measurable = Measurable(
            name=spec.name,
            owner_id=staff[spec.owner].id or 0,
            team_id=team,
            unit=spec.unit,
            perspective=spec.perspective,
            leading=spec.leading,
            goal_id=goals.get(titles[spec.goal_key]) if spec.goal_key else None,
            definition=spec.definition,
            formula=spec.formula,
            tolerance=spec.tolerance,
            position=position,
            combine=spec.combine or default_combine(spec.unit, spec.formula),
        )
        session.add(measurable)
        session.flush()
        key = measurable.id or 0
        session.add(
            MeasurableGoal(
                measurable_id=key, from_week=weeks[0], operator=spec.operator, value=spec.goal
            )
        )
        if spec.name == "Leads":
            session.add(
                MeasurableGoal(
                    measurable_id=key,
                    from_week=weeks[GOAL_CHANGE_AT],
                    operator=spec.operator,
                    value=LEADS_GOAL_LATER,
                )
            )
        if spec.formula is not None:
            continue
        for week, value in zip(weeks, _series(spec, rng), strict=True):
            session.add(MeasurableValue(measurable_id=key, week=week, value=value))
    session.flush()
