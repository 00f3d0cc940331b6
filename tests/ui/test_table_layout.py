"""A table sized by its rows (height auto) grows to them even when the screen laid it out
between a layout it asked for and its rows' measurement (the review's panels stayed empty
boxes for good when a loaded machine ordered its frames so)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

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
