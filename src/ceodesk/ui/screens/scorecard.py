"""Key 4: the scorecard — weekly measurables against their goals, 13 weeks at a glance."""

from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Input, Label, Static

from ceodesk.core.dates import shift_week, week_key
from ceodesk.core.errors import CeodeskError, InputError
from ceodesk.core.goals import perspective_named
from ceodesk.core.scorecard import (
    OPERATORS,
    TEMPLATES,
    UNITS,
    ScorecardRow,
    ScorecardView,
    add_measurable,
    add_template,
    archive_measurable,
    clear_value,
    edit_measurable,
    move_measurable,
    parse_value,
    record_value,
    scorecard,
    set_goal,
)
from ceodesk.core.settings import me
from ceodesk.ui.screens.base import DeskScreen
from ceodesk.ui.screens.form import Field, FormScreen
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.screens.rock_detail import find_goal_id, owner_id
from ceodesk.ui.screens.trend import TrendScreen
from ceodesk.ui.widgets.vim import VimDataTable

GRADE_STYLE = {
    "exceeds": "bold #54a24b",
    "on target": "#54a24b",
    "slightly behind": "#f0b429",
    "off target": "bold #e45756",
}
SPARK = "▁▂▃▄▅▆▇█"
FIRST_WEEK_COLUMN = 3  # owner, measurable, goal, then the weeks
_GOAL = re.compile(r"^\s*(>=|<=|=|>|<|between)\s*(.+?)\s*$", re.IGNORECASE)


def sparkline(values: list[float | None]) -> Text:
    """The trend of a row in eight heights; gaps stay blank."""
    known = [v for v in values if v is not None]
    if not known:
        return Text("")
    low, high = min(known), max(known)
    span = (high - low) or 1
    return Text(
        "".join(
            " " if v is None else SPARK[int((v - low) / span * (len(SPARK) - 1))] for v in values
        ),
        style="#4c9be8",
    )


def parse_goal(text: str, unit: str) -> tuple[str, float, float | None]:
    """ ">= 25", "<= $180", "between 92% 97%" (or "92%-97%") -> operator and value(s)."""
    match = _GOAL.match(text)
    if not match:
        raise InputError(f"“{text.strip()}” is not a goal like >= 25, <= $180 or between 92 97.")
    operator, rest = match[1].lower(), match[2]
    if operator != "between":
        return operator, parse_value(rest, unit), None
    parts = [p for p in re.split(r"\s+and\s+|\s*[–-]\s*|\s+", rest) if p]
    if len(parts) != 2:
        raise InputError("A between goal needs two values, like between 92% 97%.")
    return operator, parse_value(parts[0], unit), parse_value(parts[1], unit)


