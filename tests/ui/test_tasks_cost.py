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
from test_large_history import drawn, history_file, history_path  # noqa: F401
from textual.widget import Widget
from ui_support import settled

from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.tasks import TasksScreen
from ceodesk.ui.widgets.task_list import TaskList


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
