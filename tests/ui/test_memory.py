"""Switching screens leaves nothing behind: Textual's Footer kept every key widget it
had replaced reachable (through its data binding), so each switch left about forty
widgets alive; Textual's style cache kept the last thousand gone widgets' drawn lines
(issue 13). Objects are counted and Python's own allocations traced, never the
process's memory measured in a test."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest
from test_large_history import drawn, history_path, screen_keys  # noqa: F401
from textual._styles_cache import StylesCache
from textual.widget import Widget
from textual.widgets._footer import FooterKey
from ui_support import FROZEN_NOW

from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.base import DeskScreen


def live_footer_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey))


async def round_trips(pilot, times: int) -> None:
    for _ in range(times):
        for key in ("1", "2", "3", "4", "8"):
            await pilot.press(key)
            await pilot.pause()


async def test_switching_screens_leaves_no_footer_keys_behind(week_app: CeodeskApp) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await round_trips(pilot, 2)  # every screen composed, its footer drawn
        after_two = live_footer_keys()
        await round_trips(pilot, 4)
        assert live_footer_keys() == after_two


def test_every_screen_uses_the_footer_that_forgets_its_old_keys() -> None:
    from pathlib import Path

    import ceodesk.ui.screens

    folder = Path(ceodesk.ui.screens.__file__).parent
    for module in sorted(folder.glob("*.py")):
        source = module.read_text(encoding="utf-8").replace("DeskFooter(", "")
        assert "Footer(" not in source, f"{module.name}: use DeskFooter (widgets/footer.py)"


async def test_the_objects_made_while_starting_are_kept_out_of_the_collectors_sight(
    demo_db, monkeypatch
) -> None:
    """A full garbage collection walks every live object: on a large database 100 ms
    and more, landing in a screen switch. The app freezes what starting made."""
    monkeypatch.setattr(CeodeskApp, "freeze_after_start", True)
    gc.unfreeze()
    try:
        app = CeodeskApp(demo_db, clock=frozen_clock(FROZEN_NOW))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert gc.get_freeze_count() > 0
            await pilot.press("2")  # and the app works on as before
            await pilot.pause()
            assert type(app.screen).__name__ == "TasksScreen"
    finally:
        gc.unfreeze()


def orphaned_styles_caches() -> int:
    """Style caches (each holding the lines its widget drew) whose widget is gone."""
    gc.collect()
    objects = gc.get_objects()
    owned = {id(o._styles_cache) for o in objects if isinstance(o, Widget)}
    return sum(1 for o in objects if isinstance(o, StylesCache) and id(o) not in owned)


async def test_switching_screens_keeps_no_gone_widgets_lines(week_app: CeodeskApp) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await round_trips(pilot, 3)  # each switch replaces the footer's keys
        assert orphaned_styles_caches() == 0


async def switches_that_redraw(pilot, app: CeodeskApp, count: int) -> None:
    """``count`` switches round the screens, each one redrawing its data (as if another
    program had written meanwhile)."""
    keys = screen_keys()
    modes = list(keys)
    for _ in range(count):
        for stack in app._screen_stacks.values():
            for screen in stack:
                if isinstance(screen, DeskScreen):
                    screen.drawn_revision = None  # stale: the next visit reloads
        mode = modes[(modes.index(app.current_mode) + 1) % len(modes)]
        await pilot.press(keys[mode])
        await drawn(pilot, app, mode)
        while app.screen.is_modal:  # the meeting's start dialog: not now
            await pilot.press("escape")
            await pilot.pause()


@pytest.mark.slow
async def test_switches_on_years_of_history_keep_no_more_than_the_first_ones(
    history_path: Path,  # noqa: F811
) -> None:
    from test_change_feed import desk_on

    app = desk_on(history_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await switches_that_redraw(pilot, app, 14)  # every screen drawn twice
            # What Python allocates from here and still holds (not the process's size,
            # which memory once used and freed does not shrink).
            tracemalloc.start()
            try:
                # Once round: each screen's data, drawn anew, is now traced...
                await switches_that_redraw(pilot, app, len(screen_keys()))
                gc.collect()
                after_a_round, _peak = tracemalloc.get_traced_memory()
                # ...and two more rounds keep no more than that (caches stay bounded).
                await switches_that_redraw(pilot, app, 2 * len(screen_keys()))
                gc.collect()
                after_more, _peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    finally:
        app.db.close()
    kept = after_more - after_a_round
    assert kept < 1.5 * 2**20, f"{kept / 2**20:.1f} MiB more held"
