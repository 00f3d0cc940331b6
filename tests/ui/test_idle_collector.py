"""Full garbage collections wait for a pause in the typing (ui/idle_collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from ui_support import FROZEN_NOW

from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.idle_collector import LIFT, IdleCollector


def full_collections() -> int:
    return int(gc.get_stats()[2]["collections"])


def middle_collections_until_due() -> None:
    """As many collections of the middle generation as make a full one due."""
    for _ in range(gc.get_threshold()[2] // LIFT + 1):
        gc.collect(1)


@pytest.fixture
def collector() -> Iterator[IdleCollector]:
    saved = gc.get_threshold()
    made = IdleCollector()
    made.start()
    try:
        yield made
    finally:
        made.stop()
        gc.set_threshold(*saved)


def test_while_it_runs_python_waits_longer_for_a_full_collection_and_stop_puts_it_back() -> None:
    saved = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold() == (saved[0], saved[1], saved[2] * LIFT)
    finally:
        collector.stop()
    assert gc.get_threshold() == saved


def test_a_due_full_collection_runs_at_a_tick_with_no_input_since_the_last(collector) -> None:
    middle_collections_until_due()
    before = full_collections()
    assert collector.tick()
    assert full_collections() == before + 1


def test_no_full_collection_while_keys_keep_coming(collector) -> None:
    middle_collections_until_due()
    before = full_collections()
    for _ in range(3):  # a key between every two ticks
        collector.input()
        assert not collector.tick()
    assert full_collections() == before
    assert collector.tick()  # the first pause


def test_no_full_collection_at_a_pause_when_none_is_due(collector) -> None:
    gc.collect()
    collector.tick()  # counts from the collection just made
    before = full_collections()
    assert not collector.tick()
    assert full_collections() == before


async def test_the_app_collects_in_pauses_once_started_and_not_after_it_ends(
    demo_db, monkeypatch
) -> None:
    monkeypatch.setattr(CeodeskApp, "collect_when_idle", True)
    saved = gc.get_threshold()
    try:
        app = CeodeskApp(demo_db, clock=frozen_clock(FROZEN_NOW))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert gc.get_threshold()[2] == saved[2] * LIFT
            await pilot.press("2")  # a key: the next tick collects nothing
            await pilot.pause()
            assert type(app.screen).__name__ == "TasksScreen"
            middle_collections_until_due()
            before = full_collections()
            assert not app._collector.tick()  # "2" came since the last tick
            assert app._collector.tick()
            assert full_collections() == before + 1
        assert gc.get_threshold() == saved
    finally:
        gc.set_threshold(*saved)
