"""Dialogs of the Tasks screen: quick add / edit, move to a quadrant, delegate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ceodesk.core.domain.people import PersonView, list_people
from ceodesk.core.domain.settings import LEADERSHIP
from ceodesk.core.domain.tasks import Quadrant, suggested_follow_up
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.views.capture import add_task, edit_task, preview_quick_add
from ceodesk.ui.screens.form import DateField, Dialog, FieldRefusal
from ceodesk.ui.screens.pick import PickScreen

GRAMMAR_HINT = (
    "fri · tomorrow 3pm · in 3 days · dec 1 · !i important · !u urgent · 30m · @person · #tag"
    ' · "quoted words" stay as written'
)


FOLLOW_UP = DateField("follow-up", "Follow up on")


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
        app = self.desk
        try:
            read = preview_quick_add(
                app.db, text, app.now(), new=self.task_id is None, task_id=self.task_id
            )
        except CeodeskError as err:
            preview.update(Text(f"✗ {err}", style="bold #e45756"))
            return
        shown = Text("→ " + read.describe(app.today()), style="#54a24b")
        if note := read.kept_note():
            shown.append("\n  " + note, style="#f0b429")
        preview.update(shown)

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

    def __init__(self, current: Quadrant | None) -> None:
        super().__init__(
            "Move to",
            [
                (str(q.value), q, f"{q.label} — {q.hint}{'  (here)' if q == current else ''}")
                for q in Quadrant
            ],
        )


class PeoplePicker(OptionList):
    """People to pick from; typing filters them by name, role or team (type-to-search).

    Letters go to the search, so this list moves with the arrows only (not j/k);
    backspace takes a letter back, escape clears the search before it closes anything.
    """

    def __init__(self, people: list[PersonView], *, id: str) -> None:
        super().__init__(id=id)
        self.people = people
        self.search = ""

    class SearchChanged(Message):
        def __init__(self, picker: PeoplePicker) -> None:
            super().__init__()
            self.picker = picker

    class NoMatch(Message):
        """Enter with no one left to pick."""

    def on_mount(self) -> None:
        self._show()

    @property
    def matches(self) -> list[PersonView]:
        words = self.search.lower().split()
        found = [
            p
            for p in self.people
            if all(w in " ".join([p.name, p.role, *p.teams]).lower() for w in words)
        ]
        # Whose name starts a word with what was typed comes first: "da" is Dana first.
        return sorted(
            found,
            key=lambda p: (
                not any(n.startswith(words[0]) for n in p.name.lower().split()) if words else False
            ),
        )

    def _show(self) -> None:
        matches = self.matches
        if matches:
            self.set_options(Option(f"{p.name}  [dim]{p.role}[/]", id=str(p.id)) for p in matches)
            self.highlighted = 0
        else:
            self.set_options([Option(Text("No one matches.", style="dim italic"), disabled=True)])
            self.highlighted = None
        self.post_message(self.SearchChanged(self))

    def action_select(self) -> None:
        if self.highlighted is None:
            self.post_message(self.NoMatch())
        else:
            super().action_select()

    def on_key(self, event: events.Key) -> None:
        if event.key == "backspace" and self.search:
            self.search = self.search[:-1]
        elif event.key == "escape" and self.search:
            self.search = ""
        elif event.is_printable and event.character and (event.character != " " or self.search):
            self.search += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        self._show()


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
        app = self.desk
        people = [p for p in list_people(app.db, active_only=True) if not p.is_me]
        # The leadership team first: they are who a CEO delegates to most.
        people.sort(key=lambda p: LEADERSHIP not in p.teams)
        follow_up = suggested_follow_up(app.db, self.task_id, app.now())
        with Vertical(id="delegate", classes="dialog"):
            yield Label("Delegate to")
            yield Static(id="delegate-search", classes="dim")
            yield PeoplePicker(people, id="delegate-people")
            yield Label("Follow up on")
            yield Input(value=follow_up.isoformat(), id="delegate-follow-up")
            yield Static(id="delegate-error")
            yield Static(
                "type to search · tab date · enter delegates · esc cancels",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#delegate").border_title = "Delegate"
        self.query_one("#delegate-people", PeoplePicker).focus()

    @on(PeoplePicker.NoMatch)
    def _no_match(self) -> None:
        self._submit()

    @on(PeoplePicker.SearchChanged)
    def _search_changed(self, event: PeoplePicker.SearchChanged) -> None:
        picker = event.picker
        label = self.query_one("#delegate-search", Static)
        if picker.search:
            found = len(picker.matches)
            label.update(f"search: {picker.search}▏ · {found} of {len(picker.people)}")
        else:
            label.update("type a name, role or team to search")

    def _submit(self) -> None:
        self.submit(self._choice)

    def _choice(self) -> tuple[int, date | None]:
        people = self.query_one("#delegate-people", OptionList)
        if people.highlighted is None:
            if isinstance(people, PeoplePicker) and people.people:
                raise CeodeskError(
                    f"No one matches “{people.search}”: backspace widens the search."
                )
            raise CeodeskError("Add team members first (ctrl+p, Team members).")
        person_id = int(people.get_option_at_index(people.highlighted).id or 0)
        text = self.query_one("#delegate-follow-up", Input).value
        try:
            follow_up = FOLLOW_UP.parse(text, self.desk.local_now().wall)
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
        try:
            day = FOLLOW_UP.parse(event.value, self.desk.local_now().wall)
        except CeodeskError as err:
            error.update(Text(f"✗ {err}", style="#e45756"))
            return
        error.update(Text(FOLLOW_UP.preview(day) or "no follow-up date", style="dim"))
