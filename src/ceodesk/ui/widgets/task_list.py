"""One Eisenhower quadrant: a titled, navigable list of task rows."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ceodesk.core.tasks import Quadrant, QuadrantView, TaskView

# Column widths include the one-cell gap before each column.
DUE_WIDTH = 11  # "overdue 9d"
EST_WIDTH = 5  # "1h30"
OWNER_WIDTH = 8
SCHEDULED_WIDTH = 11  # "▸Tue 09:00"
HINT = "urgent?"


def render_row(task: TaskView, owners: bool, hints: bool, scheduled: dict[int, str]) -> Table:
    """A task as one line: title (ellipsised), then hint, owner, when it is scheduled,
    due and estimate.

    Columns have fixed widths so rows line up; the owner, hint and scheduled columns
    are only there when some row of the list needs them.
    """
    row = Table.grid(expand=True, padding=(0, 0, 0, 1))
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    title = Text(("✓ " if task.done else "") + task.title, style="strike dim" if task.done else "")
    if task.rock:  # serves a Rock: the line of sight from a task up to the quarter's priorities
        title = Text("◆ ", style="#b279a2") + title
    cells: list[Text] = [title]
    if hints:
        row.add_column(width=len(HINT) + 1, no_wrap=True)
        cells.append(Text(HINT if task.suggest_urgent else "", style="bold #f0b429"))
    if owners:
        row.add_column(width=OWNER_WIDTH, no_wrap=True, overflow="ellipsis")
        cells.append(Text(f"@{task.owner.split()[0]}" if task.owner else "", style="#72b7b2"))
    if scheduled:
        row.add_column(width=SCHEDULED_WIDTH, no_wrap=True)
        when = scheduled.get(task.id)
        cells.append(Text(f"▸{when}" if when else "", style="#4c9be8"))
    row.add_column(width=DUE_WIDTH, justify="right", no_wrap=True)
    due_style = "bold #e45756" if task.overdue else ("dim" if task.done else "")
    cells.append(Text(task.due_text, style=due_style))
    row.add_column(width=EST_WIDTH, justify="right", no_wrap=True)
    cells.append(Text(task.estimate_text, style="dim"))
    row.add_row(*cells)
    return row


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

    def __init__(self, quadrant: Quadrant) -> None:
        super().__init__(id=f"q{quadrant.value}", classes="task-list")
        self.quadrant = quadrant
        self.view: QuadrantView | None = None
        self.show_done = False
        self.scheduled: dict[int, str] = {}

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
        view: QuadrantView,
        show_done: bool,
        keep: int | None = None,
        scheduled: dict[int, str] | None = None,
    ) -> None:
        """Render ``view``, keeping the cursor on task ``keep`` (default: the task it is
        on), else on the same row."""
        previous = self.highlighted
        if keep is None:
            keep = self.current_task_id
        self.view, self.show_done = view, show_done
        self.scheduled = scheduled or {}
        self._render_rows()
        ids = self.task_ids
        if keep is not None and keep in ids:
            self.highlighted = ids.index(keep)
        elif ids:
            self.highlighted = min(previous or 0, len(ids) - 1)
        # No digit in the title: digits switch screens (m then 1-4 moves a task).
        title = f"{view.quadrant.label} ({len(view.tasks)})"
        self.border_title = title
        self.border_subtitle = view.quadrant.hint

    def _render_rows(self) -> None:
        if self.view is None:
            return
        tasks = [*self.view.tasks, *(self.view.done if self.show_done else ())]
        owners = any(t.owner for t in tasks)
        hints = any(t.suggest_urgent for t in tasks)
        scheduled = {t.id: self.scheduled[t.id] for t in tasks if t.id in self.scheduled}
        if tasks:
            self.set_options(
                Option(render_row(t, owners, hints, scheduled), id=str(t.id)) for t in tasks
            )
        else:
            self.set_options([Option(Text("Nothing here.", style="dim italic"), disabled=True)])

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
