"""Switching screens leaves nothing behind: Textual's Footer kept every key widget it
had replaced reachable (through its data binding), so each switch left about forty
widgets alive (issue 13). Objects are counted, never memory measured in a test."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey
from ui_support import FROZEN_NOW

from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.ui.app import CeodeskApp


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
