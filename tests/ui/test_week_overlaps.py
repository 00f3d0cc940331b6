"""Issue 9.5 with the real keys: every block reachable, moves follow the block, the panel."""

from __future__ import annotations

from datetime import date, time

from textual.widgets import Input
from ui_support import FROZEN_NOW, shown_text

from ceodesk.core.domain.planner import week_plan
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.screens.tasks import TasksScreen
from ceodesk.ui.screens.week import WeekScreen
from ceodesk.ui.screens.week_dialogs import BlockFormScreen, CarryOverScreen, ConfirmScreen
from ceodesk.ui.widgets.task_list import TaskList
from ceodesk.ui.widgets.week_grid import WeekGrid

TUESDAY, THURSDAY = date(2026, 11, 24), date(2026, 11, 26)


def grid(app: CeodeskApp) -> WeekGrid:
    return app.screen.query_one(WeekGrid)


def day_blocks(app: CeodeskApp, day: date, week: str = "2026-W48"):
    days = {d.day: d for d in week_plan(app.db, week, FROZEN_NOW).days}
    return {b.title: (b.start, b.end) for b in days[day].blocks}


def notices(app: CeodeskApp) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_a_task_scheduled_into_deep_work_stands_beside_it_and_can_be_edited(
    week_app,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, TasksScreen)
        schedule = app.screen.query_one("#q2", TaskList)
        titles = [t.title for t in schedule.view.tasks]
        await pilot.press("l", *["j"] * titles.index("Write 2027 strategy memo"))
        await pilot.press("s")
        await pilot.press("1")
        assert isinstance(app.screen, WeekScreen)
        # From Wed 09:30: Thursday, then up to 08:00 where both blocks start.
        await pilot.press("l", "k", "k", "k")
        assert grid(app).current_block.title == "Deep work"
        drawn = grid(app).render().plain
        assert "Write 2" in drawn.splitlines()[grid(app).cursor.slot]
        await pilot.press("l")  # the block beside it, not the next day
        assert grid(app).current_block.title == "Write 2027 strategy memo"
        assert grid(app).cursor.day == 3
        await pilot.press("e")
        assert isinstance(app.screen, BlockFormScreen)
        await pilot.press("escape", "d")
        assert "Write 2027 strategy memo" not in day_blocks(app, THURSDAY)
        assert "Deep work" in day_blocks(app, THURSDAY)


