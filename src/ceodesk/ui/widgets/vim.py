"""Lists and tables that also move with j and k, as every ceodesk list does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Self

from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable, OptionList
from textual.widgets.data_table import RowKey

VIM_KEYS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
]


class VimDataTable(DataTable):
    BINDINGS = VIM_KEYS

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Every layout asked for measures the table again. Textual 8.2 keys a widget's
        cached size on a count it moves only when no layout is pending: a table whose
        rows are measured (its first idle) after the screen laid it out empty, with a
        layout still pending, kept the empty size for good: the review's panels stayed
        bare borders and its scroll thumb too long when a busy machine ordered its frames
        so."""
        if layout and self._layout_required:
            self._layout_updates += 1
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Lines drawn before the columns were measured are drawn again. Textual 8.2
        keys every render cache of a table (cells, rows, lines: ``_cell_render_cache``,
        ``_row_render_cache``, ``_line_cache``) on ``_update_count``, which adding rows
        moves, but its idle measures the new rows' columns (``_update_column_widths``,
        then this) without moving it: a frame drawn between the rows' arrival and that
        idle kept the header's widths for good (the Rock detail's milestones header
        over wider rows, the meeting's conclude table cut to its header when a busy
        machine drew early). Moving the count here costs one redraw of the lines on
        screen, only when the table was measured again (rows or columns changed)."""
        super()._update_dimensions(new_rows)
        self._update_count += 1
        self.refresh()


class VimOptionList(OptionList):
    BINDINGS = VIM_KEYS


class RecordTable(VimDataTable):
    """A table of stored records, one row per id, redrawn without losing the cursor."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.ids: list[int] = []
        self._cells: list[tuple[object, ...]] = []  # as shown, row by row

    @property
    def current_id(self) -> int | None:
        return self.ids[self.cursor_row] if self.ids else None

    def show_rows(self, rows: Iterable[tuple[int, Sequence[object]]], keep: int | None) -> None:
        """Replace the rows; the cursor stays on record ``keep`` (default: the one it is
        on), else on the same row."""
        keep = keep if keep is not None else self.current_id
        row = self.cursor_row
        shown = [(record_id, tuple(cells)) for record_id, cells in rows]
        if self._same_records(shown):
            self._update_in_place(shown)
        else:
            self.clear()
            self.ids = []
            for record_id, cells in shown:
                self.add_row(*cells, key=str(record_id))
                self.ids.append(record_id)
            self._cells = [cells for _id, cells in shown]
        if keep in self.ids:
            self.move_cursor(row=self.ids.index(keep))
        elif self.ids:
            self.move_cursor(row=min(row, len(self.ids) - 1))

    def _same_records(self, shown: list[tuple[int, tuple[object, ...]]]) -> bool:
        """The same records in the same order, a cell a column: drawn in place."""
        return (
            bool(shown)
            and [record_id for record_id, _cells in shown] == self.ids
            and len(self._cells) == len(shown) == self.row_count
            and all(len(cells) == len(self.columns) for _id, cells in shown)
        )

    def _update_in_place(self, shown: list[tuple[int, tuple[object, ...]]]) -> None:
        """Only the cells that changed are replaced (a redraw of years of records costs
        what changed, issue 13); the row under the cursor is announced again, as after
        a rebuild, so panels that follow it show what changed behind its cells."""
        for index, (_id, cells) in enumerate(shown):
            for column, (cell, before) in enumerate(zip(cells, self._cells[index], strict=True)):
                if cell != before:
                    self.update_cell_at(Coordinate(index, column), cell, update_width=True)
            self._cells[index] = cells
        if self.row_count:
            row_key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key
            self.post_message(self.RowHighlighted(self, self.cursor_row, row_key))
