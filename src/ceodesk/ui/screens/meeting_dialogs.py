"""The meeting's start dialog: who is present, who facilitates, who scribes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ceodesk.core.kernel.errors import InputError
from ceodesk.ui.screens.form import Dialog
from ceodesk.ui.widgets.vim import VimDataTable


class StartDialog(Dialog[int | None]):
    """Everyone on the team is present at first; ``space`` marks who is not, ``f`` the
    facilitator, ``s`` the scribe, ``enter`` starts. Returns the new meeting's id."""

    ERROR_AT = "#start-error"
    BINDINGS = [
        Binding("space", "present", "Present", id="start-present", tooltip="Present or away"),
        Binding("f", "facilitator", "Facilitator", id="start-facilitator"),
        Binding("s", "scribe", "Scribe", id="start-scribe"),
        Binding("enter,ctrl+s", "start", "Start", id="start-start", priority=True),
        Binding("escape", "cancel", "Cancel", id="start-cancel"),
    ]

    def __init__(
        self,
        team: str,
        people: Sequence[tuple[int, str]],
        start: Callable[[list[int], int | None, int | None], int],
    ) -> None:
        super().__init__()
        self.team = team
        self.people = list(people)
        self.start = start
        self.present = {pid for pid, _ in people}
        self.facilitator: int | None = people[0][0] if people else None
        self.scribe: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="start-dialog", classes="dialog"):
            yield Static("Who is here? Everyone on the team is marked present.")
            yield VimDataTable(id="start-people", cursor_type="row")
            yield Static(id="start-error")
            yield Static(
                "space present/away · f facilitator · s scribe · enter starts · esc cancels",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#start-dialog").border_title = f"Start this week's {self.team} meeting"
        table = self.query_one(VimDataTable)
        table.add_column("Here", key="here", width=9)
        table.add_column("Name", key="name")
        table.add_column("Role", key="role", width=24)
        for pid, name in self.people:
            table.add_row("", name, "", key=str(pid))
        self._redraw()
        table.focus()

    def _redraw(self) -> None:
        table = self.query_one(VimDataTable)
        for pid, _name in self.people:
            here = pid in self.present
            mark = Text("[x] here", style="bold") if here else Text("[ ] away", style="dim")
            roles = [
                role
                for role, holder in (("facilitator", self.facilitator), ("scribe", self.scribe))
                if holder == pid
            ]
            table.update_cell(str(pid), "here", mark)
            table.update_cell(str(pid), "role", " and ".join(roles))

    def _focused(self) -> int | None:
        table = self.query_one(VimDataTable)
        if not self.people:
            return None
        return self.people[table.cursor_row][0]

    def action_present(self) -> None:
        pid = self._focused()
        if pid is None:
            return
        if pid in self.present:
            self.present.discard(pid)
            self.facilitator = None if self.facilitator == pid else self.facilitator
            self.scribe = None if self.scribe == pid else self.scribe
        else:
            self.present.add(pid)
        self._redraw()

    def _role(self, role: str) -> None:
        pid = self._focused()
        if pid is None:
            return
        self.present.add(pid)
        if role == "facilitator":
            self.facilitator = None if self.facilitator == pid else pid
        else:
            self.scribe = None if self.scribe == pid else pid
        self._redraw()

    def action_facilitator(self) -> None:
        self._role("facilitator")

    def action_scribe(self) -> None:
        self._role("scribe")

    def action_start(self) -> None:
        present = [pid for pid, _ in self.people if pid in self.present]

        def start() -> int:
            if not present:
                raise InputError("Mark at least one person present with space.")
            return self.start(present, self.facilitator, self.scribe)

        self.submit(start)
