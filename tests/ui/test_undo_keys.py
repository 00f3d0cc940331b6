"""Undo with the real keys: repeated moves are one step (demo week 2026-W48)."""

from __future__ import annotations

from datetime import date, time

from ui_support import FROZEN_NOW

from ceodesk.core.domain.planner import add_block, category_by_name, week_plan
from ceodesk.core.domain.tasks import task_board
from ceodesk.core.store.db import open_database
from ceodesk.ui.app import CeodeskApp

SATURDAY = date(2026, 11, 28)


def saturday(app: CeodeskApp) -> list[tuple[time, time, str]]:
    days = {d.day: d for d in week_plan(app.db, "2026-W48", FROZEN_NOW).days}
    return [(b.start, b.end, b.title) for b in days[SATURDAY].blocks]


async def test_five_moves_with_shift_arrows_are_undone_with_one_u(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("l", "l", "l", "j")  # Saturday 10:00
        await pilot.press("n", *"Board prep", "enter")
        assert saturday(app) == [(time(10), time(11), "Board prep")]
        await pilot.press(*["shift+down"] * 5)
        assert saturday(app) == [(time(12, 30), time(13, 30), "Board prep")]

        await pilot.press("u")
        assert saturday(app) == [(time(10), time(11), "Board prep")]
        await pilot.press("u")  # the next step back is adding it
        assert saturday(app) == []
        await pilot.press("ctrl+r", "ctrl+r")
        assert saturday(app) == [(time(12, 30), time(13, 30), "Board prep")]


def open_titles(app: CeodeskApp) -> dict[str, int]:
    board = task_board(app.db, FROZEN_NOW)
    return {t.title: t.id for q in board.quadrants for t in q.tasks}


async def test_u_refuses_to_remove_a_task_another_window_linked_a_block_to(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("n", *"Prepare the board pack !iu", "enter")
        task_id = open_titles(app)["Prepare the board pack"]
        other = open_database(app.db.location.path)  # a second ceodesk, another terminal
        try:
            deep_work = category_by_name(other, "Deep work").id
            add_block(other, SATURDAY, time(9), time(11), "Board pack", deep_work, task_id=task_id)
        finally:
            other.close()

        await pilot.press("u")
        await pilot.pause()
        assert [n.message for n in app._notifications][-1] == (
            "That was changed elsewhere since, so it cannot be undone or redone."
        )
        assert open_titles(app)["Prepare the board pack"] == task_id  # still there
        [block] = [
            b
            for d in week_plan(app.db, "2026-W48", FROZEN_NOW).days
            for b in d.blocks
            if b.title == "Board pack"
        ]
        assert block.task_id == task_id  # and still linked
