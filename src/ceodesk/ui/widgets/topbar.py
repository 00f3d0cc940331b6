"""A screen's top bar: one line across the screen, saying where you are."""

from __future__ import annotations

from typing import Self

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static


def changed_cells(before: Content, after: Content) -> tuple[int, int] | None:
    """The cells (first, past the last) where ``after`` differs from ``before`` when it
    has the same length and styles in the same places (a count going from 34 to 33), or
    None when more than characters moved: then all of the line is drawn again."""
    old, new = before.plain, after.plain
    if len(old) != len(new) or before.spans != after.spans:
        return None
    if cell_len(old) != cell_len(new):
        return None
    first = next((i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b), None)
    if first is None:
        return (0, 0)
    last = next(i for i in range(len(new) - 1, -1, -1) if old[i] != new[i])
    return cell_len(new[:first]), cell_len(new[: last + 1])


class TopBar(Static):
    """The line at the top of a screen. ``say`` changes what it says without a layout
    (its size never depends on its words), and a change of a few characters in place
    repaints only those cells: a whole line repainted made the frame span the screen's
    width, and Textual then draws again every widget under that frame's box (completing
    a task drew the quadrant beside it too)."""

    def __init__(self, *, id: str = "topbar") -> None:
        super().__init__(id=id)
        self._said = Content("")
        self._only: Region | None = None  # the cells the coming refresh repaints

    def say(self, words: str | Text | Content) -> None:
        """Show ``words`` (markup, Rich Text or Content); the same words again do nothing."""
        if isinstance(words, Content):
            content = words
        elif isinstance(words, Text):
            content = Content.from_rich_text(words)
        else:
            content = Content.from_markup(words)
        cells = changed_cells(self._said, content)
        if cells is not None and cells[0] == cells[1]:
            return  # the same words in the same styles (Content's == sees words only)
        self._said = content
        self._only = None if cells is None else Region(cells[0], 0, cells[1] - cells[0], 1)
        try:
            self.update(content, layout=False)
        finally:
            self._only = None

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._only is not None and not (regions or layout or recompose):
            regions = (self._only,)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
