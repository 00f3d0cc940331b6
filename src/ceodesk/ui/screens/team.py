"""Team members (command palette): add, rename, set role, deactivate."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from ceodesk.core.errors import CeodeskError
from ceodesk.core.people import (
    PersonView,
    add_person,
    list_people,
    rename_person,
    set_active,
    set_role,
)
from ceodesk.ui.screens.base import DIALOG_APP_KEYS
from ceodesk.ui.screens.form import Dialog, Field, FormScreen
from ceodesk.ui.widgets.vim import RecordTable


class TeamScreen(Dialog[None]):
    TITLE = "Team members"
    HELP = """\
## Team members

Owners for tasks, Rocks and measurables. Deactivating someone hides them from
pickers; everything they owned keeps their name.
"""
    BINDINGS = [
        Binding("n", "add", "Add", id="team-add", tooltip="Add a team member"),
        Binding("e", "edit", "Edit", id="team-edit", tooltip="Rename or change role"),
        Binding(
            "x",
            "toggle_active",
            "Deactivate",
            id="team-deactivate",
            tooltip="Deactivate or reactivate",
        ),
        Binding("escape", "close", "Close", id="team-close"),
        *DIALOG_APP_KEYS,
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="team", classes="dialog wide"):
            yield RecordTable(id="team-table")
            yield Static(id="team-summary", classes="dialog-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#team").border_title = "Team members"
        table = self.query_one(DataTable)
        table.add_columns("Name", "Role", "Status", "Teams")
        self.refresh_data()
        table.focus()

    def refresh_data(self, keep: int | None = None) -> None:
        self.people: list[PersonView] = list_people(self.app.db)
        self.query_one(RecordTable).show_rows(
            (
                (
                    p.id,
                    (
                        f"{p.name} (you)" if p.is_me else p.name,
                        p.role,
                        "active" if p.active else "[dim]inactive[/]",
                        ", ".join(p.teams),
                    ),
                )
                for p in self.people
            ),
            keep,
        )
        active = sum(p.active for p in self.people)
        self.query_one("#team-summary", Static).update(
            f"{active} active, {len(self.people) - active} inactive · n add · e edit · "
            "x deactivate · esc close"
        )

    def _current(self) -> PersonView | None:
        table = self.query_one(DataTable)
        if not self.people:
            return None
        return self.people[table.cursor_row]

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def action_add(self) -> None:
        def save(values: dict[str, str]) -> None:
            person = add_person(self.app.db, values["name"], values["role"])
            self._added = person.id

        self._added = None
        self.app.push_screen(
            FormScreen(
                "Add team member",
                [
                    Field("name", "Name", placeholder="Dana Whitfield"),
                    Field("role", "Role", placeholder="COO"),
                ],
                save,
            ),
            lambda saved: saved and self.refresh_data(keep=self._added),
        )

    def action_edit(self) -> None:
        person = self._current()
        if person is None:
            return

        def save(values: dict[str, str]) -> None:
            if values["name"].strip() != person.name:
                rename_person(self.app.db, person.id, values["name"])
            if values["role"].strip() != person.role:
                set_role(self.app.db, person.id, values["role"])

        self.app.push_screen(
            FormScreen(
                f"Edit {person.name}",
                [Field("name", "Name", person.name), Field("role", "Role", person.role)],
                save,
            ),
            lambda saved: saved and self.refresh_data(keep=person.id),
        )

    def action_toggle_active(self) -> None:
        person = self._current()
        if person is None:
            return
        try:
            set_active(self.app.db, person.id, not person.active)
        except CeodeskError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(f"{'Reactivated' if not person.active else 'Deactivated'} {person.name}")
        self.refresh_data(keep=person.id)

    def action_close(self) -> None:
        self.answer(None)
