"""What the task board costs on the Textual side with years of history (issue 13): its
lists are full there, with scrollbars, where the demo's are half empty. A switch back
with nothing changed, or a redraw that reads the same tasks, draws no line of a list or
of its scrollbar; completed tasks are read only while they are shown. Counts, never
times."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from test_change_feed import desk_on
from test_large_history import demo_path, drawn, history_path  # noqa: F401
from textual.screen import Screen
from textual.visual import Visual
from textual.widget import Widget
from ui_support import FROZEN_NOW, settled

from ceodesk.core.domain import tasks as tasks_module
from ceodesk.core.domain.people import add_person
from ceodesk.core.domain.tasks import Quadrant
from ceodesk.core.store.db import open_database
from ceodesk.core.views.capture import add_task
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.tasks import TasksScreen
from ceodesk.ui.widgets import task_list as task_list_module
from ceodesk.ui.widgets.task_list import TaskList, plan_rows


@contextmanager
def lines_drawn(screen: TasksScreen) -> Iterator[Counter[str]]:
    """Lines each task list, and each list's scrollbar, draws meanwhile."""
    drawn_lines: Counter[str] = Counter()
    patched: list[Widget] = []
    for task_list in screen.query(TaskList):
        parts: list[tuple[str, Widget]] = [(str(task_list.id), task_list)]
        if task_list.show_vertical_scrollbar:
            parts.append((f"{task_list.id} scrollbar", task_list.vertical_scrollbar))
        for name, widget in parts:
            render_line = widget.render_line

            def counted(y: int, name: str = name, render_line=render_line):
                drawn_lines[name] += 1
                return render_line(y)

            widget.render_line = counted  # type: ignore[method-assign]
            patched.append(widget)
    try:
        yield drawn_lines
    finally:
        for widget in patched:
            del widget.render_line


async def tasks_shown(pilot, app: CeodeskApp) -> TasksScreen:
    await pilot.press("2")
    screen = await drawn(pilot, app, "tasks")
    assert isinstance(screen, TasksScreen)
    await settled(pilot)  # ...and painted
    return screen


async def week_shown(pilot, app: CeodeskApp) -> None:
    await pilot.press("1")
    await drawn(pilot, app, "week")
    await settled(pilot)


