"""Shared helpers for the UI tests (importable, unlike conftest)."""

import asyncio
import io
import unicodedata
from datetime import UTC, datetime
from time import monotonic, process_time

from rich.console import Console
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
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


def as_if_another_program_wrote(app, mode: str | None = None) -> None:
    """Mark the screens of ``mode`` (every mode when None) stale, as another program's
    write does: each reloads everything when next shown."""
    stacks = (
        [app._screen_stacks[mode]] if mode else [app.screen_stack, *app._screen_stacks.values()]
    )
    for stack in stacks:
        for screen in stack:
            screen.drawn_revision = None
    if app._db is not None:  # the feed does not say which tables: all of them, as the poll
        app.db.changes.everything_changed()


async def shown(pilot: Pilot, key: str) -> None:
    """Press ``key`` (a screen's digit) until that screen has drawn, with any dialog it
    opens on arrival (the meeting's start dialog) closed."""
    await pilot.press(key)
    await settled(pilot)
    while pilot.app.screen.is_modal:
        await pilot.press("escape")
        await settled(pilot)


async def shown_again_after_a_write(
    pilot: Pilot, key: str, mode: str | None = None, away: str = "1"
) -> None:
    """Away to the screen ``away``, another program writes (``mode``'s screens, or
    every screen, go stale), then back to the screen of ``key``, drawn."""
    await shown(pilot, away)
    as_if_another_program_wrote(pilot.app, mode)
    await shown(pilot, key)


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


def patience(tries: int, seconds: float):
    """The turns of a loop that polls the app: ``tries`` of them and, should those pass
    quicker, more until ``seconds`` have passed (a pause waits for the app, not a fixed
    time, so a count of pauses alone says nothing of how long the app was given)."""
    start = monotonic()
    turn = 0
    while turn < tries or monotonic() - start < seconds:
        yield turn
        turn += 1


async def settled(pilot: Pilot, delay: float | None = None) -> None:
    """Pilot's pause, after every worker has finished (a screen's load and show), until
    nothing the pause set off is still loading and the screen shown has drawn. Without a
    delay, the pause's wait for idle is key_handled's (10 ms steps, no message left)."""
    app = pilot.app
    for _ in patience(100, 10.0):
        running = [worker for worker in app.workers if not worker.is_finished]
        # A cancelled worker (a refresh replaced by a newer one) raises here: it is
        # done all the same. A failed one has already stopped the app.
        await asyncio.gather(*(worker.wait() for worker in running), return_exceptions=True)
        if delay is None:
            await pilot._wait_for_screen()
            await key_handled(app)
            app.screen._on_timer_update()
        else:
            await plain_pause(pilot, delay)
        if not app.is_running:
            return  # quit: nothing more is drawn
        if all(worker.is_finished for worker in app.workers) and not still_drawing(app):
            return
    raise AssertionError("the app keeps starting workers: nothing settles")


# Textual's wait after each key a pilot presses (App._press_keys, twice a key) sleeps in
# 20 ms steps until one step used under 5% of its time in CPU: at least 40 ms a key even
# when the app is done at once, most of a UI test's wall time (idle). A key here waits in
# KEY_STEP steps by the same rule (under 5% of a step), and in addition until the app has
# handed on every key typed so far (CeodeskApp's turns), no worker is running, no screen
# has callbacks left for after its refresh (the meeting opens its start dialog from one)
# and no message waits in the app, a screen of its stack or a widget: a process only
# descheduled, or a worker waiting on the disk, looks idle on a busy machine but has work
# left, so it is not taken for done. A pause (settled) waits the same way.
KEY_STEP = 1 / 200
KEY_WAIT_LIMIT = 1.0  # Textual's too: a key whose handling waits on a held-back load


def _working(app) -> bool:
    if getattr(app, "_held", None) or getattr(app, "_catching_up", None):
        return True
    if any(not worker.is_finished for worker in app.workers):
        return True
    if any(screen._callbacks for screen in app.screen_stack):
        return True  # call_after_refresh: the meeting opens its start dialog from there
    pumps = [app]
    for screen in app.screen_stack:
        pumps.append(screen)
        pumps.extend(screen.walk_children())
    return any(
        not pump._message_queue.empty() or pump._next_callbacks
        for pump in pumps
        if not pump._closed
    )


async def key_handled(app) -> None:
    """textual._wait.wait_for_idle(0) in KEY_STEP steps, until the app is also done with
    what it was sent (see above), for KEY_WAIT_LIMIT at most."""
    start = monotonic()
    while True:
        cpu = process_time()
        await asyncio.sleep(KEY_STEP)
        if monotonic() - start >= KEY_WAIT_LIMIT or not app.is_running:
            return
        if process_time() - cpu < KEY_STEP / 20 and not _working(app):
            return


async def press_keys(app, keys) -> None:
    """App._press_keys of Textual 8.2 with key_handled for its two waits after a key."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        if key.startswith("wait:"):
            await asyncio.sleep(float(key.split(":")[1]) / 1000)
            await app._animator.wait_until_complete()
            continue
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        original_key = REPLACED_KEYS.get(key, key)
        char: str | None
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(original_key))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)
        await key_handled(app)
        await app._animator.wait_until_complete()
        await key_handled(app)


async def until(pilot, condition, tries: int = 200) -> None:
    """Let the app run until ``condition()`` holds (the palette searches in a worker)."""
    for _ in patience(tries, tries * 0.02):
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
