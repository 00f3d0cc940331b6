"""The team's to-dos outside the meeting (palette "meeting: To-dos"): done or not done
with one key, only yours (`m`) or only the overdue ones (`o`), like `ceodesk todos`."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from ceodesk.core.domain.todos import TodoView
from ceodesk.core.views.team_lists import team_name, team_todos, toggle_todo
from ceodesk.ui.screens.list_modal import TeamListModal, list_keys
from ceodesk.ui.widgets.my_todos import todo_cells
from ceodesk.ui.widgets.vim import RecordTable


@dataclass(frozen=True)
class TodosList:
    team: str
    todos: tuple[TodoView, ...]


class TodosScreen(TeamListModal[TodosList]):
    AREA = "to-dos"
    TITLE = "To-dos"
    HELP = """\
## The team's to-dos

Seven-day commitments made in the weekly meeting, each with one owner and a due
date; the meeting reviews them as done or not done (the target is 90% done).
`x` or space marks the focused one done (again: not done), `m` shows only yours,
`o` only the overdue ones, `c` also the done ones. `T` shows the next team's.
The shell has the same: `ceodesk todos --mine --overdue`, `ceodesk todo done ID`.
"""
    BINDINGS = [
        Binding("x,space", "done", "Done", id="todos-done", tooltip="Done or not done"),
        Binding("m", "mine", "Mine", id="todos-mine", tooltip="Only your to-dos, or everyone's"),
        Binding("o", "overdue", "Overdue", id="todos-overdue", tooltip="Only the overdue ones"),
        Binding("c", "show_done", "Done too", id="todos-show-done", tooltip="Show done ones too"),
        *list_keys("todos"),
    ]
    EMPTY = "No to-do here."

    def __init__(self, team_id: int | None = None, *, mine: bool = False) -> None:
        super().__init__(team_id)
        self.mine = mine
        self.overdue = False
        self.include_done = False

    def setup_table(self, table: RecordTable) -> None:
        table.add_columns("", "To-do", "Owner", "Due")

    def load(self) -> TodosList:
        assert self.team_id is not None
        db = self.desk.db
        found = team_todos(
            db,
            self.team_id,
            self.desk.now(),
            mine=self.mine,
            overdue=self.overdue,
            include_done=self.include_done,
        )
        return TodosList(team_name(db, self.team_id), found)

    def show(self, view: TodosList) -> None:
        self.table.show_rows(((t.id, todo_cells(t)) for t in view.todos), keep=None)
        shown = [
            name
            for name, on in (
                ("yours", self.mine),
                ("overdue", self.overdue),
                ("done too", self.include_done),
            )
            if on
        ]
        frame = self.query_one("#team-list")
        frame.border_title = f"To-dos · {view.team}" + (f" · {', '.join(shown)}" if shown else "")
        open_count = sum(not t.done for t in view.todos)
        overdue = sum(t.overdue for t in view.todos)
        frame.border_subtitle = (
            f"{open_count} open · {overdue} overdue" if view.todos else "no to-dos here"
        )

    def action_done(self) -> None:
        todo_id = self.current()
        if todo_id is None:
            return
        done = self.run(toggle_todo, todo_id, self.desk.now())
        if done is not None:
            word = "Done" if done.done else "Not done"
            self.notify(f"{word}: {done.title} — u to undo", timeout=4)
            self.refresh_data()

    def action_mine(self) -> None:
        self.mine = not self.mine
        self.refresh_data()

    def action_overdue(self) -> None:
        self.overdue = not self.overdue
        self.refresh_data()

    def action_show_done(self) -> None:
        self.include_done = not self.include_done
        self.refresh_data()