class ScorecardScreen(DeskScreen):
    AREA = "scorecard"
    TITLE = "Scorecard"
    HELP = """\
## Scorecard — the team's weekly numbers against their goals

One row per measurable: owner, goal, the trailing 13 ISO weeks (newest on the right;
`h` adds or hides this week — the weekly meeting reviews last week), average, total
where adding up makes sense, weeks on goal and a trend. Green is on goal, red off,
amber slightly behind (within the measurable's tolerance), dim empty. **⚑** marks a
measurable off goal 3 weeks running: propose it as an issue. **↗** marks a leading
indicator, **ƒ** a formula. `g` draws its trend over 52 weeks, `T` adds a template.

**Fast entry**: `e` or `enter` on a week starts entry; type the value and Enter — it
saves and moves to the next measurable, so a whole week is one value and one Enter
per row; esc stops. `12000`, `12k`, `$12,000`, `38%`, `y`/`n` and `1h30` are all
read; anything else is an inline error and nothing is stored. `x` clears a cell (undo
with `u`). Formula measurables (`won / leads`) are computed, never typed. Enter on a
name edits the measurable; `G` (or enter on the goal) changes the goal from a week
onward, and earlier weeks keep the goal they had.
"""

    BINDINGS = [
        Binding(
            "e",
            "enter_value",
            "Enter",
            id="scorecard-enter",
            tooltip="Enter values from this cell down, one Enter per row",
        ),
        Binding("x", "clear", "Clear", id="scorecard-clear", tooltip="Clear the cell (undo: u)"),
        Binding("n", "new", "New", id="scorecard-new", tooltip="Add a measurable"),
        Binding(
            "T",
            "template",
            "Template",
            id="scorecard-template",
            tooltip="Add a set of measurables from a template",
        ),
        Binding(
            "g",
            "trend",
            "Trend",
            id="scorecard-trend",
            tooltip="A larger trend chart of the measurable against its goal",
        ),
        Binding(
            "h",
            "toggle_this_week",
            "This week",
            id="scorecard-this-week",
            tooltip="Show or hide the current week",
        ),
        Binding(
            "d",
            "archive",
            "Archive",
            id="scorecard-archive",
            show=False,
            tooltip="Archive the measurable (its history stays)",
        ),
        Binding(
            "shift+up",
            "reorder(-1)",
            "Up",
            id="scorecard-move-up",
            show=False,
            tooltip="Move the measurable up",
        ),
        Binding(
            "shift+down",
            "reorder(1)",
            "Down",
            id="scorecard-move-down",
            show=False,
            tooltip="Move the measurable down",
        ),
        Binding(
            "G",
            "change_goal",
            "Goal",
            id="scorecard-goal",
            show=False,
            tooltip="Change the goal from a week onward (also enter on the goal)",
        ),
        Binding(
            "escape",
            "stop_entry",
            "Stop",
            id="scorecard-stop",
            show=False,
            tooltip="Stop entering values",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.include_this_week = False
        self.view: ScorecardView | None = None
        self.row_ids: list[int | None] = []  # None for perspective headings
        self.rows: dict[int, ScorecardRow] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield VimDataTable(id="scorecard-table", cursor_type="cell")
        with Horizontal(id="entry-bar"):
            yield Label(id="entry-label")
            yield Input(id="entry-input", classes="compact")
        yield Static(id="entry-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # Owner and name stay in view while the weeks scroll sideways (80 columns).
        self.query_one(DataTable).fixed_columns = 2
        self.refresh_data()
        self._to_last_week_column()
        self.query_one(DataTable).focus()

    # -- data -------------------------------------------------------------------------

    @property
    def end_week(self) -> str:
        this_week = week_key(self.desk.today())
        return this_week if self.include_this_week else shift_week(this_week, -1)

    def refresh_data(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        self.view = view = scorecard(self.desk.db, self.end_week)
        table.clear(columns=True)
        week_labels = [self._week_label(w) for w in view.weeks]
        table.add_columns(
            "Owner", "Measurable", "Goal", *week_labels, "Avg", "Total", "On goal", "Trend"
        )
        self.row_ids, self.rows = [], {}
        for group in view.groups:
            heading = (group.perspective or "other").capitalize()
            table.add_row("", Text(heading, style="bold #f0b429"), *([""] * (len(week_labels) + 5)))
            self.row_ids.append(None)
            for row in group.rows:
                self.rows[row.id] = row
                self.row_ids.append(row.id)
                table.add_row(*self._cells(row))
        if table.row_count:
            row, column = table.validate_cursor_coordinate(cursor)
            if self.row_ids[row] is None:  # a heading: go to the first measurable below it
                row = next((i for i in range(row, len(self.row_ids)) if self.row_ids[i]), row)
            if column < FIRST_WEEK_COLUMN:
                column = FIRST_WEEK_COLUMN + len(view.weeks) - 1
            table.cursor_coordinate = Coordinate(row, column)
        self._update_topbar()

    def _week_label(self, week: str) -> str:
        return f"W{week[-2:]}"

    def _cells(self, row: ScorecardRow) -> list[object]:
        name = Text(row.name)
        if row.propose_as_issue:
            name = Text("⚑ ", style="bold #e45756") + name
        if row.computed:
            name.append(" ƒ", style="dim")
        if row.leading:
            name.append(" ↗", style="#72b7b2")  # a leading indicator
        cells: list[object] = [row.owner.split()[0], name, Text(row.goal_text, style="dim")]
        for cell in row.cells:
            if cell.value is None:
                cells.append(Text("·", style="#3a404a"))
            else:
                cells.append(Text(cell.formatted, style=GRADE_STYLE.get(cell.grade or "", "")))
        on, counted = row.on_goal
        cells += [
            row.average_text,
            row.total_text,
            Text(row.on_goal_text, style="#54a24b" if counted and on * 2 >= counted else "#e45756"),
            sparkline([c.value for c in row.cells]),
        ]
        return cells

    def _update_topbar(self) -> None:
        view = self.view
        assert view is not None
        parts = [
            "[b]Scorecard[/b]",
            f"13 weeks to {view.end_week}",
            "this week shown (h)" if self.include_this_week else "last week on the right (h)",
            f"{len(view.rows)} measurables",
        ]
        parts += [f"[#f0b429]⚠ {w}[/]" for w in view.warnings]
        self.query_one("#topbar", Static).update("  ·  ".join(parts))

    # -- where the cursor is ----------------------------------------------------------

    def _to_last_week_column(self) -> None:
        table = self.query_one(DataTable)
        if self.view and table.row_count:
            first_row = next((i for i, r in enumerate(self.row_ids) if r is not None), 0)
            table.cursor_coordinate = Coordinate(
                first_row, FIRST_WEEK_COLUMN + len(self.view.weeks) - 1
            )

    def _cell(self) -> tuple[ScorecardRow, str] | None:
        """The measurable and week under the cursor, if it is a week cell."""
        table = self.query_one(DataTable)
        row_index, column = table.cursor_coordinate
        if row_index >= len(self.row_ids) or self.view is None:
            return None
        measurable = self.row_ids[row_index]
        week_index = column - FIRST_WEEK_COLUMN
        if measurable is None or not 0 <= week_index < len(self.view.weeks):
            return None
        return self.rows[measurable], self.view.weeks[week_index]

    def _current_row(self) -> ScorecardRow | None:
        table = self.query_one(DataTable)
        row_index = table.cursor_coordinate.row
        measurable = self.row_ids[row_index] if row_index < len(self.row_ids) else None
        if measurable is None:
            self.notify("Move onto a measurable first, or n to add one.", severity="warning")
            return None
        return self.rows[measurable]

    # -- fast entry -------------------------------------------------------------------

    def action_enter_value(self) -> None:
        target = self._cell()
        if target is None:
            self.notify("Move onto a week of a measurable to enter a value.", severity="warning")
            return
        row, week = target
        if row.computed:
            self._next_row()
            target = self._cell()
            if target is None or target[0].computed:
                self.notify(f"{row.name} is computed from a formula; it is never typed.")
                return
            row, week = target
        self._open_entry(row, week)

    def on_data_table_cell_selected(self) -> None:
        column = self.query_one(DataTable).cursor_coordinate.column
        if self._cell() is not None:
            self.action_enter_value()
        elif column == FIRST_WEEK_COLUMN - 1:  # enter on the goal: change it
            self.action_change_goal()
        else:  # enter on the owner or the name: edit the measurable
            self.action_edit()

    def action_edit(self) -> None:
        row = self._current_row()
        if row is None:
            return
        db, now = self.desk.db, self.desk.now()

        def save(v: dict[str, str]) -> None:
            tolerance = v["tolerance"].strip().rstrip("%")
            try:
                tolerance_value = float(tolerance) / 100 if tolerance else None
            except ValueError as err:
                raise InputError(f"“{v['tolerance']}” is not a tolerance like 10%.") from err
            edit_measurable(
                db,
                row.id,
                name=v["name"],
                owner_id=owner_id(db, v["owner"]),
                perspective=v["perspective"],
                leading=v["kind"].strip().lower().startswith("lead"),
                goal_id=find_goal_id(db, v["objective"], self.desk.local_now().quarter, now),
                definition=v["definition"],
                tolerance=tolerance_value,
            )

        self.app.push_screen(
            FormScreen(
                f"Edit {row.name} ({row.unit})",
                [
                    Field("name", "Name", row.name),
                    Field("owner", "Owner", row.owner),
                    Field("perspective", "Perspective", row.perspective or ""),
                    Field("kind", "Leading or lagging", row.kind),
                    Field("objective", "1-year goal it tracks", row.goal_title or ""),
                    Field("definition", "How it is counted", row.definition),
                    Field(
                        "tolerance",
                        "Tolerance (10%), or empty",
                        f"{row.tolerance * 100:g}%" if row.tolerance else "",
                    ),
                ],
                save,
            ),
            lambda saved: saved and self.refresh_data(),
        )

    def action_change_goal(self) -> None:
        row = self._current_row()
        if row is None:
            return
        week = self.end_week

        def save(v: dict[str, str]) -> None:
            operator, goal, goal_high = parse_goal(v["goal"], row.unit)
            from_week = v["from"].strip() or week
            set_goal(self.desk.db, row.id, operator, goal, goal_high, from_week)

        self.app.push_screen(
            FormScreen(
                f"Goal of {row.name}",
                [
                    Field("goal", "Goal (>= 25, <= $180, between 92% 97%)", row.goal_text),
                    Field("from", "From week (earlier weeks keep their goal)", week),
                ],
                save,
            ),
            lambda saved: saved and self.refresh_data(),
        )

    def _open_entry(self, row: ScorecardRow, week: str) -> None:
        self.query_one("#entry-bar").add_class("visible")
        self.query_one("#entry-label", Label).update(
            f"{row.name} · {week} · goal {row.goal_text}: "
        )
        cell = next(c for c in row.cells if c.week == week)
        field = self.query_one("#entry-input", Input)
        field.value = cell.formatted
        field.placeholder = {
            "yesno": "y / n",
            "duration": "1h30",
            "percent": "38%",
            "currency": "$12,000",
        }.get(row.unit, "12000 or 12k")
        self.query_one("#entry-error", Static).update("")
        field.focus()

    @on(Input.Submitted, "#entry-input")
    def _entered(self, event: Input.Submitted) -> None:
        target = self._cell()
        if target is None:
            self.action_stop_entry()
            return
        row, week = target
        error = self.query_one("#entry-error", Static)
        try:
            if event.value.strip():
                record_value(self.desk.db, row.id, week, event.value)
            else:
                clear_value(self.desk.db, row.id, week)
        except CeodeskError as err:
            error.update(Text(f"✗ {err}", style="bold #e45756"))
            return
        self.refresh_data()
        if not self._next_row():
            self.action_stop_entry()
            self.notify(f"{week} entered", timeout=3)
            return
        target = self._cell()
        if target is not None:
            self._open_entry(*target)

    def _next_row(self) -> bool:
        """Move down to the next typed measurable (headings and formulas are skipped)."""
        table = self.query_one(DataTable)
        row_index, column = table.cursor_coordinate
        for index in range(row_index + 1, len(self.row_ids)):
            measurable = self.row_ids[index]
            if measurable is not None and not self.rows[measurable].computed:
                table.cursor_coordinate = Coordinate(index, column)
                return True
        return False

    def action_stop_entry(self) -> None:
        self.query_one("#entry-bar").remove_class("visible")
        self.query_one("#entry-error", Static).update("")
        self.query_one(DataTable).focus()

    # -- other actions ----------------------------------------------------------------

    def action_clear(self) -> None:
        target = self._cell()
        if target is None:
            return
        row, week = target
        try:
            clear_value(self.desk.db, row.id, week)
        except CeodeskError as err:
            self.desk.report(err)
            return
        self.notify(f"Cleared {row.name} for {week} — u to undo", timeout=3)
        self.refresh_data()

    def action_toggle_this_week(self) -> None:
        self.include_this_week = not self.include_this_week
        self.refresh_data()
        self._to_last_week_column()

    def action_reorder(self, step: int) -> None:
        row = self._current_row()
        if row is None:
            return
        try:
            moved = move_measurable(self.desk.db, row.id, step)
        except CeodeskError as err:
            self.desk.report(err)
            return
        if moved:
            table = self.query_one(DataTable)
            self.refresh_data()
            column = table.cursor_coordinate.column
            table.cursor_coordinate = Coordinate(self.row_ids.index(row.id), column)

    def action_archive(self) -> None:
        row = self._current_row()
        if row is None:
            return
        try:
            name = archive_measurable(self.desk.db, row.id)
        except CeodeskError as err:
            self.desk.report(err)
            return
        self.notify(f"Archived {name}; its history stays — u to undo", timeout=4)
        self.refresh_data()

    def action_trend(self) -> None:
        row = self._current_row()
        if row is not None:
            self.app.push_screen(TrendScreen(row.id, row.name, row.unit, self.end_week))

    def action_template(self) -> None:
        options = [(str(i), name, name) for i, name in enumerate(TEMPLATES, 1)]

        def chosen(name: str | None) -> None:
            if name is None:
                return
            db = self.desk.db
            with db.session() as session:
                owner = me(session).id or 0
            try:
                count = add_template(db, name, owner, self.end_week)
            except CeodeskError as err:
                self.desk.report(err)
                return
            self.notify(f"Added {count} measurables from “{name}”", timeout=3)
            self.refresh_data()

        self.app.push_screen(PickScreen("Add a template", options), chosen)

    def action_new(self) -> None:
        db, now, week = self.desk.db, self.desk.now(), self.end_week

        def save(v: dict[str, str]) -> None:
            unit = v["unit"].strip().lower()
            if unit not in UNITS:
                raise InputError(f"The unit is one of {', '.join(UNITS)}.")
            operator, goal, goal_high = parse_goal(v["goal"], unit)
            assert operator in OPERATORS
            kind = v["kind"].strip().lower()
            tolerance = v["tolerance"].strip().rstrip("%")
            try:
                tolerance_value = float(tolerance) / 100 if tolerance else None
            except ValueError as err:
                raise InputError(f"“{v['tolerance']}” is not a tolerance like 10%.") from err
            add_measurable(
                db,
                v["name"],
                owner_id(db, v["owner"]),
                unit,
                operator,
                goal,
                goal_high,
                perspective=perspective_named(v["perspective"]),
                leading=kind.startswith("lead"),
                goal_id=find_goal_id(db, v["objective"], self.desk.local_now().quarter, now),
                definition=v["definition"],
                formula=v["formula"].strip() or None,
                tolerance=tolerance_value,
                from_week=week,
            )

        self.app.push_screen(
            FormScreen(
                "New measurable",
                [
                    Field("name", "Name", placeholder="Qualified leads"),
                    Field("owner", "Owner (a name)"),
                    Field("unit", "Unit (number, currency, percent, yesno, duration)", "number"),
                    Field("goal", "Goal (>= 25, <= $180, between 92% 97%)"),
                    Field("perspective", "Perspective (financial, customer, internal, learning)"),
                    Field("kind", "Leading or lagging", "lagging"),
                    Field("objective", "1-year goal it tracks (words of its title)"),
                    Field("definition", "How it is counted"),
                    Field("formula", "Formula over other measurables (won / leads), or empty"),
                    Field("tolerance", "Tolerance (10%), or empty"),
                ],
                save,
            ),
            lambda saved: saved and self.refresh_data(),
        )
