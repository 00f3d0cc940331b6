"""Snapshots of the weekly meeting (key 5) on the demo, frozen clock: the start dialog,
each section, the minutes, and presenter mode (see test_snapshots.py for updating)."""

from __future__ import annotations

import pytest
from test_dialogs import settle

from ceodesk.ui.app import CeodeskApp

SIZES = {"80x24": (80, 24), "140x45": (140, 45), "200x60": (200, 60)}
SECTIONS = ["segue", "scorecard", "rocks", "headlines", "todos", "issues", "conclude"]


def started(*keys: str):
    """Key 5, start with everyone present, then ``keys``."""

    async def run_before(pilot) -> None:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        pilot.app.clear_notifications()  # a toast's timeout runs on the wall clock
        await settle(pilot)

    return run_before


def test_meeting_start_dialog(snap_compare, week_app: CeodeskApp) -> None:
    assert snap_compare(week_app, press=["5"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", ["80x24", "140x45"])
@pytest.mark.parametrize("section", SECTIONS)
def test_meeting_section(snap_compare, week_app: CeodeskApp, section: str, size: str) -> None:
    tabs = ["tab"] * SECTIONS.index(section)
    assert snap_compare(week_app, run_before=started(*tabs), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", ["80x24", "140x45", "200x60"])
def test_meeting_presenter_mode(snap_compare, week_app: CeodeskApp, size: str) -> None:
    keys = ["tab"] * SECTIONS.index("issues") + ["P"]
    assert snap_compare(week_app, run_before=started(*keys), terminal_size=SIZES[size])


def test_meeting_minutes_after_the_end(snap_compare, week_app: CeodeskApp) -> None:
    keys = ["tab"] * SECTIONS.index("conclude") + ["E", "y"]
    assert snap_compare(week_app, run_before=started(*keys), terminal_size=(140, 45))
