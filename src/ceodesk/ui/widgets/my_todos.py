"""Your own open to-dos from the weekly meeting, as a panel (the Tasks screen's `o`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.binding import Binding

from ceodesk.core.domain.todos import TodoView
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.views.team_lists import my_open_todos, toggle_todo
from ceodesk.ui.widgets.vim import RecordTable

if TYPE_CHECKING:
    from ceodesk.ui.app import CeodeskApp


def todo_cells(todo: TodoView, *, owner: bool = True) -> tuple[object, ...]:
    """A to-do as a row: done box, title, (owner,) when due; overdue in red, with a word."""
    box = Text("✓", style="#54a24b") if todo.done else Text("☐")
    title = Text(todo.title, style="dim strike" if todo.done else "")
    if todo.done:
        due = Text("done", style="dim")
    elif todo.overdue:
        due = Text(todo.due_text, style="bold #e45756")
    else:
        due = Text(todo.due_text)
    return (box, title, todo.owner, due) if owner else (box, title, due)


class MyTodos(RecordTable):
    """The to-dos you own, open, by due date; `x` or space marks one done."""

    BINDINGS = [
        Binding("x,space", "done", "Done", id="my-todos-done", tooltip="Mark your to-do done"),
    ]

    def __init__(self) -> None:
        super().__init__(id="my-todos")
        self.todos: dict[int, TodoView] = {}

    @property
    def desk(self) -> CeodeskApp:
        return cast("CeodeskApp", self.app)

    def on_mount(self) -> None:
        self.add_columns("", "Your to-do", "Due")

    def load(self) -> tuple[TodoView, ...]:
        return my_open_todos(self.desk.db, self.desk.now())

    def show(self, found: tuple[TodoView, ...]) -> None:
        self.todos = {t.id: t for t in found}
        self.show_rows(((t.id, todo_cells(t, owner=False)) for t in found), keep=None)
        overdue = sum(t.overdue for t in found)
        self.border_title = f"Your to-dos · {len(found)} open" + (
            f" · {overdue} overdue" if overdue else ""
        )
        self.border_subtitle = "x done · o hides" if found else "none open · o hides"

    def reload(self) -> None:
        """Redraw from the database, if shown."""
        if self.display:
            self.show(self.load())

    def action_done(self) -> None:
        todo_id = self.current_id
        if todo_id is None:
            self.notify("You have no open to-do here.", severity="warning")
            return
        try:
            done = toggle_todo(self.desk.db, todo_id, self.desk.now())
        except CeodeskError as err:
            self.desk.report(err)
            return
        self.notify(f"Done: {done.title} — u to undo", timeout=4)
        self.reload()
