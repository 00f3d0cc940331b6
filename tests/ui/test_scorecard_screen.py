"""The scorecard (key 4) driven with the real keys, on the demo's 26 weeks of history."""

from __future__ import annotations

import html
import re

import pytest
from form_support import fill
from textual import events
from textual.widgets import DataTable, Input
from ui_support import FROZEN_NOW, patience, settled, shown_text, typed_at_once, until

from ceodesk.core.domain.scorecard import scorecard
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.form import FormScreen
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.screens.scorecard import ScorecardScreen
from ceodesk.ui.screens.trend import TrendScreen

THIS_WEEK, LAST_WEEK = "2026-W48", "2026-W47"


def row(app: CeodeskApp, name: str, week: str = THIS_WEEK):
    return next(r for r in scorecard(app.db, week).rows if r.name == name)


def value(app: CeodeskApp, name: str, week: str) -> float | None:
    return next(c.value for c in row(app, name, week).cells if c.week == week)


async def open_scorecard(pilot) -> None:
    await pilot.press("4")
    await pilot.pause()


async def test_key_4_shows_13_weeks_ending_last_week_with_flags(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        assert "13 weeks to 2026-W47" in shown_text(app.screen.query_one("#topbar"))
        view = app.screen.view
        assert view.end_week == LAST_WEEK and len(view.weeks) == 13
        flagged = [r.name for r in view.rows if r.propose_as_issue]
        assert len(flagged) == 1
        table = app.screen.query_one(DataTable)
        names = [str(table.get_row_at(i)[1]).strip() for i in range(table.row_count)]
        assert any(n.startswith(f"⚑ {flagged[0][:12]}") for n in names)
        assert any("Financial" in n for n in names)


async def test_a_whole_week_is_one_value_and_one_enter_per_row(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        await pilot.press("h")  # show this week: the cursor goes to its (empty) column
        assert app.screen.view.end_week == THIS_WEEK
        await pilot.press("e")
        typed = [r for r in app.screen.view.rows if not r.computed]
        entries = {
            "currency": "$260k",
            "number": "12k",
            "percent": "38%",
            "yesno": "y",
            "duration": "1h30",
        }
        for index, measurable in enumerate(typed):
            field = app.screen.query_one("#entry-input", Input)
            assert field.has_focus
            if index == 0:  # a bad value first: an inline error, nothing stored
                await pilot.press(*"abc", "enter")
                assert "is not" in str(app.screen.query_one("#entry-error").render())
                assert value(app, measurable.name, THIS_WEEK) is None
                field.value = ""
            await pilot.press(*entries[measurable.unit], "enter")
        assert not app.screen.query_one("#entry-bar").has_class("visible")
        for measurable in typed:
            assert value(app, measurable.name, THIS_WEEK) is not None, measurable.name
        leads, won = value(app, "Leads", THIS_WEEK), value(app, "Won", THIS_WEEK)
        assert value(app, "Conversion", THIS_WEEK) == won / leads * 100


async def test_x_clears_a_cell_and_u_brings_it_back(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        first = app.screen.view.rows[0]
        before = value(app, first.name, LAST_WEEK)
        assert before is not None
        await pilot.press("x")
        assert value(app, first.name, LAST_WEEK) is None
        await pilot.press("u")
        assert value(app, first.name, LAST_WEEK) == before


async def test_n_adds_a_measurable_with_a_between_goal(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen)
        await fill(
            pilot,
            [
                ("name", "Gross margin"),
                ("owner", "sam"),
                ("unit", "percent"),
                ("goal", "between 72% 80%"),
                ("perspective", "fin"),
            ],
        )
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ScorecardScreen)
        added = row(app, "Gross margin", LAST_WEEK)
        assert added.goal_text.startswith("between 72%") and added.perspective == "financial"


async def test_a_template_adds_its_measurables_once(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        before = len(app.screen.view.rows)
        await pilot.press("T")
        assert isinstance(app.screen, PickScreen)
        await pilot.press("3")  # marketing
        after = len(app.screen.view.rows)
        assert after > before
        await pilot.press("T", "3")
        assert len(app.screen.view.rows) == after


async def test_g_draws_the_trend_against_the_goal(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, TrendScreen)
        chart = app.screen.query_one("Static").render()
        assert "█" in str(chart) or "▇" in str(chart)
        await pilot.press("escape")
        assert isinstance(app.screen, ScorecardScreen)


async def test_shift_down_moves_a_measurable_within_its_group(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        first_group = app.screen.view.groups[0]
        first, second = first_group.rows[0].name, first_group.rows[1].name
        await pilot.press("shift+down")
        names = [r.name for r in scorecard(app.db, LAST_WEEK).groups[0].rows]
        assert names[:2] == [second, first]


async def test_a_goal_change_applies_from_a_week_onward(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        leads = row(app, "Leads", LAST_WEEK)
        earlier = leads.cells[0].week
        table = app.screen.query_one(DataTable)
        while app.screen.row_ids[table.cursor_coordinate.row] != leads.id:
            await pilot.press("j")
        await pilot.press("G")
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#f-goal", Input).value = ">= 45"
        app.screen.query_one("#f-from", Input).value = LAST_WEEK
        await pilot.press("ctrl+s")
        assert row(app, "Leads", LAST_WEEK).goal_text == ">= 45"
        assert row(app, "Leads", earlier).goal_text != ">= 45"  # history keeps its goal


async def test_enter_on_the_name_edits_the_measurable(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        first = app.screen.view.rows[0]
        table = app.screen.query_one(DataTable)
        table.move_cursor(column=1)
        await pilot.press("enter")
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#f-name", Input).value = "Revenue booked"
        app.screen.query_one("#f-tolerance", Input).value = "5%"
        await pilot.press("ctrl+s")
        edited = row(app, "Revenue booked", LAST_WEEK)
        assert edited.id == first.id and edited.tolerance == 0.05
        assert [c.value for c in edited.cells] == [c.value for c in first.cells]  # history kept


# -- entry over existing values (issue 9.2) -------------------------------------------

OVERWRITE_KEYS = ["down", "down", "down", "e", "5", "0", "enter", "6", "enter"]
OVERWRITE_KEYS += ["4", "7", "enter", "escape"]


def _send_without_waiting(app: CeodeskApp, keys: list[str]) -> None:
    """Queue every key at once, as a fast typist or tmux send-keys does."""

    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def _assert_typed_values_replaced_the_old_ones(app: CeodeskApp) -> None:
    assert not app.screen.query_one("#entry-bar").has_class("visible")
    assert value(app, "Leads", LAST_WEEK) == 50
    assert value(app, "Won", LAST_WEEK) == 6
    assert value(app, "NPS", LAST_WEEK) == 47


async def test_typing_over_old_values_stores_exactly_what_was_typed(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        assert value(app, "Won", LAST_WEEK) not in (None, 6)
        await pilot.press(*OVERWRITE_KEYS)
        await _assert_typed_values_replaced_the_old_ones(app)


async def test_typing_over_old_values_fast_stores_exactly_what_was_typed(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        _send_without_waiting(app, OVERWRITE_KEYS)
        for _ in patience(50, 1.0):  # until every queued key has been handled
            await pilot.pause()
            if value(app, "NPS", LAST_WEEK) == 47 and not app.screen.query_one(
                "#entry-bar"
            ).has_class("visible"):
                break
        await _assert_typed_values_replaced_the_old_ones(app)


async def test_enter_on_an_old_value_keeps_it(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        first = app.screen.view.rows[0]
        before = value(app, first.name, LAST_WEEK)
        await pilot.press("e")
        field = app.screen.query_one("#entry-input", Input)
        assert field.selected_text == field.value != ""
        await pilot.press("enter", "escape")
        assert value(app, first.name, LAST_WEEK) == before


async def test_showing_this_week_keeps_the_off_goal_flag(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        table = app.screen.query_one(DataTable)

        def flagged() -> list[str]:
            names = [str(table.get_row_at(i)[1]).strip() for i in range(table.row_count)]
            return [n for n in names if n.startswith("⚑")]

        before = flagged()
        assert before
        await pilot.press("h")
        assert app.screen.view.end_week == THIS_WEEK
        assert flagged() == before


async def test_a_new_measurable_says_how_its_weeks_combine(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        await pilot.press("n")
        await fill(
            pilot,
            [
                ("name", "Cash in bank"),
                ("owner", "sam"),
                ("unit", "currency"),
                ("goal", ">= $1m"),
                ("combine", "last"),
            ],
        )
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ScorecardScreen)
        assert row(app, "Cash in bank", LAST_WEEK).combine == "last"


async def test_a_bad_combine_rule_is_an_inline_error_and_nothing_is_added(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        await pilot.press("n")
        await fill(pilot, [("name", "Churn"), ("owner", "sam"), ("goal", "<= 3")])
        app.screen.query_one("#f-combine", Input).value = "median"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FormScreen)
        assert "sum, average or last" in " ".join(
            str(s.render()) for s in app.screen.query("Static")
        )
        assert all(r.name != "Churn" for r in scorecard(app.db, LAST_WEEK).rows)


async def test_editing_a_measurable_changes_how_its_weeks_combine(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        assert row(app, "Leads", LAST_WEEK).total_text
        await pilot.press("down", "down", "down")  # Leads
        table = app.screen.query_one(DataTable)
        assert "Leads" in str(table.get_row_at(table.cursor_row)[1])
        await pilot.press("home", "right", "enter")  # enter on the name edits it
        assert isinstance(app.screen, FormScreen)
        field = app.screen.query_one("#f-combine", Input)
        assert field.value == "sum"
        field.value = "average"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ScorecardScreen)
        assert row(app, "Leads", LAST_WEEK).combine == "average"
        assert row(app, "Leads", LAST_WEEK).total_text == ""


# -- layout, status glyphs (issue 9.6) ------------------------------------------------


def screen_lines(app: CeodeskApp) -> list[str]:
    """The screen as the user sees it, one string per terminal line."""
    svg = app.export_screenshot()
    lines: dict[float, list[str]] = {}
    for y, text in re.findall(r'<text[^>]*\by="([0-9.]+)"[^>]*>(.*?)</text>', svg):
        lines.setdefault(float(y), []).append(html.unescape(re.sub(r"<[^>]+>", "", text)))
    return ["".join(parts).replace("\xa0", " ") for _, parts in sorted(lines.items())]


def grid_line(app: CeodeskApp, name: str) -> str:
    return next(line for line in screen_lines(app) if f" {name}" in line)


@pytest.mark.parametrize("size", [(140, 45), (160, 45), (200, 60)])
async def test_first_open_shows_whole_names_owners_and_values(demo_db, size) -> None:
    app = CeodeskApp(demo_db, clock=frozen_clock(FROZEN_NOW))
    async with app.run_test(size=size) as pilot:
        await open_scorecard(pilot)
        revenue = grid_line(app, "Revenue invoiced")
        assert "Sam" in revenue and ">= $250k" in revenue
        leads = grid_line(app, "Leads")
        assert "Jordan" in leads and "Jorda " not in leads
        assert re.search(r"\$\d{3}k", revenue)  # whole values, not "$25"


async def test_at_140_columns_13_weeks_average_and_on_goal_fit_without_scrolling(
    week_app,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        header = next(line for line in screen_lines(app) if "Measurable" in line)
        for label in ("Owner", "Goal", "W35", "W47", "Avg", "On goal"):
            assert label in header, label
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width  # nothing to scroll to
        on_goal = row(app, "NPS", LAST_WEEK).on_goal_text
        assert on_goal in grid_line(app, "NPS")


async def test_at_80_columns_the_newest_weeks_show(week_app) -> None:
    app = week_app
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scorecard(pilot)
        header = next(line for line in screen_lines(app) if "Measurable" in line)
        assert "W47" in header and "W46" in header and "W35" not in header
        assert "Avg" in header and "On goal" in header
        assert "of 13 weeks" in shown_text(app.screen.query_one("#topbar"))
        # The cursor starts on last week, and entry goes into the week it is on.
        await pilot.press("e")
        assert LAST_WEEK in str(app.screen.query_one("#entry-label").render())


async def test_widening_the_terminal_shows_all_13_weeks(week_app) -> None:
    app = week_app
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scorecard(pilot)
        await pilot.resize_terminal(140, 45)
        await pilot.pause()
        header = next(line for line in screen_lines(app) if "Measurable" in line)
        assert "W35" in header and "W47" in header


async def test_each_status_has_its_own_glyph_in_the_grid(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        median = row(app, "Median onboarding days", LAST_WEEK)
        shown = grid_line(app, "Median onboa")
        assert median.cells[-1].grade == "off target" and shown.count("✗") >= 3
        response = row(app, "First response time", LAST_WEEK)
        if any(c.grade == "slightly behind" for c in response.cells):
            assert "~" in grid_line(app, "First respon")
        assert "✓" in grid_line(app, "NPS")


async def test_x_on_an_empty_cell_says_nothing_to_clear_and_u_undoes_the_change_before(
    week_app,
) -> None:
    """Clearing an empty week records no undo step, so it must not offer one: u still
    undoes the change made before it."""
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        first = app.screen.view.rows[0]
        before = value(app, first.name, LAST_WEEK)
        assert before is not None
        await pilot.press("e", *"7", "enter", "escape")  # a change to undo later
        await settled(pilot)
        assert value(app, first.name, LAST_WEEK) == 7
        await pilot.press("up", "x")  # the first row's week, saved above: now cleared
        await settled(pilot)
        assert value(app, first.name, LAST_WEEK) is None
        app._notifications.clear()
        await pilot.press("x")  # the same week again: it is empty
        await settled(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert messages == [f"{first.name} has no value for {LAST_WEEK}: nothing to clear."]
        assert "undo" not in messages[0]
        await pilot.press("u")  # undoes the clear, the last change made
        await settled(pilot)
        assert value(app, first.name, LAST_WEEK) == 7


async def test_x_on_a_formula_says_it_is_computed_and_clears_nothing(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_scorecard(pilot)
        screen = app.screen
        conversion = next(r for r in screen.view.rows if r.computed)
        before = value(app, conversion.name, LAST_WEEK)
        while screen.row_ids[screen.query_one(DataTable).cursor_row] != conversion.id:
            await pilot.press("down")
        app._notifications.clear()
        await pilot.press("x")
        await settled(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert messages == [f"{conversion.name} is computed from a formula: nothing to clear."]
        assert value(app, conversion.name, LAST_WEEK) == before


async def test_keys_typed_as_the_entry_opens_wait_for_the_keys_before_them(
    week_app, monkeypatch
) -> None:
    # 4 e 77 enter 88 enter 9 typed fast: e 7 7 enter 8 were held while the scorecard
    # opened and then queued on the table; 8 enter 9, typed just as e opened the field,
    # went to the field at once, ahead of the table's 7 7 enter 8: 889 was stored in
    # the second row and nothing in the third.
    app = week_app
    typed_later = ["8", "enter", "9", "enter", "escape"]
    original = ScorecardScreen._open_entry

    def open_entry(self, *args):
        original(self, *args)
        if typed_later:  # the rest, typed right now (the first time the field opens)
            typed_at_once(app, *typed_later)
            typed_later.clear()

    monkeypatch.setattr(ScorecardScreen, "_open_entry", open_entry)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        typed_at_once(app, "4", "e", "7", "7", "enter", "8")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen) and not typed_later)
        await until(pilot, lambda: not app.screen.query_one("#entry-bar").has_class("visible"))
        await settled(pilot)
        first, second, third = [r for r in app.screen.view.rows if not r.computed][:3]
        assert value(app, first.name, LAST_WEEK) == 77
        assert value(app, second.name, LAST_WEEK) == 88
        assert value(app, third.name, LAST_WEEK) == 9
