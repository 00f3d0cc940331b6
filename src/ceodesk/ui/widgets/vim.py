"""Lists and tables that also move with j and k, as every ceodesk list does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.binding import Binding
from textual.widgets import DataTable, OptionList

VIM_KEYS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
]


class VimDataTable(DataTable):
    BINDINGS = VIM_KEYS


class VimOptionList(OptionList):
    BINDINGS = VIM_KEYS


class RecordTable(VimDataTable):
    """A table of stored records, one row per id, redrawn without losing the cursor."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.ids: list[int] = []

    @property
    def current_id(self) -> int | None:
        return self.ids[self.cursor_row] if self.ids else None

    def show_rows(self, rows: Iterable[tuple[int, Sequence[object]]], keep: int | None) -> None:
        """Replace the rows; the cursor stays on record ``keep`` (default: the one it is
        on), else on the same row."""
        keep = keep if keep is not None else self.current_id
        row = self.cursor_row
        self.clear()
        self.ids = []
        for record_id, cells in rows:
            self.add_row(*cells, key=str(record_id))
            self.ids.append(record_id)
        if keep in self.ids:
            self.move_cursor(row=self.ids.index(keep))
        elif self.ids:
            self.move_cursor(row=min(row, len(self.ids) - 1))
