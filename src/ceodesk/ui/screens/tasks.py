"""Key 2: tasks sorted Eisenhower-style into Do, Schedule, Delegate and Drop, with the
unsorted tray above them for captures that have not been filed yet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Input, OptionList

from ceodesk.core.domain.planner import (
    AlreadyScheduled,
    schedule_task,
    scheduled_times,
    toggle_focus,
)
from ceodesk.core.domain.tasks import (
    Quadrant,
    TaskBoard,
    archive_task,
    delegate_task,
    move_task,
    task_board,
    task_board_again,
    task_text,
    tasks_changed_at,
    toggle_done,
)
from ceodesk.core.kernel.dates import WEEKDAY_ABBR, format_day, week_key
from ceodesk.ui.screens.base import DeskScreen, _minute
from ceodesk.ui.screens.task_dialogs import DelegateScreen, MoveScreen, QuickAddScreen
from ceodesk.ui.screens.week_dialogs import ConfirmScreen
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.my_todos import MyTodos
from ceodesk.ui.widgets.task_list import TaskList
from ceodesk.ui.widgets.topbar import TopBar

# Quadrants on screen: Do | Schedule over Delegate | Drop.
GRID = {
    Quadrant.DO: (0, 0),
    Quadrant.SCHEDULE: (1, 0),
    Quadrant.DELEGATE: (0, 1),
    Quadrant.DROP: (1, 1),
}
AT = {position: quadrant for quadrant, position in GRID.items()}


@dataclass(frozen=True)
class BoardShown:
    """What the board draws: the tasks, and when each scheduled one is on the week."""

    board: TaskBoard
    scheduled: dict[int, str]


class TasksScreen(DeskScreen):
    AREA = "tasks"
    TITLE = "Tasks"
    HELP = """\
## Tasks — sorted by importance and urgency

Four quadrants, from two flags on each task: **Do** (important and urgent),
**Schedule** (important), **Delegate** (urgent), **Drop** (neither).
A task captured with neither flag waits in the **Unsorted** tray above them (up
from the top quadrants, or tab) until you file it: `m` then 1-4, a flag in the
text (`e`), or `g` to delegate it. Drop is a decision, never a default.

A task due within 48 hours that is not flagged urgent shows **urgent?** (in a
narrow list: an amber due date) — a suggestion; its flags never change by
themselves. **◆** marks a task that serves a Rock (`+rock:<slug>`); **▸Thu 08:00**
is when it is scheduled on the week; **↻Thu** is when to follow up on a delegated
task (amber once the day has come); **Fri 15:00** a due date with its time; dim
**#tags** follow the title.

