"""Stored text never reaches the terminal as a command, even rows stored before
ceodesk cleaned its input (or written by another program)."""

from __future__ import annotations

import sqlite3

import pytest

from ceodesk.core.kernel.text import has_controls
from ceodesk.ui.app import CeodeskApp

# OSC 52 puts "rm -rf ~" on the clipboard, OSC 0 renames the window, CSI 2J clears.
HOSTILE = "Probe \x1b]52;c;cm0gLXJmIH4K\x07 \x1b]0;pwned\x07 \x1b[2J \x9b2J"


def store_raw(app: CeodeskApp, sql: str) -> None:
    """Write as another program would, past ceodesk's own input cleaning."""
    conn = sqlite3.connect(app.db.location.path)
    try:
        conn.execute(sql, (HOSTILE,))
        conn.commit()
    finally:
        conn.close()


def drawn(app: CeodeskApp) -> tuple[str, str]:
    """(the text of every drawn cell, the bytes the terminal would be sent)."""
    update = app.screen._compositor.render_full_update()
    cells = "".join(
        segment.text
        for line in update.strips
        for strip in line
        for segment in strip
        if segment.control is None
    )
    return cells, update.render_segments(app.console)


def assert_inert(app: CeodeskApp) -> None:
    cells, sent = drawn(app)
    assert "Probe" in cells  # the title is shown ...
    assert not has_controls(cells)  # ... with no control character in it
    for command in ("\x1b]", "\x07", "\x1b[2J", "\x9b"):
        assert command not in sent


@pytest.mark.parametrize(
    ("screen", "sql"),
    [
        ("2", "UPDATE task SET title = ? WHERE title LIKE 'Call Meridian%'"),
        ("4", "UPDATE measurable SET name = ? WHERE name = 'Leads'"),
        (
            "3",
            "UPDATE rock SET title = ?"
            " WHERE id = (SELECT min(id) FROM rock WHERE quarter = '2026-Q4')",
        ),
        ("1", "UPDATE timeblock SET title = ? WHERE title LIKE 'Design VP%'"),
    ],
    ids=["tasks", "scorecard", "rocks", "week"],
)
async def test_a_stored_escape_sequence_is_drawn_inert(week_app, screen, sql) -> None:
    app = week_app
    store_raw(app, sql)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press(screen)
        await pilot.pause()
        assert_inert(app)
