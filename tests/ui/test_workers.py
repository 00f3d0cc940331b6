"""Screens load off the event loop: the last data stays until the new data arrives, a
refresh replaced by a newer one is never shown, a failed load keeps the old data."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from ui_support import FROZEN_NOW, plain_pause

from ceodesk.core.domain.tasks import Quadrant
from ceodesk.core.kernel.errors import DatabaseLocked
from ceodesk.core.views.capture import add_task
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.tasks import TasksScreen

LOCKED = "demo.db is locked by another program, so nothing was changed: try again in a moment."


@dataclass
class Gate:
    """Holds the next armed load of the task board in its thread until opened."""

    armed: bool = False
    held: threading.Event = field(default_factory=threading.Event)  # a load waits
    opened: threading.Event = field(default_factory=threading.Event)
    returned: threading.Event = field(default_factory=threading.Event)  # it went on
    threads: list[threading.Thread] = field(default_factory=list)
    shown: int = 0  # how many times the board drew a load's result

    async def wait_until_held(self) -> None:
        assert await asyncio.to_thread(self.held.wait, 10), "the load never started"

    async def open_and_wait(self) -> None:
        self.opened.set()
        assert await asyncio.to_thread(self.returned.wait, 10), "the load never returned"


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    gate = Gate()
    load, show = TasksScreen.load, TasksScreen.show

    def gated_load(screen: TasksScreen):
        gate.threads.append(threading.current_thread())
        view = load(screen)  # read now: what the board would show
        if gate.armed:
            gate.armed = False
            gate.held.set()
            gate.opened.wait(timeout=30)
            gate.returned.set()
        return view

    def counted_show(screen: TasksScreen, view) -> None:
        gate.shown += 1
        show(screen, view)

    monkeypatch.setattr(TasksScreen, "load", gated_load)
    monkeypatch.setattr(TasksScreen, "show", counted_show)
    yield gate
    gate.opened.set()  # never leave a thread waiting


def notifications(app: CeodeskApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_board_loads_in_a_thread_not_on_the_event_loop(app, gate: Gate) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, TasksScreen)
        assert board.lists[Quadrant.DO].task_ids  # drawn
        assert gate.threads
        assert threading.main_thread() not in gate.threads


async def test_a_slow_load_keeps_the_last_data_and_keys_answer(app, gate: Gate) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, TasksScreen)
        do = board.lists[Quadrant.DO]
        before = do.task_ids
        assert len(before) >= 2 and do.highlighted == 0
        added = add_task(app.db, "Call the bank about the credit line !iu", FROZEN_NOW)
        gate.armed = True
        board.refresh_data()
        await gate.wait_until_held()
        await plain_pause(pilot)
        assert do.task_ids == before  # still the last data
        await pilot.press("j")
        await plain_pause(pilot)
        assert do.highlighted == 1  # the cursor moved while the load waits
        await gate.open_and_wait()
        await pilot.pause()
        assert added.id in do.task_ids  # the new data, once it arrived


async def test_a_refresh_replaced_by_a_newer_one_is_never_shown(app, gate: Gate) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, TasksScreen)
        do = board.lists[Quadrant.DO]
        gate.armed = True
        board.refresh_data()  # reads the board without the new task, then waits
        await gate.wait_until_held()
        added = add_task(app.db, "Call the bank about the credit line !iu", FROZEN_NOW)
        shown = gate.shown
        board.refresh_data()  # the newer refresh, with the new task
        await pilot.pause()
        assert added.id in do.task_ids
        assert gate.shown == shown + 1
        await gate.open_and_wait()  # the older load finishes late
        await pilot.pause()
        await pilot.pause()
        assert added.id in do.task_ids  # its older data never replaced the newer
        assert gate.shown == shown + 1


async def test_a_failed_load_says_why_and_keeps_the_last_data(
    app, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, TasksScreen)
        do = board.lists[Quadrant.DO]
        before = do.task_ids
        working = TasksScreen.load

        def locked(screen: TasksScreen):
            raise DatabaseLocked(LOCKED)

        monkeypatch.setattr(TasksScreen, "load", locked)
        added = add_task(app.db, "Call the bank about the credit line !iu", FROZEN_NOW)
        board.refresh_data()
        await pilot.pause()
        assert notifications(app).count(LOCKED) == 1
        assert do.task_ids == before
        assert app.unhandled_error is None
        monkeypatch.setattr(TasksScreen, "load", working)
        board.refresh_if_stale()  # it failed, so it counts as stale: the next look reloads
        await pilot.pause()
        assert added.id in do.task_ids


async def test_a_load_finishing_after_the_app_closed_draws_nothing(app, gate: Gate) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, TasksScreen)
        shown = gate.shown
        add_task(app.db, "Call the bank about the credit line !iu", FROZEN_NOW)
        gate.armed = True
        board.refresh_data()
        await gate.wait_until_held()
        app.exit()
    await gate.open_and_wait()
    for _ in range(5):
        await asyncio.sleep(0)  # let anything the late result set off run
    assert gate.shown == shown
    assert app.unhandled_error is None
    assert app.return_code == 0


async def test_keys_typed_while_a_screen_opens_wait_for_its_data(week_app, gate: Gate) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        gate.armed = True  # the board's first load waits
        await pilot.press("2", "j")
        await gate.wait_until_held()
        await plain_pause(pilot)
        board = week_app.screen
        assert isinstance(board, TasksScreen)
        assert not board.lists[Quadrant.DO].task_ids  # nothing drawn yet
        await gate.open_and_wait()
        await pilot.pause()
        # j went to the board once it was drawn: the cursor is on the second task.
        assert board.lists[Quadrant.DO].highlighted == 1
