"""The app started from a first look (issue 13): the week is drawn before the database
(the ORM) is open, keys typed at once still do what they say, in order, and a database
that then fails to open is reported as the CLI always reported it."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, time

import pytest
from textual.app import App
from ui_support import FROZEN_NOW

from ceodesk import cli
from ceodesk.core.demo import write_demo_database
from ceodesk.core.domain.planner import add_block
from ceodesk.core.kernel.clock import frozen_clock, system_clock
from ceodesk.core.kernel.errors import DatabaseLocked
from ceodesk.core.store.db import open_database
from ceodesk.core.views.first_look import first_look
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.week import WeekScreen
from ceodesk.ui.widgets.week_grid import WeekGrid

SATURDAY = date(2026, 11, 28)
CLOCK = frozen_clock(FROZEN_NOW)


@pytest.fixture
def demo_path(tmp_path):
    path = tmp_path / "demo.db"
    write_demo_database(str(path), FROZEN_NOW, time_zone="UTC")
    return path


class OpensWhenNeeded(threading.Event):
    """The app's "database is open" event, whose first wait lets the opener go: the
    database opens only once something needs it, so the test knows what needed it."""

    def __init__(self, gate: threading.Event) -> None:
        super().__init__()
        self.gate = gate

    def wait(self, timeout: float | None = None) -> bool:
        self.gate.set()
        return super().wait(timeout)


def app_from_first_look(path) -> tuple[CeodeskApp, threading.Event]:
    look = first_look(str(path), CLOCK)
    assert look is not None
    gate = threading.Event()

    def opener():
        gate.wait()
        return open_database(path, clock=CLOCK)

    app = CeodeskApp(clock=CLOCK, first_look=look, opener=opener)
    app._opened = OpensWhenNeeded(gate)
    app.animation_level = "none"
    return app, gate


def titles_on(path, day: date) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT start, title FROM timeblock WHERE day = ? ORDER BY start", (day.isoformat(),)
        ).fetchall()
    finally:
        conn.close()


async def test_the_week_shows_before_the_database_opens_and_keys_typed_at_once_work(
    demo_path,
) -> None:
    app, gate = app_from_first_look(demo_path)
    async with app.run_test(size=(140, 45)) as pilot:
        assert isinstance(app.screen, WeekScreen)
        topbar = str(app.screen.query_one("#topbar").render())
        assert "2026-W48" in topbar and "23–29 Nov 2026" in topbar
        assert "Write 2027" in app.screen.query_one(WeekGrid).render().plain
        assert not gate.is_set() and not app.database_open  # drawn without the ORM
        # Typed at once: Saturday 10:00, n, a title, enter (the form needs the
        # database: the keys wait for it, then land in order).
        await pilot.press("l", "l", "l", "j", "n", *"Board prep", "enter")
        await pilot.pause()
        assert app.database_open and isinstance(app.screen, WeekScreen)
        assert ("10:00:00.000000", "Board prep") in titles_on(demo_path, SATURDAY)
        shown = {b.title for day in app.screen.plan.days for b in day.blocks}
        assert "Board prep" in shown
        assert app._watcher is not None  # the change watcher runs once the database is open
        await pilot.press("u")  # undo works on the database opened late
        await pilot.pause()
        assert ("10:00:00.000000", "Board prep") not in titles_on(demo_path, SATURDAY)


async def test_the_database_opens_by_itself_after_the_first_frame(demo_path) -> None:
    look = first_look(str(demo_path), CLOCK)
    assert look is not None
    app = CeodeskApp(
        clock=CLOCK, first_look=look, opener=lambda: open_database(demo_path, clock=CLOCK)
    )
    async with app.run_test(size=(140, 45)) as pilot:
        while not (app.database_open and app._watcher is not None):
            await pilot.pause()
        assert app.screen.drawn_revision == app.db.revision
        assert not app.screen.stale  # the first look's data is current: no second load
    app.wait_for_opening()
    app.db.close()


async def test_a_change_made_between_the_look_and_the_opening_is_shown(demo_path) -> None:
    app, gate = app_from_first_look(demo_path)
    async with app.run_test(size=(140, 45)) as pilot:
        other = open_database(demo_path, clock=CLOCK)
        try:
            add_block(other, SATURDAY, time(14), time(15), "Written elsewhere", 1)
        finally:
            other.close()
        app._start_opening()
        gate.set()
        while not (app.database_open and app._watcher is not None):
            await pilot.pause()
        await pilot.pause()
        shown = {b.title for day in app.screen.plan.days for b in day.blocks}
        assert "Written elsewhere" in shown
    app.wait_for_opening()
    app.db.close()


def test_a_database_that_fails_to_open_after_the_first_frame_is_reported_as_before(
    tmp_path, monkeypatch, capsys
) -> None:
    today = tmp_path / "today.db"  # this week's data as of the wall clock, as the CLI reads it
    write_demo_database(str(today), system_clock(), time_zone="UTC")
    assert first_look(str(today), system_clock) is not None  # the first frame is drawn from it
    sentence = f"{today} is locked by another program, so nothing was changed: try again."

    def locked(location, **kwargs):
        raise DatabaseLocked(sentence)

    monkeypatch.setattr(cli, "_open_location", locked)
    # Headless: no terminal here. The first frame is drawn, then the opening fails.
    monkeypatch.setattr(CeodeskApp, "run", lambda self, **kw: App.run(self, headless=True))
    assert cli.main(["--db", str(today)]) == 2
    assert capsys.readouterr().err.strip() == sentence
