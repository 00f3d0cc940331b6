"""Key 1: the week planner — time blocks on a week grid, planned against actual."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalGroup, VerticalScroll
from textual.widgets import Static

# The planner loads a part when it is first used (planner.week_plan, planner.add_block):
# the first frame, drawn from a first look, needs only its views, and no ORM (issue 13).
from ceodesk.core.domain import planner
from ceodesk.core.domain.planner import KEEP, BlockView, DeepWorkConflict, WeekPlan
from ceodesk.core.domain.reflections import ReflectionView
from ceodesk.core.kernel.dates import format_day, format_minutes, shift_week, week_key
from ceodesk.ui.screens.base import DeskScreen
from ceodesk.ui.screens.form import FieldRefusal
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.screens.week_dialogs import (
    ActualScreen,
    BlockForm,
    BlockFormScreen,
    CarryOverScreen,
    ConfirmScreen,
)
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.topbar import TopBar
from ceodesk.ui.widgets.week_grid import DayHeader, WeekGrid, clock, minutes_of, week_title

if TYPE_CHECKING:  # imported where it is used: the first frame loads no ORM
    from ceodesk.core.views.kept import ScreenMemo

WIDE_ENOUGH_FOR_PANEL = 110  # columns; below this the summary panel starts hidden (v shows it)
# The side panel's text width: #week-summary in app.tcss, 38 cells less its padding and
# border, 4 fewer when narrow.
PANEL_TEXT_WIDTH = 35
NARROW_PANEL_NARROWER = 4


class WeekScreen(DeskScreen):
    AREA = "week"
    TITLE = "Week planner"
    HELP = """\
## Week planner — shape the week, then check it against reality

Move the cursor over days and times; `n` plans a block there (shift+↑↓ first to
select a longer stretch). On a block, shift+arrows move it by a slot or a day and
`+`/`-` resize it. `a` records what really happened: enter alone means done as
planned, or type minutes (`45`, `1h30`) or `skip`. The panel compares planned and
actual time per category; `v` shows or hides it (below 110 columns it starts hidden).
Blocks that share time stand side by side: ←/→ step between them. Where blocks
overlap, each minute counts once, for the block placed inside the other (a task
scheduled into deep work counts its own time, the deep work the rest).

