"""Tables drawn right however a loaded machine orders their frames: one sized by its rows
(height auto) grows to them even when the screen laid it out between a layout it asked for
and its rows' measurement (the review's panels stayed empty boxes for good); a frame drawn
before new rows were measured is drawn again at their widths (the Rock detail's header
and the meeting's conclude table kept their header's widths)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region

from ceodesk.ui.widgets.vim import RecordTable


class PanelsApp(App[None]):
    CSS = "RecordTable { height: auto; max-height: 12; border: round white; }"

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield RecordTable(id="panel")

    def on_mount(self) -> None:
        self.query_one(RecordTable).add_column("line")


async def test_a_panel_grows_to_its_rows_when_laid_out_before_it_measured_them() -> None:
    app = PanelsApp()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(RecordTable)
        assert table.outer_size.height == 3  # its border and header, no row yet
        # A layout asked for (the header hidden, as the review's panels do), then the
        # screen lays the body out again before the table's next idle (as it does when
        # another panel asked first), then the rows the table measures when idle.
        table.show_header = False
        app.query_one(VerticalScroll)._clear_arrangement_cache()
        app.screen._refresh_layout()
        assert table.outer_size.height == 2
        table.show_rows([(n, (f"line {n}",)) for n in range(5)], keep=None)
        await pilot.pause()
        assert table.outer_size.height == 5 + 2  # five lines in a border


# -- columns widened by rows that arrive after a frame was drawn ----------------------

MILESTONES = [
    (1, ("☐", "Write the hiring plan for Q1", "Fri 4 Dec 2026")),
    (2, ("✓", "Sign the lease", "Mon 7 Dec 2026")),
]


class MilestonesApp(App[None]):
    """A table whose columns start at its header's widths, as every ceodesk table does."""

    def __init__(self, height: str) -> None:
        super().__init__()
        self.height = height

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield RecordTable(id="milestones")

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.styles.height = self.height
        table.styles.max_height = 10
        table.add_columns("", "Milestone", "Due")


def drawn_lines(table: RecordTable) -> list[str]:
    """The table's lines as the screen draws them (what a terminal shows)."""
    width, height = table.size
    return [strip.text for strip in table.render_lines(Region(0, 0, width, height))]


@pytest.mark.parametrize("height", ["auto", "1fr"])
async def test_the_header_and_rows_line_up_when_a_frame_came_before_the_rows_were_measured(
    height: str,
) -> None:
    # The Rock detail's milestones (height auto: only the header drawn, wide rows under
    # it) and the meeting's conclude table (height 1fr: every column cut to its header)
    # under load: a frame drawn after the rows arrived and before the table's next idle
    # measured them.
    app = MilestonesApp(height)
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RecordTable)
        table.show_rows(MILESTONES, keep=None)
        drawn_lines(table)  # the frame a busy machine draws before the table's idle
        await pilot.pause()
        header, *rows = drawn_lines(table)[:3]
        assert "Write the hiring plan for Q1  Fri 4 Dec 2026" in rows[0]  # no column cut
        assert header.index("Due") == rows[0].index("Fri") == rows[1].index("Mon")
