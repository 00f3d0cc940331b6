"""The week planner driven with the real keys (demo week 2026-W48, now Wed 09:30)."""

from __future__ import annotations

from datetime import date, time

from textual.widgets import DataTable, Input
from ui_support import FROZEN_NOW, shown_text

from ceodesk.core.domain.planner import week_plan
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.form import FormScreen
from ceodesk.ui.screens.settings import SettingsScreen
from ceodesk.ui.screens.tasks import TasksScreen
from ceodesk.ui.screens.week import WeekScreen
from ceodesk.ui.screens.week_dialogs import (
    ActualScreen,
    BlockFormScreen,
    CarryOverScreen,
    ConfirmScreen,
)
from ceodesk.ui.widgets.task_list import TaskList
from ceodesk.ui.widgets.week_grid import DayHeader, WeekGrid

SATURDAY = date(2026, 11, 28)


def plan(app: CeodeskApp, week: str = "2026-W48"):
    return week_plan(app.db, week, FROZEN_NOW)


def blocks_on(app: CeodeskApp, day: date, week: str = "2026-W48"):
    days = {d.day: d for d in plan(app, week).days}
    return [(b.start, b.end, b.title, b.category) for b in days[day].blocks]


def grid(app: CeodeskApp) -> WeekGrid:
    return app.screen.query_one(WeekGrid)


async def to_saturday_ten(pilot) -> None:
    """From the start position (Wed 09:30): three days right, one slot down."""
    await pilot.press("l", "l", "l", "j")


async def test_the_week_opens_first_on_this_week_with_blocks_and_flags(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)):
        assert isinstance(app.screen, WeekScreen)
        topbar = str(app.screen.query_one("#topbar").render())
        assert "2026-W48" in topbar and "23–29 Nov 2026" in topbar
        header = app.screen.query_one(DayHeader).render().plain
        assert "Wed 25" in header and "★Design VP" in header
        assert "Fri 27 ⚠" in header  # its focus task has no block
        drawn = grid(app).render().plain
        assert "Write 2027" in drawn
        assert "⚠✓Cust" in drawn  # the overlapping customer call (beside the 1:1), done
        assert "now▸" in drawn
        summary = shown_text(app.screen.query_one("#week-summary"))
        assert "deep work" in summary and "Overlap" in summary
        # The cursor starts at now: Wednesday, 09:30, inside the deep-work block.
        assert grid(app).current_block.title == "Design VP Engineering interview loop"


