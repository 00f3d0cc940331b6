"""How the week grid and its side panel draw (issue 13 made them cheaper): a row's
gutter style stays in the gutter, the panel's columns fit it at any figures, and a
redraw that brings the same totals leaves the panel alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text
from textual.widgets import Static
from ui_support import settled, shown_again_after_a_write, shown_text

from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.week import PANEL_TEXT_WIDTH, _columns
from ceodesk.ui.widgets.week_grid import WeekGrid


async def test_a_block_starting_on_the_half_hour_is_drawn_as_bright_as_one_on_the_hour(
    week_app: CeodeskApp,
) -> None:
    """The half-hour rows' dim gutter once dimmed every block title on them."""
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await settled(pilot)
        grid = app.screen.query_one(WeekGrid)
        assert grid.plan is not None
        titles = {}
        for day in grid.plan.days:
            for block in day.blocks:
                slot = grid.slot_of(block.start)
                if not block.overlaps and grid.lanes_at(day.day.weekday(), slot) == 1:
                    titles[block.start.minute == 0] = (block.title, slot)
        assert set(titles) == {True, False}  # the demo week has both
        for title, slot in titles.values():
            strip = grid.render_line(slot)
            [segment] = [s for s in strip if title[:8] in s.text]
            assert segment.style is not None
            assert not segment.style.dim
            assert segment.style.bold


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="abc défg", min_size=0, max_size=30),
            st.text(alphabet="0123456789hm", max_size=7),
            st.text(alphabet="0123456789hm", max_size=7),
            st.text(alphabet="0123456789hm+-", max_size=7),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from([12, 18]),
)
def test_the_panel_columns_line_up_and_fit_the_panel(rows, first_most: int) -> None:
    texts = [tuple(Text(cell) for cell in row) for row in rows]
    lines = _columns(texts, PANEL_TEXT_WIDTH, first_most).split("\n")
    assert len(lines) == len(rows)
    numbers = sum(max(len(row[i]) for row in rows) + 1 for i in (1, 2, 3))
    if numbers + 1 <= PANEL_TEXT_WIDTH:
        assert all(line.cell_len <= PANEL_TEXT_WIDTH for line in lines)
    assert len({line.cell_len for line in lines}) == 1  # every line as wide: aligned
    for line, row in zip(lines, rows, strict=True):
        assert line.plain.endswith(row[3])  # numbers right-aligned
        label = row[0]
        shown = line.plain[: line.cell_len - numbers]
        assert shown.rstrip() == label.rstrip() or shown.endswith("…") or not label.strip()


async def test_a_redraw_with_the_same_totals_leaves_the_panel_as_it_is(
    week_app: CeodeskApp,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await settled(pilot)
        totals = app.screen.query_one("#week-totals", Static)
        drawn = totals.content
        await shown_again_after_a_write(pilot, "1", away="2")
        assert totals.content is drawn
        await pilot.press("a", "enter")  # Wednesday's 2h deep work, done as planned
        await settled(pilot)
        assert totals.content is not drawn
        shown = shown_text(totals)
        assert "deep work        9h30    5h -30m" in shown  # 3h done before, 5h now


async def test_the_narrow_panel_keeps_its_totals_within_its_width(week_app: CeodeskApp) -> None:
    app = week_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("v")  # the panel, hidden at 80 columns, shown narrow
        await settled(pilot)
        totals = app.screen.query_one("#week-totals", Static)
        assert totals.display and app.screen.query_one("#week-summary").has_class("narrow")
        lines = shown_text(totals).splitlines()
        table = lines[: next(i for i, line in enumerate(lines) if line.startswith("total")) + 1]
        assert len(table) >= 3
        assert all(len(line.rstrip()) <= totals.size.width for line in table)
        assert "██ strategi…" in shown_text(totals)  # cut at 12, not the wide panel's 18
