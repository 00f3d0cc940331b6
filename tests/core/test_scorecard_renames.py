"""Renaming a measurable while formulas (active or archived) name measurables by name.

A formula reads the names of every measurable, archived ones too (the grid, the trend and
an import read them so), so renaming one must neither trip over a formula that uses an
archived measurable nor leave an archived formula naming a measurable no longer there.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.scorecard import (
    add_measurable,
    archive_measurable,
    edit_measurable,
    record_value,
    scorecard,
    trend,
)
from ceodesk.core.interop.ceodesk_json import export_text, import_file
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.store.models import Measurable

W45 = "2026-W45"


@pytest.fixture
def me(db) -> int:
    return list_people(db)[0].id


@pytest.fixture
def funnel(db, me) -> dict[str, int]:
    """Leads and Won typed in W45 (50 and 4), Conversion = won / leads (8%), Revenue."""
    ids = {
        name: add_measurable(db, name, me, "number", ">=", 1, from_week="2026-W40")
        for name in ("Leads", "Won", "Revenue")
    }
    ids["Conversion"] = add_measurable(
        db, "Conversion", me, "percent", ">=", 7, formula="won / leads", from_week="2026-W40"
    )
    record_value(db, ids["Leads"], W45, "50")
    record_value(db, ids["Won"], W45, "4")
    return ids


def rename(db, measurable_id: int, name: str, owner: int) -> None:
    edit_measurable(
        db,
        measurable_id,
        name=name,
        owner_id=owner,
        perspective=None,
        leading=False,
        goal_id=None,
        definition="",
        tolerance=None,
    )


def stored(db) -> dict[str, str | None]:
    with db.session() as session:
        return {m.name: m.formula for m in session.exec(select(Measurable))}


def test_a_formula_over_an_archived_measurable_does_not_stop_an_unrelated_rename(db, me, funnel):
    archive_measurable(db, funnel["Leads"])  # allowed: Conversion keeps reading its weeks
    rename(db, funnel["Revenue"], "Revenue invoiced", me)
    assert "Revenue invoiced" in [r.name for r in scorecard(db, W45).rows]


def test_an_active_formula_follows_the_rename_of_a_measurable_it_uses(db, me, funnel):
    # Refused before ("change that formula first"), with no way to change a formula.
    archive_measurable(db, funnel["Leads"])  # the formula also reads an archived name
    rename(db, funnel["Won"], "Deals won", me)
    assert stored(db)["Conversion"] == "Deals won / leads"
    conversion = next(r for r in scorecard(db, W45).rows if r.name == "Conversion")
    assert conversion.cells[-1].value == pytest.approx(8)  # still 4 won of 50 leads
    db.undo()  # one step: the name and the formula together
    assert stored(db)["Won"] is None and stored(db)["Conversion"] == "won / leads"


def test_a_new_name_an_active_formula_would_read_otherwise_is_refused(db, me, funnel, one_sentence):
    add_measurable(db, "Doubled", me, "number", ">=", 1, formula="won * 2", from_week=W45)
    with pytest.raises(InputError) as refused:
        rename(db, funnel["Won"], "2", me)
    assert str(refused.value) == (
        "Won is used in the formula of Doubled, where 2 would not read as that one "
        "measurable; choose another name."
    )
    assert one_sentence(str(refused.value))
    assert stored(db)["Doubled"] == "won * 2" and "Won" in stored(db)


def test_an_archived_formula_follows_the_rename_of_a_measurable_it_uses(db, me, funnel):
    archive_measurable(db, funnel["Conversion"])
    rename(db, funnel["Won"], "Deals won", me)
    assert stored(db)["Conversion"] == "Deals won / leads"
    # Its history still reads: 4 won of 50 leads.
    assert trend(db, funnel["Conversion"], W45, 1)[0].value == pytest.approx(8)
    db.undo()  # one step: the name and the formula together
    assert stored(db)["Won"] is None and stored(db)["Conversion"] == "won / leads"


def test_only_the_renamed_name_changes_in_an_archived_formula(db, me):
    ids = {
        name: add_measurable(db, name, me, "number", ">=", 1, from_week="2026-W40")
        for name in ("Won", "Won back", "Leads")
    }
    formula = add_measurable(
        db, "Wins", me, "number", ">=", 1, formula="(Won back + WON) / leads", from_week=W45
    )
    archive_measurable(db, formula)
    rename(db, ids["Won"], "New deals", me)
    assert stored(db)["Wins"] == "(Won back + New deals) / leads"
    rename(db, ids["Won back"], "Regained", me)
    assert stored(db)["Wins"] == "(Regained + New deals) / leads"


def test_an_export_after_such_a_rename_imports_again(db, me, funnel, tmp_path, now):
    archive_measurable(db, funnel["Conversion"])
    rename(db, funnel["Won"], "Deals won", me)
    exported = tmp_path / "desk.json"
    exported.write_text(export_text(db, now))
    report = import_file(str(tmp_path / "restored.db"), exported, frozen_clock(now))
    assert report.counts.added > 0


def test_a_new_name_an_archived_formula_would_read_otherwise_is_refused(
    db, me, funnel, one_sentence
):
    doubled = add_measurable(db, "Doubled", me, "number", ">=", 1, formula="won * 2", from_week=W45)
    archive_measurable(db, doubled)
    archive_measurable(db, funnel["Conversion"])
    with pytest.raises(InputError) as refused:
        rename(db, funnel["Won"], "2", me)  # "2 * 2" would read the measurable twice
    assert str(refused.value) == (
        "Won is used in the formula of the archived measurable Doubled, where 2 would not "
        "read as that one measurable; choose another name."
    )
    assert one_sentence(str(refused.value))
    assert stored(db)["Doubled"] == "won * 2" and "Won" in stored(db)
