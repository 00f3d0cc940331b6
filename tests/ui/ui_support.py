"""Shared helpers for the UI tests (importable, unlike conftest)."""

import asyncio
import io
from datetime import UTC, datetime

from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

# Textual's own pause: waits for the screen and for idle, not for workers.
plain_pause = Pilot.pause

# A Wednesday morning, so "this week" has a past and a future.
FROZEN_NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def shown_text(static) -> str:
    """The text a Static shows, rendered as plain text (tables included); for a
    container, its Statics' one after the other."""
    console = Console(width=max(20, static.size.width or 60), file=io.StringIO(), record=True)
    for part in [static] if isinstance(static, Static) else static.query(Static):
        console.print(part.content)
    return console.export_text()


def still_drawing(app) -> bool:
    """Whether a screen shown (the one on top, or one under a dialog) has yet to draw its
    data: a desk screen opened by the key just pressed may mount and start its load after
    a pause has returned, and the meeting's start dialog opens over a screen loading."""
    from textual.widgets import DataTable

    from ceodesk.ui.screens.base import DeskScreen, LoadingScreen
    from ceodesk.ui.screens.form import Dialog

    if getattr(app, "_held", None) or getattr(app, "_catching_up", None):
        return True  # keys typed that wait their turn (CeodeskApp)
    for screen in app.screen_stack:
        if isinstance(screen, DeskScreen | Dialog) and not screen.ready:
            return True
        if isinstance(screen, LoadingScreen) and screen.load_under_way:
            return True
    # A table given rows measures them when it is next idle, a widget tells the screen
    # of a new size on its next idle, and the screen lays out on its next update: until
    # then columns are unsized and rows not drawn (the review's first visit, caught half
    # laid out under load).
    screen = app.screen
    if screen._layout_required or screen._scroll_required or screen._dirty_widgets:
        return True
    for widget in screen.walk_children():
        if widget._layout_required or widget._repaint_required:
            return True
        if isinstance(widget, DataTable) and (
            widget._require_update_dimensions or widget._updated_cells
        ):
            return True
    return False


async def settled(pilot: Pilot, delay: float | None = None) -> None:
    """Pilot's pause, after every worker has finished (a screen's load and show), until
    nothing the pause set off is still loading and the screen shown has drawn."""
    for _ in range(100):
        running = [worker for worker in pilot.app.workers if not worker.is_finished]
        # A cancelled worker (a refresh replaced by a newer one) raises here: it is
        # done all the same. A failed one has already stopped the app.
        await asyncio.gather(*(worker.wait() for worker in running), return_exceptions=True)
        await plain_pause(pilot, delay)
        if all(worker.is_finished for worker in pilot.app.workers) and not still_drawing(pilot.app):
            return
    raise AssertionError("the app keeps starting workers: nothing settles")


async def until(pilot, condition, tries: int = 200) -> None:
    """Let the app run until ``condition()`` holds (the palette searches in a worker)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never got there")


CHARACTERS = {"enter": "\r", "escape": "\x1b", "space": " ", "tab": "\t"}


def typed_at_once(app, *keys: str) -> None:
    """Queue every key before the app handles any (as one terminal read)."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        driver.send_message(event)
