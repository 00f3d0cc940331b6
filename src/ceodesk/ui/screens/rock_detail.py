"""One Rock opened: its SMART outcome, milestones (the completion plan), tasks and hours."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from ceodesk.core.domain.people import find_person
from ceodesk.core.domain.rocks import (
    NO_UPDATE,
    add_milestone,
    delete_milestone,
    edit_rock,
    redate_milestone,
    toggle_milestone,
)
from ceodesk.core.kernel.dates import format_day, format_minutes, parse_day
from ceodesk.core.kernel.errors import CeodeskError, InputError
from ceodesk.core.views.big_picture import big_picture
from ceodesk.core.views.rock_detail import RockDetail, rock_detail
from ceodesk.ui.screens.base import DIALOG_APP_KEYS, DeskModal, when_saved
from ceodesk.ui.screens.form import Field, FormScreen
from ceodesk.ui.widgets.vim import RecordTable

STATUS_STYLE = {
    "on_track": ("on track", "#54a24b"),
    "off_track": ("off track", "bold #e45756"),
    NO_UPDATE: ("no update", "italic #f0b429"),
    "done": ("done", "bold #4c9be8"),
    "not_done": ("not done", "#b07070"),
    "dropped": ("dropped", "dim"),
}


def status_text(status: str) -> Text:
    label, style = STATUS_STYLE[status]
    return Text(label, style=style)


def find_goal_id(db, text: str, quarter: str, now) -> int | None:
    """A 1-year goal named by words of its title; empty text means no goal."""
    words = text.lower().split()
    if not words:
        return None
    goals = big_picture(db, quarter, now).goals
    found = [g for g in goals if all(w in g.title.lower() for w in words)]
    if len(found) != 1:
        names = ", ".join(g.title for g in goals) or "none yet (key 8 adds goals)"
        raise InputError(f"“{text.strip()}” matches {len(found)} goals; name one of: {names}.")
    return found[0].id


def owner_id(db, text: str) -> int:
    """The active team member a name points to (same rules as @name in quick add)."""
    with db.session() as session:
        return find_person(session, text).id or 0


class RockDetailScreen(DeskModal):
    TITLE = "Rock"
    HELP = """\
## A Rock

