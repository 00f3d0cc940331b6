"""Dialogs of the Tasks screen: quick add / edit, move to a quadrant, delegate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ceodesk.core.dates import format_day, parse_day
from ceodesk.core.errors import CeodeskError
from ceodesk.core.people import list_people
from ceodesk.core.settings import LEADERSHIP
from ceodesk.core.tasks import (
    Quadrant,
    add_task,
    edit_task,
    local_now,
    preview_quick_add,
    suggested_follow_up,
)
from ceodesk.ui.screens.form import Dialog, FieldRefusal
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.widgets.vim import VimOptionList

GRAMMAR_HINT = (
    "fri · tomorrow 3pm · in 3 days · dec 1 · !i important · !u urgent · 30m · @person · #tag"
)


class QuickAddScreen(Dialog[int | None]):
    """One line of quick-add text, previewed live; returns the saved task's id."""

    ERROR_AT = "#quick-add-preview"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="quick-add-cancel")]

    def __init__(self, task_id: int | None = None, text: str = "") -> None:
        super().__init__()
        self.task_id = task_id
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-add", classes="dialog"):
            yield Input(
                value=self.initial,
                placeholder="Prep board deck fri 2h !i @dana #board",
                id="quick-add-input",
            )
            yield Static(id="quick-add-preview")
            yield Static(GRAMMAR_HINT, classes="dialog-hint")
            yield Static("enter saves · esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        dialog = self.query_one("#quick-add")
        dialog.border_title = "New task" if self.task_id is None else "Edit task"
        self._preview(self.initial)

    def _preview(self, text: str) -> None:
        preview = self.query_one("#quick-add-preview", Static)
        if not text.strip():
            preview.update(Text("Type a task; the line below shows how it will be read.", "dim"))
            return
        app = self.app
        try:
            read = preview_quick_add(app.db, text, app.now(), new=self.task_id is None)
        except CeodeskError as err:
            preview.update(Text(f"✗ {err}", style="bold #e45756"))
            return
        preview.update(Text("→ " + read.describe(app.today()), style="#54a24b"))

    @on(Input.Changed, "#quick-add-input")
    def _changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    @on(Input.Submitted, "#quick-add-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.submit(lambda: self._save(event.value))

    def _save(self, text: str) -> int:
        app = self.desk
        if self.task_id is None:
            task = add_task(app.db, text, app.now())
        else:
            task = edit_task(app.db, self.task_id, text, app.now())
        verb = "Added" if self.task_id is None else "Saved"
        app.notify(f"{verb}: {task.describe()}", timeout=4)
        return task.id


class MoveScreen(PickScreen[Quadrant]):
    """`m` then 1-4: the quadrant to move the task to."""

    def __init__(self, current: Quadrant) -> None:
        super().__init__(
            "Move to",
            [
                (str(q.value), q, f"{q.label} — {q.hint}{'  (here)' if q == current else ''}")
                for q in Quadrant
            ],
        )


class DelegateScreen(Dialog[tuple[int, date | None] | None]):
    """`g`: pick a person and a follow-up date; returns (person id, follow-up)."""

    ERROR_AT = "#delegate-error"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="delegate-cancel")]

    def __init__(
        self, task_id: int, save: Callable[[int, date | None], object] | None = None
    ) -> None:
        """``save`` does the delegating; a ``CeodeskError`` it raises shows in the dialog."""
        super().__init__()
        self.task_id = task_id
        self.save = save

    def compose(self) -> ComposeResult:
        app = self.app
        people = [p for p in list_people(app.db, active_only=True) if not p.is_me]
        # The leadership team first: they are who a CEO delegates to most.
        people.sort(key=lambda p: LEADERSHIP not in p.teams)
        follow_up = suggested_follow_up(app.db, self.task_id, app.now())
        with Vertical(id="delegate", classes="dialog"):
            yield Label("Delegate to")
            yield VimOptionList(
                *(Option(f"{p.name}  [dim]{p.role}[/]", id=str(p.id)) for p in people),
                id="delegate-people",
            )
            yield Label("Follow up on")
            yield Input(value=follow_up.isoformat(), id="delegate-follow-up")
            yield Static(id="delegate-error")
            yield Static(
                "↑↓ person · tab date · enter delegates · esc cancels", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#delegate").border_title = "Delegate"
        people = self.query_one("#delegate-people", OptionList)
        people.highlighted = 0 if people.option_count else None
        people.focus()

    def _submit(self) -> None:
        self.submit(self._choice)

    def _choice(self) -> tuple[int, date | None]:
        people = self.query_one("#delegate-people", OptionList)
        if people.highlighted is None:
            raise CeodeskError("Add team members first (ctrl+p, Team members).")
        person_id = int(people.get_option_at_index(people.highlighted).id or 0)
        text = self.query_one("#delegate-follow-up", Input).value
        app = self.desk
        try:
            follow_up = parse_day(text, local_now(app.db, app.now()))
        except CeodeskError as err:
            raise FieldRefusal("delegate-follow-up", str(err)) from err
        if self.save is not None:
            self.save(person_id, follow_up)
        return person_id, follow_up

    @on(OptionList.OptionSelected, "#delegate-people")
    def _person_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit()

    @on(Input.Submitted, "#delegate-follow-up")
    def _date_entered(self) -> None:
        self._submit()

    @on(Input.Changed, "#delegate-follow-up")
    def _date_changed(self, event: Input.Changed) -> None:
        error = self.query_one("#delegate-error", Static)
        app = self.app
        try:
            day = parse_day(event.value, local_now(app.db, app.now()))
        except CeodeskError as err:
            error.update(Text(f"✗ {err}", style="#e45756"))
            return
        error.update(Text(f"→ {format_day(day)}" if day else "no follow-up date", style="dim"))
