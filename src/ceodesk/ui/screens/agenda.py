"""The weekly meeting's agenda per team (palette "meeting: Edit the agenda"): sections,
their minutes and their order. A meeting already running keeps the agenda it began with."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding

from ceodesk.core.domain.meetings import MEETING_MINUTES, AgendaItem, agenda
from ceodesk.core.views.team_lists import (
    add_section,
    agenda_total,
    edit_section,
    move_section,
    remove_section,
    reset_agenda,
    team_name,
)
from ceodesk.ui.screens.base import when_saved
from ceodesk.ui.screens.form import FormScreen, FormValues, NumberField, TextField
from ceodesk.ui.screens.list_modal import TeamListModal, list_keys
from ceodesk.ui.widgets.vim import RecordTable

KIND_NAMES = {
    "segue": "good news",
    "scorecard": "last week's numbers",
    "rocks": "Rock statuses",
    "headlines": "headlines",
    "todos": "to-do review",
    "issues": "IDS",
    "conclude": "recap and ratings",
    "custom": "your own",
}


@dataclass(frozen=True)
class Agenda:
    team: str
    items: tuple[AgendaItem, ...]


class AgendaScreen(TeamListModal[Agenda]):
    AREA = "agenda"
    TITLE = "Meeting agenda"
    HELP = """\
## The weekly meeting's agenda

The sections of the team's weekly meeting in order, each with its planned minutes;
the default is Segue 5, Scorecard 5, Rock review 5, Headlines 5, To-do list 5,
Issues (IDS) 60, Conclude 5 — 90 minutes. **Shows** says what a section brings up
in the meeting; a section of your own (`n`) is a timed slot with a title.

`e` or enter renames a section and changes its minutes (1 to 240), `n` adds one
below the focused one, `d` removes it, `shift+↑`/`shift+↓` (or `K`/`J`) move it,
`R` goes back to the default agenda. Every change is one `u` to undo. A meeting
already running keeps the agenda it began with; the next one uses this.
`T` edits the next team's agenda.
"""
    BINDINGS = [
        Binding("e,enter", "edit", "Edit", id="agenda-edit", tooltip="Rename, change minutes"),
        Binding("n", "new", "New", id="agenda-new", tooltip="Add a section below this one"),
        Binding("d,x", "remove", "Remove", id="agenda-remove", tooltip="Remove the section"),
        Binding("shift+up,K", "move(-1)", "Up", id="agenda-up", tooltip="Move the section up"),
        Binding(
            "shift+down,J", "move(1)", "Down", id="agenda-down", tooltip="Move the section down"
        ),
        Binding("R", "reset", "Default", id="agenda-reset", tooltip="Back to the default agenda"),
        *list_keys("agenda"),
    ]
    EMPTY = "No section here: n adds one."

    def __init__(self, team_id: int | None = None) -> None:
        super().__init__(team_id)
        self.items: tuple[AgendaItem, ...] = ()

    def setup_table(self, table: RecordTable) -> None:
        table.add_columns("#", "Section", "Minutes", "Shows")

    def load(self) -> Agenda:
        assert self.team_id is not None
        db = self.desk.db
        return Agenda(team_name(db, self.team_id), agenda(db, self.team_id))

    def show(self, view: Agenda, at: int | None = None) -> None:
        self.items = view.items
        self.table.show_rows(
            (
                (
                    position,
                    (
                        str(position + 1),
                        item.title,
                        f"{item.minutes:>3} min",
                        Text(KIND_NAMES.get(item.kind, item.kind), style="dim"),
                    ),
                )
                for position, item in enumerate(view.items)
            ),
            keep=at,
        )
        frame = self.query_one("#team-list")
        frame.border_title = f"Meeting agenda · {view.team}"
        total = agenda_total(view.items)
        words = f"{len(view.items)} sections · {total} minutes"
        if total != MEETING_MINUTES:
            words += f" (the default is {MEETING_MINUTES})"
        frame.border_subtitle = words

    def _redraw(self, at: int | None = None) -> None:
        self.show(self.load(), at)

    def _section_form(self, title: str, item: AgendaItem | None, save) -> FormScreen:
        return FormScreen(
            title,
            [
                TextField("title", "Section", item.title if item else "", placeholder="Hiring"),
                NumberField(
                    "minutes",
                    "Minutes (1 to 240)",
                    item.minutes if item else 5,
                    whole=True,
                    required=True,
                ),
            ],
            save,
        )

    def action_edit(self) -> None:
        position = self.current()
        if position is None:
            return
        team_id = self.team_id
        assert team_id is not None

        def save(values: FormValues) -> None:
            minutes = int(values.number("minutes") or 0)
            edit_section(self.desk.db, team_id, position, values.text("title"), minutes)

        self.app.push_screen(
            self._section_form("Edit section", self.items[position], save),
            when_saved(self.refresh_data),
        )

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def action_new(self) -> None:
        at = (self.table.current_id if self.table.current_id is not None else -1) + 1
        team_id = self.team_id
        assert team_id is not None

        def save(values: FormValues) -> None:
            minutes = int(values.number("minutes") or 0)
            add_section(self.desk.db, team_id, at, values.text("title"), minutes)

        def saved(done: bool | None) -> None:
            if done:
                self._redraw(at)

        self.app.push_screen(self._section_form("New section", None, save), saved)

    def action_remove(self) -> None:
        position = self.current()
        if position is None:
            return
        title = self.items[position].title
        if self.run(remove_section, self.team_id, position) is not None:
            self.notify(f"Removed “{title}” from the agenda — u to undo", timeout=4)
            self._redraw()

    def action_move(self, step: int) -> None:
        position = self.current()
        if position is None:
            return
        moved = self.run(move_section, self.team_id, position, step)
        if moved is not None:
            self._redraw(moved)

    def action_reset(self) -> None:
        if self.run(reset_agenda, self.team_id) is not None:
            self.notify("Back to the default agenda — u to undo", timeout=4)
            self._redraw()
