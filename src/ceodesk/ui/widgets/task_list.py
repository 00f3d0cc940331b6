"""One Eisenhower quadrant (or the unsorted tray): a titled, navigable list of task rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Self

from rich.align import AlignMethod
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual, visualize
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from ceodesk.core.domain.tasks import Quadrant, QuadrantView, TaskView, UnsortedView

HINT = "urgent?"
HINT_STYLE = "bold #f0b429"
TITLE_MIN = 14  # cells a title keeps before the other columns turn compact or go
# Steps that make a row narrower, tried in order until the title has TITLE_MIN cells:
# a column's level 1 is its compact form, level 2 hides it.
NARROWER = (
    ("hint", 1),  # "urgent?" becomes an amber due date
    ("scheduled", 1),  # "▸Wed 08:00" -> "▸Wed"
    ("due", 1),  # "Thu 15:00" -> "Thu", "tomorrow" -> "tmrw"
    ("follow", 1),  # "↻tomorrow" -> "↻tmrw", "↻overdue 2d" -> "↻-2d"
    ("owner", 1),  # "@Jordan" -> "@Jor"
    ("scheduled", 2),
    ("estimate", 2),  # a delegated task's estimate is someone else's time
    ("follow", 2),
    ("owner", 2),
)
COLUMNS = ("hint", "owner", "follow", "scheduled", "due", "estimate")
ROW_META = "task-row"  # what a row's drawn line carries for the mouse: the row's id


@dataclass(frozen=True)
class RowPlan:
    """How a list draws its rows: each column's level (0 full, 1 compact) and width."""

    levels: dict[str, int]
    widths: dict[str, int]

    def shows(self, column: str) -> bool:
        return self.widths.get(column, 0) > 0


def _cell(task: TaskView, column: str, level: int, scheduled: dict[int, str]) -> Text:
    """One column of one row as text (empty when the task has nothing for it)."""
    if column == "hint":
        return Text(HINT if task.suggest_urgent and level == 0 else "", style=HINT_STYLE)
    if column == "owner":
        if not task.owner:
            return Text("")
        first = task.owner.split()[0]
        return Text(f"@{first if level == 0 else first[:3]}", style="#72b7b2")
    if column == "follow":
        if not task.follow_up_text or task.done:
            return Text("")
        style = "bold #f0b429" if task.follow_up_due else "#72b7b2"
        when = task.follow_up_text if level == 0 else _short_relative(task.follow_up_text)
        return Text(f"↻{when}", style=style)
    if column == "scheduled":
        slot = scheduled.get(task.id)
        if not slot:
            return Text("")
        return Text(f"▸{slot if level == 0 else slot.split()[0]}", style="#4c9be8")
    if column == "due":
        style = "bold #e45756" if task.overdue else ("dim" if task.done else "")
        due = task.due_label if level == 0 else task.due_text.replace("tomorrow", "tmrw")
        return Text(due, style=style)
    return Text(task.estimate_text, style="dim")


def _short_relative(text: str) -> str:
    """A relative day in fewer cells: "tomorrow" -> "tmrw", "overdue 2d" -> "-2d"."""
    if text == "tomorrow":
        return "tmrw"
    if text.startswith("overdue "):
        return "-" + text.removeprefix("overdue ")
    return text.removeprefix("in ")


def plan_rows(tasks: Sequence[TaskView], scheduled: dict[int, str], width: int) -> RowPlan:
    """The column levels that leave a title at least TITLE_MIN cells in ``width`` cells
    (0 when the width is not known yet: every column in full)."""
    levels = {column: 0 for column in COLUMNS}
    # Each column's width at each level, measured once over the tasks (not once per
    # narrowing step: a list holds hundreds of tasks on years of history).
    measured: dict[tuple[str, int], int] = {}

    def column_width(column: str, level: int) -> int:
        if level >= 2 or (column == "hint" and level == 1):
            return 0
        if (column, level) not in measured:
            measured[column, level] = max(
                (_cell(t, column, level, scheduled).cell_len for t in tasks), default=0
            )
        return measured[column, level]

    def widths() -> dict[str, int]:
        return {column: column_width(column, levels[column]) for column in COLUMNS}

    def title_width() -> int:
        # Every column, the title's too, has one cell of padding on its left.
        return width - 1 - sum(w + 1 for w in widths().values() if w)

    if width > 0:
        for column, level in NARROWER:
            if title_width() >= TITLE_MIN:
                break
            levels[column] = max(levels[column], level)
    return RowPlan(dict(levels), widths())