**Quick add** (`n`) reads one line: `Prep board deck fri 3pm 2h !i @dana #board`
— dates (`today`, `tomorrow`, `fri`, `next fri`, `in 3 days`, `eow`, `eom`,
`dec 1`, `2026-12-01`), times (`3pm`, `15:00`), `!i` important, `!u` urgent,
`!iu` both, estimates (`30m`, `2h`, `1h30`), `@person` (delegates), `#tag`,
`+rock:<slug>` (serves a Rock).
A date is read at the end of the text, or anywhere right after `on`, `by`, `due`,
`at` (a time) or `this` (a weekday), which go with it: "Call Dana this fri",
"Pay by fri the invoice". Elsewhere date words stay in the title ("Read the Sunday
Times", "Fix sat nav"). Words in double quotes always stay as written, without the
quotes: `Read "Sunday" !i`. The preview shows how it will be read.

**Your to-dos** (`o`): the to-dos you own from the weekly meeting, below the
quadrants; `x` or space marks the focused one done (`u` undoes), `o` hides them
again. The team's to-dos are in the palette ("meeting: To-dos").
"""

    BINDINGS = [
        Binding("n", "new", "New", id="task-new", tooltip="Quick-add a task"),
        Binding(
            "e,enter",
            "edit",
            "Edit",
            id="task-edit",
            tooltip="Open the task to edit it",
            show=False,
        ),
        Binding(
            "x,space",
            "complete",
            "Done",
            id="task-complete",
            tooltip="Complete (or reopen) the task",
        ),
        Binding("m", "move", "Move", id="task-move", tooltip="Move to another quadrant (1-4)"),
        Binding(
            "g",
            "delegate",
            "Delegate",
            id="task-delegate",
            tooltip="Delegate: pick a person and a follow-up date",
        ),
        Binding("d", "archive", "Archive", id="task-archive", tooltip="Archive (undo with u)"),
        Binding(
            "s",
            "schedule",
            "Schedule",
            id="task-schedule",
            tooltip="Schedule: a linked block in this week's free deep-work time",
        ),
        Binding(
            "f",
            "focus_today",
            "Focus",
            id="task-focus",
            tooltip="Pin (or unpin) as one of today's focus tasks",
            show=False,
        ),
        Binding("slash", "filter", "Filter", id="task-filter", tooltip="Filter by words"),
        Binding(
            "c",
            "toggle_done",
            "Completed",
            id="task-show-done",
            tooltip="Show or hide tasks completed this week",
            show=False,
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="task-clear-filter"),
        Binding(
            "o",
            "my_todos",
            "To-dos",
            id="task-my-todos",
            tooltip="Show or hide your open to-dos from the weekly meeting",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self.show_done = False
        self._last_list: TaskList | None = None
        self._keep: int | None = None  # the task the cursor stays on at the next drawing

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Input(placeholder="filter: words in title, owner or #tag", id="filter")
        yield TaskList(None)
        with Grid(id="quadrants"):
            for quadrant in sorted(Quadrant, key=lambda q: GRID[q][::-1]):
                yield TaskList(quadrant)
        yield MyTodos()
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(MyTodos).display = False  # o shows it
        self.refresh_data()
        self.lists[Quadrant.DO].focus()

    @property
    def lists(self) -> dict[Quadrant, TaskList]:
        return {
            task_list.quadrant: task_list
            for task_list in self.query(TaskList)
            if task_list.quadrant is not None
        }

    @property
    def tray(self) -> TaskList:
        return self.query_one("#unsorted", TaskList)

    @property
    def current_list(self) -> TaskList:
        focused = self.focused
        if isinstance(focused, TaskList):
            self._last_list = focused
            return focused
        return self._last_list or self.lists[Quadrant.DO]

    def redraw(self, keep: int | None = None, then: Callable[[], object] | None = None) -> None:
        """Reload the board, the cursor staying on task ``keep`` wherever it went."""
        self._keep = keep
        self.refresh_data()
        if then is not None:
            self.when_drawn(then)

    # The board on show (as drawn, less a task x took off in place)...
    _shown: BoardShown | None = None
    # ...and, for the load starting, the only tasks to read again into it (None: all).
    _again: tuple[BoardShown, frozenset[int]] | None = None

    def _starting_load(self) -> None:
        drawn, minute = self.drawn_revision, self.drawn_minute
        settled = self._settled == self._refreshes - 1  # no other load under way
        super()._starting_load()
        self._again = None
        revision = self.desk.revision
        if (
            self._shown is not None
            and settled
            and drawn is not None
            and revision == drawn + 1
            and minute == _minute(self.desk)
        ):
            # One write since the board was drawn, by this app: when it changed tasks
            # and nothing else (an undo of x, say), only those are read again.
            changed = tasks_changed_at(self.desk.db, revision)
            if changed is not None:
                self._again = (self._shown, changed)

    def load(self) -> BoardShown:
        db, now, again = self.desk.db, self.desk.now(), self._again
        if again is not None:
            shown, changed = again
            board = task_board_again(db, shown.board, now, changed, done=self.show_done)
            kept = {k: v for k, v in shown.scheduled.items() if k not in changed}
            ids = [t.id for t in board.views if t.id in changed and not t.done]
        else:
            board, kept = task_board(db, now, self.filter_text, done=self.show_done), {}
            ids = [t.id for q in board.quadrants for t in q.tasks] + [
                t.id for t in board.unsorted.tasks
            ]
        times = scheduled_times(db, ids, today=board.today)
        scheduled = kept | {
            task_id: f"{WEEKDAY_ABBR[day.weekday()]} {start:%H:%M}"
            for task_id, (day, start) in times.items()
        }
        return BoardShown(board, scheduled)

    def show(self, view: BoardShown) -> None:
        self._shown = view
        board, scheduled = view.board, view.scheduled
        keep, self._keep = self._keep, None
        for quadrant, task_list in self.lists.items():
            task_list.show(board.quadrant(quadrant), self.show_done, keep=keep, scheduled=scheduled)
        tray = self.tray
        tray.show(board.unsorted, self.show_done, keep=keep, scheduled=scheduled)
        # The tray is there while something waits in it (or a filter is on, to say so).
        tray.display = bool(tray.task_ids)
        if not tray.display and self.focused is tray:
            self.set_focus(self.lists[Quadrant.DO])
        self._today, self._open_count = board.today, board.open_count
        self._count_open(0)
        self.query_one(MyTodos).reload()

    _today: date | None = None
    _open_count = 0

    def _count_open(self, change: int) -> None:
        """The top bar: the day, the week and how many tasks are open (``change``d)."""
        assert self._today is not None
        self._open_count += change
        parts = [
            "[b]Tasks[/b]",
            f"{format_day(self._today)} · {week_key(self._today)}",
            f"{self._open_count} open",
        ]
        if self.filter_text:
            parts.append(f"[#f0b429]filter: {self.filter_text}[/]")
        if self.show_done:
            parts.append("[dim]showing completed this week[/]")
        self.query_one(TopBar).say("  ·  ".join(parts))

    def _selected(self) -> int | None:
        task_id = self.current_list.current_task_id
        if task_id is None:
            self.notify("No task here: move to one first, or n to add one.", severity="warning")
        return task_id

    def _run(self, action, *args):
        """Run a core action; a domain error becomes a notification, not a crash."""
        with self.desk.reporting():
            return action(self.desk.db, *args)
        return None

    # -- navigation -------------------------------------------------------------------

    @on(TaskList.LeaveEdge)
    def _leave_edge(self, event: TaskList.LeaveEdge) -> None:
        if event.task_list.quadrant is None:  # the tray sits above Do and Schedule
            if event.dy > 0:
                self._enter(self.lists[Quadrant.DO], event)
            return
        col, row = GRID[event.task_list.quadrant]
        if row + event.dy < 0 and self.tray.display:
            self._enter(self.tray, event)
            return
        target = AT.get((col + event.dx, row + event.dy))
        if target is not None:
            self._enter(self.lists[target], event)
        elif event.dy > 0 and self.query_one(MyTodos).display:
            self.query_one(MyTodos).focus()  # below Delegate and Drop: your to-dos

    def _enter(self, task_list: TaskList, event: TaskList.LeaveEdge) -> None:
        """Move the cursor into ``task_list`` from the edge ``event`` left by."""
        count = len(task_list.task_ids)
        if count:
            if event.dy > 0:
                task_list.highlighted = 0
            elif event.dy < 0:
                task_list.highlighted = count - 1
            else:
                task_list.highlighted = min(event.task_list.highlighted or 0, count - 1)
        task_list.focus()

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    # -- actions ----------------------------------------------------------------------

    def action_new(self) -> None:
        self.app.push_screen(QuickAddScreen(), self._after_save)

    def action_edit(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return
        text = self._run(task_text, task_id)
        if text is not None:
            self.app.push_screen(QuickAddScreen(task_id, text), self._after_save)

    def _after_save(self, task_id: int | None) -> None:
        if task_id is None:
            return

        def focus_it() -> None:
            for task_list in self.query(TaskList):
                if task_id in task_list.task_ids:
                    task_list.focus()

        self.redraw(keep=task_id, then=focus_it)

    def action_complete(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return
        task_list = self.current_list
        # Whether the board on show is the stored one (nothing written since it was read
        # and no reload on the way)...
        current = not self.stale and not self.load_under_way
        before = self.desk.revision
        done = self._run(toggle_done, task_id, self.desk.now())
        if done is not None:
            self.notify("Completed — u to undo" if done else "Reopened", timeout=3)
            if done and task_list.drop_row(task_id):  # off the list at once, in place
                self._count_open(-1)
                # ...and stays so but for this write: the change feed moved by one step,
                # not two (another program writing meanwhile, the poll not run yet).
                if current and self.desk.revision == before + 1:
                    # The board shown is the stored one less this task: what completing
                    # it changed. Nothing to read again (on years of history, a reload
                    # cost as much as the rest of the keystroke).
                    self.drawn_revision = self.desk.revision
                    if self._shown is not None:
                        self._shown = replace(
                            self._shown, board=self._shown.board.without({task_id})
                        )
                    return
            self.refresh_data()  # the board read again

    def action_archive(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return
        title = self._run(archive_task, task_id, self.desk.now())
        if title is not None:
            self.notify(f"Archived “{title}” — u to undo", timeout=4)
            self.refresh_data()

    def action_move(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return

        from_tray = self.current_list.quadrant is None

        def moved(quadrant: Quadrant | None) -> None:
            if quadrant is not None and self._run(move_task, task_id, quadrant) is not None:
                self.notify(f"Moved to {quadrant.label}", timeout=3)

                def follow() -> None:
                    if from_tray and not self.tray.display:
                        self.set_focus(self.lists[quadrant])  # the last one is sorted

                self.redraw(keep=task_id, then=follow)

        self.app.push_screen(MoveScreen(self.current_list.quadrant), moved)

    def action_delegate(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return

        def delegate(person_id: int, follow_up: date | None) -> None:
            # Runs in the dialog: a refusal is shown there and the dialog stays open.
            name = delegate_task(self.desk.db, task_id, person_id, follow_up)
            when = f", follow up {format_day(follow_up)}" if follow_up else ""
            self.notify(f"Delegated to {name}{when}", timeout=4)
            self.redraw(keep=task_id)

        self.app.push_screen(DelegateScreen(task_id, save=delegate))

    def action_schedule(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return
        week, now = week_key(self.desk.today()), self.desk.now()

        def schedule(reschedule: bool) -> None:
            with self.desk.reporting():
                try:
                    scheduled = schedule_task(
                        self.desk.db, task_id, week, now, reschedule=reschedule
                    )
                except AlreadyScheduled as asked:
                    self.app.push_screen(
                        ConfirmScreen(str(asked)), lambda yes: schedule(True) if yes else None
                    )
                    return
                self.notify(
                    f"{scheduled.sentence()} (key 1 shows the week)",
                    severity="warning" if scheduled.is_partial else "information",
                    timeout=6 if scheduled.is_partial else 4,
                )
                self.redraw(keep=task_id)

        schedule(False)

    def action_focus_today(self) -> None:
        task_id = self._selected()
        if task_id is None:
            return
        pinned = self._run(toggle_focus, self.desk.today(), task_id)
        if pinned is not None:
            self.notify("Pinned as today's focus" if pinned else "Unpinned from today's focus")

    def action_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.add_class("visible")
        filter_input.focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if not filter_input.has_class("visible") and not self.filter_text:
            return
        filter_input.value = ""
        filter_input.remove_class("visible")
        self.filter_text = ""
        self.refresh_data()
        self.current_list.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.refresh_data()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        if not self.filter_text:
            self.query_one("#filter", Input).remove_class("visible")
        self.current_list.focus()

    def action_my_todos(self) -> None:
        panel = self.query_one(MyTodos)
        panel.display = not panel.display
        # Focus moves at once, so an x typed right after o marks a to-do, not a task.
        if panel.display:
            panel.reload()
            self.set_focus(panel)
        else:
            self.set_focus(self.current_list)

    def action_toggle_done(self) -> None:
        self.show_done = not self.show_done
        self.refresh_data()
