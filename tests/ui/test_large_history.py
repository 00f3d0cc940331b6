"""Years of history (the large demo, built at a fraction of its size): every screen opens
on it, and what a switch or another process's write costs in queries does not grow with
it. Queries are counted, never timed (benchmarks/run.py times them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_files import demo_copy
from test_change_feed import counted, desk_on
from ui_support import FROZEN_NOW, patience

from ceodesk.core.demo.large import LARGE
from ceodesk.core.store.db import open_database
from ceodesk.core.views.capture import add_task
from ceodesk.ui.app import CeodeskApp, mode_screen
from ceodesk.ui.screens.base import DeskScreen
from ceodesk.ui.screens.help import HelpScreen

# A tenth of five years: 1,000 tasks, 1,500 blocks, 26 meetings, 800 to-dos, ...
SCALE = 0.1


def screen_keys() -> dict[str, str]:
    """Each screen's mode and the key that opens it, as the app binds them."""
    keys = {}
    for binding in CeodeskApp.BINDINGS:
        action = getattr(binding, "action", "")
        if action.startswith("go('"):
            keys[action.removeprefix("go('").removesuffix("')")] = binding.key
    assert set(keys) == set(CeodeskApp.MODES)
    return keys


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    """Years of history, written once per worker (tests/demo_files.py) and copied."""
    return demo_copy(tmp_path / "history.db", FROZEN_NOW, history=LARGE.scaled(SCALE))


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return demo_copy(tmp_path / "demo.db", FROZEN_NOW)


def errors(app: CeodeskApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def drawn(pilot, app: CeodeskApp, mode: str) -> DeskScreen:
    """The screen of ``mode`` once it shows the current data."""
    for _ in patience(200, 4.0):
        # The bottom of the mode's stack: the meeting opens its start dialog over it.
        screen = app.screen_stack[0]
        if (
            app.current_mode == mode
            and isinstance(screen, DeskScreen)
            and screen.drawn_revision == app.db.revision
            and not screen.load_under_way  # its load (in a worker) has drawn
        ):
            return screen
        await pilot.pause()
    raise AssertionError(f"the {mode} screen never drew")


@pytest.mark.slow
async def test_every_screen_opens_on_years_of_history_and_a_switch_costs_no_query(
    history_path: Path,
) -> None:
    app = desk_on(history_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            for mode, key in screen_keys().items():
                await pilot.press(key)
                screen = await drawn(pilot, app, mode)
                assert isinstance(screen, mode_screen(mode))
                assert errors(app) == [], mode
                if app.screen is not screen:  # the meeting's start dialog: not now
                    await pilot.press("escape")
                    await pilot.pause()
                assert app.screen is screen
                await pilot.press("question_mark")  # its help opens too
                await pilot.pause()
                assert isinstance(app.screen, HelpScreen)
                await pilot.press("escape")
                await pilot.pause()
            # Back to each with nothing changed: no query at all.
            with counted(app.db) as statements:
                for key in screen_keys().values():
                    await pilot.press(key)
                    await pilot.pause()
            assert statements == []
            assert app.is_running
    finally:
        app.db.close()


async def poll_costs(path: Path) -> dict[str, int]:
    """Per screen: the queries of the poll that redraws it after another process added
    a task while it was shown."""
    app = desk_on(path)
    costs = {}
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            for mode, key in screen_keys().items():
                await pilot.press(key)
                screen = await drawn(pilot, app, mode)
                if app.screen is not screen:  # the meeting's start dialog: not now
                    await pilot.press("escape")
                    await pilot.pause()
                other = open_database(path)
                try:
                    add_task(other, f"Written while {mode} is open !iu", FROZEN_NOW)
                finally:
                    other.close()
                with counted(app.db) as statements:
                    app.check_for_changes()  # what the poll does every second
                    await drawn(pilot, app, mode)
                costs[mode] = len(statements)
    finally:
        app.db.close()
    return costs


@pytest.mark.slow
async def test_a_redraw_costs_the_same_queries_with_years_of_history(
    demo_path, history_path
) -> None:
    small = await poll_costs(demo_path)
    large = await poll_costs(history_path)
    # A task was added: every screen that shows tasks reads again; the Rocks read none.
    assert all((count > 0) == (mode != "rocks") for mode, count in small.items()), small
    assert large == small


async def action_costs(path: Path) -> dict[str, int]:
    """Queries of the redraws and actions on the screens that show years of history:
    each of tasks, rocks, meeting and big picture redrawn, then a task completed (x)
    and that undone (u) on the task board."""
    app = desk_on(path)
    costs = {}
    keys = screen_keys()
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            for mode in ("tasks", "rocks", "meeting", "big-picture"):
                await pilot.press(keys[mode])
                screen = await drawn(pilot, app, mode)
                if app.screen is not screen:  # the meeting's start dialog: not now
                    await pilot.press("escape")
                    await pilot.pause()
                with counted(app.db) as statements:
                    app.db.changes.everything_changed()  # read again, nothing kept
                    screen.refresh_data()
                    await drawn(pilot, app, mode)
                costs[f"{mode} redraw"] = len(statements)
            await pilot.press(keys["tasks"])
            await drawn(pilot, app, "tasks")
            for key, name in (("x", "complete"), ("u", "undo")):
                with counted(app.db) as statements:
                    await pilot.press(key)
                    await drawn(pilot, app, "tasks")
                costs[name] = len(statements)
            assert errors(app) == []
    finally:
        app.db.close()
    return costs


@pytest.mark.slow
async def test_redraws_complete_and_undo_cost_the_same_queries_with_years_of_history(
    demo_path, history_path
) -> None:
    small = await action_costs(demo_path)
    large = await action_costs(history_path)
    assert all(count > 0 for count in small.values()), small
    assert large == small