def render_row(
    task: TaskView, plan: RowPlan, scheduled: dict[int, str], width: int = 0
) -> Table | Text:
    """A task as one line: title (with its #tags, ellipsised), then the columns of
    ``plan`` — hint, owner, follow-up, when it is scheduled, due (with its time), estimate.

    Columns have one width per list so rows line up. Given the row's ``width``, the line
    is laid out here as one Text (a list of hundreds of tasks measures each row, and a
    Text is measured in a fraction of a table's time); without it, a table lays it out.
    """
    title = Text(("✓ " if task.done else "") + task.title, style="strike dim" if task.done else "")
    if task.rock:  # serves a Rock: the line of sight from a task up to the quarter's priorities
        title = Text("◆ ", style="#b279a2") + title
    if task.tags:
        title.append(" " + " ".join(f"#{tag}" for tag in task.tags), style="dim #9d7cd8")
    cells: list[tuple[Text, int, AlignMethod]] = []
    for column in COLUMNS:
        if not plan.shows(column):
            continue
        justify: AlignMethod = "right" if column in {"due", "estimate"} else "left"
        cell = _cell(task, column, plan.levels[column], scheduled)
        if column == "due" and task.suggest_urgent and not task.overdue and not plan.shows("hint"):
            cell.stylize(HINT_STYLE)  # the compact "urgent?": an amber due date
        cells.append((cell, plan.widths[column], justify))
    # Every column but the title has one cell of padding on its left.
    title_width = width - sum(w + 1 for _c, w, _j in cells)
    if width > 0 and title_width >= 1:
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line.append_text(title)
        for cell, cell_width, justify in cells:
            cell.align(justify, cell_width)
            line.append(" ")
            line.append_text(cell)
        return line
    row = Table.grid(expand=True, padding=(0, 0, 0, 1))
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    for _cell_text, cell_width, justify in cells:
        # A Rich column's width includes its padding: the one-cell gap on its left.
        row.add_column(width=cell_width + 1, justify=justify, no_wrap=True)
    row.add_row(title, *(cell for cell, _w, _j in cells))
    return row


class TaskRow(Option):
    """One task's row, laid out only when it is drawn: a list of hundreds of tasks
    builds hundreds of options, of which a screenful is ever seen. Every row is one
    line (its title is cut with an ellipsis), so the list knows its height unrendered."""

    def __init__(
        self, owner: TaskList, task: TaskView, plan: RowPlan, scheduled: dict[int, str], width: int
    ) -> None:
        super().__init__("", id=str(task.id))
        self._row = (task, plan, scheduled, width)
        # What the row shows: a list drawn again keeps the rows whose look is the same.
        self.look = (task, plan, scheduled.get(task.id), width)
        self._laid_out: Table | Text | None = None
        self._visual = _RowVisual(owner, self)
        # The list's lines for this row, by style, padding and width (see TaskList).
        self.lines: dict[tuple[Style, object, int], list[Strip]] = {}

    @property
    def prompt(self) -> Table | Text:
        if self._laid_out is None:
            self._laid_out = render_row(*self._row)
        return self._laid_out


class _RowVisual(Visual):
    """What the option list draws for a TaskRow: one line, made when first drawn."""

    def __init__(self, owner: TaskList, row: TaskRow) -> None:
        self._owner = owner
        self._row = row
        self._drawn: Visual | None = None
        # The line drawn, by width and style: the list forgets every row's rendering when
        # a row is taken off or the rows are set again (a completion, an undo), and
        # drawing a row anew costs more than all else a keystroke does to it.
        self._strips: dict[tuple[int, int | None, Style], list[Strip]] = {}

    @property
    def drawn(self) -> Visual:
        if self._drawn is None:
            self._drawn = visualize(self._owner, self._row.prompt)
        return self._drawn

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if options.selection is not None or options.post_style is not None:
            return self.drawn.render_strips(width, height, style, options)
        key = (width, height, style)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) >= 8:  # a few styles: plain, under the cursor, hovered
                self._strips.clear()
            strips = self._strips[key] = self.drawn.render_strips(width, height, style, options)
            self._owner.rows_drawn += 1
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.drawn.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.drawn.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


