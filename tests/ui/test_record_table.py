"""A table of records redrawn with the same records replaces only the cells that changed
(issue 13: a redraw costs what changed), keeps its rows, cursor and scroll, and announces
the row under the cursor again as a rebuild does."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from ceodesk.ui.widgets.vim import RecordTable


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[int] = []

    def compose(self) -> ComposeResult:
        yield RecordTable(id="records")

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.add_columns("Name", "Value")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.highlighted.append(event.cursor_row)


def records(changed: str = "2") -> list[tuple[int, tuple[str, str]]]:
    return [(n, (f"record {n}", changed if n == 7 else str(n))) for n in range(1, 60)]


async def test_the_same_records_again_replace_only_the_changed_cells() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(RecordTable)
        table.show_rows(records(), keep=None)
        await pilot.pause()
        table.move_cursor(row=30)
        await pilot.pause()
        rows_before = dict(table.rows)
        scroll = table.scroll_y
        app.highlighted.clear()
        table.show_rows(records(changed="20"), keep=None)
        await pilot.pause()
        assert table.get_cell_at((6, 1)) == "20"  # the change shows
        assert all(table.rows[key] is row for key, row in rows_before.items())  # kept
        assert table.cursor_row == 30
        assert table.scroll_y == scroll
        assert app.highlighted == [30]  # panels that follow the cursor hear of it


async def test_other_records_are_drawn_anew() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(RecordTable)
        table.show_rows(records(), keep=None)
        await pilot.pause()
        table.move_cursor(row=10)
        await pilot.pause()
        fewer = [row for row in records() if row[0] != 5]
        table.show_rows(fewer, keep=None)
        await pilot.pause()
        assert table.ids == [n for n, _cells in fewer]
        assert table.row_count == len(fewer)
        assert table.current_id == 11  # the cursor stays on its record (row 10 was 11)
        table.show_rows([], keep=None)
        await pilot.pause()
        assert table.row_count == 0 and table.current_id is None
