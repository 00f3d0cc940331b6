"""Key 6: the Friday review — what moved this week, the reflection and the CEO update."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static, TextArea
from textual_plotext import PlotextPlot

from ceodesk.core.domain.planner import carry_task
from ceodesk.core.domain.reflections import (
    ADJUSTMENTS,
    ReflectionView,
    reflection,
    save_reflection,
    save_update,
)
from ceodesk.core.domain.scorecard import format_value
from ceodesk.core.domain.tasks import archive_task, delegate_task, reschedule_task
from ceodesk.core.kernel.dates import format_day, shift_week, week_key
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.views.ceo_update import update_text
from ceodesk.core.views.review import (
    KpiLine,
    MonthReview,
    Review,
    ReviewMemo,
    Rows,
    month_of_week,
    month_title,
    monthly_review,
    shift_month,
    time_line_text,
    weekly_review,
)
from ceodesk.ui.screens.base import DIALOG_APP_KEYS, DeskModal, DeskScreen, drawn_as
from ceodesk.ui.screens.form import (
    ChoiceField,
    DateField,
    Dialog,
    FormScreen,
    FormValues,
    TextAreaField,
    TextField,
)
from ceodesk.ui.screens.task_dialogs import DelegateScreen
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.topbar import TopBar
from ceodesk.ui.widgets.vim import RecordTable

GRADE_STYLES = {
    "exceeds": "bold #54a24b",
    "on target": "#54a24b",
    "slightly behind": "#f0b429",
    "off target": "bold #e45756",
    "no value": "dim",
}
WIDE_ENOUGH_FOR_CHART = 110  # columns; narrower, the chart goes under the scorecard
LINE_TABLES = ("time", "rocks", "tasks", "carry", "people")


@dataclass(frozen=True)
class ReviewData:
    """What the screen shows, loaded in one go (see DeskScreen's load/show)."""

    review: Review
    reflection: ReflectionView | None
    month: MonthReview | None  # when the month view is on


def drawn_rows(rows: Iterable[tuple[int, Sequence[object]]]) -> tuple[object, ...]:
    return tuple((record_id, tuple(map(drawn_as, cells))) for record_id, cells in rows)


class LineTable(RecordTable):
    """A panel of lines; each remembers the rows it was computed from (enter shows them)."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.show_header = False
        self.sources: list[tuple[str, Rows]] = []
        self.carry_ids: list[int] = []
        self.drawn: tuple[object, ...] | None = None  # the lines as last drawn

    def show_lines(self, lines: list[tuple[Text | str, str, Rows]]) -> None:
        """(shown text, the figure's words, its rows) per line. The same lines again
        leave the table alone: nothing to lay out or paint (issue 13)."""
        if not self.columns:
            self.add_column("line")
        self.sources = [(words, rows) for _shown, words, rows in lines]
        rows = [(i, (shown,)) for i, (shown, _w, _r) in enumerate(lines)]
        drawn = drawn_rows(rows)
        if drawn != self.drawn:
            self.drawn = drawn
            self.show_rows(rows, keep=None)


class RowsScreen(DeskModal):
    """`enter` on a figure: the stored rows it was computed from."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", id="rows-close")]

    def __init__(self, figure: str, rows: Rows) -> None:
        super().__init__()
        self.figure = figure
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="review-rows", classes="dialog wide"):
            yield Static(Text(self.figure, style="bold"))
            body = "\n".join(f"{r.kind:>9}  {r.text}" for r in self.rows)
            with VerticalScroll():
                yield Static(body or Text("Computed from no stored rows.", style="dim"))
            yield Static("esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        count = len(self.rows)
        self.query_one(
            "#review-rows"
        ).border_title = f"Computed from {count} row{'s' if count != 1 else ''}"


class UpdateScreen(Dialog[bool]):
    """`W`: the CEO update drafted as Markdown, edited here before it is saved."""

    ERROR_AT = "#update-error"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="update-save"),
        Binding("escape", "cancel", "Cancel", id="update-cancel"),
        *DIALOG_APP_KEYS[1:],
    ]

    def __init__(self, week: str, draft: str) -> None:
        super().__init__()
        self.week = week
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(id="update", classes="dialog wide"):
            yield TextArea(self.draft, id="update-text", language="markdown")
            yield Static(id="update-error")
            yield Static(
                "ctrl+s saves (ceodesk update prints it) · esc cancels", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#update").border_title = f"Weekly CEO update · {self.week}"
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text

        def save() -> bool:
            save_update(self.desk.db, self.week, text, self.desk.now())
            return True

        self.submit(save)

    def action_cancel(self) -> None:
        self.answer(False)


class ReviewScreen(DeskScreen):
    AREA = "review"
    TITLE = "Friday review"
    HELP = """\
## Friday review — what moved this week

The headline sums the week up. **Scorecard**: each measurable against its goal (exceeds
/ on target / slightly behind / off target), its change from last week and from the
13-week average (a percent measurable in points), and streaks off goal; `j`/`k` choose
the measurable the chart plots against its goal line. **Time**: planned against actual
per category and Rock, the share on Rock-linked and Q2 work, skipped blocks, meetings
that ran over. **Rocks**, **Tasks and to-dos**, **People and bottlenecks** follow.

`tab` moves between panels; `enter` on a line shows the stored rows it was computed
from. `[`/`]` step a week (a month in the month view), `t` comes back to this week, `m`
shows the month at a glance (each ISO week counts in the month of its Thursday).

**Carry over** lists unfinished tasks of the week: `>` gives one a block next week
(where next week has no free deep-work time, its due day moves there instead, on the
same weekday), `r` reschedules it, `g` delegates it, `x` drops it (archives it; `u`
undoes any of them).
`n` writes the week's reflection (wins, lessons, next week's focus, the adjustment),
which the planner shows again next week. `W` drafts the weekly CEO update to edit and
save; `ceodesk update` prints it.
"""

    BINDINGS = [
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Prev",
            id="review-previous",
            key_display="[",
            tooltip="The week before (the month before in the month view)",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Next",
            id="review-next",
            key_display="]",
            tooltip="The week after (the month after in the month view)",
        ),
        Binding("t", "this_week", "This week", id="review-today", tooltip="Back to this week"),
        Binding("m", "month", "Month", id="review-month", tooltip="The month at a glance"),
        Binding("n", "reflect", "Reflect", id="review-reflect", tooltip="Write the reflection"),
        Binding("W", "update", "CEO update", id="review-update", tooltip="Draft the CEO update"),
        Binding(
            "greater_than_sign",
            "carry_next",
            "Next wk",
            id="review-carry-next",
            key_display=">",
            tooltip="Carry over: give the task a block next week",
        ),
        Binding(
            "r",
            "carry_reschedule",
            "Resched.",
            id="review-reschedule",
            tooltip="Carry over: give the task a new due date",
        ),
        Binding(
            "g", "carry_delegate", "Delegate", id="review-delegate", tooltip="Carry over: delegate"
        ),
        Binding(
            "x",
            "carry_drop",
            "Drop",
            id="review-drop",
            tooltip="Carry over: drop the task (archive it; undo: u)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.week: str | None = None
        self.month_view = False
        self.month: str | None = None
        self.data: ReviewData | None = None
        self.memo = ReviewMemo()  # what the last load made, for the next to reuse

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(id="review-headline")
        with VerticalScroll(id="review-body"):
            with Horizontal(id="review-top"):
                yield RecordTable(id="review-scorecard")
                yield PlotextPlot(id="review-chart")
            for name in LINE_TABLES:
                yield LineTable(id=f"review-{name}")
            yield LineTable(id="review-month-table")
        yield DeskFooter(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < WIDE_ENOUGH_FOR_CHART, "narrow")

    def on_mount(self) -> None:
        self.set_class(self.size.width < WIDE_ENOUGH_FOR_CHART, "narrow")
        # tab steps between the panels, not onto the body that scrolls them
        self.query_one("#review-body").can_focus = False
        table = self.query_one("#review-scorecard", RecordTable)
        table.add_columns("Measurable", "Value", "Goal", "Status", "vs last wk", "vs 13-wk avg")
        titles = {
            "time": "Time: plan vs. reality",
            "rocks": "Rocks",
            "tasks": "Tasks and to-dos",
            "carry": "Carry over · > next week · r reschedule · g delegate · x drop",
            "people": "People and bottlenecks",
        }
        for name, title in titles.items():
            self.query_one(f"#review-{name}").border_title = title
        self.week = week_key(self.desk.today())
        self.refresh_data()
        table.focus()

    # -- data -------------------------------------------------------------------------

    def load(self) -> ReviewData:
        assert self.week is not None
        db, now = self.desk.db, self.desk.now()
        review = weekly_review(db, self.week, now, self.memo)
        month = None
        if self.month_view:
            month = monthly_review(db, self.month or month_of_week(self.week), now)
        return ReviewData(review, reflection(db, review.week), month)

    def show(self, data: ReviewData) -> None:
        self.data = data
        review = data.review
        parts = ["[b]Friday review[/b]", review.title, review.week]
        if not review.is_current:
            parts.append("[#f0b429]t: back to this week[/]")
        if data.month is not None:
            parts = ["[b]Month at a glance[/b]", data.month.title, "m: back to the week"]
        self.query_one(TopBar).say("  ·  ".join(parts))
        month_mode = data.month is not None
        self.show_static("#review-headline", Text(review.headline, style="bold #4c9be8"))
        self.query_one("#review-headline").display = not month_mode
        self.query_one("#review-top").display = not month_mode
        for name in LINE_TABLES:
            self.query_one(f"#review-{name}").display = not month_mode
        month_table = self.query_one("#review-month-table", LineTable)
        month_table.display = month_mode
        if data.month is not None:
            self._show_month(data.month)
            return
        self._show_scorecard(review)
        self._show_lines(review, data.reflection)

    def refresh_data(self) -> None:
        if self.week is not None:  # on_mount sets the week
            super().refresh_data()

    # What the panels' titles and the scorecard table show now: a redraw that brings the
    # same leaves them alone, with nothing to lay out or paint again (issue 13).
    _drawn: dict[str, object]
    _drawn_scorecard: tuple[object, ...] | None = None

    def _title(self, selector: str, title: str) -> None:
        """A panel's border title: set again, even to the same words, Textual repaints
        the whole panel."""
        drawn = self.__dict__.setdefault("_drawn", {})
        key = f"{selector} title"
        if drawn.get(key) != title:
            drawn[key] = title
            self.query_one(selector).border_title = title

    def _show_scorecard(self, review: Review) -> None:
        table = self.query_one("#review-scorecard", RecordTable)
        card = review.scorecard
        self._title("#review-scorecard", f"Scorecard · {card.summary}")
        # The words each row is drawn from: its cells are made only when they changed.
        drawn = tuple(
            (k.id, k.name, k.value_text, k.goal_text, k.grade, k.change_text, k.vs_average_text)
            for k in card.lines
        )
        if drawn != self._drawn_scorecard:
            self._drawn_scorecard = drawn
            table.show_rows(
                (
                    (
                        line.id,
                        (
                            line.name,
                            line.value_text or Text("—", style="dim"),
                            line.goal_text,
                            Text(line.grade, style=GRADE_STYLES.get(line.grade, "")),
                            line.change_text,
                            line.vs_average_text,
                        ),
                    )
                    for line in card.lines
                ),
                keep=None,
            )
        self._show_chart()  # its 13 weeks may have changed behind the same cells

    def _current_kpi(self) -> KpiLine | None:
        if self.data is None:
            return None
        table = self.query_one("#review-scorecard", RecordTable)
        wanted = table.current_id
        return next((k for k in self.data.review.scorecard.lines if k.id == wanted), None)

    # What the chart plots now: plotted again only when it changes (issue 13).
    _charted: object = None

    def _show_chart(self) -> None:
        chart = self.query_one("#review-chart", PlotextPlot)
        line = self._current_kpi()
        charted = None if line is None else (line.name, line.unit, tuple(line.chart))
        if charted is not None and charted == self._charted:
            return
        self._charted = charted
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        if line is None:
            chart.border_title = "Chart"
            chart.refresh()
            return
        weeks = [int(week.split("W")[1]) for week, _v, _g in line.chart]
        xs = list(range(len(weeks)))
        points = [(x, v) for x, (_w, v, _g) in zip(xs, line.chart, strict=True) if v is not None]
        if points:
            plt.plot([p[0] for p in points], [p[1] for p in points], marker="braille")
        plt.plot(xs, [g for _w, _v, g in line.chart], color="orange")
        plt.xticks([float(x) for x in xs[::3]], [f"W{w}" for w in weeks[::3]])
        values = [v for _x, v in points] + [g for _w, _v, g in line.chart]
        low, high = min(values), max(values)
        ticks = [low + (high - low) * n / 3 for n in range(4)] if high > low else [low]
        plt.yticks(ticks, [format_value(t, line.unit) for t in ticks])
        plt.title("")
        chart.border_title = f"{line.name} · 13 weeks · orange: goal"
        chart.refresh()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "review-scorecard" and self.data is not None:
            self._show_chart()

    def _show_lines(self, review: Review, reflected: ReflectionView | None) -> None:
        time_ = review.time
        time_lines: list[tuple[Text | str, str, Rows]] = [
            (
                f"Total: {time_.actual_text} done of {time_.planned_text} planned",
                "Total time",
                time_.rows,
            ),
            *((f"▪ {time_line_text(t)}", time_line_text(t), t.rows) for t in time_.categories),
            *((f"◆ {time_line_text(t)}", time_line_text(t), t.rows) for t in time_.rocks),
            (time_.rock_share.text, time_.rock_share.text, time_.rock_share.rows),
            (time_.q2_share.text, time_.q2_share.text, time_.q2_share.rows),
            *(
                (Text(f"Skipped: {b.text}", style="#f0b429"), f"Skipped: {b.text}", b.rows)
                for b in time_.skipped
            ),
            *(
                (Text(f"Ran over: {b.text}", style="#e45756"), f"Ran over: {b.text}", b.rows)
                for b in time_.ran_over
            ),
        ]
        self.query_one("#review-time", LineTable).show_lines(time_lines)
        rocks = review.rocks
        rock_lines: list[tuple[Text | str, str, Rows]] = []
        for label, group, style in (
            ("Changed", rocks.changes, ""),
            ("Done", rocks.rocks_done, "#54a24b"),
            ("Milestone", rocks.milestones_done, "#54a24b"),
            ("Off track 3+ weeks", rocks.off_track_long, "#e45756"),
            ("Off track, almost no hours", rocks.off_track_no_hours, "#e45756"),
        ):
            rock_lines += [(Text(f"{label}: {r.text}", style=style), r.text, r.rows) for r in group]
        if not rock_lines:
            rock_lines = [(Text("No Rock changed status this week.", style="dim"), "", ())]
        self.query_one("#review-rocks", LineTable).show_lines(rock_lines)
        tasks = review.tasks
        done = ", ".join(f"{c.label} {c.count}" for c in tasks.done_by_quadrant)
        task_lines: list[tuple[Text | str, str, Rows]] = [
            (
                f"Done: {done}",
                "Tasks done",
                tuple(r for c in tasks.done_by_quadrant for r in c.rows),
            ),
            (f"Overdue: {tasks.overdue.count}", "Overdue tasks", tasks.overdue.rows),
            (
                f"Delegated, awaiting follow-up: {tasks.awaiting_follow_up.count}",
                "Delegated, awaiting follow-up",
                tasks.awaiting_follow_up.rows,
            ),
            (f"Team to-dos: {tasks.todo_text}", "To-do completion", tasks.todo_rows),
            (f"Meeting rating: {tasks.meeting_text}", "Meeting rating", tasks.meeting_rows),
        ]
        if reflected is not None:
            task_lines.append(
                (
                    Text(f"Reflection: {reflected.focus or reflected.wins}", style="#4c9be8"),
                    "Reflection",
                    (),
                )
            )
        self.query_one("#review-tasks", LineTable).show_lines(task_lines)
        carry = self.query_one("#review-carry", LineTable)
        carry.show_lines(
            [(f"{c.title} · {c.why}", c.title, c.rows) for c in review.carry_over]
            or [(Text("Nothing to carry over.", style="dim"), "", ())]
        )
        carry.carry_ids = [c.task_id for c in review.carry_over]
        people: list[tuple[Text | str, str, Rows]] = [
            (Text(p.text, style="bold #e45756" if p.bottleneck else ""), p.text, p.rows)
            for p in review.people
        ]
        nobody: list[tuple[Text | str, str, Rows]] = [
            (Text("Nobody has open items.", style="dim"), "", ())
        ]
        self.query_one("#review-people", LineTable).show_lines(list(people) or nobody)

    def _show_month(self, month: MonthReview) -> None:
        table = self.query_one("#review-month-table", LineTable)
        self._title("#review-month-table", f"{month.title} vs {month_title(month.previous)}")
        weeks = f"Weeks {month.weeks[0]} to {month.weeks[-1]}. {month.rule}"
        lines: list[tuple[Text | str, str, Rows]] = [(Text(weeks, style="dim"), "", ())]
        lines += [
            (
                f"{line.name} ({line.combine}): {line.current_text or '—'} vs "
                f"{line.previous_text or '—'} {line.change_text}".rstrip(),
                line.name,
                line.rows,
            )
            for line in month.lines
        ]
        if len(lines) == 1:
            lines.append((Text("No measurables yet.", style="dim"), "", ()))
        table.show_lines(lines)
        table.focus()

    # -- figures --------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        if isinstance(table, LineTable):
            if table.cursor_row < len(table.sources):
                words, rows = table.sources[table.cursor_row]
                if words:
                    self.app.push_screen(RowsScreen(words, rows))
            return
        line = self._current_kpi()
        if line is not None:
            self.app.push_screen(RowsScreen(f"{line.name} · {line.grade}", line.rows))

    # -- keys -----------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        if self.week is None:
            return
        if self.month_view:
            self.month = shift_month(self.month or month_of_week(self.week), step)
        else:
            self.week = shift_week(self.week, step)
        self.refresh_data()

    def action_this_week(self) -> None:
        self.week = week_key(self.desk.today())
        self.month = None
        self.refresh_data()

    def action_month(self) -> None:
        self.month_view = not self.month_view
        self.month = None
        self.refresh_data()
        if not self.month_view:
            self.query_one("#review-scorecard").focus()

    def _run(self, action, *args):
        """A core action on the database; a refusal is reported in one sentence."""
        try:
            return action(self.desk.db, *args)
        except CeodeskError as err:
            self.desk.report(err)
            return None

    def _carry_task(self) -> int | None:
        carry = self.query_one("#review-carry", LineTable)
        if self.month_view or not carry.carry_ids:
            self.notify("Nothing to carry over here.", timeout=3)
            return None
        return carry.carry_ids[min(carry.cursor_row, len(carry.carry_ids) - 1)]

    def action_carry_next(self) -> None:
        """A block next week where there is free deep-work time, else the due day moves
        into next week: one action (one undo) either way."""
        task_id = self._carry_task()
        if task_id is None or self.data is None:
            return
        next_week = shift_week(self.data.review.week, 1)
        carried = self._run(carry_task, task_id, next_week, self.desk.now())
        if carried is not None:
            if carried.block is not None:
                day, start = carried.block
                where = f"{format_day(day)} {start:%H:%M}"
                self.notify(f"Planned a block {where}; u undoes it.", timeout=4)
            elif carried.due is not None:
                when = format_day(carried.due)
                self.notify(f"Moved to next week: due {when}; u undoes it.", timeout=4)
        self.refresh_now()

    def action_carry_reschedule(self) -> None:
        task_id = self._carry_task()
        if task_id is None:
            return

        def save(values: FormValues) -> None:
            due = values.day("due")
            assert due is not None  # a required field
            title = reschedule_task(self.desk.db, task_id, due)
            self.notify(f"“{title}” is due {format_day(due)}.", timeout=4)

        self.app.push_screen(
            FormScreen(
                "Reschedule",
                [
                    DateField(
                        "due", "New due day", placeholder="next mon, fri, 2026-12-04", required=True
                    )
                ],
                save,
            ),
            lambda saved: self.refresh_data() if saved else None,
        )

    def action_carry_delegate(self) -> None:
        task_id = self._carry_task()
        if task_id is None:
            return

        def delegate(person_id: int, follow_up: date | None) -> None:
            name = delegate_task(self.desk.db, task_id, person_id, follow_up)
            self.notify(f"Delegated to {name}", timeout=4)
            self.refresh_data()

        self.app.push_screen(DelegateScreen(task_id, save=delegate))

    def action_carry_drop(self) -> None:
        task_id = self._carry_task()
        if task_id is None:
            return
        title = self._run(archive_task, task_id, self.desk.now())
        if title:
            self.notify(f"Dropped “{title}”; u undoes it.", timeout=4)
        self.refresh_now()

    def action_reflect(self) -> None:
        if self.data is None:
            return
        week = self.data.review.week
        old = self.data.reflection

        def save(values: FormValues) -> None:
            save_reflection(
                self.desk.db,
                week,
                wins=values.text("wins"),
                lessons=values.text("lessons"),
                focus=values.text("focus"),
                adjustment_kind=values.choice("kind") or "none",
                adjustment=values.text("adjustment"),
                now=self.desk.now(),
            )

        fields = [
            TextAreaField("wins", "Wins", old.wins if old else ""),
            TextAreaField("lessons", "Lessons", old.lessons if old else ""),
            TextAreaField("focus", "Next week's focus", old.focus if old else ""),
            ChoiceField(
                "kind",
                "Adjustment to make",
                options=list(ADJUSTMENTS),
                value=old.adjustment_kind if old else "",
            ),
            TextField("adjustment", "What exactly", old.adjustment if old else ""),
        ]
        self.app.push_screen(
            FormScreen(f"Reflection on {week}", fields, save),
            lambda saved: self.refresh_data() if saved else None,
        )

    def action_update(self) -> None:
        if self.data is None:
            return
        week = self.data.review.week
        # Drafted from the review on screen: not read and computed again on the event loop.
        draft = update_text(self.desk.db, week, self.desk.now(), self.data.review)

        def saved(done: bool | None) -> None:
            if done:
                self.notify("Saved the CEO update; ceodesk update prints it.", timeout=4)
                self.refresh_data()

        self.app.push_screen(UpdateScreen(week, draft), saved)
