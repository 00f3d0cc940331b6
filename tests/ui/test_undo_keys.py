"""Undo with the real keys: repeated moves are one step (demo week 2026-W48)."""

from __future__ import annotations

from datetime import date, time

from ui_support import FROZEN_NOW

from ceodesk.core.planner import week_plan
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
