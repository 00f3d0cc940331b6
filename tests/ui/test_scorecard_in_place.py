"""The scorecard on five years of history (issue 13): a redraw and a save cost the same
queries as on the demo, and a saved or cleared value is drawn in place, in its cell and
in the formulas that use it, with the rest of the grid, the cursor and the scroll as
they were. Queries and cells are counted, never timed (benchmarks/run.py times them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_files import demo_copy
from test_change_feed import counted, desk_on
from textual.coordinate import Coordinate
from textual.scrollbar import ScrollBarRender
from textual.widgets import Static
from ui_support import FROZEN_NOW, settled

from ceodesk.core.demo.large import HistorySize
from ceodesk.core.domain.scorecard import ScorecardRow, record_value, scorecard
from ceodesk.core.store.db import open_database
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.scorecard import FIRST_WEEK_COLUMN, ScorecardScreen, ScorecardTable

LAST_WEEK = "2026-W47"
# Five years of a scorecard five times the demo's, and next to nothing else.
SCORECARD_HISTORY = HistorySize(
    tasks=1, blocks=1, measurables=60, weeks=260, meetings=1, issues=1, todos=1, rocks=1
)


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    """Years of scorecard history, written once per worker and copied."""
    return demo_copy(tmp_path / "history.db", FROZEN_NOW, history=SCORECARD_HISTORY)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return demo_copy(tmp_path / "demo.db", FROZEN_NOW)


async def scorecard_shown(pilot) -> tuple[ScorecardScreen, ScorecardTable]:
    await pilot.press("4")
    await settled(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ScorecardScreen)
    return screen, screen.query_one(ScorecardTable)


async def move_to(pilot, table: ScorecardTable, row: int) -> None:
    """The cursor down to ``row`` with the real key."""
    while table.cursor_row < row:
        await pilot.press("down")
    assert table.cursor_row == row


def cells(screen: ScorecardScreen, measurable_id: int) -> list[object]:
    """A measurable's cells as the grid holds them."""
    table = screen.query_one(ScorecardTable)
    return list(table.get_row_at(screen.row_ids.index(measurable_id)))


def cell_text(screen: ScorecardScreen, measurable_id: int, week: str) -> str:
    column = FIRST_WEEK_COLUMN + screen.shown_weeks.index(week)
    return str(cells(screen, measurable_id)[column]).strip()


async def scorecard_costs(path: Path) -> dict[str, int]:
    """The queries of a redraw, clearing a value (x), undoing it and saving a value."""
    app = desk_on(path)
    costs = {}
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen, _table = await scorecard_shown(pilot)
            with counted(app.db) as statements:
                screen.refresh_data()
                await settled(pilot)
            costs["redraw"] = len(statements)
            for name, keys in [("clear", ["x"]), ("undo", ["u"]), ("open entry", ["e"])]:
                with counted(app.db) as statements:
                    await pilot.press(*keys)
                    await settled(pilot)
                costs[name] = len(statements)
            await pilot.press(*"42")
            with counted(app.db) as statements:
                await pilot.press("enter")
                await settled(pilot)
            costs["save"] = len(statements)
            assert len(screen.view.rows) == len(scorecard(app.db, LAST_WEEK).rows)
    finally:
        app.db.close()
    return costs


@pytest.mark.slow
async def test_a_redraw_and_a_save_cost_the_same_queries_on_five_years(
    demo_path: Path, history_path: Path
) -> None:
    small = await scorecard_costs(demo_path)
    large = await scorecard_costs(history_path)
    assert small["redraw"] > 0 and small["save"] > 0 and small["clear"] > 0, small
    assert small["open entry"] == 0  # entry reads what the grid holds
    assert large == small


