"""The frame the team's lists share outside the meeting (issues, to-dos, decisions, past
meetings, the agenda): a full-size modal over the desk, one team at a time (`T` moves
to the next), `esc` back to the screen it was opened on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.views.meeting import default_team
from ceodesk.core.views.team_lists import team_after
from ceodesk.ui.screens.base import DIALOG_APP_KEYS
from ceodesk.ui.screens.form import Dialog
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.vim import RecordTable

ViewT = TypeVar("ViewT")


class FilterInput(Input):
    """The `/` filter. Enter goes back to the list as it is pressed (a priority key, run
    while the app hands out keys), so a key typed right after it reaches the list."""

    BINDINGS = [Binding("enter", "back_to_list", "Back to the list", show=False, priority=True)]

    def action_back_to_list(self) -> None:
        screen = self.screen
        if isinstance(screen, TeamListModal):
            screen.set_focus(screen.table)
            # Letters typed just before enter may still be on their way into the field.
            self.call_after_refresh(self._hide_if_empty)

    def _hide_if_empty(self) -> None:
        if not self.value.strip():
            self.remove_class("visible")


def list_keys(area: str, *, teams: bool = True) -> list[Binding]:
    """The keys every team list has: next team, close, and the app's undo and help."""
    keys = [Binding("escape", "close", "Close", id=f"{area}-close", tooltip="Back to the desk")]
    if teams:
        keys.insert(
            0,
            Binding("T", "team", "Team", id=f"{area}-team", tooltip="Show the next team's list"),
        )
    return [*keys, *DIALOG_APP_KEYS]


class TeamListModal(Dialog[None], Generic[ViewT]):
    """A team's list: ``load`` asks core for a plain view, ``show`` draws it. A dialog,
    so keys typed while it opens wait for it (ctrl+p, enter, / typed fast)."""

    TITLE = ""
    HELP = ""
    # Shown under the list, above the footer: what the marks mean, or the focused row.
    FILTER_PLACEHOLDER = ""

    def __init__(self, team_id: int | None = None) -> None:
        super().__init__()
        self.team_id = team_id
        self.filter_text = ""

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def compose(self) -> ComposeResult:
        with Vertical(id="team-list", classes="team-list"):
            if self.FILTER_PLACEHOLDER:
                yield FilterInput(placeholder=self.FILTER_PLACEHOLDER, id="list-filter")
            yield from self.compose_list()
        yield DeskFooter(compact=True)

    def compose_list(self) -> ComposeResult:
        yield RecordTable(id="team-list-table")

    def on_mount(self) -> None:
        if self.team_id is None:
            self.team_id = default_team(self.desk.db)
        self.setup_table(self.table)
        self.refresh_data()
        # At once, not later: keys held while the list opened are replayed after this,
        # and a later focus would take them from the filter that "/" opened.
        self.set_focus(self.table)

    def setup_table(self, table: RecordTable) -> None:
        """Add the columns."""

    def load(self) -> ViewT:
        raise NotImplementedError

    def show(self, view: ViewT) -> None:
        raise NotImplementedError

    def refresh_data(self) -> None:
        if self.team_id is None or not self.is_attached:
            return
        try:
            view = self.load()
        except CeodeskError as err:
            self.desk.report(err)
            return
        self.show(view)

    def run(self, call: Callable[..., Any], *args: Any) -> Any:
        """A core call for a key; a refusal is one notification and None."""
        try:
            return call(self.desk.db, *args)
        except CeodeskError as err:
            self.desk.report(err)
            return None

    def current(self) -> int | None:
        """The focused row's id; with none, a warning saying so."""
        found = self.table.current_id
        if found is None:
            self.notify(self.EMPTY, severity="warning")
        return found

    EMPTY = "Nothing here to act on."

    # -- keys -------------------------------------------------------------------------

    def action_team(self) -> None:
        if self.team_id is None:
            return
        team = self.run(team_after, self.team_id)
        if team is not None:
            self.team_id = team.id
            self.refresh_data()

    def action_close(self) -> None:
        filter_input = self.query("#list-filter")
        if filter_input and filter_input.first().has_class("visible"):
            self._clear_filter()
            return
        self.answer(None)

    # -- the filter (/) ---------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#list-filter", Input)
        if self.focused is field:
            field.insert_text_at_cursor("/")  # "/" typed into the filter itself
            return
        field.add_class("visible")
        self.set_focus(field)  # now (a priority key): the letters typed next go into it

    def _clear_filter(self) -> None:
        field = self.query_one("#list-filter", Input)
        field.value = ""
        field.remove_class("visible")
        self.filter_text = ""
        self.refresh_data()
        self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "list-filter":
            self.filter_text = event.value.strip()
            self.refresh_data()
