"""The weekly meeting's widgets: the agenda down the side, the big presenter timer, and
the one table every section lists its items in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from ceodesk.core.domain.meetings import MeetingState, format_clock
from ceodesk.ui.widgets.vim import VimDataTable

# A 3x5 pixel font for the presenter timer ("#" lit); ":" is one pixel wide.
FONT = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
}
FONT_ROWS = 5


def big_text_width(text: str) -> int:
    """Pixels across ``text`` in the presenter font, a pixel of gap between glyphs."""
    glyphs = [FONT[c] for c in text if c in FONT]
    return sum(len(g[0]) for g in glyphs) + max(0, len(glyphs) - 1)


def big_text(text: str, scale: int, style: str) -> Text:
    """``text`` drawn in block pixels, each ``2 * scale`` cells wide and ``scale`` high."""
    glyphs = [FONT[c] for c in text if c in FONT]
    lines = []
    for row in range(FONT_ROWS):
        pixels = ".".join(g[row] for g in glyphs)
        line = "".join(("█" if p == "#" else " ") * 2 * scale for p in pixels)
        lines += [line.rstrip()] * scale
    return Text("\n".join(lines), style=style, no_wrap=True)


class BigTimer(Widget):
    """The presenter's timer: as large as the space it is given allows."""

    DEFAULT_CSS = "BigTimer { height: 5; width: 1fr; }"

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.text = ""
        self.style_text = ""

    def show(self, text: str, style: str) -> None:
        if (text, style) != (self.text, self.style_text):
            self.text, self.style_text = text, style
            self.refresh()

    def scale(self) -> int:
        pixels = max(1, big_text_width(self.text))
        return max(1, min(self.size.width // (2 * pixels), self.size.height // FONT_ROWS))

    def render(self) -> Text:
        return big_text(self.text, self.scale(), self.style_text)


def agenda_table(state: MeetingState, phase_styles: dict[str, tuple[str, str]]) -> Table:
    """Each section with used against planned minutes; the current one marked ▶ running
    or ⏸ paused; a section over its time says so with ▲ and the minutes over."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(no_wrap=True, justify="right")
    for index, section in enumerate(state.sections):
        current = index == state.current
        marker = ("▶" if section.running else "⏸") if current else " "
        glyph, colour = phase_styles[section.phase]
        if section.phase == "over":
            used = Text(f"▲ +{format_clock(section.over_seconds)}", style=colour)
        else:
            used = Text(f"{format_clock(section.used_seconds)}/{section.minutes}m")
            if current and glyph:
                used = Text(f"{glyph} ", style=colour) + used
        title = Text(section.title, style="bold" if current else "")
        if current:
            title.stylize("reverse")
        table.add_row(marker, title, used)
    return table


@dataclass(frozen=True)
class Row:
    """One line of a section's list: ``item`` is what the keys act on (None: a heading)."""

    key: str
    item: object | None
    cells: Sequence[object]


class MeetingTable(VimDataTable):
    """The current section's items; redrawn without losing the item the cursor is on."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.rows_shown: list[Row] = []
        self.columns_shown: tuple[str, ...] = ()

    @property
    def current(self) -> Row | None:
        if not self.rows_shown:
            return None
        return self.rows_shown[min(self.cursor_row, len(self.rows_shown) - 1)]

    def show_rows(self, columns: Sequence[str], rows: Sequence[Row], keep: str | None) -> None:
        """Replace the rows; the cursor stays on ``keep`` (else the first item)."""
        if tuple(columns) != self.columns_shown:
            self.clear(columns=True)
            self.add_columns(*columns)
            self.columns_shown = tuple(columns)
        else:
            self.clear()
        self.rows_shown = list(rows)
        for row in rows:
            self.add_row(*row.cells, key=row.key)
        keys = [r.key for r in rows]
        if keep in keys:
            self.move_cursor(row=keys.index(keep))
        else:
            first = next((i for i, r in enumerate(rows) if r.item is not None), 0)
            self.move_cursor(row=first)