async def test_a_switch_back_or_a_redraw_of_the_same_tasks_draws_no_list_line(
    history_path: Path,  # noqa: F811
) -> None:
    app = desk_on(history_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await tasks_shown(pilot, app)
            scrolled = [t for t in screen.query(TaskList) if t.show_vertical_scrollbar]
            assert scrolled  # lists fuller than the screen
            # Each screen visited twice first: a first visit's own restyles are over.
            await week_shown(pilot, app)
            await tasks_shown(pilot, app)
            await week_shown(pilot, app)
            with lines_drawn(screen) as switch_back:
                await tasks_shown(pilot, app)
            # Before: every list with a scrollbar drew its scrollbar again.
            assert switch_back == Counter()
            await week_shown(pilot, app)
            screen.drawn_revision = None  # as if another process wrote: read again
            with lines_drawn(screen) as redraw:
                await tasks_shown(pilot, app)
            # Before: every list drew all its lines again (its title set to the same words).
            assert redraw == Counter()
            assert not screen.stale
    finally:
        app.db.close()


async def test_completed_tasks_are_read_only_while_c_shows_them(
    history_path: Path,  # noqa: F811
) -> None:
    app = desk_on(history_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await tasks_shown(pilot, app)
            board = screen.load().board
            assert board.open_count > 0
            assert all(q.done == () for q in board.quadrants) and board.unsorted.done == ()
            await pilot.press("c")
            await drawn(pilot, app, "tasks")
            while screen.load_under_way:
                await pilot.pause()
            done = [t for q in screen.load().board.quadrants for t in q.done]
            assert done
            shown = [t for task_list in screen.query(TaskList) for t in task_list.task_ids]
            assert {t.id for t in done} <= set(shown)
    finally:
        app.db.close()


async def complete_and_undo(path: Path, monkeypatch) -> dict[str, int]:
    """On the Schedule list (Do is empty on the demo this Wednesday): the rows laid out,
    drawn afresh and made into the list's lines by x, then by u."""
    laid_out: list[int] = []
    lay_out = task_list_module.render_row

    def counted(task, *args, **kwargs):
        laid_out.append(task.id)
        return lay_out(task, *args, **kwargs)

    monkeypatch.setattr(task_list_module, "render_row", counted)
    lines_made: Counter[str] = Counter()  # a row's lines as the list shows them, per list
    to_strips = Visual.to_strips.__func__  # type: ignore[attr-defined]

    def made(cls, widget, *args, **kwargs):
        lines_made[str(widget.id)] += 1
        return to_strips(cls, widget, *args, **kwargs)

    monkeypatch.setattr(Visual, "to_strips", classmethod(made))
    layouts = screen_layouts(monkeypatch)
    app = desk_on(path)
    costs = {}
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await tasks_shown(pilot, app)
            task_list = screen.lists[Quadrant.SCHEDULE]
            task_list.focus()
            await pilot.press("down")
            await settled(pilot)
            before = task_list.task_ids
            place = task_list.highlighted
            assert place == 1
            for key in ("x", "u"):
                laid_out.clear()
                lines_made.clear()
                layouts.clear()
                drawn_before = task_list.rows_drawn
                with lines_drawn(screen) as lines:
                    await pilot.press(key)
                    await drawn(pilot, app, "tasks")
                    await settled(pilot)
                costs[f"{key} laid out"] = len(laid_out)
                costs[f"{key} screen layouts"] = len(layouts)
                costs[f"{key} drawn"] = task_list.rows_drawn - drawn_before
                costs[f"{key} lines made"] = lines_made[str(task_list.id)]
                assert lines[str(task_list.id)] <= task_list.scrollable_content_region.height
                if key == "x":
                    assert task_list.task_ids == before[:1] + before[2:]
                    assert task_list.highlighted == place  # on the task that came up
            assert task_list.task_ids == before  # back in its place
            assert task_list.current_task_id == before[place + 1]  # it stayed on
    finally:
        app.db.close()
    return costs


async def test_complete_and_undo_draw_only_the_rows_they_touch(
    demo_path: Path,  # noqa: F811
    history_path: Path,  # noqa: F811
    monkeypatch,
) -> None:
    small = await complete_and_undo(demo_path, monkeypatch)
    large = await complete_and_undo(history_path, monkeypatch)
    for costs in (small, large):
        # x: the row the cursor lands on (under the cursor now), and on a full list the
        # one that scrolls into view. u: the row brought back; the rest keep their lines.
        # Before: every row on show drawn again, and u laid every row out anew.
        assert costs["x drawn"] <= 2 and costs["x laid out"] <= 1, costs
        assert costs["u drawn"] <= 2 and costs["u laid out"] == 1, costs
        # The rows that moved up or down keep their lines too. Before: every row below
        # the one taken off or put back made its lines again (the index in them moved).
        assert costs["x lines made"] <= 2 and costs["u lines made"] <= 2, costs
        # A row fewer or more changes a full list's scroll range, not the board: the
        # screen is not laid out again. Before: every x and u laid out the whole board.
        assert costs["x screen layouts"] == 0 and costs["u screen layouts"] == 0, costs


def screen_layouts(monkeypatch) -> list[Screen]:
    """The screens laid out (all their widgets placed again) from now on."""
    layouts: list[Screen] = []
    lay_out = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        layouts.append(self)
        return lay_out(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return layouts


async def test_a_list_that_stops_overflowing_loses_its_scrollbar_and_gets_it_back(
    demo_path: Path,  # noqa: F811
    monkeypatch,
) -> None:
    layouts = screen_layouts(monkeypatch)
    app = desk_on(demo_path)
    try:
        # 30 lines: the demo's Schedule list holds one task more than it shows.
        async with app.run_test(size=(140, 30)) as pilot:
            screen = await tasks_shown(pilot, app)
            task_list = screen.lists[Quadrant.SCHEDULE]
            task_list.focus()
            await settled(pilot)
            rows = task_list.scrollable_content_region.height
            assert len(task_list.task_ids) == rows + 1 and task_list.show_vertical_scrollbar
            for key, scrollbar in (("x", False), ("u", True)):
                layouts.clear()
                await pilot.press(key)
                await drawn(pilot, app, "tasks")
                await settled(pilot)
                assert task_list.show_vertical_scrollbar is scrollbar, key
                assert layouts, key  # the list's own area changed: laid out again
                # Its rows span the list as it is now, scrollbar or none.
                width = task_list.scrollable_content_region.width
                assert width == task_list.size.width - (1 if scrollbar else 0)
                for y in range(min(rows, len(task_list.task_ids))):
                    assert task_list.render_line(y).cell_length == width, (key, y)
    finally:
        app.db.close()


def assert_laid_out_as_new(task_list: TaskList) -> None:
    """The list's columns are those a fresh drawing of its tasks would have."""
    assert task_list.view is not None
    fresh = plan_rows(task_list.view.tasks, task_list.scheduled, task_list._width)
    assert task_list._plan == fresh


async def test_completing_a_task_reads_the_board_again_only_when_it_may_differ(
    history_path: Path,  # noqa: F811
) -> None:
    app = desk_on(history_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await tasks_shown(pilot, app)
            loads: list[int] = []
            load = screen.load

            def counted():
                loads.append(app.db.revision)
                return load()

            screen.load = counted  # type: ignore[method-assign]
            task_list = screen.lists[Quadrant.SCHEDULE]
            task_list.focus()
            await settled(pilot)
            first = task_list.current_task_id
            open_before = screen._open_count
            await pilot.press("x")
            await drawn(pilot, app, "tasks")
            await settled(pilot)
            # Off the list in place, and that is all completing it changed: before, the
            # whole board (hundreds of tasks on years of history) was read again.
            assert first not in task_list.task_ids
            assert screen._open_count == open_before - 1
            assert loads == []
            assert not screen.stale
            assert_laid_out_as_new(task_list)
            # Another program adds a task; x comes before the poll has seen it.
            assert app._poll is not None
            app._poll.pause()
            other = open_database(history_path)
            try:
                add_task(other, "Written by another program !i", FROZEN_NOW)
            finally:
                other.close()
            second = task_list.current_task_id
            await pilot.press("x")
            await drawn(pilot, app, "tasks")
            await settled(pilot)
            assert second not in task_list.task_ids
            assert_laid_out_as_new(task_list)
            assert len(loads) == 1  # read again: the board shows their task too
            titles = {t.title for t in screen.lists[Quadrant.SCHEDULE].view.tasks}
            assert "Written by another program" in titles
            await pilot.press("u")
            await drawn(pilot, app, "tasks")
            await settled(pilot)
            assert second in task_list.task_ids
    finally:
        app.db.close()


async def rows_read_by_undo(path: Path, monkeypatch) -> list[int]:
    """The task rows the board reads for u after x, and checks of what u shows."""
    read: list[int] = []
    board_views = tasks_module._board_views

    def counted(session, rows, now_local):
        read.append(len(rows))
        return board_views(session, rows, now_local)

    monkeypatch.setattr(tasks_module, "_board_views", counted)
    app = desk_on(path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await tasks_shown(pilot, app)
            task_list = screen.lists[Quadrant.SCHEDULE]
            task_list.focus()
            await settled(pilot)
            before, open_before = task_list.task_ids, screen._open_count
            scheduled = dict(task_list.scheduled)
            await pilot.press("x")
            await drawn(pilot, app, "tasks")
            read.clear()
            await pilot.press("u")
            await drawn(pilot, app, "tasks")
            await settled(pilot)
            assert task_list.task_ids == before  # back in its place
            assert screen._open_count == open_before
            assert task_list.scheduled == scheduled
            reads = list(read)
            # What u shows is what reading the whole board shows.
            assert screen._shown is not None
            screen._again = None
            assert screen._shown.board == screen.load().board
            return reads
    finally:
        app.db.close()


async def test_undo_reads_again_only_the_tasks_it_changed(
    demo_path: Path,  # noqa: F811
    history_path: Path,  # noqa: F811
    monkeypatch,
) -> None:
    # Before: every open task (hundreds on years of history) was read again.
    assert await rows_read_by_undo(demo_path, monkeypatch) == [1]
    assert await rows_read_by_undo(history_path, monkeypatch) == [1]


async def test_undo_of_anything_but_tasks_reads_the_whole_board(
    history_path: Path,  # noqa: F811
) -> None:
    app = desk_on(history_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await tasks_shown(pilot, app)
            open_before = screen._open_count
            add_person(app.db, "Quinn Adler")  # a write elsewhere, then undone from here
            await pilot.press("u")
            await drawn(pilot, app, "tasks")
            assert screen._again is None  # not only tasks: all read again
            assert screen._open_count == open_before
    finally:
        app.db.close()