async def test_a_saved_value_shows_in_its_cell_and_its_formulas_the_rest_untouched(
    demo_path: Path,
) -> None:
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen, table = await scorecard_shown(pilot)
            by_name = {row.name: row for row in screen.view.rows}
            won, leads, conversion = by_name["Won"], by_name["Leads"], by_name["Conversion"]
            before = {m: cells(screen, m) for m in screen.row_ids if m is not None}
            await move_to(pilot, table, screen.row_ids.index(won.id))
            await pilot.press("e", *"42", "enter")
            await settled(pilot)

            assert cell_text(screen, won.id, LAST_WEEK).startswith("42")
            # ...and on screen, not only in the table's data (no scrolling at this size).
            assert table.scroll_offset.y == 0
            won_line = table.render_line(1 + screen.row_ids.index(won.id)).text
            assert f" {won.owner.split()[0]} " in won_line and "    42✓" in won_line
            leads_then = next(c.value for c in leads.cells if c.week == LAST_WEEK)
            assert leads_then
            shown = f"{round(42 / leads_then * 100, 1):g}%"
            assert cell_text(screen, conversion.id, LAST_WEEK).startswith(shown)
            conversion_line = table.render_line(1 + screen.row_ids.index(conversion.id)).text
            assert f" {shown}" in conversion_line
            last = FIRST_WEEK_COLUMN + screen.shown_weeks.index(LAST_WEEK)
            assert (
                cell_text(screen, conversion.id, LAST_WEEK)
                != str(before[conversion.id][last]).strip()
            )
            # Every other row is the very cells drawn before: nothing rebuilt.
            for measurable, drawn in before.items():
                if measurable not in (won.id, conversion.id):
                    now = cells(screen, measurable)
                    assert all(a is b for a, b in zip(drawn, now, strict=True)), measurable
            # In the two rows, only the week saved and what sums it up changed: the
            # owner, the goal and the older weeks are as drawn.
            for row in (won, conversion):
                for index in [0, 2, *range(FIRST_WEEK_COLUMN, last)]:
                    assert cells(screen, row.id)[index] is before[row.id][index]
    finally:
        app.db.close()


