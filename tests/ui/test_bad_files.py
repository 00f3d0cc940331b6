"""The app on a locked, read-only or damaged file: one sentence on screen, and it runs on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_files import corrupt_table_page
from demo_files import demo_copy
from textual.widgets import Static
from ui_support import FROZEN_NOW

from ceodesk.core.domain.tasks import task_board
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.errors import DatabaseLocked
from ceodesk.core.store.db import Database, open_database
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.big_picture import BigPictureScreen
from ceodesk.ui.screens.tasks import TasksScreen


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return demo_copy(tmp_path / "demo.db", FROZEN_NOW)


def desk(db: Database) -> CeodeskApp:
    app = CeodeskApp(db, clock=frozen_clock(FROZEN_NOW), mode="tasks")
    app.animation_level = "none"
    return app


def messages(app: CeodeskApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def open_count(db: Database) -> int:
    board = task_board(db, FROZEN_NOW)
    return sum(len(q.tasks) for q in board.quadrants.values())


@pytest.fixture
def opened(demo_path: Path, request) -> Iterator[Database]:
    db = open_database(demo_path, **getattr(request, "param", {}))
    yield db
    db.close()


async def test_a_foreign_lock_is_one_sentence_and_the_app_runs_on(demo_path: Path) -> None:
    db = open_database(demo_path, busy_timeout_ms=50)
    app = desk(db)
    other = sqlite3.connect(demo_path, isolation_level=None)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            other.execute("BEGIN IMMEDIATE")
            await pilot.press("x")  # complete the selected task
            await pilot.pause()
            assert any("locked by another program" in m for m in messages(app))
            assert isinstance(app.screen, TasksScreen) and app.is_running
            other.execute("ROLLBACK")
            await pilot.press("x")
            await pilot.pause()
            assert any(m.startswith("Completed") for m in messages(app))
    finally:
        other.close()
        db.close()


async def test_a_read_only_file_opens_read_only_with_a_marker(demo_path: Path) -> None:
    demo_path.chmod(0o400)
    before = demo_path.read_bytes()
    db = open_database(demo_path)
    app = desk(db)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            markers = list(app.screen.query(".read-only-marker").results(Static))
            assert markers and "read-only" in str(markers[0].render())
            assert markers[0].region.y == 0 and markers[0].region.right == 80
            await pilot.press("x")
            await pilot.pause()
            assert any("is read-only, so nothing was changed" in m for m in messages(app))
            assert app.is_running
            await pilot.press("1")  # every screen carries the marker
            await pilot.pause()
            assert app.screen.query(".read-only-marker")
    finally:
        db.close()
    assert demo_path.read_bytes() == before


async def test_a_damaged_page_is_one_sentence_on_opening_big_picture(demo_path: Path) -> None:
    corrupt_table_page(demo_path, "goal")
    db = open_database(demo_path)
    app = desk(db)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("8")
            await pilot.pause()
            assert isinstance(app.screen, BigPictureScreen)
            assert any("is damaged" in m for m in messages(app))
            assert app.is_running
            await pilot.press("2")  # the rest of the app still works
            await pilot.pause()
            assert isinstance(app.screen, TasksScreen)
        assert app.return_code in (None, 0)
    finally:
        db.close()


async def test_a_storage_error_nothing_caught_stops_with_a_sentence_not_zero(
    demo_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = open_database(demo_path)
    app = desk(db)
    try:
        async with app.run_test(size=(80, 24)):
            # What Textual does with an exception no handler caught.
            app._handle_exception(DatabaseLocked("The database is locked by another program."))
        assert app.return_code == 1
        shown = capfd.readouterr()
        assert "ceodesk stopped: The database is locked by another program." in shown.err
        assert "Traceback" not in shown.err + shown.out
    finally:
        db.close()