**Ideal week**: `T` saves this week as the template, `p` applies it to an empty week,
`c` copies last week into an empty one; unfinished tasks linked to last week's blocks
are offered for carry-over. **Focus**: `f` on a block linked to a task pins that task
as one of the day's one or two focus tasks (★ has a block that day, ☆ has none).
⚠ marks overlapping blocks and days that need a look. A meeting placed over deep work
asks first. `Repeat` in the block form makes a series — weekly, every 2 weeks,
monthly on the same weekday ("first Tuesday"), daily or weekdays — that stays at the
same wall-clock time across daylight-saving changes and keeps its task and Rock. On an
occurrence, `e` changes this one or this and following, `d` deletes this one, this and
following (ending the series) or all of it.
"""

    BINDINGS = [
        Binding("n", "new", "New", id="week-new", tooltip="Plan a block at the cursor"),
        Binding("e,enter", "edit", "Edit", id="week-edit", tooltip="Edit the block"),
        Binding(
            "a",
            "actual",
            "Actual",
            id="week-actual",
            tooltip="Record what happened (done as planned, minutes or skip)",
        ),
        Binding("d", "delete", "Delete", id="week-delete", tooltip="Delete the block (undo: u)"),
        Binding(
            "left_square_bracket",
            "week(-1)",
            "Prev",
            id="week-previous",
            key_display="[",
            tooltip="The week before",
        ),
        Binding(
            "right_square_bracket",
            "week(1)",
            "Next",
            id="week-next",
            key_display="]",
            tooltip="The week after",
        ),
        Binding("t", "this_week", "Today", id="week-today", tooltip="Back to this week"),
        Binding(
            "plus,equals_sign",
            "resize(1)",
            "Longer",
            id="week-longer",
            show=False,
            tooltip="Make the block one slot longer",
        ),
        Binding(
            "minus",
            "resize(-1)",
            "Shorter",
            id="week-shorter",
            show=False,
            tooltip="Make the block one slot shorter",
        ),
        Binding(
            "shift+up",
            "shift(0,-1)",
            "Move up",
            id="week-shift-up",
            show=False,
            tooltip="Move the block a slot earlier (or extend the selection)",
        ),
        Binding(
            "shift+down",
            "shift(0,1)",
            "Move down",
            id="week-shift-down",
            show=False,
            tooltip="Move the block a slot later (or extend the selection)",
        ),
        Binding(
            "shift+left",
            "shift(-1,0)",
            "Move left",
            id="week-shift-left",
            show=False,
            tooltip="Move the block to the day before",
        ),
        Binding(
            "shift+right",
            "shift(1,0)",
            "Move right",
            id="week-shift-right",
            show=False,
            tooltip="Move the block to the next day",
        ),
        Binding(
            "T",
            "save_ideal",
            "Save ideal",
            id="week-save-ideal",
            show=False,
            tooltip="Save this week as the ideal week",
        ),
        Binding(
            "p",
            "apply_ideal",
            "Apply ideal",
            id="week-apply-ideal",
            show=False,
            tooltip="Apply the ideal week to this empty week",
        ),
        Binding(
            "c",
            "copy_last",
            "Copy last",
            id="week-copy-last",
            show=False,
            tooltip="Copy last week's blocks into this empty week",
        ),
        Binding(
            "f",
            "focus_task",
            "Focus",
            id="week-focus",
            show=False,
            tooltip="Pin (or unpin) the block's task as a focus task of its day",
        ),
        Binding(
            "w",
            "toggle_weekend",
            "Weekend",
            id="week-weekend",
            show=False,
            tooltip="Show or hide Saturday and Sunday",
        ),
        Binding(
            "v",
            "toggle_panel",
            "Panel",
            id="week-panel",
            tooltip="Show or hide the side panel: planned vs actual, warnings, the block",
        ),
        Binding(
            "z", "zoom", "Zoom", id="week-zoom", show=False, tooltip="Rows of 15 or 30 minutes"
        ),
        Binding(
            "down,j", "cursor(0,1)", "Down", id="week-down", show=False, tooltip="A slot later"
        ),
        Binding("up,k", "cursor(0,-1)", "Up", id="week-up", show=False, tooltip="A slot earlier"),
        Binding(
            "left,h", "cursor(-1,0)", "Left", id="week-left", show=False, tooltip="The day before"
        ),
        Binding(
            "right,l", "cursor(1,0)", "Right", id="week-right", show=False, tooltip="The next day"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.week: str | None = None
        self.plan: WeekPlan | None = None
        self.panel_choice: bool | None = None  # None: shown when the screen is wide enough
        # The plan and the block under the cursor the side panel was drawn for.
        self._summary_of: tuple[WeekPlan, BlockView | None] | None = None
        self._memo: ScreenMemo | None = None

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Horizontal(id="week-body"):
            with Vertical(id="week-main"):
                grid = WeekGrid(id="week-grid")
                yield DayHeader(grid, id="day-header")
                with VerticalScroll(id="week-scroll"):
                    yield grid
            # The totals, then the block under the cursor: a cursor move redraws the
            # second only.
            with VerticalGroup(id="week-summary"):
                yield Static(id="week-totals")
                yield Static(id="week-block")
        yield DeskFooter(compact=True)

    @property
    def grid(self) -> WeekGrid:
        return self.query_one(WeekGrid)

    def on_mount(self) -> None:
        self.week = week_key(self.desk.today())
        self.refresh_data()
        self.when_drawn(self._cursor_to_now)
        self.grid.focus()

    def on_resize(self) -> None:
        self._show_panel()

    def _show_panel(self) -> None:
        wide = self.size.width >= WIDE_ENOUGH_FOR_PANEL
        shown = wide if self.panel_choice is None else self.panel_choice
        summary = self.query_one("#week-summary")
        summary.display = shown
        if summary.has_class("narrow") == wide:
            summary.set_class(not wide, "narrow")
            if self.plan is not None:
                self._update_summary()  # its columns fit the panel's new width

    def action_toggle_panel(self) -> None:
        """Show or hide the side panel; the choice holds until the next press."""
        self.panel_choice = not self.query_one("#week-summary").display
        self._show_panel()
        self.call_after_refresh(self.grid.scroll_cursor_visible)

    # -- data -------------------------------------------------------------------------

    def load(self) -> tuple[WeekPlan, ReflectionView | None] | None:
        week = self.week
        if week is None:
            return None  # not set up yet (on_mount sets the week)
        early = self.desk.first_look_of(week)
        if early is not None:  # read before the ORM loaded, for the first frame
            return early.plan, early.reflection
        from ceodesk.core.views.kept import ScreenMemo
        from ceodesk.core.views.week_view import week_view

        if self._memo is None:
            self._memo = ScreenMemo()  # what the last read made, kept while unchanged
        return week_view(self.desk.db, week, self.desk.now(), self._memo)

    def show(self, view: tuple[WeekPlan, ReflectionView | None] | None) -> None:
        if view is None:
            return
        if view[0] is self.plan and view[1] is getattr(self, "last_reflection", None):
            return  # kept, unchanged (views/week_view.py): drawn as it is
        self.plan, self.last_reflection = view
        rows = self.grid.rows if self.grid.plan is not None else None
        self.grid.plan = self.plan
        # Its height is its rows: the same rows need no layout, only a repaint.
        self.grid.refresh(layout=rows != self.grid.rows)
        self.call_after_refresh(self.grid.scroll_cursor_visible)
        self.query_one(DayHeader).refresh()
        self._update_topbar()
        self._update_summary()

    def _update_topbar(self) -> None:
        plan = self.plan
        assert plan is not None
        parts = [
            "[b]Week[/b]",
            week_title(plan),
            f"planned {format_minutes(plan.planned_minutes) if plan.planned_minutes else '0h'}",
            f"actual {format_minutes(plan.actual_minutes) if plan.actual_minutes else '0h'}",
        ]
        if week_key(plan.today) != plan.week:
            parts.append("[#f0b429]t: back to this week[/]")
        if plan.is_empty:
            parts.append("[#f0b429]empty: p ideal week · c copy last week[/]")
        self.query_one(TopBar).say("  ·  ".join(parts))

    def _update_summary(self) -> None:
        """The side panel: time per category, shares, reflection, warnings; then the
        block under the cursor."""
        plan = self.plan
        assert plan is not None
        narrow = self.query_one("#week-summary").has_class("narrow")
        rows: list[tuple[Text, Text, Text, Text]] = [
            (
                Text("category", "bold"),
                Text("plan", "bold"),
                Text("done", "bold"),
                Text("diff", "bold"),
            )
        ]
        for total in plan.totals:
            diff = total.difference_minutes
            diff_text = Text(
                ("+" if diff > 0 else "-" if diff < 0 else "") + format_minutes(abs(diff))
                if diff
                else "·",
                style="#e45756" if diff < 0 else "#54a24b" if diff > 0 else "dim",
            )
            rows.append(
                (
                    Text("██ ", style=total.colour) + Text(total.category),
                    _hours(total.planned_minutes),
                    _hours(total.actual_minutes),
                    diff_text,
                )
            )
        rows.append(
            (
                Text("total", "bold"),
                _hours(plan.planned_minutes),
                _hours(plan.actual_minutes),
                Text(),
            )
        )
        width = PANEL_TEXT_WIDTH - (NARROW_PANEL_NARROWER if narrow else 0)
        parts: list[Text] = [_columns(rows, width, 12 if narrow else 18)]
        if plan.planned_minutes:
            rock_share = round(100 * plan.rock_minutes / plan.planned_minutes)
            task_share = round(100 * plan.task_linked_minutes / plan.planned_minutes)
            parts.append(
                Text(f"\nRock time: {rock_share}% of planned time", style="bold")
                + Text(f"\nLinked to tasks: {task_share}%", style="dim")
            )
        looking_back = getattr(self, "last_reflection", None)
        if looking_back is not None and (looking_back.focus or looking_back.adjustment_text):
            # Written at last week's Friday review (key 6, n): read again on Monday.
            lines = [f"Focus: {looking_back.focus}"] if looking_back.focus else []
            if looking_back.adjustment_text:
                lines.append(f"Adjust: {looking_back.adjustment_text}")
            parts.append(
                Text("\nLast week's reflection", style="bold") + Text("\n" + "\n".join(lines))
            )
        warnings = [w for day in plan.days for w in day.warnings]
        warnings += [
            f"Overlap: {b.title} ({format_day(b.day)} {b.start:%H:%M})"
            for day in plan.days
            for b in day.blocks
            if b.overlaps
        ]
        if warnings:
            parts.append(Text("\n" + "\n".join(f"⚠ {w}" for w in warnings), style="#f0b429"))
        self.show_static("#week-totals", Text("\n").join(parts))
        self._update_block()

    def _update_block(self) -> None:
        """The foot of the side panel: the block under the cursor."""
        assert self.plan is not None
        block = self.grid.current_block
        self._summary_of = (self.plan, block)
        self.query_one("#week-block", Static).update(
            _describe(block) if block else Text("\nNo block here · n plans one", style="dim")
        )

    @on(WeekGrid.CursorMoved)
    def _cursor_moved(self) -> None:
        # The panel describes the block under the cursor: moving within a block, or
        # from one empty cell to another, leaves it as it is (no redraw, no layout).
        drawn = self._summary_of
        if self.plan is not None and (
            drawn is None or drawn[0] is not self.plan or drawn[1] is not self.grid.current_block
        ):
            self._update_block()

    def _cursor_to_now(self) -> None:
        plan = self.plan
        if plan is None:
            return
        today = next((i for i, d in enumerate(plan.days) if d.is_today), None)
        if today is None:
            self.grid.put_cursor(0, plan.day_start)
        else:
            self.grid.put_cursor(today, plan.now_time)

    def _run(self, action: Callable, *args, **kwargs):
        with self.desk.reporting():
            return action(self.desk.db, *args, **kwargs)
        return None

    def _run_guarded(
        self,
        question: str,
        action: Callable,
        *args,
        then: Callable[[BlockView], None] | None = None,
        **kwargs,
    ) -> None:
        """Run an action; if it would put a meeting over deep work, ask first. ``then``
        gets the block it returns (after the redraw); by default the cursor goes to it."""
        with self.desk.reporting():
            self._place_guarded(question, action, *args, then=then, **kwargs)

    def _place_guarded(
        self,
        question: str,
        action: Callable,
        *args,
        then: Callable[[BlockView], None] | None = None,
        **kwargs,
    ) -> None:
        """Like ``_run_guarded``, but a refusal is raised (a form shows it in place)."""
        done = then or self._show_block
        try:
            result = action(self.desk.db, *args, **kwargs)
        except DeepWorkConflict as conflict:

            def answered(yes: bool | None) -> None:
                if yes and (
                    again := self._run(action, *args, confirm_over_deep_work=True, **kwargs)
                ):
                    done(again)

            # Asked once the form that ran this has closed.
            self.call_later(self.app.push_screen, ConfirmScreen(f"{conflict} {question}"), answered)
            return
        done(result)

    def _show_block(self, block: BlockView | None) -> None:
        """Redraw and put the cursor on the block, following it into another week."""
        if isinstance(block, BlockView) and week_key(block.day) != self.week:
            self.week = week_key(block.day)
            self.notify(
                f"“{block.title}” is now on {format_day(block.day)}, in {self.week}"
                " — the view follows it ([ and ] change weeks).",
                timeout=5,
                markup=False,  # a title is shown as typed
            )
        self.refresh_data()
        if isinstance(block, BlockView):
            self.when_drawn(lambda: self.grid.select_block(block.id))

    def _block(self) -> BlockView | None:
        block = self.grid.current_block
        if block is None:
            self.notify("No block here: move onto one, or n to plan one.", severity="warning")
        return block

    # -- actions ----------------------------------------------------------------------

    def action_cursor(self, days: int, slots: int) -> None:
        self.grid.move_cursor(days, slots)

    def action_week(self, step: int) -> None:
        assert self.week is not None
        self.week = shift_week(self.week, step)
        self.refresh_data()

    def action_this_week(self) -> None:
        self.week = week_key(self.desk.today())
        self.refresh_data()
        self.when_drawn(self._cursor_to_now)

    def action_new(self) -> None:
        span = self.grid.selected_span()
        if span is None:
            return
        day, start, end = span
        minutes = minutes_of(end) - minutes_of(start)
        minutes = 60 if self.grid.selection == 0 and minutes < 60 else minutes

        def create(form: BlockForm) -> None:  # runs in the form: a refusal keeps it open
            if minutes_of(start) + form.minutes >= 24 * 60:
                raise FieldRefusal("block-duration", "A block must end on the day it starts.")
            finish = clock(minutes_of(start) + form.minutes)
            if form.repeat:
                rule = planner.repeat_rule(form.repeat, day)
                planner.add_series(
                    self.desk.db,
                    form.title,
                    form.category_id,
                    rule,
                    start,
                    finish,
                    day,
                    task_id=form.task_id,
                    rock_id=form.rock_id,
                )
                self.notify(
                    f"Planned “{form.title}”, {planner.repeat_label(form.repeat, day)}", timeout=3
                )
                self.refresh_data()
                return
            self._place_guarded(
                "Place it anyway?",
                planner.add_block,
                day,
                start,
                finish,
                form.title,
                form.category_id,
                task_id=form.task_id,
                rock_id=form.rock_id,
            )

        self.app.push_screen(
            BlockFormScreen(
                f"New block · {format_day(day)} {start:%H:%M}",
                minutes=minutes,
                day=day,
                save=create,
            )
        )

    def action_edit(self) -> None:
        block = self._block()
        if block is None:
            return

        def edit_one(guard: Callable[..., None] | None = None) -> None:
            assert form is not None
            repeat = form.repeat

            def then(view: BlockView) -> None:
                if repeat and block.series_id is None:
                    self.notify(f"“{view.title}” repeats {planner.repeat_label(repeat, view.day)}")
                self._show_block(view)

            (guard or self._run_guarded)(
                "Keep the change?",
                planner.edit_block,
                block.id,
                title=form.title,
                category_id=form.category_id,
                task_id=form.task_id,
                minutes=form.minutes,
                rock_id=form.rock_id,
                repeat=form.repeat if block.series_id is None else None,
                then=then,
            )

        def edit_following() -> None:
            assert form is not None
            changed = form.repeat != block.repeats
            repeat = form.repeat if changed else KEEP
            if (
                self._run(
                    planner.edit_series_from,
                    block.id,
                    title=form.title,
                    category_id=form.category_id,
                    minutes=form.minutes,
                    repeat=repeat,
                    task_id=form.task_id,
                    rock_id=form.rock_id,
                )
                is not None
            ):
                when = format_day(block.day)
                self.notify(
                    f"Stopped repeating “{form.title}” from {when} — u to undo"
                    if form.repeat is None
                    else f"Changed “{form.title}” from {when} on — u to undo",
                    timeout=4,
                )
                self.refresh_data()

        form: BlockForm | None = None

        def save_in_form(result: BlockForm) -> None:  # a refusal keeps the form open
            nonlocal form
            form = result
            if block.series_id is None:
                edit_one(self._place_guarded)

        def after_form(result: BlockForm | None) -> None:
            if result is None or block.series_id is None:
                return
            assert form is not None
            if form.repeat != block.repeats:  # a new repeat applies from here on
                edit_following()
            else:
                self.app.push_screen(
                    PickScreen(
                        "Change a repeating block",
                        [
                            ("t", edit_one, "this one only"),
                            ("f", edit_following, "this and following"),
                        ],
                        subject=block.title,
                    ),
                    lambda chosen: chosen() if chosen else None,
                )

        self.app.push_screen(
            BlockFormScreen(
                f"Edit block · {format_day(block.day)} {block.start:%H:%M}",
                title=block.title,
                category_id=block.category_id,
                minutes=block.planned_minutes,
                task_title=block.task_title or "",
                rock_title=(block.rock or "") if block.direct_rock_id else "",
                day=block.day,
                repeat=("" if block.repeats in (None, "custom") else block.repeats) or "",
                save=save_in_form,
            ),
            after_form,
        )

    def action_actual(self) -> None:
        block = self._block()
        if block is None:
            return

        def recorded(result: tuple[int | None, bool] | None) -> None:
            if result is None:
                return
            minutes, skipped = result
            if self._run(planner.record_actual, block.id, minutes, skipped=skipped):
                self.notify(
                    f"{block.title}: skipped"
                    if skipped
                    else f"{block.title}: {format_minutes(minutes) if minutes else '0m'} done",
                    timeout=3,
                )
                self.refresh_data()

        self.app.push_screen(ActualScreen(block.title, block.planned_minutes), recorded)

    def action_delete(self) -> None:
        block = self._block()
        if block is None:
            return
        if block.series_id is None:
            self._delete_one(block)
            return

        def chosen(scope: str | None) -> None:
            if scope == "one":
                self._delete_one(block)
            elif scope == "following" and self._run(planner.end_series, block.id):
                self.notify(
                    f"Ended “{block.title}” from {format_day(block.day)} — u to undo", timeout=4
                )
                self.refresh_data()
            elif (
                scope == "all" and (count := self._run(planner.delete_series, block.id)) is not None
            ):
                self.notify(
                    f"Deleted “{block.title}”, all {count} blocks of it — u to undo", timeout=4
                )
                self.refresh_data()

        self.app.push_screen(
            PickScreen(
                "Delete a repeating block",
                [
                    ("t", "one", "this one only"),
                    ("f", "following", "this and following (ends it)"),
                    ("a", "all", "all of them, past ones too"),
                ],
                subject=block.title,
            ),
            chosen,
        )

    def _delete_one(self, block: BlockView) -> None:
        if (title := self._run(planner.delete_block, block.id)) is not None:
            self.notify(f"Deleted “{title}” — u to undo", timeout=4)
            self.refresh_data()

    def action_resize(self, slots: int) -> None:
        block = self._block()
        if block is not None:
            resized = self._run(planner.resize_block, block.id, slots * self.grid.slot_minutes)
            if resized:
                self._show_block(resized)

    def action_shift(self, days: int, slots: int) -> None:
        block = self.grid.current_block
        if block is None:
            if slots:  # no block here: shift+up/down grows the selection for `n`
                self.grid.move_cursor(0, slots, extend=True)
            return
        minutes = slots * self.grid.slot_minutes
        with self.desk.db.coalescing("move-block"):  # moves in a row are one undo step
            self._run_guarded(
                "Move it anyway?", planner.move_block, block.id, days=days, minutes=minutes
            )

    def action_save_ideal(self) -> None:
        assert self.week is not None
        count = self._run(planner.save_ideal_week, self.week)
        if count is not None:
            self.notify(f"Saved {count} blocks as the ideal week — u to undo", timeout=4)

    def action_apply_ideal(self) -> None:
        assert self.week is not None
        count = self._run(planner.apply_ideal_week, self.week)
        if count is not None:
            self.notify(f"Planned {count} blocks from the ideal week", timeout=3)
            self.refresh_data()
            self._offer_carry_over()

    def action_copy_last(self) -> None:
        assert self.week is not None
        count = self._run(planner.copy_week, shift_week(self.week, -1), self.week)
        if count is not None:
            self.notify(f"Copied {count} blocks from last week", timeout=3)
            self.refresh_data()
            self._offer_carry_over()

    def _offer_carry_over(self) -> None:
        assert self.week is not None
        week = self.week
        tasks = self._run(planner.unfinished_linked_tasks, week)
        if not tasks:
            return

        def chosen(task_ids: list[int] | None) -> None:
            if task_ids:
                count = self._run(planner.carry_over, task_ids, week, self.desk.now())
                if count:
                    self.notify(f"Carried over {count} tasks", timeout=3)
                    self.refresh_data()

        self.app.push_screen(CarryOverScreen(tasks), chosen)

    def action_focus_task(self) -> None:
        block = self._block()
        if block is None:
            return
        if block.task_id is None:
            self.notify("Link the block to a task first (e), then pin it.", severity="warning")
            return
        pinned = self._run(planner.toggle_focus, block.day, block.task_id)
        if pinned is not None:
            verb = "Pinned" if pinned else "Unpinned"
            self.notify(f"{verb} “{block.task_title}” as focus for {format_day(block.day)}")
            self.refresh_data()

    def action_toggle_weekend(self) -> None:
        self.grid.show_weekend = not self.grid.show_weekend
        if not self.grid.show_weekend and self.grid.cursor.day >= 5:
            self.grid.move_cursor(-7)
        self.query_one(DayHeader).refresh()
        self.grid.refresh()

    def action_zoom(self) -> None:
        moment = self.grid.slot_time(self.grid.cursor.slot)
        self.grid.slot_minutes = 15 if self.grid.slot_minutes == 30 else 30
        self.grid.put_cursor(self.grid.cursor.day, moment)
        self.grid.refresh(layout=True)


def _columns(rows: list[tuple[Text, Text, Text, Text]], width: int, first_most: int) -> Text:
    """Rows of four cells as lines: the first column left-aligned, at most ``first_most``
    wide and cut with an ellipsis to fit ``width``, the others right-aligned, one space
    apart. Text, not a Rich table: the side panel is drawn again at every change of the
    week, and a table costs it ten times as much (issue 13)."""
    numbers = [
        max(cell.cell_len for cell in column) for column in list(zip(*rows, strict=True))[1:]
    ]
    first = min(first_most, max(row[0].cell_len for row in rows))
    first = max(1, min(first, width - sum(numbers) - len(numbers)))
    lines = []
    for label, *cells in rows:
        line = Text()
        line.append_text(label)  # its own style stays on it, not on the whole line
        line.truncate(first, overflow="ellipsis", pad=True)
        for cell, size in zip(cells, numbers, strict=True):
            line.append(" " * (size - cell.cell_len + 1))
            line.append_text(cell)
        lines.append(line)
    return Text("\n").join(lines)


def _hours(minutes: int) -> Text:
    return Text(format_minutes(minutes) if minutes else "·", style="" if minutes else "dim")


def _describe(block: BlockView) -> Text:
    text = Text("\n")
    text.append(block.title, style="bold")
    text.append(f"\n{format_day(block.day)} {block.start:%H:%M}–{block.end:%H:%M}")
    text.append(f"\n{block.category} · planned {format_minutes(block.planned_minutes)}")
    if block.skipped:
        text.append(" · skipped", style="#e45756")
    elif block.actual_minutes is not None:
        text.append(f" · actual {format_minutes(block.actual_minutes) or '0m'}", style="#54a24b")
    if block.task_title:
        text.append(f"\ntask: {block.task_title}", style="#72b7b2")
    if block.rock:
        text.append(f"\n◆ Rock: {block.rock}", style="#b279a2")
    if block.repeats:
        how = (
            "by a custom rule"
            if block.repeats == "custom"
            else planner.repeat_label(block.repeats, block.day)
        )
        text.append(f"\nrepeats {how} · d/e ask: this one or following", style="dim")
    if block.fixed:
        text.append("\nimported event (fixed)", style="dim")
    return text