class TaskList(OptionList):
    """The tasks of one quadrant. Arrows and hjkl move within it and across quadrants."""

    BINDINGS = [
        Binding(
            "down,j",
            "step(1)",
            "Down",
            show=False,
            id="task-down",
            tooltip="Next task; past the last, the quadrant below",
        ),
        Binding(
            "up,k",
            "step(-1)",
            "Up",
            show=False,
            id="task-up",
            tooltip="Previous task; past the first, the quadrant above",
        ),
        Binding(
            "left,h",
            "across(-1)",
            "Left",
            show=False,
            id="task-left",
            tooltip="The quadrant to the left",
        ),
        Binding(
            "right,l",
            "across(1)",
            "Right",
            show=False,
            id="task-right",
            tooltip="The quadrant to the right",
        ),
    ]

    class LeaveEdge(Message):
        """The cursor tried to leave this quadrant: vertical (dy) or horizontal (dx)."""

        def __init__(self, task_list: TaskList, dx: int, dy: int) -> None:
            super().__init__()
            self.task_list = task_list
            self.dx = dx
            self.dy = dy

    def __init__(self, quadrant: Quadrant | None) -> None:
        """A quadrant's list, or with ``quadrant`` None the unsorted tray."""
        name = f"q{quadrant.value}" if quadrant is not None else "unsorted"
        super().__init__(id=name, classes="task-list")
        self.quadrant = quadrant
        self.view: QuadrantView | UnsortedView | None = None
        self.show_done = False
        self.scheduled: dict[int, str] = {}
        self._width = 0
        # What the rows were last laid out from: the tasks, their slots on the week, width.
        self._drawing: tuple[tuple[TaskView, ...], dict[int, str], int] | None = None
        self._plan: RowPlan | None = None
        self._titled: tuple[str, str] | None = None  # the border's title and subtitle
        self.rows_drawn = 0  # rows drawn afresh (not from a row's kept line), counted

    @property
    def task_ids(self) -> list[int]:
        if self.view is None:
            return []
        done = self.view.done if self.show_done else ()
        return [t.id for t in (*self.view.tasks, *done)]

    @property
    def current_task_id(self) -> int | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return int(option.id) if option.id and option.id.isdigit() else None

    def show(
        self,
        view: QuadrantView | UnsortedView,
        show_done: bool,
        keep: int | None = None,
        scheduled: dict[int, str] | None = None,
    ) -> None:
        """Render ``view``, keeping the cursor on task ``keep`` (default: the task it is
        on), else on the same row."""
        self.view, self.show_done = view, show_done
        self.scheduled = scheduled or {}
        self._render_rows(keep)
        self._titles()

    def drop_row(self, task_id: int) -> bool:
        """Take a task just completed off the list at once, the cursor staying on its
        row (a reload that follows finds the list as drawn). False if it is not here
        as an open task."""
        if self.view is None or self._drawing is None or self.show_done:
            return False
        tasks = self.view.tasks
        index = next((i for i, t in enumerate(tasks) if t.id == task_id), None)
        if index is None or len(tasks) == 1:
            return False
        self.view = replace(self.view, tasks=(*tasks[:index], *tasks[index + 1 :]))
        _shown, scheduled, width = self._drawing
        scheduled = {k: v for k, v in scheduled.items() if k != task_id}
        if plan_rows(self.view.tasks, scheduled, width) == self._plan:
            self._drawing = (self.view.tasks, scheduled, width)
            with self._rows_set():
                self.remove_option_at_index(index)
                # Its new height (and scrollbar) now, not when next drawn: else that
                # drawing finds the list a line shorter and draws it all once more.
                self._update_lines()
        else:
            self._render_rows()  # its columns change (the widest due date went): anew
        self.highlighted = min(index, len(self.view.tasks) - 1)
        self._titles()
        return True

    def _titles(self) -> None:
        assert self.view is not None
        if self.quadrant is None:
            title, subtitle = f"Unsorted ({len(self.view.tasks)})", "m then 1-4 files a task"
        else:
            # No digit in the title: digits switch screens (m then 1-4 moves a task).
            title = f"{self.quadrant.label} ({len(self.view.tasks)})"
            subtitle = self.quadrant.hint
        # Setting a border title draws the whole list again, even to the same words.
        if (title, subtitle) != self._titled:
            self._titled = (title, subtitle)
            self.border_title, self.border_subtitle = title, subtitle

    # Whether rows are being set, and the layouts asked for meanwhile.
    _holding = False
    _held_layouts = 0

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if layout and self._holding:
            self._held_layouts += 1
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    @contextmanager
    def _rows_set(self) -> Iterator[None]:
        """Rows put on or taken off without laying out the screen, when that changes
        nothing but the list's own scroll range: its height is set by the quadrant, not
        by its rows, and its scrollbar stays as it was (fitted to the new range by
        ``_scroll_update``). Before, each x and u on a full list laid out the whole
        board again."""
        if self._holding:
            yield
            return
        shown = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self._holding, self._held_layouts = True, 0
        try:
            yield
        finally:
            self._holding = False
            if self._held_layouts and (
                self.styles.height is None
                or self.styles.height.is_auto
                or shown != (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
            ):
                self.refresh(layout=True)

    # What the last layout gave the list: its size, virtual size and container's size.
    _sized: tuple[Size, Size, Size, Size] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual's scroll view compares its parent's container size with its own (less
        # the border), so every layout of the screen (each switch back to it) took a
        # bordered list as resized and drew its scrollbar again: a full list's cost,
        # never an empty one's. The same sizes as last time change nothing.
        sized = (size, virtual_size, container_size, self.virtual_size)
        if sized == self._sized:
            return False
        self._sized = sized
        return super()._size_updated(size, virtual_size, container_size, layout)

    # What the scrollbars were last fitted to: the same again fits them to nothing new.
    _scrolled_for: tuple[object, ...] | None = None

    def _scroll_update(self, virtual_size: Size) -> None:
        # A row taken off fits the scrollbar at once (the list's height changes), and the
        # layout that follows fits it again to the same sizes: on a list that overflows,
        # a second frame that draws the scrollbar, and so the board, once more.
        styles = self.styles
        fitted = (
            virtual_size,
            self.size,
            self.container_size,
            self.scroll_offset,
            styles.overflow_x,
            styles.overflow_y,
            styles.scrollbar_size_vertical,
            styles.scrollbar_size_horizontal,
        )
        if fitted == self._scrolled_for:
            return
        self._scrolled_for = fitted
        super()._scroll_update(virtual_size)

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        if not isinstance(option, TaskRow):
            return super()._get_option_render(option, style)
        # Textual's own marks each line with the row's index, for the mouse, so a row
        # taken off or put back (x, u) made every row below it draw anew; these are
        # marked with the row's id instead and keep their lines wherever they move.
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        key = (style, padding, width)
        strips = option.lines.get(key)
        if strips is None:
            if len(option.lines) >= 8:  # a few styles: plain, under the cursor, hovered
                option.lines.clear()
            visual = self._get_visual(option)
            if padding:
                visual = Padding(visual, padding)
            meta = {ROW_META: option.id}
            strips = option.lines[key] = [
                strip.extend_cell_length(width, style.rich_style).apply_meta(meta)
                for strip in visual.to_strips(self, visual, width, None, style)
            ]
        return strips

    def _row_under(self, event: events.MouseEvent) -> int | None:
        """The index of the task row under the mouse, if there is one."""
        row_id = event.style.meta.get(ROW_META)
        if row_id is None:
            return None
        try:
            return self.get_option_index(row_id)
        except OptionDoesNotExist:
            return None

    async def _on_click(self, event: events.Click) -> None:
        index = self._row_under(event)
        if index is not None:
            event.prevent_default()  # OptionList's own reads the index it no longer gets
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._row_under(event)
        if index is not None:
            event.prevent_default()
            self._mouse_hovering_over = index

    def on_resize(self, event: events.Resize) -> None:
        if self._row_width() != self._width:
            self._render_rows()

    def _row_width(self) -> int:
        """Cells a row has: the list's inner width, less a scrollbar when rows overflow."""
        region = self.scrollable_content_region
        width = region.width
        if width and not self.show_vertical_scrollbar and len(self.task_ids) > region.height:
            width -= self.styles.scrollbar_size_vertical  # about to appear
        return width

    def _render_rows(self, keep: int | None = None) -> None:
        if self.view is None:
            return
        previous = self.highlighted
        if keep is None:
            keep = self.current_task_id
        tasks = (*self.view.tasks, *(self.view.done if self.show_done else ()))
        scheduled = {t.id: self.scheduled[t.id] for t in tasks if t.id in self.scheduled}
        width = self._row_width()
        drawing = (tasks, scheduled, width)
        # A redraw after a change elsewhere (a task completed in another quadrant, an
        # undo) leaves a list whose rows did not change as it is.
        if drawing != self._drawing:
            self._drawing, self._width = drawing, width
            plan = self._plan = plan_rows(tasks, scheduled, width)
            if tasks:
                # Rows that look as they did are kept, drawn: an undo or another
                # process's write lays out and draws only the rows it changed.
                kept = {option.id: option for option in self.options if isinstance(option, TaskRow)}
                rows = []
                for task in tasks:
                    row = kept.get(str(task.id))
                    if row is None or row.look != (task, plan, scheduled.get(task.id), width):
                        row = TaskRow(self, task, plan, scheduled, width)
                    rows.append(row)
                with self._rows_set():
                    self.set_options(rows)
            else:
                with self._rows_set():
                    self.set_options(
                        [Option(Text("Nothing here.", style="dim italic"), disabled=True)]
                    )
        ids = self.task_ids
        if keep is not None and keep in ids:
            self.highlighted = ids.index(keep)
        elif ids:
            self.highlighted = min(previous or 0, len(ids) - 1)

    def action_step(self, direction: int) -> None:
        count = len(self.task_ids)
        here = self.highlighted
        if count == 0 or here is None:
            self.post_message(self.LeaveEdge(self, 0, direction))
        elif 0 <= here + direction < count:
            self.highlighted = here + direction
        else:
            self.post_message(self.LeaveEdge(self, 0, direction))

    def action_across(self, direction: int) -> None:
        self.post_message(self.LeaveEdge(self, direction, 0))
