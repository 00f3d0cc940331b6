"""The decisions log (palette "meeting: Decisions log"): every solved issue's decision
with its date, the issue and its to-dos; `/` filters; `r` sets a "review on" date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from ceodesk.core.kernel.dates import format_day
from ceodesk.core.views.meeting import DecisionEntry
from ceodesk.core.views.team_lists import decisions_log, set_review_date, team_name
from ceodesk.ui.screens.base import when_saved
from ceodesk.ui.screens.form import DateField, FormScreen, FormValues
from ceodesk.ui.screens.issues_list import short_day
from ceodesk.ui.screens.list_modal import TeamListModal, list_keys
from ceodesk.ui.widgets.vim import RecordTable


@dataclass(frozen=True)
class DecisionsLog:
    team: str
    entries: tuple[DecisionEntry, ...]  # newest first
    zone: tzinfo


class DecisionsScreen(TeamListModal[DecisionsLog]):
    AREA = "decisions"
    TITLE = "Decisions log"
    HELP = """\
## The decisions log

Every issue the team solved, newest first: the one-line decision, the day it was
made, the issue it solved and the to-dos it produced (below the list, for the
focused decision). `/` filters by words of the decision, its issue or its to-dos;
esc clears the filter.

`r` sets a **review on** date (`in 12 weeks`, `mar 1`, `2027-03-01`; empty clears it):
on that day the decision comes back to the meeting as a proposed issue, so the team
learns which decisions held. `T` shows the next team's log.
"""
    BINDINGS = [
        Binding(
            "slash",
            "filter",
            "Filter",
            id="decisions-filter",
            tooltip="Filter by words",
            priority=True,  # the letters typed right after it go into the filter
        ),
        Binding(
            "r",
            "review",
            "Review on",
            id="decisions-review",
            tooltip="Set the date the decision comes back for review",
        ),
        *list_keys("decisions"),
    ]
    FILTER_PLACEHOLDER = "filter: words of the decision, its issue or its to-dos"
    EMPTY = "No decision here."

    def __init__(self, team_id: int | None = None) -> None:
        super().__init__(team_id)
        self.entries: dict[int, DecisionEntry] = {}

    def compose_list(self):
        yield RecordTable(id="team-list-table")
        yield Static(id="decision-detail", classes="list-detail")

    # Under this width the issue leaves the table (the panel below shows it).
    WIDE = 110

    def _columns(self) -> tuple[str, ...]:
        wide = self.app.size.width >= self.WIDE
        return ("Decided", "Decision", *(("Issue",) if wide else ()), "To-dos", "Review")

    def on_resize(self) -> None:
        if tuple(str(c.label) for c in self.table.columns.values()) != self._columns():
            self.refresh_data()

    def load(self) -> DecisionsLog:
        assert self.team_id is not None
        db = self.desk.db
        found = decisions_log(db, self.team_id, self.desk.now(), self.filter_text)
        return DecisionsLog(team_name(db, self.team_id), found, self.desk.local_now().zone)

    def show(self, view: DecisionsLog) -> None:
        self.entries = {e.decision.id: e for e in view.entries}
        columns = self._columns()
        table = self.table
        if tuple(str(c.label) for c in table.columns.values()) != columns:
            table.clear(columns=True)
            table.add_columns(*columns)
        rows = []
        for entry in view.entries:
            d = entry.decision
            done = sum(t.done for t in entry.todos)
            cells: list[object] = [short_day(d.decided_at.astimezone(view.zone).date()), d.text]
            if "Issue" in columns:
                cells.append(Text(d.issue or "", style="dim"))
            cells += [
                f"{done}/{len(entry.todos)}" if entry.todos else "",
                short_day(d.review_on) if d.review_on else "",
            ]
            rows.append((d.id, cells))
        self.table.show_rows(rows, keep=None)
        frame = self.query_one("#team-list")
        frame.border_title = f"Decisions log · {view.team}"
        count = f"{len(view.entries)} decision{'s' if len(view.entries) != 1 else ''}"
        if self.filter_text:
            count += f" matching “{self.filter_text}”"
        frame.border_subtitle = count
        self._show_detail()

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#decision-detail", Static)
        entry = self.entries.get(self.table.current_id or 0)
        if entry is None:
            detail.update(Text("No decision matches." if self.filter_text else "", style="dim"))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        grid.add_row("Decision", Text(entry.decision.text, style="bold"))
        grid.add_row("Issue", entry.decision.issue or "—")
        review = entry.decision.review_on
        grid.add_row(
            "Review",
            f"comes back on {format_day(review)}" if review else Text("none (r sets one)", "dim"),
        )
        for index, todo in enumerate(entry.todos):
            if todo.done:
                state = "done"
            elif todo.overdue:
                state = f"due {format_day(todo.due)}, {todo.due_text}"
            else:
                state = f"due {format_day(todo.due)}"
            box = "✓" if todo.done else "☐"
            grid.add_row(
                "To-dos" if index == 0 else "", f"{box} {todo.title} ({todo.owner}, {state})"
            )
        detail.update(grid)

    def action_review(self) -> None:
        decision_id = self.current()
        if decision_id is None:
            return
        entry = self.entries[decision_id]
        now = self.desk.now()

        def save(values: FormValues) -> None:
            day = set_review_date(self.desk.db, decision_id, values.day("review"), now)
            self.notify(
                f"It comes back for review on {format_day(day)}" if day else "No review date",
                timeout=4,
            )

        current = entry.decision.review_on
        self.app.push_screen(
            FormScreen(
                "Review the decision on",
                [
                    DateField(
                        "review",
                        "Review on (in 12 weeks, mar 1, 2027-03-01; empty for none)",
                        current,
                    )
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )
