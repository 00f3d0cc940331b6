"""Key 3: the quarter's Rocks, company and individual, with weekly status and the score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ceodesk.core.domain.rocks import (
    NO_UPDATE,
    SCORE_TARGET,
    QuarterView,
    RockView,
    RollOverPlan,
    add_rock,
    finish_rock,
    quarter_rocks,
    rocks_by_team,
    roll_over,
    roll_over_plan,
    toggle_week_status,
)
from ceodesk.core.kernel.dates import (
    MONTH_ABBR,
    quarter_bounds,
    quarter_key,
    shift_quarter,
)
from ceodesk.core.views.kept import ScreenMemo
from ceodesk.core.views.team_lists import raise_rock
from ceodesk.ui.screens.base import DeskScreen, when_saved
from ceodesk.ui.screens.form import ChoiceField, DateField, FormScreen, FormValues, TextField
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.screens.rock_detail import (
    KIND_CHOICES,
    STATUS_STYLE,
    RockDetailScreen,
    goal_choices,
    owner_choices,
    status_text,
)
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.topbar import TopBar
from ceodesk.ui.widgets.vim import RecordTable, VimDataTable

STRIP = {"on_track": ("■", "#54a24b"), "off_track": ("■", "#e45756"), None: ("·", "#3a404a")}


def strip_text(strip: tuple[str | None, ...]) -> Text:
    """The last 13 weeks of status, oldest first: green, red, or a dot when unrecorded."""
    text = Text()
    for status in strip:
        mark, style = STRIP.get(status, STRIP[None])
        text.append(mark, style=style)
    return text


def percent(score: float | None) -> str:
    return "–" if score is None else f"{round(score * 100)}%"


def goal_text(rock: RockView) -> Text:
    """A Rock's 1-year goal; an archived one is marked as such, never shown as its goal."""
    if rock.goal:
        return Text(rock.goal)
    if rock.archived_goal:
        return Text(f"archived: {rock.archived_goal}", style="dim italic strike")
    return Text("no goal", style="dim italic")


@dataclass(frozen=True)
class RocksShown:
    """A quarter's Rocks as the table groups them (by kind, or by team)."""

    quarter: QuarterView
    groups: list[tuple[str, list[RockView]]]
    by_team: bool


class RocksScreen(DeskScreen):
    AREA = "rocks"
    TITLE = "Rocks"
    HELP = """\
## Rocks — the quarter's 90-day priorities

Company Rocks (3 to 7) and each leader's own (3 to 5); outside those ranges ceodesk
warns and never blocks. Each row: owner, status, due date, milestones done, the last
13 weeks of weekly status (green on track, red off track) and the 1-year goal it
serves. **⚑** marks a Rock off track 3 weeks or more: propose it as an issue at the
weekly meeting: `i` drops the focused Rock to the leadership team's issues list (a
second `i` says it is already there).

The quarter score is Rocks done / Rocks (dropped ones are left out and counted
apart); the target is 80%. The header also projects it: done plus on track. A Rock
with no weekly status yet shows **no update**: it is counted apart, not projected.

`space` flips this week's status (a Rock's first update is on track); it is kept per
ISO week, so history builds up. At quarter end `D` records done, not done or dropped.
`R` rolls over a quarter that has reached its last day: for each open Rock choose
carry (copied into the next quarter, the old one not done), done, not done or drop.
One `u` undoes the whole roll-over.
"""

    BINDINGS = [
        Binding("n", "new", "New", id="rocks-new", tooltip="Add a Rock to this quarter"),
        Binding(
            "enter,e",
            "open",
            "Open",
            id="rocks-open",
            tooltip="Open the Rock: outcome, milestones, tasks, hours",
        ),
        Binding(
            "space",
            "toggle_status",
            "On/off track",
            id="rocks-toggle",
            tooltip="Flip this week's status between on track and off track",
        ),
        Binding(
            "D",
            "finish",
            "Done?",
            id="rocks-finish",
            tooltip="Record done, not done or dropped (quarter end)",
        ),
        Binding(
            "left_square_bracket",
            "quarter(-1)",
            "Prev",
            id="rocks-previous",
            key_display="[",
            tooltip="The quarter before",
        ),
        Binding(
            "right_square_bracket",
            "quarter(1)",
            "Next",
            id="rocks-next",
            key_display="]",
            tooltip="The quarter after",
        ),
        Binding("t", "this_quarter", "Now", id="rocks-now", tooltip="Back to this quarter"),
        Binding(
            "g",
            "group",
            "By team",
            id="rocks-group",
            tooltip="Group by team (alignment) or by company/individual",
        ),
        Binding(
            "R",
            "roll_over",
            "Roll over",
            id="rocks-roll-over",
            show=False,
            tooltip="At a quarter's end: carry, finish or drop each open Rock",
        ),
        Binding(
            "i",
            "raise_issue",
            "Issue",
            id="rocks-issue",
            tooltip="Drop the Rock to the issues list",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.quarter: str | None = None
        self.by_team = False
        self.view: QuarterView | None = None
        self.rocks: dict[int, RockView] = {}
        self.memo = ScreenMemo()
        self._shown: RocksShown | None = None

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(id="rocks-warnings")
        yield RecordTable(id="rocks-table")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.quarter = quarter_key(self.desk.today())
        table = self.query_one(RecordTable)
        table.add_columns("Rock", "Owner", "Status", "Due", "Miles", "13 weeks", "Goal")
        self.refresh_data()
        table.focus()

    def load(self) -> RocksShown | None:
        quarter, by_team = self.quarter, self.by_team
        if quarter is None:
            return None
        now = self.desk.now()
        # Kept while what it read is unchanged, within the minute (the screen's "this week").
        minute = now.replace(second=0, microsecond=0)
        return self.memo.read(
            self.desk.db,
            "rocks",
            (quarter, by_team, minute),
            lambda: self._read(quarter, by_team, now),
        )

    def _read(self, quarter: str, by_team: bool, now: datetime) -> RocksShown:
        view = quarter_rocks(self.desk.db, quarter, now)
        if by_team:
            groups = list(rocks_by_team(self.desk.db, quarter, now))
        else:
            groups = [
                (f"Company Rocks ({len(view.company)})", list(view.company)),
                (f"Individual Rocks ({len(view.individual)})", list(view.individual)),
            ]
        return RocksShown(view, groups, by_team)

    def show(self, view: RocksShown | None) -> None:
        if view is None or view is self._shown:
            return  # nothing to show, or the read kept: drawn as it is
        self._shown = view
        self.view, groups = view.quarter, view.groups
        rows: list[tuple[int, tuple[object, ...]]] = []
        self.rocks = {}
        for index, (name, rocks) in enumerate(groups):
            rows.append((-(index + 1), (Text(name, style="bold #f0b429"), "", "", "", "", "", "")))
            for rock in rocks:
                self.rocks[rock.id] = rock
                rows.append((rock.id, self._cells(rock)))
        table = self.query_one(RecordTable)
        table.show_rows(rows, keep=None)
        if table.current_id is not None and table.current_id < 0 and len(rows) > 1:
            table.move_cursor(row=1)
        self._update_header(view.by_team)

    def _cells(self, rock: RockView) -> tuple[object, ...]:
        title = Text(rock.title)
        if rock.propose_as_issue:
            title = Text("⚑ ", style="bold #e45756") + title
        return (
            title,
            rock.owner.split()[0],
            status_text(rock.status),
            f"{rock.due.day} {MONTH_ABBR[rock.due.month - 1]}",
            rock.progress_text,
            strip_text(rock.strip),
            goal_text(rock),
        )

    def _update_header(self, by_team: bool) -> None:
        view = self.view
        assert view is not None
        target = round(SCORE_TARGET * 100)
        projected = view.projected_score
        on_target = projected is not None and projected >= SCORE_TARGET
        parts = [
            "[b]Rocks[/b]",
            f"{view.quarter} · week {view.week[-3:]}",
            f"[{'#54a24b' if on_target else '#e45756'}]projected {percent(projected)}[/]"
            f" (target {target}%)",
        ]
        unknown = view.counts.get(NO_UPDATE, 0)
        if unknown:  # neither on track nor off: left out of the projection, shown apart
            parts.append(f"[italic #f0b429]{unknown} no update[/]")
        still_running = sum(view.counts.get(s, 0) for s in ("on_track", "off_track", NO_UPDATE))
        if view.score is not None and not still_running:
            parts.append(f"score {percent(view.score)}")  # only once every Rock has ended
        counts = " ".join(
            f"{STATUS_STYLE[s][0]} {n}" for s, n in view.counts.items() if n and s != NO_UPDATE
        )
        if counts or not unknown:
            parts.append(counts or "no Rocks yet: n adds one")
        if by_team:
            parts.append("[dim]by team[/]")
        self.query_one(TopBar).say("  ·  ".join(parts))
        warnings = self.query_one("#rocks-warnings", Static)
        warnings.update(Text("  ".join(f"⚠ {w}" for w in view.warnings), style="#f0b429"))
        warnings.display = bool(view.warnings)

    def _current(self) -> RockView | None:
        rock_id = self.query_one(RecordTable).current_id
        rock = self.rocks.get(rock_id) if rock_id is not None else None
        if rock is None:
            self.notify("Move onto a Rock first, or n to add one.", severity="warning")
        return rock

    # -- actions ----------------------------------------------------------------------

    def action_quarter(self, step: int) -> None:
        assert self.quarter is not None
        self.quarter = shift_quarter(self.quarter, step)
        self.refresh_data()

    def action_this_quarter(self) -> None:
        self.quarter = quarter_key(self.desk.today())
        self.refresh_data()

    def action_group(self) -> None:
        self.by_team = not self.by_team
        self.refresh_data()

    def action_new(self) -> None:
        assert self.quarter is not None
        quarter = self.quarter
        db, now = self.desk.db, self.desk.now()
        last_day = quarter_bounds(quarter)[1]

        def save(values: FormValues) -> None:
            add_rock(
                db,
                values.text("title"),
                values.choice("owner"),
                is_company=values.choice("kind"),
                quarter=quarter,
                due=values.day("due") or last_day,
                goal_id=values.choice("goal"),
                outcome=values.text("outcome"),
                measure=values.text("measure"),
                now=now,
            )

        self.app.push_screen(
            FormScreen(
                f"New Rock · {quarter}",
                [
                    TextField("title", "Title", placeholder="Hire a VP Engineering"),
                    ChoiceField(
                        "owner",
                        "Owner",
                        options=owner_choices(db),
                        empty="Add team members first (ctrl+p, Team members).",
                    ),
                    ChoiceField("kind", "Company or individual", options=KIND_CHOICES, value=True),
                    DateField("due", "Due (empty: quarter end)", None, last_day.isoformat()),
                    ChoiceField(
                        "goal",
                        "1-year goal (type words of its title)",
                        options=goal_choices(db, quarter, now),
                    ),
                    TextField("outcome", "Specific outcome", placeholder="Offer signed by Dec 15"),
                    TextField("measure", "Measure of done", placeholder="Signed offer letter"),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def on_data_table_row_selected(self) -> None:
        self.action_open()  # enter on a row: the table reports it rather than the binding

    def action_open(self) -> None:
        rock = self._current()
        if rock is not None:
            self.app.push_screen(RockDetailScreen(rock.id), lambda _: self.refresh_data())

    def action_toggle_status(self) -> None:
        rock = self._current()
        if rock is None:
            return
        with self.desk.reporting():
            status = toggle_week_status(self.desk.db, rock.id, self.desk.now())
            self.notify(f"{rock.title}: {STATUS_STYLE[status][0]} this week", timeout=3)
            self.refresh_data()

    def action_finish(self) -> None:
        rock = self._current()
        if rock is None:
            return

        def chosen(status: str | None) -> None:
            if status is None:
                return
            with self.desk.reporting():
                finish_rock(self.desk.db, rock.id, None if status == "open" else status)
                self.refresh_data()

        self.app.push_screen(FinishScreen(rock.title), chosen)

    def action_roll_over(self) -> None:
        assert self.quarter is not None
        db = self.desk.db
        plan = None
        with self.desk.reporting():
            plan = roll_over_plan(db, self.quarter, self.desk.now())
        if plan is None:
            return

        def chosen(choices: dict[int, str] | None) -> None:
            if not choices:
                return
            with self.desk.reporting():
                done = roll_over(db, plan.source, plan.target, self.desk.now(), choices)
                self.notify(f"Rolled over {done.source}: {done.summary} — u to undo")
                self.refresh_data()

        self.app.push_screen(RollOverScreen(plan), chosen)

    def action_raise_issue(self) -> None:
        rock = self._current()
        if rock is None:
            return
        with self.desk.reporting():
            raised = raise_rock(self.desk.db, rock.id, self.desk.now())
            self.notify(raised.sentence, timeout=5)


ROLL_KEYS = (("c", "carry"), ("d", "done"), ("n", "not_done"), ("x", "dropped"))


class RollOverScreen(ModalScreen[dict[int, str] | None]):
    """`R`: the open Rocks of a quarter that has ended, one choice per Rock by one key —
    carry, done, not done, drop — then enter rolls over (one undo step)."""

    DEFAULT_CSS = """
    RollOverScreen #roll-over-table { height: 1fr; }
    RollOverScreen #roll-over-summary, RollOverScreen #roll-over-error { height: auto; }
    """
    BINDINGS = [
        *(
            Binding(key, f"choose('{choice}')", choice.replace("_", " "), id=f"roll-over-{key}")
            for key, choice in ROLL_KEYS
        ),
        Binding("enter", "confirm", "Roll over", id="roll-over-confirm", priority=True),
        Binding("escape", "cancel", "Cancel", id="roll-over-cancel"),
    ]

    def __init__(self, plan: RollOverPlan) -> None:
        super().__init__()
        self.plan = plan
        self.choices: dict[int, str] = {}
        self.answered = False

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="roll-over", classes="dialog wide"):
            yield Static(
                f"{plan.source} has ended. For each open Rock: [b #f0b429]c[/] carry into "
                f"{plan.target} (the old one counts not done) · [b #f0b429]d[/] done · "
                "[b #f0b429]n[/] not done · [b #f0b429]x[/] drop"
            )
            yield VimDataTable(id="roll-over-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="roll-over-summary")
            yield Static(id="roll-over-error")
            yield Static(
                "c/d/n/x choose · j/k move · enter rolls over · esc cancels",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#roll-over").border_title = f"Roll over {self.plan.source}"
        table = self.query_one(VimDataTable)
        table.add_column("Then", key="then", width=20)  # first, so a small terminal shows it
        table.add_column("Rock", key="rock")
        table.add_column("Owner", key="owner")
        table.add_column("Status", key="status")
        for rock in self.plan.rocks:
            table.add_row(
                self._then(None),
                rock.title,
                rock.owner.split()[0] if rock.owner else "",
                status_text(rock.status),
                key=str(rock.id),
            )
        table.focus()
        self._summarise()

    def _then(self, choice: str | None) -> Text:
        if choice is None:
            return Text("– stays open", style="dim")
        if choice == "carry":
            return Text(f"carry into {self.plan.target}", style="#4c9be8")
        if choice == "dropped":
            return Text("drop", style="dim")
        return status_text(choice)

    def _summarise(self) -> None:
        counts = {choice: 0 for _key, choice in ROLL_KEYS}
        for choice in self.choices.values():
            counts[choice] += 1
        parts = [f"carry {counts['carry']}", f"done {counts['done']}"]
        parts += [f"not done {counts['not_done']}", f"drop {counts['dropped']}"]
        left = len(self.plan.rocks) - len(self.choices)
        if left:
            parts.append(f"{left} not chosen: they stay open in {self.plan.source}")
        self.query_one("#roll-over-summary", Static).update(" · ".join(parts))

    def action_choose(self, choice: str) -> None:
        table = self.query_one(VimDataTable)
        if not self.plan.rocks:
            return
        rock = self.plan.rocks[table.cursor_row]
        self.choices[rock.id] = choice
        table.update_cell(str(rock.id), "then", self._then(choice))
        self.query_one("#roll-over-error", Static).update("")
        self._summarise()
        table.action_cursor_down()

    def action_confirm(self) -> None:
        if self.answered:
            return
        if not self.choices:
            self.query_one("#roll-over-error", Static).update(
                Text("✗ Choose for at least one Rock: c, d, n or x.", style="bold #e45756")
            )
            return
        self.answered = True
        self.dismiss(dict(self.choices))

    def action_cancel(self) -> None:
        if not self.answered:
            self.answered = True
            self.dismiss(None)


class FinishScreen(PickScreen[str]):
    """`D`: how a Rock ended — or "open" to reopen it."""

    def __init__(self, title: str) -> None:
        super().__init__(
            "How did it end?",
            [
                ("d", "done", "done"),
                ("n", "not_done", "not done"),
                ("x", "dropped", "dropped"),
                ("o", "open", "reopen"),
            ],
            subject=title,
        )
