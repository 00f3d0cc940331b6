"""Key 8: the big picture — core values, the 3-year picture, 1-year goals and the strategy map."""

from __future__ import annotations

import re

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ceodesk.core.domain.goals import (
    PERSPECTIVES,
    GoalView,
    add_goal,
    archive_goal,
    edit_goal,
    link_goals,
    save_big_picture,
    set_core_values,
    unlink_goals,
)
from ceodesk.core.kernel.dates import format_day, quarter_key
from ceodesk.core.views.big_picture import BigPictureView, big_picture
from ceodesk.ui.screens.base import DeskScreen
from ceodesk.ui.screens.form import (
    PERSPECTIVE_CHOICES,
    ChoiceField,
    DateField,
    Field,
    FormScreen,
    FormValues,
    TextAreaField,
    TextField,
)
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.screens.rocks import STATUS_STYLE, status_text
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.topbar import TopBar
from ceodesk.ui.widgets.vim import RecordTable


class BigPictureScreen(DeskScreen):
    AREA = "big picture"
    TITLE = "Big picture and goals"
    HELP = """\
## Big picture — line of sight from a Rock to the 3-year picture

Core values head the screen, then the 3-year picture (`P` edits it) and the 1-year
goals. The Rocks serving the goal under the cursor are listed with their status;
Rocks without a goal and goals without a Rock this quarter are called out.

The **strategy map** places goals (strategic objectives) in the four balanced-
scorecard perspectives — learning and growth at the bottom, financial at the top —
with cause → effect links (`l` links the goal under the cursor to the one it leads
to, `L` removes one of its links; `u` undoes). `n` adds a goal, `e` edits it, `d`
archives it, `v` edits the core values.
"""

    BINDINGS = [
        Binding("n", "new_goal", "New goal", id="goals-new", tooltip="Add a 1-year goal"),
        Binding("e,enter", "edit_goal", "Edit", id="goals-edit", tooltip="Edit the goal"),
        Binding(
            "d", "archive_goal", "Archive", id="goals-archive", tooltip="Archive the goal (undo: u)"
        ),
        Binding(
            "l",
            "link",
            "Link",
            id="goals-link",
            tooltip="Link the goal to the goal it leads to (strategy map)",
        ),
        Binding(
            "L",
            "unlink",
            "Unlink",
            id="goals-unlink",
            tooltip="Remove one of the goal's strategy-map links (undo: u)",
        ),
        Binding(
            "P",
            "edit_picture",
            "3-year picture",
            id="goals-picture",
            tooltip="Edit the 3-year picture",
        ),
        Binding("v", "edit_values", "Values", id="goals-values", tooltip="Edit the core values"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: BigPictureView | None = None
        self.goals: dict[int, GoalView] = {}

    def compose(self) -> ComposeResult:
        yield TopBar()
        with VerticalScroll(id="big-picture-body"):
            yield Static(id="picture")
            yield Static("[b]1-year goals[/b]", classes="section-title")
            yield RecordTable(id="goals-table")
            yield Static(id="goal-rocks")
            yield Static(id="callouts")
            yield Static(id="strategy-map")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.add_columns("Goal", "Measurable", "Due", "Perspective", "Rocks")
        self.refresh_data()
        table.focus()

    def load(self) -> tuple[str, BigPictureView]:
        quarter = quarter_key(self.desk.today())
        return quarter, big_picture(self.desk.db, quarter, self.desk.now())

    def show(self, shown: tuple[str, BigPictureView]) -> None:
        quarter, view = shown
        self.view = view
        self.goals = {g.id: g for g in view.goals}
        values = " · ".join(name for name, _ in view.core_values) or "none yet (v)"
        self.query_one(TopBar).say(
            f"[b]Big picture[/b]  ·  {quarter}  ·  core values: [#f0b429]{values}[/]"
        )
        picture = (view.horizon, view.revenue, view.profit, view.measurables, view.picture)
        self.show_static("#picture", self._picture(view), (picture, view.core_values))
        self.query_one(RecordTable).show_rows(
            (
                (
                    goal.id,
                    (
                        goal.title,
                        goal.measurable,
                        format_day(goal.due) if goal.due else "",
                        goal.perspective or Text("–", style="dim"),
                        self._rock_summary(goal),
                    ),
                )
                for goal in view.goals
            ),
            keep=None,
        )
        self._show_goal_rocks()
        self.show_static("#callouts", self._callouts(view))
        self.show_static(
            "#strategy-map", self._strategy_map(view), (view.goals, view.by_perspective)
        )

    def on_data_table_row_selected(self) -> None:
        self.action_edit_goal()  # enter on a row: the table reports it rather than the binding

    def on_data_table_row_highlighted(self) -> None:
        if self.view is not None:
            self._show_goal_rocks()

    # -- drawing ----------------------------------------------------------------------

    def _picture(self, view: BigPictureView) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", no_wrap=True)
        table.add_column()
        horizon = format_day(view.horizon) if view.horizon else "no date yet"
        table.add_row(Text("3-year picture", style="bold #f0b429"), horizon)
        table.add_row("Revenue", view.revenue or "–")
        table.add_row("Profit", view.profit or "–")
        table.add_row("Measurables", "\n".join(view.measurables) or "–")
        table.add_row("What it looks like", view.picture or Text("not written yet (P)", "dim"))
        for name, description in view.core_values:
            table.add_row(Text(name, style="#f0b429"), Text(description, style="dim"))
        return table

    def _rock_summary(self, goal: GoalView) -> Text:
        if not goal.rocks:
            return Text("none this quarter", style="dim italic")
        counts: dict[str, int] = {}
        for rock in goal.rocks:
            counts[rock.status] = counts.get(rock.status, 0) + 1
        text = Text()
        for status, count in counts.items():  # e.g. "8● 1●": on track, off track
            text.append(f"{count}●", style=STATUS_STYLE[status][1])
            text.append(" ")
        return text

    def _show_goal_rocks(self) -> None:
        goal_id = self.query_one(RecordTable).current_id
        goal = self.goals.get(goal_id) if goal_id is not None else None
        if goal is None:
            self.show_static("#goal-rocks", Text("No goals yet: n adds one.", style="dim"))
            return
        text = Text()
        text.append(f"Rocks serving “{goal.title}”\n", style="bold")
        if not goal.rocks:
            text.append("  none this quarter\n", style="dim")
        for rock in goal.rocks:
            text.append(f"  {rock.title} — {rock.owner} — ")
            text.append_text(status_text(rock.status))
            text.append("\n")
        self.show_static("#goal-rocks", text)

    def _callouts(self, view: BigPictureView) -> Text:
        text = Text()
        if view.rocks_without_goal:
            text.append("⚠ Rocks without a goal: ", style="#f0b429")
            text.append(", ".join(r.title for r in view.rocks_without_goal) + "\n")
        if view.goals_without_rocks:
            text.append("⚠ Goals without a Rock this quarter: ", style="#f0b429")
            text.append(", ".join(g.title for g in view.goals_without_rocks) + "\n")
        return text

    def _strategy_map(self, view: BigPictureView) -> Group:
        titles = {g.id: g.title for g in view.goals}
        table = Table(
            title="Strategy map (cause → effect)",
            title_justify="left",
            title_style="bold",
            show_header=False,
            expand=True,
            show_lines=True,
            border_style="#3a404a",
        )
        table.add_column(style="bold", width=20, no_wrap=True)
        table.add_column(ratio=1)
        for perspective in (*PERSPECTIVES, None):
            goals = view.by_perspective.get(perspective, ())
            if perspective is None and not goals:
                continue
            cell = Text()
            for goal in goals:
                cell.append(f"[{goal.title}]", style="bold #4c9be8")
                if goal.effects:
                    cell.append(
                        " → " + ", ".join(titles.get(e, "?") for e in goal.effects), style="#72b7b2"
                    )
                if goal.measurables:
                    cell.append("  measured by " + ", ".join(goal.measurables), style="dim")
                rocks = len(goal.rocks)
                cell.append(f"  {rocks} Rock{'s' if rocks != 1 else ''}\n", style="dim")
            table.add_row(
                (perspective or "no perspective").capitalize(),
                cell if goals else Text("–", style="dim"),
            )
        return Group(Text(""), table)

    # -- actions ----------------------------------------------------------------------

    def _goal(self) -> GoalView | None:
        goal_id = self.query_one(RecordTable).current_id
        goal = self.goals.get(goal_id) if goal_id is not None else None
        if goal is None:
            self.notify("No goal here: n adds one.", severity="warning")
        return goal

    def _goal_fields(self, goal: GoalView | None) -> list[Field]:
        return [
            TextField("title", "Goal", goal.title if goal else "", "Grow ARR to $18M"),
            TextField("measurable", "Measurable", goal.measurable if goal else "", "$18M ARR"),
            DateField("due", "Due", goal.due if goal else None, "2027-12-31"),
            ChoiceField(
                "perspective",
                "Perspective",
                options=PERSPECTIVE_CHOICES,
                value=goal.perspective if goal else None,
            ),
        ]

    def _refresh_after(self, saved: bool | None) -> None:
        if saved:
            self.refresh_data()

    def action_new_goal(self) -> None:
        def save(v: FormValues) -> None:
            add_goal(
                self.desk.db,
                v.text("title"),
                measurable=v.text("measurable"),
                due=v.day("due"),
                perspective=v.choice("perspective"),
            )

        self.app.push_screen(
            FormScreen("New 1-year goal", self._goal_fields(None), save), self._refresh_after
        )

    def action_edit_goal(self) -> None:
        goal = self._goal()
        if goal is None:
            return

        def save(v: FormValues) -> None:
            edit_goal(
                self.desk.db,
                goal.id,
                title=v.text("title"),
                measurable=v.text("measurable"),
                due=v.day("due"),
                perspective=v.choice("perspective"),
            )

        self.app.push_screen(
            FormScreen("Edit goal", self._goal_fields(goal), save), self._refresh_after
        )

    def action_archive_goal(self) -> None:
        goal = self._goal()
        if goal is None:
            return
        with self.desk.reporting():
            title = archive_goal(self.desk.db, goal.id)
            self.notify(f"Archived “{title}” — u to undo")
            self.refresh_data()

    def action_link(self) -> None:
        goal = self._goal()
        if goal is None:
            return

        others = [(g.id, g.title) for g in self.goals.values() if g.id != goal.id]
        self.app.push_screen(
            FormScreen(
                f"“{goal.title}” leads to…",
                [
                    ChoiceField(
                        "effect",
                        "Goal it leads to (type words of its title)",
                        options=others,
                        empty="There is no other goal to link to: n adds one.",
                    )
                ],
                lambda v: link_goals(self.desk.db, goal.id, v.choice("effect")),
            ),
            self._refresh_after,
        )

    def action_unlink(self) -> None:
        goal = self._goal()
        if goal is None:
            return
        titles = {g.id: g.title for g in self.goals.values()}
        links = [(goal.id, e, f"→ leads to “{titles[e]}”") for e in goal.effects]
        links += [(c, goal.id, f"← follows from “{titles[c]}”") for c in goal.causes]
        if not links:
            self.notify(f"“{goal.title}” has no links to remove.", severity="warning")
            return

        def chosen(link: tuple[int, int] | None) -> None:
            if link is None:
                return
            with self.desk.reporting():
                unlink_goals(self.desk.db, *link)
                self.notify(f"Removed the link {titles[link[0]]} → {titles[link[1]]} — u to undo")
                self.refresh_data()

        self.app.push_screen(
            PickScreen(
                "Remove which link?",
                [(str(n), (c, e), label) for n, (c, e, label) in enumerate(links[:9], 1)],
                subject=goal.title,
            ),
            chosen,
        )

    def action_edit_picture(self) -> None:
        view = self.view
        assert view is not None

        def save(v: FormValues) -> None:
            save_big_picture(
                self.desk.db,
                horizon=v.day("horizon"),
                revenue=v.text("revenue"),
                profit=v.text("profit"),
                measurables=v.text("measurables"),
                picture=v.text("picture"),
            )

        self.app.push_screen(
            FormScreen(
                "3-year picture",
                [
                    DateField("horizon", "Date", view.horizon, "2029-12-31"),
                    TextField("revenue", "Revenue", view.revenue),
                    TextField("profit", "Profit", view.profit),
                    TextAreaField(
                        "measurables", "Measurables (one per line)", "\n".join(view.measurables)
                    ),
                    TextAreaField("picture", "What it looks like", view.picture),
                ],
                save,
            ),
            self._refresh_after,
        )

    def action_edit_values(self) -> None:
        view = self.view
        assert view is not None

        def save(v: FormValues) -> None:
            values = []
            for part in re.split(r"[;\n]", v.text("values")):
                name, _, description = part.partition(":")
                if name.strip():
                    values.append((name.strip(), description.strip()))
            set_core_values(self.desk.db, values)

        current = "\n".join(f"{n}: {d}" if d else n for n, d in view.core_values)
        self.app.push_screen(
            FormScreen(
                "Core values",
                [TextAreaField("values", "Values, one per line (name: a few words)", current)],
                save,
            ),
            self._refresh_after,
        )
