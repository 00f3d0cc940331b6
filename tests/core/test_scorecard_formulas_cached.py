"""A scorecard parses each formula once, not once per cell (issue 13): the formulas'
text is read with a regex per measurable name, which on 100 measurables and 13 weeks
was thousands of compilations a redraw."""

from __future__ import annotations

import pytest
from demo_files import demo_copy

from ceodesk.core.domain.scorecard import formulas, scorecard
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
