"""The team's issues list outside the meeting (palette "meeting: Issues list"): add with
the `ceodesk issue add` grammar, edit, drop, move between short- and long-term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from ceodesk.core.domain.issues import IssueView, drop_issue, open_issues
from ceodesk.core.kernel.dates import MONTH_ABBR
from ceodesk.core.views.meeting import add_issue_text
from ceodesk.core.views.team_lists import edit_issue, team_name, toggle_term
from ceodesk.ui.screens.base import when_saved
from ceodesk.ui.screens.form import ChoiceField, FormScreen, FormValues, TextField
from ceodesk.ui.screens.list_modal import TeamListModal, list_keys
from ceodesk.ui.screens.rock_detail import owner_choices
from ceodesk.ui.widgets.vim import RecordTable

SOURCE_NAMES = {
    "rock": "Rock",
    "measurable": "scorecard",
    "todo": "to-do",
    "decision": "decision",
    "headline": "headline",
    "segue": "segue",
}


def short_day(day: date) -> str:
    """ "25 Nov"."""
    return f"{day.day} {MONTH_ABBR[day.month - 1]}"


def first_name(name: str | None) -> str:
    return name.split()[0] if name else ""


@dataclass(frozen=True)
class IssuesList:
    team: str
    issues: tuple[IssueView, ...]  # top 3, then short-term, then long-term
    zone: tzinfo


class IssuesListScreen(TeamListModal[IssuesList]):
    AREA = "issues"
    TITLE = "Issues list"
    HELP = """\
## The team's issues list

What the weekly meeting works through in IDS (identify, discuss, solve). **1 2 3**
mark the top 3, chosen in the meeting (`r` there); then short-term issues (this
quarter), oldest first, then the long-term list. **From** says where an issue was
raised (`i` on a Rock, a measurable, a to-do).

`n` adds one with the same grammar as `ceodesk issue add`: `Support is at capacity
@dana #long` — `@name` the owner, `#long` for the long-term list. `e` or enter edits
the title and owner, `l` moves it to the long-term list and back, `x` drops it (it
leaves the list; `u` undoes). Issues are solved in the meeting (key 5), where the
decision and its to-dos are recorded. `T` shows the next team's list.
"""
    BINDINGS = [
        Binding("n", "new", "New", id="issues-new", tooltip="Add an issue: text @owner #long"),
        Binding("e,enter", "edit", "Edit", id="issues-edit", tooltip="Edit the title and owner"),
        Binding("l", "term", "Long/short", id="issues-term", tooltip="Long-term list and back"),
        Binding("x,d", "drop", "Drop", id="issues-drop", tooltip="Drop the issue (undo: u)"),
        *list_keys("issues"),
    ]
    EMPTY = "No issue here: n adds one."

    def __init__(self, team_id: int | None = None) -> None:
        super().__init__(team_id)
        self.issues: dict[int, IssueView] = {}

    def compose_list(self):
        yield RecordTable(id="team-list-table")
        yield Static(id="issues-notes", classes="list-detail")

    def setup_table(self, table: RecordTable) -> None:
        table.add_columns("", "Issue", "Owner", "Term", "Raised", "From")

    def load(self) -> IssuesList:
        assert self.team_id is not None
        db = self.desk.db
        return IssuesList(
            team_name(db, self.team_id), open_issues(db, self.team_id), self.desk.local_now().zone
        )

    def show(self, view: IssuesList) -> None:
        self.issues = {i.id: i for i in view.issues}
        rows = []
        for issue in view.issues:
            rank = Text(str(issue.rank), style="bold #f0b429") if issue.rank else ""
            term = Text("long", style="dim") if issue.long_term else "short"
            raised = short_day(issue.raised_at.astimezone(view.zone).date())
            source = SOURCE_NAMES.get(issue.source_kind or "", "")
            rows.append(
                (issue.id, (rank, issue.title, first_name(issue.owner), term, raised, source))
            )
        self.table.show_rows(rows, keep=None)
        frame = self.query_one("#team-list")
        long_count = sum(i.long_term for i in view.issues)
        frame.border_title = f"Issues list · {view.team}"
        frame.border_subtitle = (
            f"{len(view.issues) - long_count} short-term · {long_count} long-term"
            if view.issues
            else "no open issues: n adds one"
        )
        self._show_notes()

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def on_data_table_row_highlighted(self) -> None:
        self._show_notes()

    def _show_notes(self) -> None:
        notes = self.query_one("#issues-notes", Static)
        issue = self.issues.get(self.table.current_id or 0)
        text = issue.notes if issue else ""
        notes.update(Text(text, style="dim"))
        notes.display = bool(text)

    # -- keys -------------------------------------------------------------------------

    def action_new(self) -> None:
        team_id, now = self.team_id, self.desk.now()

        def save(values: FormValues) -> None:
            made = add_issue_text(self.desk.db, values.text("text"), now, team_id)
            self.notify(f"Added to the issues list: {made.title}", timeout=4)

        self.app.push_screen(
            FormScreen(
                "New issue",
                [TextField("text", "Issue", placeholder="Support is at capacity @dana #long")],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def action_edit(self) -> None:
        issue_id = self.current()
        if issue_id is None:
            return
        issue = self.issues[issue_id]

        def save(values: FormValues) -> None:
            edit_issue(self.desk.db, issue_id, values.text("title"), values.choice("owner"))

        self.app.push_screen(
            FormScreen(
                "Edit issue",
                [
                    TextField("title", "Issue", issue.title),
                    ChoiceField(
                        "owner",
                        "Owner",
                        options=[(None, "nobody"), *owner_choices(self.desk.db, issue.owner_id)],
                        value=issue.owner_id,
                    ),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def action_term(self) -> None:
        issue_id = self.current()
        if issue_id is None:
            return
        term = self.run(toggle_term, issue_id)
        if term is not None:
            where = "the long-term list" if term == "long" else "the short-term list"
            self.notify(f"Moved to {where}", timeout=3)
            self.refresh_data()

    def action_drop(self) -> None:
        issue_id = self.current()
        if issue_id is None:
            return
        title = self.run(drop_issue, issue_id, self.desk.now())
        if title is not None:
            self.notify(f"Dropped “{title}” — u to undo", timeout=4)
            self.refresh_data()
