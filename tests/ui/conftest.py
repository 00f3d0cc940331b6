"""UI fixtures: a demo database, a frozen clock, no cursor blink, no animation."""

from __future__ import annotations

import pickle
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
from demo_files import demo_copy
from snapshot_lines import differences
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input
from ui_support import FROZEN_NOW, press_keys, settled

from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import Database, open_database
from ceodesk.ui.app import CeodeskApp


@pytest.fixture(autouse=True)
def steady_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots must not depend on where a cursor blink or an animation was."""
    original = Input.__init__

    def init(self: Input, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", init)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def lasting_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """A notification stays until the test has read it: on a loaded machine its few
    seconds of real time could pass between the key press and the assertion."""
    original = CeodeskApp.notify

    def notify(self: CeodeskApp, message, *args, **kwargs) -> None:
        kwargs["timeout"] = 3600
        original(self, message, *args, **kwargs)

    monkeypatch.setattr(CeodeskApp, "notify", notify)


@pytest.fixture(autouse=True)
def pause_waits_for_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Screens load their data in workers: ``run_test`` gives the pilot once the first
    screen is drawn, and ``await pilot.pause()`` (so every snapshot too) returns once
    the data asked for so far is drawn."""
    monkeypatch.setattr(Pilot, "pause", settled)
    monkeypatch.setattr(App, "_press_keys", press_keys)  # each key: see ui_support.KEY_STEP
    run_test = App.run_test

    @asynccontextmanager
    async def settled_run_test(self: App, *args, **kwargs) -> AsyncIterator[Pilot]:
        async with run_test(self, *args, **kwargs) as pilot:
            await settled(pilot)  # the first screen drawn, as before it loaded in a worker
            yield pilot

    monkeypatch.setattr(App, "run_test", settled_run_test)


@pytest.fixture
def demo_db(tmp_path) -> Iterator[Database]:
    path = demo_copy(tmp_path / "demo.db", FROZEN_NOW)
    db = open_database(path, clock=frozen_clock(FROZEN_NOW))
    yield db
    db.close()


@pytest.fixture
def app(demo_db: Database) -> CeodeskApp:
    desk = CeodeskApp(demo_db, clock=frozen_clock(FROZEN_NOW), mode="tasks")
    desk.animation_level = "none"
    return desk


@pytest.fixture
def week_app(demo_db: Database) -> CeodeskApp:
    desk = CeodeskApp(demo_db, clock=frozen_clock(FROZEN_NOW))
    desk.animation_level = "none"
    return desk


@pytest.fixture
def snap_compare(snap_compare, request: pytest.FixtureRequest):
    """pytest-textual-snapshot's comparison; a mismatch fails with the rows that
    changed, so a CI log says what differed (its HTML report is lost with the clone)."""
    from pytest_textual_snapshot import node_to_report_path

    def compare(*args, **kwargs) -> bool:
        __tracebackhide__ = True
        if snap_compare(*args, **kwargs):
            return True
        _, expected, actual, *_ = pickle.loads(node_to_report_path(request.node).read_bytes())
        changed = differences(expected, actual)
        raise AssertionError(f"the screen differs from its snapshot:\n{changed}")

    return compare
