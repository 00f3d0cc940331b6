"""Scorecard: units, goals, grades, formulas, aggregates, goal history, the grid, templates."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceodesk.core.domain.people import list_people, rename_person
from ceodesk.core.domain.scorecard import (
    OPERATORS,
    TEMPLATES,
    UNITS,
    add_measurable,
    add_template,
    archive_measurable,
    average,
    check_formula,
    clear_value,
    combine_weeks,
    consecutive_off_goal,
    default_combine,
    edit_measurable,
    evaluate_formula,
    format_value,
    grade,
    is_on_goal,
    move_measurable,
    parse_value,
    record_value,
    scorecard,
    set_goal,
    total,
    trend,
)
from ceodesk.core.kernel.dates import shift_week
from ceodesk.core.kernel.errors import InputError, NotFoundError

W48 = "2026-W48"


@pytest.fixture
def me(db) -> int:
    return list_people(db)[0].id


def row(db, name: str, end_week: str = W48, weeks: int = 13):
    return next(r for r in scorecard(db, end_week, weeks).rows if r.name == name)


# ------------------------------------------------------------------ operators


@pytest.mark.parametrize(
    ("value", "operator", "expected"),
    [
        (25, ">=", True),
        (24.9, ">=", False),
        (25, ">", False),
        (25.1, ">", True),
        (180, "<=", True),
        (180.5, "<=", False),
        (180, "<", False),
        (179, "<", True),
    ],
)
def test_comparison_operators(value, operator, expected):
    goal = 180 if "<" in operator else 25
    assert is_on_goal(value, operator, goal) is expected


def test_equals_tolerates_float_noise():
    assert is_on_goal(0.1 + 0.2, "=", 0.3)
    assert not is_on_goal(1, "=", 0)


@pytest.mark.parametrize(
    ("value", "expected"), [(92, True), (97, True), (94.5, True), (91.99, False), (97.01, False)]
)
def test_between_includes_both_bounds(value, expected):
    assert is_on_goal(value, "between", 92, 97) is expected


def test_an_unknown_operator_is_refused(one_sentence):
    with pytest.raises(InputError) as err:
        is_on_goal(1, "~", 1)
    assert one_sentence(str(err.value))


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.sampled_from(OPERATORS))
def test_without_tolerance_grade_is_on_or_off_target(value, goal, operator):
    expected = "on target" if is_on_goal(value, operator, goal, goal + 5) else "off target"
    assert grade(value, operator, goal, goal + 5) == expected


@pytest.mark.parametrize(
    ("value", "operator", "expected"),
    [
        (111, ">=", "exceeds"),
        (110, ">=", "on target"),
        (100, ">=", "on target"),
        (95, ">=", "slightly behind"),
        (90, ">=", "slightly behind"),
        (89, ">=", "off target"),
        (89, "<=", "exceeds"),
        (100, "<=", "on target"),
        (105, "<=", "slightly behind"),
        (111, "<=", "off target"),
        (100, "=", "on target"),
        (95, "=", "slightly behind"),
        (120, "=", "off target"),
    ],
)
def test_tolerance_grades(value, operator, expected):
    assert grade(value, operator, 100, None, 0.1) == expected


def test_between_with_tolerance_never_exceeds():
    assert grade(95, "between", 92, 97, 0.1) == "on target"
    assert grade(99, "between", 92, 97, 0.1) == "slightly behind"
    assert grade(80, "between", 92, 97, 0.1) == "off target"


# ---------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("12000", "number", 12000),
        ("12k", "number", 12000),
        ("12K", "number", 12000),
        ("1.5m", "number", 1_500_000),
        ("12,000", "number", 12000),
        ("-3", "number", -3),
        ("$12,000", "currency", 12000),
        ("$12.4k", "currency", 12400),
        ("-$1,200", "currency", -1200),
        ("38%", "percent", 38),
        ("38", "percent", 38),
        ("92.5 %", "percent", 92.5),
        ("y", "yesno", 1),
        ("Yes", "yesno", 1),
        ("n", "yesno", 0),
        ("no", "yesno", 0),
        ("1h30", "duration", 90),
        ("1h 30m", "duration", 90),
        ("90m", "duration", 90),
        ("1:30", "duration", 90),
        ("2h", "duration", 120),
        ("1.5h", "duration", 90),
        ("45", "duration", 45),
    ],
)
def test_typed_values_are_read_by_unit(text, unit, expected):
    assert parse_value(text, unit) == expected


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("abc", "number"),
        ("", "number"),
        ("12kk", "number"),
        ("1,2,3", "number"),
        ("$12", "number"),
        ("12%", "currency"),
        ("nan", "number"),
        ("inf", "currency"),
        ("1e400", "number"),
        ("12k", "percent"),
        ("maybe", "yesno"),
        ("1h75", "duration"),
        ("soon", "duration"),
        ("-5m", "duration"),
        ("99999999999999b", "number"),
    ],
)
def test_bad_values_are_refused_in_one_sentence(text, unit, one_sentence):
    with pytest.raises(InputError) as err:
        parse_value(text, unit)
    assert one_sentence(str(err.value))


def test_the_error_names_the_value_and_the_units_examples():
    with pytest.raises(
        InputError, match=re.escape("“abc” is not a number like 12000, 12k or $12,000.")
    ):
        parse_value("abc", "currency")
    with pytest.raises(InputError, match="1h30"):
        parse_value("abc", "duration")


@given(st.text(max_size=20), st.sampled_from(UNITS))
def test_parsing_anything_is_a_finite_number_or_an_input_error(text, unit):
    try:
        value = parse_value(text, unit)
    except InputError:
        return
    assert math.isfinite(value)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (12000, "number", "12k"),
        (9500, "number", "9,500"),
        (12.5, "number", "12.5"),
        (1_500_000, "number", "1.5m"),
        (12400, "currency", "$12.4k"),
        (180, "currency", "$180"),
        (-1200, "currency", "-$1,200"),
        (38, "percent", "38%"),
        (92.5, "percent", "92.5%"),
        (1, "yesno", "yes"),
        (0, "yesno", "no"),
        (90, "duration", "1h30"),
        (45, "duration", "45m"),
        (0, "number", "0"),
        (-0.001, "number", "0"),
    ],
)
def test_values_are_shown_by_unit(value, unit, shown):
    assert format_value(value, unit) == shown


def _shown_precision(value: float, unit: str) -> float:
    """Half the last place the format shows."""
    if unit == "duration":
        return 0.5
    if unit == "percent":
        return 0.05
    size = abs(value)
    if size < 10_000:
        return 0.005
    divisor = 1e9 if size >= 1e9 else 1e6 if size >= 1e6 else 1e3
    return 0.05 * divisor


@given(
    st.floats(-1e11, 1e11, allow_nan=False, allow_infinity=False),
    st.sampled_from(["number", "currency", "percent"]),
)
def test_format_then_parse_is_within_the_shown_rounding(value, unit):
    back = parse_value(format_value(value, unit), unit)
    assert abs(back - value) <= _shown_precision(value, unit) * (1 + 1e-9) + 1e-9


@given(st.integers(-9999, 9999), st.sampled_from(["number", "currency"]))
def test_small_integers_round_trip_exactly(value, unit):
    assert parse_value(format_value(value, unit), unit) == value


@given(st.integers(0, 100_000))
def test_duration_minutes_round_trip_exactly(minutes):
    assert parse_value(format_value(minutes, "duration"), "duration") == minutes


@given(st.sampled_from([0.0, 1.0]))
def test_yes_no_round_trips_exactly(value):
    assert parse_value(format_value(value, "yesno"), "yesno") == value


# ------------------------------------------------------------------ aggregates


def test_average_and_total_ignore_empty_weeks():
    weeks = [10, None, 20, None, 30]
    assert average(weeks, "number") == 20
    assert total(weeks, "number") == 60
    assert total(weeks, "currency") == 60
    assert total([30, None, 45], "duration") == 75


def test_percent_and_yes_no_have_no_total():
    assert total([40, 50], "percent") is None
    assert average([40, 50], "percent") == 45
    assert total([1, 0, 1, 1], "yesno") is None
    assert average([1, 0, 1, 1], "yesno") == 0.75


def test_all_empty_weeks_have_no_average_or_total():
    assert average([None, None], "number") is None
    assert total([None, None], "number") is None
    assert average([], "currency") is None


def test_weeks_combine_by_sum_average_or_last():
    weeks = [44, None, 43, 49, None]
    assert combine_weeks("sum", weeks) == 136
    assert combine_weeks("average", weeks) == pytest.approx(136 / 3)
    assert combine_weeks("last", weeks) == 49
    assert combine_weeks("avg", weeks) == combine_weeks("average", weeks)
    for rule in ("sum", "average", "last"):
        assert combine_weeks(rule, [None, None]) is None
        assert combine_weeks(rule, []) is None


def test_an_unknown_combine_rule_is_one_sentence(one_sentence):
    with pytest.raises(InputError) as err:
        combine_weeks("median", [1, 2])
    one_sentence(str(err.value))
    assert "sum, average or last" in str(err.value)


_WEEKS = st.lists(
    st.one_of(st.none(), st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)),
    max_size=60,
)


@given(_WEEKS)
def test_combined_weeks_stay_within_what_was_recorded(weeks):
    present = [v for v in weeks if v is not None]
    if not present:
        assert all(combine_weeks(rule, weeks) is None for rule in ("sum", "average", "last"))
        return
    low, high = min(present), max(present)
    mean = combine_weeks("average", weeks)
    assert low - 1e-6 <= mean <= high + 1e-6
    assert combine_weeks("last", weeks) == present[-1]
    assert combine_weeks("sum", weeks) == pytest.approx(math.fsum(present), abs=1e-6)
    # Empty weeks never change the result.
    for rule in ("sum", "average", "last"):
        assert combine_weeks(rule, weeks) == combine_weeks(rule, present)


@pytest.mark.parametrize(
    ("unit", "formula", "rule"),
    [
        ("number", None, "sum"),
        ("currency", None, "sum"),
        ("percent", None, "average"),
        ("yesno", None, "average"),
        ("duration", None, "average"),
        ("number", "won / leads", "average"),
    ],
)
def test_weeks_combine_by_default_as_the_unit_suggests(unit, formula, rule):
    assert default_combine(unit, formula) == rule


def test_the_total_follows_how_the_measurable_combines(db, me):
    nps = add_measurable(db, "NPS", me, "number", ">=", 40, combine="average", from_week=W48)
    leads = add_measurable(db, "Leads", me, "number", ">=", 40, from_week=W48)
    response = add_measurable(db, "Response", me, "duration", "<=", 120, from_week=W48)
    for back, text in enumerate(["44", "46", "48"]):
        week = shift_week(W48, back - 2)
        for measurable in (nps, leads):
            record_value(db, measurable, week, text)
        record_value(db, response, week, "1h30")
    assert row(db, "NPS").combine == "average" and row(db, "NPS").total_text == ""
    assert row(db, "NPS").average_text == "46"
    assert row(db, "Leads").combine == "sum" and row(db, "Leads").total_text == "138"
    assert row(db, "Response").combine == "average" and row(db, "Response").total_text == ""
    edit = row(db, "Leads")
    edit_measurable(
        db,
        leads,
        name=edit.name,
        owner_id=me,
        perspective=None,
        leading=False,
        goal_id=None,
        definition="",
        tolerance=None,
        combine="last",
    )
    assert row(db, "Leads").combine == "last" and row(db, "Leads").total_text == ""


# --------------------------------------------------------------------- formulas


def test_formula_evaluates_from_the_same_weeks_values():
    assert evaluate_formula("won / leads", {"Won": 3, "Leads": 12}) == 0.25
    assert evaluate_formula("(a + b) * 2 - -1", {"a": 1, "b": 2}) == 7
    assert evaluate_formula("Revenue invoiced / won", {"won": 4, "revenue invoiced": 10}) == 2.5
    assert evaluate_formula("revenue_invoiced / 2", {"Revenue invoiced": 10}) == 5


def test_missing_input_or_division_by_zero_is_empty_not_zero():
    assert evaluate_formula("won / leads", {"won": 3, "leads": None}) is None
    assert evaluate_formula("won / leads", {"won": 3, "leads": 0}) is None
    assert evaluate_formula("won / (leads - leads)", {"won": 3, "leads": 2}) is None


@pytest.mark.parametrize(
    "formula",
    ["won / ", "won ** 2", "won // leads", "__import__('os')", "won if leads else 1", "", "2 + 3"],
)
def test_bad_formulas_are_refused_at_definition(formula, one_sentence):
    with pytest.raises(InputError) as err:
        check_formula(formula, ["won", "leads"])
    assert one_sentence(str(err.value))


def test_an_unknown_name_in_a_formula_is_named():
    with pytest.raises(
        InputError, match=re.escape("“customers” in the formula is not a measurable.")
    ):
        check_formula("revenue / customers", ["revenue"])
    assert check_formula("Won / Leads", ["leads", "won"]) == ("won", "leads")


# ----------------------------------------------------------------- 3-week rule


def test_three_weeks_off_goal_running_counts_from_the_end():
    assert consecutive_off_goal([True, False, False, False]) == 3
    assert consecutive_off_goal([False, False, True]) == 0
    assert consecutive_off_goal([False, None, False, False]) == 2
    assert consecutive_off_goal([]) == 0


def test_a_measurable_off_goal_three_weeks_running_is_proposed_as_an_issue(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week="2026-W40")
    for back, value in enumerate(["30", "20", "10"]):
        record_value(db, leads, shift_week(W48, -3 + back), value)
    assert not row(db, "Leads", shift_week(W48, -1)).propose_as_issue
    record_value(db, leads, W48, "24")
    shown = row(db, "Leads")
    assert shown.off_goal_weeks == 3
    assert shown.propose_as_issue


def test_the_week_in_progress_does_not_end_an_off_goal_run(db, me):
    won = add_measurable(db, "Won", me, "number", ">=", 4, from_week="2026-W40")
    for back in (3, 2, 1):
        record_value(db, won, shift_week(W48, -back), "1")
    this_week = next(r for r in scorecard(db, W48, open_week=W48).rows if r.name == "Won")
    assert this_week.off_goal_weeks == 3 and this_week.propose_as_issue
    # A past week left empty still ends the run.
    assert not row(db, "Won").propose_as_issue
    record_value(db, won, W48, "9")  # this week is in and on goal: the run is over
    assert not next(r for r in scorecard(db, W48, open_week=W48).rows).propose_as_issue


# -------------------------------------------------------------- the database


def test_a_new_measurable_appears_with_its_goal_and_empty_weeks(db, me):
    add_measurable(
        db, "Cost per hire", me, "currency", "<=", 180, perspective="financial", from_week=W48
    )
    shown = row(db, "Cost per hire")
    assert shown.goal_text == "<= $180"
    assert shown.owner == list_people(db)[0].name
    assert len(shown.cells) == 13 and shown.cells[-1].week == W48
    assert all(c.value is None and c.formatted == "" for c in shown.cells)
    assert shown.on_goal_text == "0/0" and shown.average is None


def test_the_scorecard_grid_shows_values_grades_average_total_and_on_goal_count(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week="2026-W30")
    for back, text in enumerate(["30", "20", "25", "12k"]):
        record_value(db, leads, shift_week(W48, back - 3), text)
    shown = row(db, "Leads")
    assert [c.formatted for c in shown.cells[-4:]] == ["30", "20", "25", "12k"]
    assert [c.on_goal for c in shown.cells[-4:]] == [True, False, True, True]
    assert [c.grade for c in shown.cells[-4:]] == ["on target", "off target"] + ["on target"] * 2
    assert shown.on_goal == (3, 4) and shown.on_goal_text == "3/4"
    assert shown.total == 12075 and shown.total_text == "12.1k"
    assert shown.average == 12075 / 4


def test_between_goal_text_and_percent_row(db, me):
    rate = add_measurable(db, "On-time delivery", me, "percent", "between", 92, 97, from_week=W48)
    record_value(db, rate, W48, "97%")
    shown = row(db, "On-time delivery")
    assert shown.goal_text == "between 92%\u201397%"
    assert shown.cells[-1].on_goal is True
    assert shown.total is None and shown.average_text == "97%"


def test_measurables_are_grouped_by_perspective_then_none(db, me):
    add_measurable(db, "No perspective", me, "number", ">=", 1, from_week=W48)
    add_measurable(
        db, "Growth", me, "number", ">=", 1, perspective="learning and growth", from_week=W48
    )
    add_measurable(db, "Revenue", me, "currency", ">=", 1, perspective="financial", from_week=W48)
    add_measurable(db, "NPS", me, "number", ">=", 1, perspective="Customer", from_week=W48)
    view = scorecard(db, W48)
    assert [g.perspective for g in view.groups] == [
        "financial",
        "customer",
        "learning and growth",
        None,
    ]
    assert [r.name for r in view.rows] == ["Revenue", "NPS", "Growth", "No perspective"]
    assert view.warnings  # 4 is fewer than 5 measurables


def test_a_goal_change_applies_from_its_week_onward(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 20, from_week="2026-W40")
    set_goal(db, leads, ">=", 30, None, "2026-W45")
    for week in ("2026-W44", "2026-W45", "2026-W46"):
        record_value(db, leads, week, "25")
    cells = {c.week: c for c in row(db, "Leads").cells}
    assert cells["2026-W44"].on_goal is True  # the old goal of 20
    assert cells["2026-W45"].on_goal is False  # the new goal of 30
    assert cells["2026-W46"].on_goal is False
    assert row(db, "Leads").goal_text == ">= 30"
    assert row(db, "Leads", "2026-W44").goal_text == ">= 20"
    points = {p.week: p for p in trend(db, leads, W48, 52)}
    assert points["2026-W44"].goal == 20 and points["2026-W45"].goal == 30
    assert points["2026-W45"].value == 25 and points["2026-W47"].value is None
    assert len(points) == 52


def test_weeks_before_the_first_goal_use_the_first_goal(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 20, from_week=W48)
    record_value(db, leads, "2026-W40", "25")
    assert {c.week: c.on_goal for c in row(db, "Leads").cells}["2026-W40"] is True


def test_a_formula_row_is_computed_per_week_and_empty_without_inputs(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 10, from_week="2026-W40")
    won = add_measurable(db, "Won", me, "number", ">=", 2, from_week="2026-W40")
    add_measurable(
        db, "Conversion", me, "percent", ">=", 20, formula="won / leads", from_week="2026-W40"
    )
    record_value(db, leads, "2026-W46", "20")
    record_value(db, won, "2026-W46", "5")
    record_value(db, leads, "2026-W47", "0")
    record_value(db, won, "2026-W47", "0")
    record_value(db, won, W48, "3")
    cells = {c.week: c for c in row(db, "Conversion").cells}
    assert cells["2026-W46"].value == 25 and cells["2026-W46"].formatted == "25%"
    assert cells["2026-W46"].on_goal is True
    assert cells["2026-W47"].value is None  # division by zero: empty, not 0
    assert cells[W48].value is None  # no leads recorded
    assert row(db, "Conversion").computed


def test_a_formula_measurable_cannot_be_typed(db, me, one_sentence):
    add_measurable(db, "Leads", me, "number", ">=", 10, from_week=W48)
    add_measurable(db, "Won", me, "number", ">=", 2, from_week=W48)
    conversion = add_measurable(
        db, "Conversion", me, "percent", ">=", 20, formula="Won / Leads", from_week=W48
    )
    with pytest.raises(InputError) as err:
        record_value(db, conversion, W48, "30")
    assert str(err.value) == "Conversion is computed from Won and Leads; it cannot be typed."
    assert one_sentence(str(err.value))


def test_a_formula_over_unknown_measurables_is_refused(db, me):
    with pytest.raises(InputError, match="“revenue” in the formula"):
        add_measurable(
            db,
            "Per customer",
            me,
            "currency",
            ">=",
            1,
            formula="revenue / customers",
            from_week=W48,
        )
    assert scorecard(db, W48).rows == ()


def test_bad_measurables_are_refused(db, me, one_sentence):
    add_measurable(db, "Leads", me, "number", ">=", 1, from_week=W48)
    cases = [
        dict(name="leads"),
        dict(name="  "),
        dict(unit="money"),
        dict(operator="~"),
        dict(operator="between", goal=10, goal_high=5),
        dict(operator="between", goal_high=None),
        dict(perspective="vibes"),
        dict(tolerance=-0.1),
        dict(goal=math.nan),
        dict(from_week="2025-W53"),
    ]
    for case in cases:
        args = dict(name="New", unit="number", operator=">=", goal=1, goal_high=None)
        args.update({k: v for k, v in case.items() if k in args})
        extra = {k: v for k, v in case.items() if k not in args}
        with pytest.raises(InputError) as err:
            add_measurable(
                db,
                args["name"],
                me,
                args["unit"],
                args["operator"],
                args["goal"],
                args["goal_high"],
                from_week=extra.pop("from_week", W48),
                **extra,
            )
        assert one_sentence(str(err.value)), case
    with pytest.raises(NotFoundError):
        add_measurable(db, "New", 999, "number", ">=", 1, from_week=W48)


def test_record_value_refuses_bad_text_and_stores_nothing(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week=W48)
    with pytest.raises(InputError, match="“abc”"):
        record_value(db, leads, W48, "abc")
    assert row(db, "Leads").cells[-1].value is None
    assert record_value(db, leads, W48, "12k") == 12000


def test_record_value_is_one_undoable_action(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week=W48)
    record_value(db, leads, W48, "30")
    record_value(db, leads, W48, "40")
    assert row(db, "Leads").cells[-1].value == 40
    assert db.undo().startswith("Recorded Leads")
    assert row(db, "Leads").cells[-1].value == 30
    db.undo()
    assert row(db, "Leads").cells[-1].value is None
    db.redo()
    assert row(db, "Leads").cells[-1].value == 30


def test_clearing_a_cell_is_undoable(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week=W48)
    record_value(db, leads, W48, "30")
    clear_value(db, leads, W48)
    assert row(db, "Leads").cells[-1].value is None
    db.undo()
    assert row(db, "Leads").cells[-1].value == 30


def test_archiving_hides_the_row_and_keeps_history(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week=W48)
    record_value(db, leads, W48, "30")
    archive_measurable(db, leads)
    assert scorecard(db, W48).rows == ()
    assert trend(db, leads, W48, 1)[0].value == 30
    with pytest.raises(NotFoundError):
        record_value(db, leads, W48, "1")
    add_measurable(db, "Leads", me, "number", ">=", 25, from_week=W48)  # the name is free again


def test_reordering_moves_within_the_perspective_group(db, me):
    for name in ("A", "B", "C"):
        add_measurable(db, name, me, "number", ">=", 1, from_week=W48)
    c = row(db, "C").id
    assert move_measurable(db, c, -1)
    assert [r.name for r in scorecard(db, W48).rows] == ["A", "C", "B"]
    assert move_measurable(db, c, -5)
    assert [r.name for r in scorecard(db, W48).rows] == ["C", "A", "B"]
    assert not move_measurable(db, c, -1)
    db.undo()
    assert [r.name for r in scorecard(db, W48).rows] == ["A", "C", "B"]


# ------------------------------------------------------------ ISO year ends


def test_a_13_week_window_across_the_2026_2027_year_end(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week="2026-W40")
    record_value(db, leads, "2026-W53", "30")
    record_value(db, leads, "2027-W01", "20")
    view = scorecard(db, "2027-W05")
    assert view.weeks[0] == "2026-W46"  # W46..W53 and W01..W05
    assert view.weeks[-1] == "2027-W05"
    assert "2026-W53" in view.weeks and len(set(view.weeks)) == 13
    cells = {c.week: c for c in view.rows[0].cells}
    assert cells["2026-W53"].value == 30 and cells["2027-W01"].on_goal is False


def test_week_keys_are_stored_in_one_spelling(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week="2026-w5")
    record_value(db, leads, "2026-w48", "30")
    assert row(db, "Leads").cells[-1].value == 30
    with pytest.raises(InputError):
        record_value(db, leads, "2025-W53", "30")


# -------------------------------------------------------------------- templates


def test_templates_hold_the_named_measurables():
    assert [m.name for m in TEMPLATES["sales funnel relay"]] == [
        "Leads",
        "Opportunities",
        "Proposals",
        "Won",
        "Conversion",
        "Revenue invoiced",
    ]
    assert len(TEMPLATES["balanced scorecard for sales"]) == 5
    assert [m.name for m in TEMPLATES["marketing"]] == [
        "Cost per lead",
        "Return on ad spend",
        "Acquisition cost",
    ]


def test_adding_a_template_is_one_step_and_skips_existing_names(db, me):
    add_measurable(db, "leads", me, "number", ">=", 99, from_week=W48)
    assert add_template(db, "Sales funnel relay", me, W48) == 5
    names = [r.name for r in scorecard(db, W48).rows]
    assert sorted(names) == sorted(
        ["leads", "Opportunities", "Proposals", "Won", "Conversion", "Revenue invoiced"]
    )
    assert row(db, "Conversion").formula == "Won / Leads"
    assert add_template(db, "balanced scorecard for sales", me, W48) == 5
    assert add_template(db, "marketing", me, W48) == 2  # acquisition cost exists
    db.undo()
    assert "Cost per lead" not in [r.name for r in scorecard(db, W48).rows]
    with pytest.raises(NotFoundError):
        add_template(db, "astrology", me, W48)


def test_editing_a_measurable_keeps_its_history_and_its_formulas(db, me):
    owner = me
    leads = add_measurable(db, "Leads", owner, "number", ">=", 40, from_week="2026-W40")
    won = add_measurable(db, "Won", owner, "number", ">=", 3, from_week="2026-W40")
    add_measurable(
        db, "Conversion", owner, "percent", ">=", 7, formula="won / leads", from_week="2026-W40"
    )
    record_value(db, won, "2026-W45", "4")
    edit_measurable(
        db,
        won,
        name="Deals won",
        owner_id=owner,
        perspective=None,
        leading=False,
        goal_id=None,
        definition="",
        tolerance=None,
    )
    conversion = next(r for r in scorecard(db, "2026-W45").rows if r.name == "Conversion")
    assert conversion.formula == "Deals won / leads"
    edit_measurable(
        db,
        leads,
        name="Leads",
        owner_id=owner,
        perspective="cust",
        leading=True,
        goal_id=None,
        definition="Inbound forms",
        tolerance=0.1,
    )
    row = next(r for r in scorecard(db, "2026-W45").rows if r.id == leads)
    assert (row.perspective, row.leading, row.tolerance) == ("customer", True, 0.1)
    assert next(r for r in scorecard(db, "2026-W45").rows if r.id == won).cells[-1].value == 4


def test_a_goal_reads_its_operator_and_values_in_the_unit() -> None:
    from ceodesk.core.domain.scorecard import parse_goal

    assert parse_goal(">= 25", "number") == (">=", 25, None)
    assert parse_goal("<= $180k", "currency") == ("<=", 180_000, None)
    assert parse_goal("between 92% 97%", "percent") == ("between", 92, 97)
    assert parse_goal("BETWEEN 92% - 97%", "percent") == ("between", 92, 97)
    with pytest.raises(InputError, match="is not a goal like"):
        parse_goal("about 25", "number")
    with pytest.raises(InputError, match="needs two values"):
        parse_goal("between 92%", "percent")


def test_clearing_an_empty_week_records_no_undo_step(db, me):
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week=W48)
    record_value(db, leads, W48, "30")
    assert clear_value(db, leads, W48) is True
    assert clear_value(db, leads, W48) is False  # already empty
    assert db.undo().startswith("Cleared Leads")  # the clear that did something
    assert row(db, "Leads").cells[-1].value == 30


def test_a_grid_read_again_keeps_exactly_the_rows_whose_data_did_not_change(db, me):
    """``reuse``: a row read from the same data is the earlier row itself (nothing built
    again); any change to what a row shows (a value, a formula's input, a goal, a name,
    the owner's name) builds it anew, and the grid always equals one read afresh."""
    start = "2026-W40"
    leads = add_measurable(db, "Leads", me, "number", ">=", 25, from_week=start)
    won = add_measurable(db, "Won", me, "number", ">=", 5, from_week=start)
    add_measurable(
        db, "Conversion", me, "percent", ">=", 20, formula="won / leads", from_week=start
    )
    nps = add_measurable(db, "NPS", me, "number", ">=", 50, from_week=start)
    for measurable, typed in [(leads, "40"), (won, "10"), (nps, "60")]:
        record_value(db, measurable, W48, typed)
    view = scorecard(db, W48)
    again = scorecard(db, W48, reuse=view)
    assert again == view and all(a is b for a, b in zip(view.rows, again.rows, strict=True))

    def rename(measurable: int, name: str) -> None:
        old = next(r for r in scorecard(db, W48).rows if r.id == measurable)
        edit_measurable(
            db,
            measurable,
            name=name,
            owner_id=me,
            perspective=old.perspective,
            leading=old.leading,
            goal_id=old.goal_id,
            definition=old.definition,
            tolerance=old.tolerance,
        )

    everyone = {"Leads", "Won", "Conversion", "Net promoter score"}
    changes = [
        (lambda: record_value(db, won, W48, "12"), {"Won", "Conversion"}),
        (lambda: clear_value(db, leads, W48), {"Leads", "Conversion"}),
        (lambda: set_goal(db, nps, ">=", 70, None, W48), {"NPS"}),
        (lambda: rename(nps, "Net promoter score"), {"Net promoter score"}),
        (lambda: rename_person(db, me, "Robin Vega"), everyone),
        (lambda: record_value(db, leads, shift_week(W48, -12), "9"), {"Leads", "Conversion"}),
        (lambda: record_value(db, leads, shift_week(W48, -13), "9"), set()),  # not shown
    ]
    for change, rebuilt in changes:
        before = scorecard(db, W48)
        change()
        reused = scorecard(db, W48, reuse=before)
        assert reused == scorecard(db, W48)
        new = {r.name for r in reused.rows if not any(r is old for old in before.rows)}
        assert new == rebuilt
