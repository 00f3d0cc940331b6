"""One Rock opened: its SMART outcome, milestones (the completion plan), tasks and hours."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.rocks import (
    NO_UPDATE,
    add_milestone,
    delete_milestone,
    edit_rock,
    redate_milestone,
    toggle_milestone,
)
from ceodesk.core.kernel.dates import format_day, format_minutes
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.views.big_picture import big_picture
from ceodesk.core.views.rock_detail import RockDetail, rock_detail
from ceodesk.ui.screens.base import DIALOG_APP_KEYS, DeskModal, when_saved
from ceodesk.ui.screens.form import (
    ChoiceField,
    DateField,
    Field,
    FormScreen,
    FormValues,
    TextAreaField,
    TextField,
)
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.vim import RecordTable

if TYPE_CHECKING:  # annotations only: the app hands the Database in
    from ceodesk.core.store.db import Database

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


def goal_choices(
    db: Database, quarter: str, now: datetime, keep: tuple[int, str] | None = None
) -> list[tuple[int | None, str]]:
    """The 1-year goals to pick from, "no goal" first; ``keep`` (id, title) adds an
    archived goal a row still links to, so editing it does not drop the link."""
    goals: list[tuple[int | None, str]] = [(None, "no goal")]
    goals += [(g.id, g.title) for g in big_picture(db, quarter, now).goals]
    if keep is not None and keep[0] not in [g for g, _ in goals]:
        goals.append((keep[0], f"{keep[1]} (archived)"))
    return goals


def owner_choices(db: Database, keep: int | None = None) -> list[tuple[int, str]]:
    """The active team members to pick an owner from, you first (and ``keep``, the
    current owner, even when no longer active)."""
    people = [p for p in list_people(db) if p.active or p.id == keep]
    people.sort(key=lambda p: not p.is_me)
    return [(p.id, p.name) for p in people]


KIND_CHOICES = [(True, "company"), (False, "individual")]


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
        yield DeskFooter(compact=True)

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
        with self.desk.reporting():
            action(self.desk.db, *args)
            self.refresh_data()

    def action_add_milestone(self) -> None:
        def save(values: FormValues) -> None:
            add_milestone(self.desk.db, self.rock_id, values.text("title"), values.day("due"))

        self.app.push_screen(
            FormScreen(
                "Add milestone",
                [
                    TextField("title", "Milestone", placeholder="Shortlist of 3 candidates"),
                    DateField("due", "Due (fri, dec 12, 2026-12-12; empty for none)"),
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
                [DateField("due", "New date (empty for none)")],
                lambda v: redate_milestone(self.desk.db, milestone, v.day("due")),
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

        db, now = self.desk.db, self.desk.now()
        archived = (
            (rock.goal_id, rock.archived_goal) if rock.goal_id and rock.archived_goal else None
        )

        def save(values: FormValues) -> None:
            edit_rock(
                db,
                rock.id,
                title=values.text("title"),
                owner_id=values.choice("owner"),
                is_company=values.choice("kind"),
                due=values.day("due") or rock.due,
                goal_id=values.choice("goal"),
                outcome=values.text("outcome"),
                measure=values.text("measure"),
                description=values.text("notes"),
                now=now,
            )

        def text(key: str, label: str, value: str) -> Field:
            return (TextAreaField if "\n" in value else TextField)(key, label, value)

        self.app.push_screen(
            FormScreen(
                "Edit Rock",
                [
                    TextField("title", "Title", rock.title),
                    ChoiceField(
                        "owner",
                        "Owner",
                        options=owner_choices(db, keep=rock.owner_id),
                        value=rock.owner_id,
                    ),
                    ChoiceField(
                        "kind", "Company or individual", options=KIND_CHOICES, value=rock.is_company
                    ),
                    DateField("due", "Due", rock.due, default=rock.due),
                    ChoiceField(
                        "goal",
                        "1-year goal",
                        options=goal_choices(db, rock.quarter, now, keep=archived),
                        value=rock.goal_id,
                    ),
                    text("outcome", "Specific outcome", rock.outcome),
                    text("measure", "Measure of done", rock.measure),
                    TextAreaField("notes", "Notes", rock.description),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def action_close(self) -> None:
        self.dismiss(None)
