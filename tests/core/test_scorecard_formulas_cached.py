"""A scorecard parses each formula once, not once per cell (issue 13): the formulas'
text is read with a regex per measurable name, which on 100 measurables and 13 weeks
was thousands of compilations a redraw."""

from __future__ import annotations

from dataclasses import replace

import pytest
from demo_files import demo_copy

from ceodesk.core.domain.scorecard import formulas, scorecard, scorecard_rows, trend, views
from ceodesk.core.kernel.dates import shift_week, week_key
from ceodesk.core.store.db import open_database


@pytest.fixture
def demo_db(tmp_path, now):
    path = demo_copy(tmp_path / "demo.db", now)
    db = open_database(path)
    yield db
    db.close()


def test_a_redraw_parses_no_formula_again(demo_db, now, monkeypatch) -> None:
    week = shift_week(week_key(now.date()), -1)
    first = scorecard(demo_db, week)
    parsed: list[str] = []
    original = formulas._substitute

    def counting(formula, names):
        parsed.append(formula)
        return original(formula, names)

    monkeypatch.setattr(formulas, "_substitute", counting)
    formulas._parsed.cache_clear()
    again = scorecard(demo_db, week)
    computed = [row for row in again.rows if row.computed]
    assert computed, "the demo has a formula measurable"
    # Once to check it against every name, once to evaluate it: not once per week.
    assert len(parsed) <= 2 * len(computed)
    assert again == first
    parsed.clear()
    assert scorecard(demo_db, week) == first
    assert parsed == []


def test_the_trend_of_a_typed_measurable_computes_no_formula(demo_db, now, monkeypatch) -> None:
    week = shift_week(week_key(now.date()), -1)
    rows = {row.name: row for row in scorecard(demo_db, week).rows}
    computed: list[str] = []
    original = views.evaluate_formula

    def counting(formula, values):
        computed.append(formula)
        return original(formula, values)

    monkeypatch.setattr(views, "evaluate_formula", counting)
    points = trend(demo_db, rows["Leads"].id, week)
    assert len(points) == 52 and computed == []
    assert points[-1].value == rows["Leads"].cells[-1].value
    conversion = trend(demo_db, rows["Conversion"].id, week)
    assert len(computed) == 52  # its own formula, once a week, and nothing else
    assert conversion[-1].value == rows["Conversion"].cells[-1].value


def test_the_rows_a_value_changes_are_its_own_and_the_formulas_using_it(demo_db, now) -> None:
    week = shift_week(week_key(now.date()), -1)
    view = scorecard(demo_db, week, open_week=week_key(now.date()))
    by_id = {row.id: row for row in view.rows}
    by_name = {row.name: row for row in view.rows}
    for row in view.rows:
        rows = scorecard_rows(demo_db, week, [row.id], open_week=week_key(now.date()))
        expected = {row.id}
        if row.name in ("Won", "Leads"):
            expected.add(by_name["Conversion"].id)
        assert set(rows) == expected, row.name
        assert all(rows[i] == by_id[i] for i in rows), row.name
    assert view.with_rows({}) == view
    changed = replace(by_name["Won"], name="Won!")
    assert view.with_rows({changed.id: changed}).rows == tuple(
        changed if r.id == changed.id else r for r in view.rows
    )