async def test_hjkl_move_the_cursor_over_days_and_slots(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        start = grid(app).cursor
        await pilot.press("h", "k", "k")
        assert grid(app).cursor.day == start.day - 1
        assert grid(app).cursor.slot == start.slot - 2
        await pilot.press("right", "down")
        assert grid(app).cursor.day == start.day
        assert grid(app).cursor.slot == start.slot - 1


async def test_n_plans_a_block_at_the_cursor(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await to_saturday_ten(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, BlockFormScreen)
        await pilot.press(*"Board prep", "enter")
        assert isinstance(app.screen, WeekScreen)
        assert blocks_on(app, SATURDAY) == [(time(10), time(11), "Board prep", "deep work")]
        assert "Board p" in grid(app).render().plain  # a narrower weekend column


async def test_shift_down_selects_a_longer_stretch_for_a_new_block(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await to_saturday_ten(pilot)
        await pilot.press("shift+down", "shift+down", "n")
        assert app.screen.query_one("#block-duration", Input).value == "1h30"
        await pilot.press(*"Offsite planning", "enter")
        assert blocks_on(app, SATURDAY) == [
            (time(10), time(11, 30), "Offsite planning", "deep work")
        ]


async def test_a_bad_duration_is_an_inline_error(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await to_saturday_ten(pilot)
        await pilot.press("n", *"Board prep")
        app.screen.query_one("#block-duration", Input).value = "abc"
        await pilot.press("enter")
        assert isinstance(app.screen, BlockFormScreen)
        assert "not a duration" in str(app.screen.query_one("#block-error").render())
        await pilot.press("escape")
        assert blocks_on(app, SATURDAY) == []


async def test_edit_move_resize_delete_and_undo_a_block(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await to_saturday_ten(pilot)
        await pilot.press("n", *"Board prep", "enter")
        await pilot.press("enter")  # edit
        field = app.screen.query_one("#block-title", Input)
        assert field.value == "Board prep"
        field.value = "Board deck review"
        await pilot.press("enter")
        assert blocks_on(app, SATURDAY)[0][2] == "Board deck review"
        await pilot.press("shift+down")  # a slot later
        assert blocks_on(app, SATURDAY)[0][:2] == (time(10, 30), time(11, 30))
        await pilot.press("plus")
        assert blocks_on(app, SATURDAY)[0][:2] == (time(10, 30), time(12))
        await pilot.press("minus", "minus")
        assert blocks_on(app, SATURDAY)[0][:2] == (time(10, 30), time(11))
        await pilot.press("shift+right")  # to Sunday
        assert blocks_on(app, SATURDAY) == []
        assert blocks_on(app, date(2026, 11, 29))[0][2] == "Board deck review"
        await pilot.press("d")
        assert blocks_on(app, date(2026, 11, 29)) == []
        await pilot.press("u")
        assert blocks_on(app, date(2026, 11, 29))[0][2] == "Board deck review"


async def test_brackets_change_week_and_t_comes_back(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("right_square_bracket")
        assert app.screen.plan.week == "2026-W49"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.screen.plan.week == "2026-W47"
        await pilot.press("t")
        assert app.screen.plan.week == "2026-W48"


async def test_a_records_actual_time_as_planned_minutes_or_skipped(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        deep_work_before = next(t for t in plan(app).totals if t.category == "deep work")
        await pilot.press("a")  # on Wednesday's deep-work block (2h)
        assert isinstance(app.screen, ActualScreen)
        await pilot.press("enter")  # done as planned
        wednesday = plan(app).days[2].blocks[0]
        assert wednesday.actual_minutes == 120
        deep_work = next(t for t in plan(app).totals if t.category == "deep work")
        assert deep_work.actual_minutes == deep_work_before.actual_minutes + 120
        await pilot.press("a", *"1h30", "enter")
        assert plan(app).days[2].blocks[0].actual_minutes == 90
        await pilot.press("a", *"skip", "enter")
        assert plan(app).days[2].blocks[0].skipped
        await pilot.press("a", *"lots", "enter")
        assert isinstance(app.screen, ActualScreen)  # an inline error, nothing stored
        assert plan(app).days[2].blocks[0].skipped


async def test_ideal_week_saved_applied_and_carry_over_offered(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("T")  # this week becomes the ideal week
        await pilot.press("right_square_bracket")
        assert plan(app, "2026-W49").is_empty  # only the repeating meeting is there
        await pilot.press("p")
        # Unfinished tasks linked to last week's blocks are offered.
        assert isinstance(app.screen, CarryOverScreen)
        await pilot.press("enter")
        next_week = plan(app, "2026-W49")
        own = [b for d in next_week.days for b in d.blocks if b.series_id is None]
        this_week = [b for d in plan(app).days for b in d.blocks if b.series_id is None]
        assert len(own) >= len(this_week)
        assert any(b.task_id for b in own)
        await pilot.press("p")  # a second time: refused, nothing doubled
        assert len([b for d in plan(app, "2026-W49").days for b in d.blocks]) == len(
            [b for d in next_week.days for b in d.blocks]
        )


async def test_c_copies_last_week_into_an_empty_week(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("right_square_bracket", "c")
        if isinstance(app.screen, CarryOverScreen):
            await pilot.press("escape")
        titles = {b.title for d in plan(app, "2026-W49").days for b in d.blocks}
        assert {"Pricing strategy", "1:1 Priya", "Weekly leadership meeting"} <= titles


async def test_f_pins_and_unpins_the_blocks_task_as_focus(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        assert [f.title for f in plan(app).days[2].focus] == [
            "Design VP Engineering interview loop"
        ]
        await pilot.press("f")
        assert plan(app).days[2].focus == ()
        await pilot.press("f")
        assert len(plan(app).days[2].focus) == 1


async def test_a_meeting_over_deep_work_asks_first(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("l", "k", "k")  # Thursday 08:30, in the free deep-work block
        await pilot.press("n", *"Vendor call", "tab", "j", "enter")  # category: meetings
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert "Vendor call" not in [b[2] for b in blocks_on(app, date(2026, 11, 26))]
        await pilot.press("n", *"Vendor call", "tab", "j", "enter")
        await pilot.press("y")
        assert "Vendor call" in [b[2] for b in blocks_on(app, date(2026, 11, 26))]


async def test_a_weekly_block_repeats_at_the_same_time(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await to_saturday_ten(pilot)
        await pilot.press("n", *"Weekly reflection")
        app.screen.query_one("#block-repeat", Input).value = "weekly"
        await pilot.press("enter")
        expected = [(time(10), time(11), "Weekly reflection", "deep work")]
        assert blocks_on(app, SATURDAY) == expected
        assert blocks_on(app, date(2026, 12, 5), "2026-W49") == expected


async def test_s_on_the_tasks_screen_schedules_into_deep_work(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, TasksScreen)
        await pilot.press("l", "j")  # Schedule quadrant, second task
        schedule = app.screen.query_one("#q2", TaskList)
        task = schedule.view.tasks[1]
        await pilot.press("s")
        linked = [b for d in plan(app).days for b in d.blocks if b.task_id == task.id]
        assert [(b.day, b.start) for b in linked] == [(date(2026, 11, 26), time(8))]
        assert schedule.scheduled[task.id] == "Thu 08:00"
        await pilot.press("1")
        assert isinstance(app.screen, WeekScreen)
        assert task.title[:5] in grid(app).render().plain  # beside the deep-work block


async def test_w_hides_the_weekend_and_z_zooms_to_15_minutes(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        rows = grid(app).rows
        await pilot.press("w")
        assert grid(app).visible_days == [0, 1, 2, 3, 4]
        assert "Sat" not in app.screen.query_one(DayHeader).render().plain
        await pilot.press("z")
        assert grid(app).rows == rows * 2
        assert grid(app).current_block.title == "Design VP Engineering interview loop"


async def test_a_new_block_can_serve_a_rock_and_counts_as_rock_time(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        before = plan(app).rock_minutes
        await to_saturday_ten(pilot)
        await pilot.press("n", *"Investor prep")
        app.screen.query_one("#block-rock", Input).value = "series b"
        await pilot.pause()
        assert "Close the Series B round" in str(app.screen.query_one("#block-rock-match").render())
        await pilot.press("enter")
        saturday = [b for b in plan(app).days[5].blocks if b.title == "Investor prep"]
        assert saturday[0].rock == "Close the Series B round"
        assert plan(app).rock_minutes == before + 60
        summary = shown_text(app.screen.query_one("#week-summary"))
        assert "Rock time" in summary and "◆ Rock: Close the Series B round" in summary


async def test_renaming_deep_work_in_settings_keeps_s_and_the_meeting_question(week_app) -> None:
    """Rules follow the category's kind: renamed to "Focus time" in Settings with the
    real keys, `s` still schedules into it and a meeting over it still asks first."""
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("ctrl+p", *"settings")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("tab", "tab", "tab", "tab")  # to the categories, on deep work
        assert isinstance(app.screen.focused, DataTable)
        await pilot.press("e")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"Focus time", "enter", "enter")  # name, colour
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.categories[0].name == "focus time"
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("2")
        assert isinstance(app.screen, TasksScreen)
        await pilot.press("l", "j")  # Schedule quadrant, second task
        schedule = app.screen.query_one("#q2", TaskList)
        task = schedule.view.tasks[1]
        await pilot.press("s")
        linked = [b for d in plan(app).days for b in d.blocks if b.task_id == task.id]
        assert [(b.day, b.start, b.category) for b in linked] == [
            (date(2026, 11, 26), time(8), "focus time")
        ]
        assert schedule.scheduled[task.id] == "Thu 08:00"

        await pilot.press("1")
        assert isinstance(app.screen, WeekScreen)
        await pilot.press("l", "k", "k")  # Thursday 08:30, in the focus time
        await pilot.press("n", *"Vendor call", "tab", "j", "enter")  # category: meetings
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert "Vendor call" not in [b[2] for b in blocks_on(app, date(2026, 11, 26))]


async def test_last_weeks_reflection_is_shown_again_on_the_planner(week_app) -> None:
    from ceodesk.core.domain.reflections import save_reflection

    save_reflection(
        week_app.db,
        "2026-W47",
        focus="Close the Series B",
        adjustment_kind="change time blocks",
        adjustment="Deep work before 10",
        now=FROZEN_NOW,
    )
    async with week_app.run_test(size=(140, 45)) as pilot:
        summary = " ".join(shown_text(week_app.screen.query_one("#week-summary")).split())
        assert "Last week's reflection" in summary
        assert "Focus: Close the Series B" in summary
        assert "Adjust: change time blocks: Deep work before 10" in summary
        await pilot.press("right_square_bracket")  # next week: this week has none yet
        await pilot.pause()
        assert "Last week's reflection" not in shown_text(
            week_app.screen.query_one("#week-summary")
        )