The outcome and measure of done make it SMART: specific, measurable, with a date.
Milestones are its completion plan: `n` adds one, `space` ticks it, `r` changes its
date, `d` deletes it. `e` edits the Rock itself. Tasks linked with `+rock:<slug>`
and the hours of time blocks linked to it this quarter are listed below.
"""
    BINDINGS = [
        Binding(
            "n", "add_milestone", "Milestone", id="rock-milestone-add", tooltip="Add a milestone"
        ),
        Binding(
            "space",
            "tick",
            "Tick",
            id="rock-milestone-tick",
            tooltip="Tick (or untick) the milestone",
        ),
        Binding(
            "r",
            "redate",
            "Re-date",
            id="rock-milestone-redate",
            tooltip="Change the milestone's date",
        ),
        Binding(
            "d",
            "delete_milestone",
            "Delete",
            id="rock-milestone-delete",
            tooltip="Delete the milestone (undo: u)",
        ),
        Binding("e", "edit", "Edit Rock", id="rock-edit", tooltip="Edit the Rock"),
        Binding("escape", "close", "Close", id="rock-close"),
        *DIALOG_APP_KEYS,
    ]

    def __init__(self, rock_id: int) -> None:
        super().__init__()
        self.rock_id = rock_id
        self.detail: RockDetail | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="rock-detail", classes="dialog wide"):
            yield Static(id="rock-summary")
            yield Static("[b]Milestones[/b]", classes="section-title")
            yield RecordTable(id="milestones")
            yield Static(id="rock-links")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.add_columns("", "Milestone", "Due")
        self.refresh_data()
        table.focus()

    def load(self) -> RockDetail:
        return rock_detail(self.desk.db, self.rock_id, self.desk.now())

    def _load_failed(self, error: CeodeskError) -> None:
        # The Rock went (undone, or deleted by another process): nothing left to show.
        super()._load_failed(error)
        self.dismiss(None)

    def show(self, view: RockDetail) -> None:
        self.detail = view
        rock = view.rock
        self.query_one("#rock-detail").border_title = f"Rock · {rock.quarter} · +rock:{rock.slug}"
        summary = Table.grid(padding=(0, 2))
        summary.add_column(style="dim", no_wrap=True)
        summary.add_column()
        summary.add_row("Rock", Text(rock.title, style="bold"))
        kind = "company" if rock.is_company else "individual"
        summary.add_row("Owner", f"{rock.owner} · {kind}")
        status = status_text(rock.status)
        status.append(f" · due {format_day(rock.due)}", style="")
        if rock.no_update:
            status.append(" · no weekly status yet", style="dim")
        summary.add_row("Status", status)
        summary.add_row("Goal", self._goal_text())
        summary.add_row("Outcome", rock.outcome or Text("not written yet (e)", style="dim"))
        summary.add_row("Done when", rock.measure or Text("not written yet (e)", style="dim"))
        if rock.description:
            summary.add_row("Notes", rock.description)
        if rock.propose_as_issue:
            summary.add_row(
                "",
                Text(
                    f"⚑ off track {rock.off_track_weeks} weeks running: propose it as an issue",
                    style="bold #e45756",
                ),
            )
        self.query_one("#rock-summary", Static).update(summary)
        self.query_one(RecordTable).show_rows(
            (
                (
                    m.id,
                    (
                        Text("✓", style="#54a24b") if m.done else Text("☐"),
                        Text(m.title, style="dim strike" if m.done else ""),
                        format_day(m.due) if m.due else "",
                    ),
                )
                for m in rock.milestones
            ),
            keep=None,
        )
        links = Text()
        links.append("Linked tasks\n", style="bold")
        if self.detail.tasks:
            for task in self.detail.tasks:
                links.append(
                    f"  {'✓' if task.done else '·'} {task.title}\n",
                    style="dim" if task.done else "",
                )
        else:
            links.append(f"  none — add +rock:{rock.slug} to a task\n", style="dim")
        links.append("\nTime blocks this quarter: ", style="bold")
        links.append(
            f"{format_minutes(self.detail.block_minutes) if self.detail.block_minutes else '0h'}"
            f" planned · "
            f"{format_minutes(self.detail.actual_minutes) if self.detail.actual_minutes else '0h'}"
            " actual"
        )
        self.query_one("#rock-links", Static).update(links)

    def _goal_text(self) -> Text:
        assert self.detail is not None
        rock = self.detail.rock
        if rock.goal:
            return Text(rock.goal)
        if rock.archived_goal:
            return Text(
                f"no 1-year goal (its goal “{rock.archived_goal}” is archived)", style="dim italic"
            )
        return Text("no 1-year goal", style="dim italic")

    def _milestone_id(self) -> int | None:
        milestone = self.query_one(RecordTable).current_id
        if milestone is None:
            self.notify("No milestone here: n adds one.", severity="warning")
        return milestone

    def _do(self, action, *args) -> None:
        try:
            action(self.desk.db, *args)
        except CeodeskError as err:
            self.desk.report(err)
            return
        self.refresh_data()

    def _today(self):
        return self.desk.local_now().wall

    def action_add_milestone(self) -> None:
        def save(values: dict[str, str]) -> None:
            add_milestone(
                self.desk.db, self.rock_id, values["title"], parse_day(values["due"], self._today())
            )

        self.app.push_screen(
            FormScreen(
                "Add milestone",
                [
                    Field("title", "Milestone", placeholder="Shortlist of 3 candidates"),
                    Field("due", "Due (fri, dec 12, 2026-12-12; empty for none)"),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def action_tick(self) -> None:
        milestone = self._milestone_id()
        if milestone is not None:
            self._do(toggle_milestone, milestone, self.desk.now())

    def action_redate(self) -> None:
        milestone = self._milestone_id()
        if milestone is None:
            return
        self.app.push_screen(
            FormScreen(
                "Re-date milestone",
                [Field("due", "New date (empty for none)")],
                lambda v: redate_milestone(
                    self.desk.db, milestone, parse_day(v["due"], self._today())
                ),
            ),
            when_saved(self.refresh_data),
        )

    def action_delete_milestone(self) -> None:
        milestone = self._milestone_id()
        if milestone is not None:
            self._do(delete_milestone, milestone)

    def action_edit(self) -> None:
        assert self.detail is not None
        rock = self.detail.rock

        def save(values: dict[str, str]) -> None:
            db, now = self.desk.db, self.desk.now()
            kind = values["kind"].strip().lower()
            edit_rock(
                db,
                rock.id,
                title=values["title"],
                owner_id=owner_id(db, values["owner"]),
                is_company=kind.startswith("c"),
                due=parse_day(values["due"], self._today()) or rock.due,
                goal_id=find_goal_id(db, values["goal"], rock.quarter, now),
                outcome=values["outcome"],
                measure=values["measure"],
                description=values["notes"],
                now=now,
            )

        self.app.push_screen(
            FormScreen(
                "Edit Rock",
                [
                    Field("title", "Title", rock.title),
                    Field("owner", "Owner", rock.owner),
                    Field(
                        "kind",
                        "Company or individual",
                        "company" if rock.is_company else "individual",
                    ),
                    Field("due", "Due", rock.due.isoformat()),
                    Field("goal", "1-year goal (words of its title)", rock.goal or ""),
                    Field(
                        "outcome", "Specific outcome", rock.outcome, multiline="\n" in rock.outcome
                    ),
                    Field(
                        "measure", "Measure of done", rock.measure, multiline="\n" in rock.measure
                    ),
                    Field("notes", "Notes", rock.description, multiline=True),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def action_close(self) -> None:
        self.dismiss(None)
