"""The change feed (issue 10 item 6): a screen redraws only when stored data changed,
the app tells its own writes from another process's, and a redraw's cost does not grow
with the history. Queries are counted on the engine, never timed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time, timedelta
from pathlib import Path

import pytest
from demo_files import copy_of, demo_copy
from sqlalchemy import event
from sqlmodel import Session, select
from ui_support import FROZEN_NOW

from ceodesk.core.demo import write_demo_database
from ceodesk.core.domain.tasks import Quadrant
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import Database, open_database
from ceodesk.core.store.models import Category, Task, TimeBlock
from ceodesk.core.views.capture import add_task
from ceodesk.ui import app as app_module
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens import tasks as tasks_screen

MODES = ["week", "tasks", "rocks", "scorecard", "big-picture"]
KEYS = {"week": "1", "tasks": "2", "rocks": "3", "scorecard": "4", "big-picture": "8"}


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while the block runs."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_history(path: Path, count: int) -> None:
    """``count`` tasks done long ago and as many time blocks in past years."""
    db = open_database(path)
    try:
        with Session(db.engine) as session:
            category = session.exec(select(Category)).first()
            assert category is not None and category.id is not None
            long_ago = FROZEN_NOW - timedelta(days=3 * 365)
            for n in range(count):
                when = long_ago + timedelta(hours=n)
                task = Task(title=f"Old task {n}", done_at=when, created_at=when)
                session.add(task)
                session.add(
                    TimeBlock(
                        day=when.date(),
                        start=time(9),
                        end=time(10),
                        title=f"Old block {n}",
                        category_id=category.id,
                    )
                )
            session.commit()
    finally:
        db.close()


def desk_on(path: Path, mode: str | None = None) -> CeodeskApp:
    desk = CeodeskApp(open_database(path), clock=frozen_clock(FROZEN_NOW), mode=mode)
    desk.animation_level = "none"
    return desk


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return demo_copy(tmp_path / "demo.db", FROZEN_NOW)


@pytest.fixture
def large_path(tmp_path: Path) -> Path:
    def make(path: Path) -> None:
        write_demo_database(str(path), FROZEN_NOW, time_zone="UTC")
        add_history(path, 2000)

    return copy_of(tmp_path / "large.db", "change feed: demo + 2000 old tasks and blocks", make)


async def visit_every_screen(pilot) -> None:
    for mode in MODES:
        await pilot.press(KEYS[mode])
        await pilot.pause()


async def test_switching_screens_with_nothing_changed_costs_no_query(demo_path) -> None:
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await visit_every_screen(pilot)  # each screen drew once
            with counted(app.db) as statements:
                for _ in range(2):
                    await visit_every_screen(pilot)
                await pilot.press("2", "1", "2", "4", "2")
                await pilot.pause()
            assert statements == []
    finally:
        app.db.close()


async def redraw_after_another_process_writes(path: Path, mode: str) -> tuple[int, str]:
    """Queries of one poll after another process added a task, and the screen's mode."""
    app = desk_on(path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await visit_every_screen(pilot)
            await pilot.press(KEYS[mode])
            await pilot.pause()
            other = open_database(path)
            try:
                add_task(other, "Call the auditor !iu", FROZEN_NOW)
            finally:
                other.close()
            with counted(app.db) as statements:
                app.check_for_changes()  # what the poll does every second
                await pilot.pause()
            assert app.screen.drawn_revision == app.db.revision  # it redrew
            shown = app.current_mode
            # The other screens catch up once when next shown; after that, with nothing
            # changed, polls and switches cost nothing.
            await visit_every_screen(pilot)
            with counted(app.db) as after:
                app.check_for_changes()
                await visit_every_screen(pilot)
                await pilot.press(KEYS[mode])
                await pilot.pause()
            assert after == []
            return len(statements), shown
    finally:
        app.db.close()


@pytest.mark.parametrize("mode", MODES)
async def test_another_process_write_redraws_with_queries_independent_of_history(
    demo_path, large_path, mode
) -> None:
    small, shown = await redraw_after_another_process_writes(demo_path, mode)
    large, _ = await redraw_after_another_process_writes(large_path, mode)
    assert shown == mode
    assert small == large
    # A task is added: every screen that shows tasks reads again; the Rocks read none.
    assert (small > 0) == (mode != "rocks"), small


async def test_another_process_write_shows_on_the_task_board(demo_path) -> None:
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("2")
            await pilot.pause()
            other = open_database(demo_path)
            try:
                added = add_task(other, "Call the auditor !iu", FROZEN_NOW)
            finally:
                other.close()
            board = app.screen
            assert isinstance(board, tasks_screen.TasksScreen)
            assert added.id not in board.lists[Quadrant.DO].task_ids
            app.check_for_changes()
            await pilot.pause()
            assert added.id in board.lists[Quadrant.DO].task_ids
    finally:
        app.db.close()


def test_the_poll_looks_at_least_every_two_seconds() -> None:
    assert app_module.EXTERNAL_CHANGE_POLL_SECONDS <= 2


async def test_one_quick_add_rebuilds_the_task_board_once(demo_path, monkeypatch) -> None:
    builds: list[str] = []

    def counted(read):
        def counting(*args, **kwargs):
            builds.append("board")
            return read(*args, **kwargs)

        return counting

    # Read whole, or (after this app's own write to tasks only) just the tasks it changed.
    monkeypatch.setattr(tasks_screen, "task_board", counted(tasks_screen.task_board))
    monkeypatch.setattr(tasks_screen, "task_board_again", counted(tasks_screen.task_board_again))
    app = desk_on(demo_path, "tasks")
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            builds.clear()
            await pilot.press("n", *"Book the offsite venue !i", "enter")
            await pilot.pause()
            app.check_for_changes()  # the poll a second later: the app's own write
            await pilot.pause()
            assert builds == ["board"]
            board = app.screen
            assert isinstance(board, tasks_screen.TasksScreen)
            assert board.lists[Quadrant.SCHEDULE].current_task_id is not None
    finally:
        app.db.close()


async def test_no_redraw_after_the_app_has_begun_to_close(demo_path) -> None:
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("2")
            await pilot.pause()
            other = open_database(demo_path)
            try:
                add_task(other, "Written while closing", FROZEN_NOW)
            finally:
                other.close()
            drawn = app.screen.drawn_revision
            app.exit()
            with counted(app.db) as statements:
                app.check_for_changes()  # a poll that was already due
            assert statements == []
            assert app.screen.drawn_revision == drawn
        assert app.unhandled_error is None
    finally:
        app.db.close()


async def test_a_visit_in_a_later_minute_redraws_the_now_line(demo_path) -> None:
    instants = [FROZEN_NOW]
    app = CeodeskApp(open_database(demo_path), clock=lambda: instants[-1])
    app.animation_level = "none"
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await visit_every_screen(pilot)
            await pilot.press("1")
            await pilot.pause()
            week = app.screen
            drawn = week.drawn_minute
            instants.append(FROZEN_NOW + timedelta(minutes=1))
            await pilot.press("2", "1")
            await pilot.pause()
            assert week.drawn_minute != drawn  # redrawn for the new minute
            assert week.drawn_revision == app.db.revision
    finally:
        app.db.close()


async def back_after_a_scorecard_value(pilot, key: str) -> list[str]:
    """The statements of going back to the screen of ``key`` after a value typed on the
    scorecard, once that screen has drawn again."""
    app = pilot.app
    await pilot.press("4")
    await pilot.pause()
    await pilot.press("e", *"321", "enter", "escape")
    await pilot.pause()
    with counted(app.db) as statements:
        await pilot.press(key)
        await pilot.pause()
        while app.screen.load_under_way:
            await pilot.pause()
    assert app.screen.drawn_revision == app.db.revision  # it looked again
    return statements


async def test_back_to_the_week_after_a_scorecard_value_reads_no_block(demo_path) -> None:
    """A value typed on the scorecard changes nothing the week shows: the week, shown
    again, keeps its plan (no statement reads its blocks) and still shows it."""
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await visit_every_screen(pilot)
            await pilot.press("1")
            await pilot.pause()
            plan = app.screen.plan
            statements = await back_after_a_scorecard_value(pilot, "1")
            assert app.screen.plan is plan  # kept its plan
            assert not any("FROM timeblock" in s for s in statements)
    finally:
        app.db.close()


async def test_back_to_the_rocks_after_a_scorecard_value_reads_no_rock(demo_path) -> None:
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await visit_every_screen(pilot)
            await pilot.press("3")
            await pilot.pause()
            shown = app.screen.view
            statements = await back_after_a_scorecard_value(pilot, "3")
            assert app.screen.view is shown  # kept, drawn as it was
            assert not any("FROM rock" in s for s in statements)
            await pilot.press("space")  # a Rock's status: read again, and shown
            await pilot.pause()
            while app.screen.load_under_way:
                await pilot.pause()
            assert app.screen.view is not shown
    finally:
        app.db.close()
