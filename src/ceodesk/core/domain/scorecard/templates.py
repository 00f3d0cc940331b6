"""Scorecard templates: ready-made sets of measurables to start from."""

from __future__ import annotations

from dataclasses import dataclass

from ceodesk.core.domain.scorecard.measurables import (
    _active_names,
    _check_spec,
    _insert,
    _joined,
    _Spec,
)
from ceodesk.core.domain.scorecard.values import _shown
from ceodesk.core.kernel.dates import normal_week_key
from ceodesk.core.kernel.errors import NotFoundError
from ceodesk.core.kernel.text import one_line
from ceodesk.core.store.db import Database


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
    key = one_line(name).lower()
    if key not in TEMPLATES:
        raise NotFoundError(
            f"There is no template called “{_shown(name)}”; choose {_joined(list(TEMPLATES))}."
        )
    week = normal_week_key(from_week)
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
