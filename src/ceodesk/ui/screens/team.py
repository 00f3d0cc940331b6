"""Team members (command palette): add, rename, set role, deactivate."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ceodesk.core.domain.people import (
    PersonView,
    add_person,
    list_people,
    list_teams,
    rename_person,
    rename_team,
    set_active,
    set_role,
    set_teams,
)
from ceodesk.ui.screens.base import DIALOG_APP_KEYS
from ceodesk.ui.screens.form import ChoiceField, Dialog, FormScreen, FormValues, TextField
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.vim import RecordTable

TEAMS_LABEL = "Teams (comma-separated; a new name creates the team)"


class TeamScreen(Dialog[None]):
    TITLE = "Team members"
    HELP = """\
## Team members

Owners for tasks, Rocks and measurables. Deactivating someone hides them from
pickers; everything they owned keeps their name.

A person's teams are typed comma-separated ("Leadership, Sales"); a name no team has
yet creates the team. A new person is in no team until you name one. `t` renames a
team.
"""
    BINDINGS = [
        Binding("n", "add", "Add", id="team-add", tooltip="Add a team member"),
        Binding("e", "edit", "Edit", id="team-edit", tooltip="Rename, change role or teams"),
        Binding("t", "rename_team", "Rename team", id="team-rename", tooltip="Rename a team"),
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
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#team").border_title = "Team members"
        table = self.query_one(DataTable)
        table.add_columns("Name", "Role", "Status", "Teams")
        self.refresh_data()
        table.focus()

    def refresh_data(self, keep: int | None = None) -> None:
        self.people: list[PersonView] = list_people(self.desk.db)
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
        teams = ", ".join(f"{t.name} ({t.members})" for t in list_teams(self.desk.db))
        self.query_one("#team-summary", Static).update(
            f"{active} active, {len(self.people) - active} inactive · teams: {teams or 'none'}"
            "\nn add · e edit · t rename a team · x deactivate · esc close"
        )

    def _current(self) -> PersonView | None:
        table = self.query_one(DataTable)
        if not self.people:
            return None
        return self.people[table.cursor_row]

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def action_add(self) -> None:
        self._added: int | None = None

        def save(values: FormValues) -> None:
            if self._added is None:  # not yet added by an attempt whose teams were refused
                name, role = values.text("name"), values.text("role")
                person = add_person(self.desk.db, name, role, leadership=False)
                self._added = person.id
            if values.text("teams").strip():
                set_teams(self.desk.db, self._added, values.text("teams"))

        def saved(done: bool | None) -> None:
            if done:
                self.refresh_data(keep=self._added)
                self.notify(f"Added {self._current_name()}", timeout=3)

        self.app.push_screen(
            FormScreen(
                "Add team member",
                [
                    TextField("name", "Name", placeholder="Dana Whitfield"),
                    TextField("role", "Role", placeholder="COO"),
                    TextField("teams", TEAMS_LABEL, placeholder="none yet; e.g. Leadership"),
                ],
                save,
            ),
            saved,
        )

    def action_edit(self) -> None:
        person = self._current()
        if person is None:
            return

        def save(values: FormValues) -> None:
            if values.text("name").strip() != person.name:
                rename_person(self.desk.db, person.id, values.text("name"))
            if values.text("role").strip() != person.role:
                set_role(self.desk.db, person.id, values.text("role"))
            if values.text("teams").strip() != ", ".join(person.teams):
                set_teams(self.desk.db, person.id, values.text("teams"))

        def saved(done: bool | None) -> None:
            if done:
                self.refresh_data(keep=person.id)
                self.notify(f"Saved {self._current_name()}", timeout=3)

        self.app.push_screen(
            FormScreen(
                f"Edit {person.name}",
                [
                    TextField("name", "Name", person.name),
                    TextField("role", "Role", person.role),
                    TextField("teams", TEAMS_LABEL, ", ".join(person.teams)),
                ],
                save,
            ),
            saved,
        )

    def action_rename_team(self) -> None:
        teams = list_teams(self.desk.db)

        def save(values: FormValues) -> None:
            rename_team(self.desk.db, values.choice("team"), values.text("name"))

        def saved(done: bool | None) -> None:
            if done:
                self.refresh_data(keep=self._current_id())
                self.notify("Team renamed", timeout=3)

        self.app.push_screen(
            FormScreen(
                "Rename a team",
                [
                    ChoiceField(
                        "team",
                        "Team",
                        options=[(t.id, t.name) for t in teams],
                        empty="No teams yet: edit a person (e) and name a team.",
                    ),
                    TextField("name", "New name"),
                ],
                save,
            ),
            saved,
        )

    def _current_id(self) -> int | None:
        person = self._current()
        return person.id if person else None

    def _current_name(self) -> str:
        person = self._current()
        return person.name if person else ""

    def action_toggle_active(self) -> None:
        person = self._current()
        if person is None:
            return
        with self.desk.reporting():
            set_active(self.desk.db, person.id, not person.active)
            self.notify(f"{'Reactivated' if not person.active else 'Deactivated'} {person.name}")
            self.refresh_data(keep=person.id)

    def action_close(self) -> None:
        self.answer(None)