async def test_both_overlapping_blocks_are_reachable_at_30_minute_rows(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("h", "j", "j", "j")  # Tue 11:00
        assert grid(app).current_block.title == "1:1 Jordan"
        await pilot.press("l")
        assert grid(app).current_block.title == "Customer call: Meridian Health"
        summary = shown_text(app.screen.query_one("#week-summary"))
        assert "Customer call: Meridian Health" in summary
        await pilot.press("h")
        assert grid(app).current_block.title == "1:1 Jordan"
        await pilot.press("l", "l")  # past the last block beside it: the next day
        assert grid(app).cursor.day == 2


async def test_moving_a_block_over_a_shorter_one_keeps_moving_the_same_block(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("l", "j", "j", "j")  # Thu 11:00
        assert grid(app).current_block.title == "Investor update call"
        await pilot.press("shift+up", "shift+up")
        assert grid(app).current_block.title == "Investor update call"
        await pilot.press("shift+up")  # now over deep work: asks first
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        blocks = day_blocks(app, THURSDAY)
        assert blocks["Investor update call"] == (time(9, 30), time(10, 30))
        assert blocks["1:1 Sam"] == (time(10), time(10, 30))
        assert grid(app).current_block.title == "Investor update call"


async def test_moving_a_block_off_monday_follows_it_into_last_week(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("h", "h")  # Mon 09:30, in the strategy memo block
        assert grid(app).current_block.title == "Write 2027 strategy memo"
        await pilot.press("shift+left")
        assert app.screen.week == "2026-W47"
        assert "2026-W47" in str(app.screen.query_one("#topbar").render())
        assert grid(app).current_block.title == "Write 2027 strategy memo"
        assert grid(app).cursor.day == 6
        assert "2026-W47" in notices(app)
        await pilot.press("shift+right")
        assert app.screen.week == "2026-W48"
        assert grid(app).current_block.title == "Write 2027 strategy memo"


async def test_v_shows_the_side_panel_on_a_small_terminal(week_app) -> None:
    app = week_app
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one("#week-summary")
        assert not panel.display
        await pilot.press("v")
        assert panel.display
        await pilot.pause()
        summary = shown_text(panel)
        assert "deep work" in summary and "total" in summary
        assert "Design VP" in summary  # the block at the cursor
        await pilot.press("v")
        assert not panel.display


async def test_s_splits_a_long_task_and_asks_before_scheduling_it_again(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        schedule = app.screen.query_one("#q2", TaskList)
        titles = [t.title for t in schedule.view.tasks]
        await pilot.press("l", *["j"] * titles.index("Write 2027 strategy memo"), "s")

        def memo():
            return [
                (b.day, b.start, b.end)
                for d in week_plan(app.db, "2026-W48", FROZEN_NOW).days
                for b in d.blocks
                if b.title == "Write 2027 strategy memo" and b.day >= THURSDAY
            ]

        assert memo() == [(THURSDAY, time(8), time(10)), (date(2026, 11, 27), time(8), time(10))]
        assert "Thu 26 Nov 08:00–10:00 and Fri 27 Nov 08:00–10:00" in notices(app)
        await pilot.press("s")  # again: it asks first
        assert isinstance(app.screen, ConfirmScreen)
        assert "already scheduled Thu 26 Nov 08:00–10:00" in str(
            app.screen.query_one("#confirm Static").render()
        )
        await pilot.press("n")
        assert isinstance(app.screen, TasksScreen)
        assert len(memo()) == 2  # "no" leaves it as it was


async def test_s_refuses_to_put_a_delegated_task_into_your_deep_work(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2", *["j"] * 12)  # down the Do quadrant into Delegate
        assert app.focused.id == "q3"
        before = week_plan(app.db, "2026-W48", FROZEN_NOW).task_linked_minutes
        await pilot.press("s")
        assert "is delegated to" in notices(app)
        assert week_plan(app.db, "2026-W48", FROZEN_NOW).task_linked_minutes == before


# ------------------------------------------------------------- repeating blocks


def leadership_weeks(app: CeodeskApp, *weeks: str) -> list[int]:
    return [
        sum(
            1
            for d in week_plan(app.db, week, FROZEN_NOW).days
            for b in d.blocks
            if b.title.startswith("Weekly leadership")
        )
        for week in weeks
    ]


async def test_d_on_a_repeating_block_asks_and_can_end_the_series(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("]", "h")  # next week's Tuesday 09:30
        assert grid(app).current_block.title == "Weekly leadership meeting"
        await pilot.press("d")
        assert isinstance(app.screen, PickScreen)
        await pilot.press("f")  # this and following
        assert isinstance(app.screen, WeekScreen)
        assert leadership_weeks(app, "2026-W48", "2026-W49", "2026-W50", "2027-W10") == [
            1,
            0,
            0,
            0,
        ]
        assert "Ended “Weekly leadership meeting”" in notices(app)
        await pilot.press("u")
        assert leadership_weeks(app, "2026-W49", "2027-W10") == [1, 1]
        await pilot.press("d", "a")  # all of it
        assert leadership_weeks(app, "2026-W48", "2026-W49", "2027-W10") == [0, 0, 0]


async def test_e_on_a_repeating_block_shows_its_repeat_and_changes_it_from_here(
    week_app,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("]", "h", "e")
        assert isinstance(app.screen, BlockFormScreen)
        repeat = app.screen.query_one("#block-repeat", Input)
        assert repeat.value == "weekly"
        repeat.value = "every 2 weeks"
        await pilot.pause()
        assert "every 2 weeks on Tuesday" in str(
            app.screen.query_one("#block-repeat-match").render()
        )
        await pilot.press("enter")
        assert isinstance(app.screen, WeekScreen)
        weeks = ("2026-W48", "2026-W49", "2026-W50", "2026-W51", "2026-W52")
        assert leadership_weeks(app, *weeks) == [1, 1, 0, 1, 0]


async def test_a_new_repeating_block_keeps_its_task_and_can_be_monthly(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("l", "l", "l", "j", "n", *"Board pack")  # Saturday 10:00
        app.screen.query_one("#block-task", Input).value = "board deck"
        app.screen.query_one("#block-repeat", Input).value = "monthly"
        await pilot.pause()
        assert "monthly on the fourth Saturday" in str(
            app.screen.query_one("#block-repeat-match").render()
        )
        await pilot.press("enter")
        later = [
            b
            for d in week_plan(app.db, "2026-W52", FROZEN_NOW).days
            for b in d.blocks
            if b.title == "Board pack"
        ]
        assert [(b.day, b.task_title) for b in later] == [
            (date(2026, 12, 26), "Review board deck draft")
        ]


async def test_carried_over_tasks_are_drawn_and_reachable_beside_deep_work(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("]", "p")
        assert isinstance(app.screen, CarryOverScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, WeekScreen)
        carried = [
            (day, b)
            for day, d in enumerate(week_plan(app.db, "2026-W49", FROZEN_NOW).days)
            for b in d.blocks
            if b.task_id is not None
        ]
        assert len(carried) >= 2
        for day, block in carried:  # each one has a cell of its own
            lane = grid(app).lanes(day)[block.id][0]
            found = grid(app).block_in_lane(day, grid(app).slot_of(block.start), lane)
            assert found is not None and found.id == block.id
        first_day, first = min(carried, key=lambda c: (c[0], c[1].start))
        assert (first_day, first.title) == (0, "Write 2027 strategy memo")
        # Up to 08:00, then left: through Tuesday's two lanes (deep work beside the
        # leadership meeting), into Monday from the right.
        await pilot.press("k", "k", "k", "h", "h", "h")
        assert grid(app).current_block.id == first.id
        await pilot.press("h")
        assert grid(app).current_block.title == "Deep work"
        await pilot.press("l")
        assert first.title[:4] in grid(app).render().plain.splitlines()[grid(app).cursor.slot]


async def test_e_makes_a_one_off_block_repeat_in_one_undo_step(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("l", "l", "l", "j", "n", *"Board prep")  # Saturday 10:00
        app.screen.query_one("#block-task", Input).value = "board deck"
        await pilot.pause()
        await pilot.press("enter", "e")
        app.screen.query_one("#block-repeat", Input).value = "weekly"
        await pilot.press("enter")
        later = day_blocks(app, date(2026, 12, 5), "2026-W49")
        assert later == {"Board prep": (time(10), time(11))}
        [block] = [
            b
            for d in week_plan(app.db, "2026-W50", FROZEN_NOW).days
            for b in d.blocks
            if b.title == "Board prep"
        ]
        assert block.task_title == "Review board deck draft"
        await pilot.press("u")
        assert "Undone" in notices(app)
        assert day_blocks(app, date(2026, 12, 5), "2026-W49") == {}
        assert "Board prep" in day_blocks(app, date(2026, 11, 28))