async def test_the_cursor_and_the_scroll_stay_put_after_clear_save_and_undo(
    history_path: Path,
) -> None:
    app = desk_on(history_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen, table = await scorecard_shown(pilot)
            typed = [i for i, m in enumerate(screen.row_ids) if m and not screen.rows[m].computed]
            target = typed[len(typed) * 2 // 3]  # far below the first screenful
            await move_to(pilot, table, target)
            await pilot.press("left", "left")  # an older week
            await settled(pilot)
            where, scrolled = table.cursor_coordinate, table.scroll_offset
            assert scrolled.y > 0
            measurable = screen.row_ids[target]
            assert measurable is not None
            week = screen.shown_weeks[where.column - FIRST_WEEK_COLUMN]
            was = cell_text(screen, measurable, week)
            assert was != "·"

            await pilot.press("x")
            await settled(pilot)
            assert cell_text(screen, measurable, week) == "·"
            assert (table.cursor_coordinate, table.scroll_offset) == (where, scrolled)

            await pilot.press("u")
            await settled(pilot)
            assert cell_text(screen, measurable, week) == was
            assert (table.cursor_coordinate, table.scroll_offset) == (where, scrolled)

            # Entry saves and goes on to the next typed measurable; esc stops there.
            await pilot.press("e", *"7", "enter", "escape")
            await settled(pilot)
            assert cell_text(screen, measurable, week).startswith("7")
            below = next(i for i in typed if i > target)
            assert table.cursor_coordinate == Coordinate(below, where.column)
            await pilot.press("u")
            await settled(pilot)
            assert cell_text(screen, measurable, week) == was
            assert table.cursor_coordinate == Coordinate(below, where.column)
    finally:
        app.db.close()


async def test_the_grid_draws_anew_when_its_look_changes(demo_path: Path) -> None:
    """The grid keeps its cells' renders across restyles (every screen switch), but not
    when the colours change."""
    app: CeodeskApp = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            _screen, table = await scorecard_shown(pilot)

            def look() -> list[object]:
                return [segment.style for segment in table.render_line(3)]

            dark = look()
            await pilot.press("1")
            await settled(pilot)
            await pilot.press("4")
            await settled(pilot)
            assert look() == dark
            app.theme = "textual-light"
            await settled(pilot)
            assert look() != dark
    finally:
        app.db.close()


async def test_a_save_right_after_another_programs_change_shows_that_change_too(
    demo_path: Path,
) -> None:
    """Only the saved row is read again when the app's own write is the only change
    since the grid was drawn; another program's write not yet noticed is drawn too."""
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen, table = await scorecard_shown(pilot)
            by_name = {row.name: row for row in screen.view.rows}
            leads, won = by_name["Leads"], by_name["Won"]
            other = open_database(demo_path)
            try:
                record_value(other, leads.id, LAST_WEEK, "777")
            finally:
                other.close()
            await move_to(pilot, table, screen.row_ids.index(won.id))
            await pilot.press("x")  # before the poll noticed the other program's value
            await settled(pilot)
            assert cell_text(screen, won.id, LAST_WEEK) == "·"
            assert cell_text(screen, leads.id, LAST_WEEK).startswith("777")
    finally:
        app.db.close()


async def redraw_builds(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What a redraw builds: with nothing changed, then after another program saved a
    value of Leads (which the Conversion formula reads)."""
    built: list[int] = []
    named: list[int] = []
    build, name_text = ScorecardRow.__init__, ScorecardScreen._name_text

    def counting_build(self, *args, **kwargs) -> None:
        built.append(kwargs["id"])
        build(self, *args, **kwargs)

    def counting_name(row):
        named.append(row.id)
        return name_text(row)

    monkeypatch.setattr(ScorecardRow, "__init__", counting_build)
    monkeypatch.setattr(ScorecardScreen, "_name_text", staticmethod(counting_name))
    app = desk_on(path)
    found: dict[str, object] = {}
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen, _table = await scorecard_shown(pilot)
            # The test redraws by itself: the app's poll seeing the other program's write
            # first would read the rows once more (built twice: a flake under load).
            assert app._poll is not None
            app._poll.pause()
            before = screen.view.rows
            by_name = {row.name: row for row in before}
            leads, conversion = by_name["Leads"], by_name["Conversion"]
            built.clear()
            named.clear()
            screen.refresh_data()
            await settled(pilot)
            found["same rows"] = all(a is b for a, b in zip(before, screen.view.rows, strict=True))
            found["built, nothing changed"] = sorted(built)
            found["measured, nothing changed"] = sorted(named)
            other = open_database(path)
            try:
                record_value(other, leads.id, LAST_WEEK, "777")
            finally:
                other.close()
            built.clear()
            named.clear()
            screen.refresh_data()
            await settled(pilot)
            assert cell_text(screen, leads.id, LAST_WEEK).startswith("777")
            changed = {leads.id, conversion.id}
            found["built, one value changed"] = sorted(built) == sorted(changed)
            found["measured, one value changed"] = set(named) <= changed
            found["others kept"] = all(
                row is old
                for row, old in zip(screen.view.rows, before, strict=True)
                if row.id not in changed
            )
    finally:
        app.db.close()
    return found


@pytest.mark.slow
async def test_a_redraw_builds_only_the_rows_whose_data_changed_on_five_years_as_on_the_demo(
    demo_path: Path, history_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row is read again (another program may have written), but a row read from
    the same data is the row drawn: none is built or measured again, on the demo as on
    five years of sixty measurables."""
    expected = {
        "same rows": True,
        "built, nothing changed": [],
        "measured, nothing changed": [],
        "built, one value changed": True,
        "measured, one value changed": True,
        "others kept": True,
    }
    assert await redraw_builds(demo_path, monkeypatch) == expected
    assert await redraw_builds(history_path, monkeypatch) == expected


async def test_a_screen_switch_draws_the_grids_scrollbar_only_when_it_moved(
    history_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual refreshes a scrolling table's scrollbar several times on every screen
    switch; the grid's bar (sixty measurables need one) is drawn again only when it
    shows something new."""
    drawn: list[int] = []
    render = ScrollBarRender.__rich_console__

    def counting(self, console, options):
        drawn.append(self.position)
        return render(self, console, options)

    monkeypatch.setattr(ScrollBarRender, "__rich_console__", counting)
    app = desk_on(history_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            _screen, table = await scorecard_shown(pilot)
            assert table.show_vertical_scrollbar
            for visit in range(4):
                await pilot.press("3")
                await settled(pilot)
                drawn.clear()
                await pilot.press("4")
                await settled(pilot)
                if visit:  # (the first time back, Textual restyles the table once)
                    assert drawn == []
            bar = table.vertical_scrollbar
            before = bar.render_lines(bar.size.region)
            await pilot.press("pagedown", "pagedown")  # the bar's thumb moves down
            await settled(pilot)
            assert table.scroll_offset.y > 0
            assert drawn and max(drawn) > 0
            after = bar.render_lines(bar.size.region)
            assert after != before
    finally:
        app.db.close()


async def test_entry_sets_its_error_line_only_to_show_or_clear_an_error(
    history_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each row entered used to clear the empty error line, which lays the screen out
    again and, with the cell saved in the same frame, painted the whole grid again."""
    errors: list[str] = []
    update = Static.update

    def counting(self, content="", *args, **kwargs) -> None:
        if self.id == "entry-error":
            errors.append(str(content))
        update(self, content, *args, **kwargs)

    monkeypatch.setattr(Static, "update", counting)
    app = desk_on(history_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen, table = await scorecard_shown(pilot)
            typed = [i for i, m in enumerate(screen.row_ids) if m and not screen.rows[m].computed]
            await move_to(pilot, table, typed[0])
            await pilot.press("e", *"42", "enter", *"43", "enter", *"44", "enter")
            await settled(pilot)
            assert errors == []
            await pilot.press("backspace", *"abc", "enter")  # not a number: shown
            await settled(pilot)
            await pilot.press("backspace", "backspace", "backspace", *"45", "enter")
            await settled(pilot)
            assert len(errors) == 2 and "is not" in errors[0] and errors[1] == ""
            await pilot.press("escape")
            await settled(pilot)
            assert len(errors) == 2
    finally:
        app.db.close()
