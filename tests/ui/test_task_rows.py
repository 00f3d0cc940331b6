"""A task row laid out as one line of text (fast to measure for a list of hundreds)
looks exactly like the table layout it replaces: every cell, character and style."""

from __future__ import annotations

import pytest
from rich.console import Console
from ui_support import FROZEN_NOW

from ceodesk.core.demo import write_demo_database
from ceodesk.core.demo.large import LARGE
from ceodesk.core.domain.tasks import task_board
from ceodesk.core.store.db import open_database
from ceodesk.ui.widgets.task_list import plan_rows, render_row


def cells(console: Console, renderable) -> list[tuple[str, str]]:
    drawn = []
    for segment in console.render(renderable, console.options):
        style = str(segment.style) if segment.style else "none"
        drawn += [(char, style) for char in segment.text if char != "\n"]
    return drawn


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    path = tmp_path_factory.mktemp("rows") / "rows.db"
    write_demo_database(str(path), FROZEN_NOW, time_zone="UTC", history=LARGE.scaled(0.05))
    db = open_database(path)
    try:
        return task_board(db, FROZEN_NOW)
    finally:
        db.close()


@pytest.mark.parametrize("width", [14, 20, 37, 60, 100])
def test_a_row_as_one_line_matches_the_table_layout(board, width) -> None:
    console = Console(width=width, color_system="truecolor", force_terminal=True)
    lists = [(*q.tasks, *q.done) for q in board.quadrants] + [board.unsorted.tasks]
    for tasks in lists:
        scheduled = {t.id: "Wed 08:00" for t in tasks[::3]}
        plan = plan_rows(tasks, scheduled, width)
        for task in tasks:
            table = cells(console, render_row(task, plan, scheduled))
            line = cells(console, render_row(task, plan, scheduled, width))
            assert line == table, task.title
