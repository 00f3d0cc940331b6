"""At 19:00 on 24 Nov in Los Angeles (03:00 UTC on 25 Nov) the screens think it is 24 Nov."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from demo_files import demo_copy

from ceodesk.core.domain.rocks import quarter_rocks
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import open_database
from ceodesk.core.views.big_picture import big_picture
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.form import FormScreen
from ceodesk.ui.screens.rock_detail import RockDetailScreen
from ceodesk.ui.screens.rocks import RocksScreen

LA_EVENING = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 19:00 on Tue 24 Nov in Los Angeles


@pytest.fixture
def la_app(tmp_path):
    path = demo_copy(tmp_path / "demo.db", LA_EVENING, time_zone="America/Los_Angeles")
    db = open_database(path)
    desk = CeodeskApp(db, clock=frozen_clock(LA_EVENING))
    desk.animation_level = "none"
    yield desk
    db.close()


async def test_a_new_rock_due_tomorrow_is_due_on_the_25th(la_app) -> None:
    app = la_app
    async with app.run_test(size=(140, 45)) as pilot:
        assert app.today() == date(2026, 11, 24)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, RocksScreen)
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"Open the Lisbon office", "enter")  # title
        await pilot.press("enter", "enter")  # owner (you), company
        await pilot.press(*"tomorrow", "enter")  # due
        await pilot.press("enter", "enter", "enter")  # no goal, outcome, measure
        await pilot.pause()
        assert isinstance(app.screen, RocksScreen)
        view = quarter_rocks(app.db, "2026-Q4", LA_EVENING)
        added = next(r for r in view.company if r.title == "Open the Lisbon office")
        assert added.due == date(2026, 11, 25)


async def test_a_milestone_due_today_is_due_on_the_24th(la_app) -> None:
    app = la_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("enter")  # the first company Rock
        await pilot.pause()
        assert isinstance(app.screen, RockDetailScreen)
        rock_id = app.screen.rock_id
        await pilot.press("n", *"Kick-off call", "enter", *"today", "enter")
        await pilot.pause()
        view = quarter_rocks(app.db, "2026-Q4", LA_EVENING)
        shown = next(r for r in view.company if r.id == rock_id)
        added = next(m for m in shown.milestones if m.title == "Kick-off call")
        assert added.due == date(2026, 11, 24)


async def test_a_goal_due_tomorrow_is_due_on_the_25th(la_app) -> None:
    app = la_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        await pilot.press("n", *"Open a second office", "enter", *"one lease", "enter")
        await pilot.press(*"tomorrow", "enter", *"internal", "enter")
        await pilot.pause()
        view = big_picture(app.db, "2026-Q4", LA_EVENING)
        added = next(g for g in view.goals if g.title == "Open a second office")
        assert added.due == date(2026, 11, 25)
