"""The ceodesk Textual application: screens as modes, global keys, undo, live refresh."""

from __future__ import annotations

import gc
import importlib
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import RenderableType
from rich.segment import Segment
from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.color import Color
from textual.filter import LineFilter
from textual.message import Message
from textual.notifications import Notify
from textual.reactive import Reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from ceodesk.core.kernel.clock import Clock, LocalNow, system_clock
from ceodesk.core.kernel.errors import CeodeskError, StorageError
from ceodesk.core.kernel.text import has_controls, without_controls
from ceodesk.ui.commands import DeskCommands
from ceodesk.ui.idle_collector import TICK_SECONDS, IdleCollector
from ceodesk.ui.screens.base import DeskScreen, Refreshable, go_bindings
from ceodesk.ui.screens.form import Dialog, one_line
from ceodesk.ui.screens.week import WeekScreen
from ceodesk.ui.textual_fixes import forget_dead_widgets
from ceodesk.ui.theme import CEODESK_THEME

if TYPE_CHECKING:  # annotations only: the CLI opens the Database and hands it in
    from ceodesk.core.store.db import ChangeWatcher, Database
    from ceodesk.core.views.first_look import FirstLook

# How often the database file is checked for changes made by another process.
EXTERNAL_CHANGE_POLL_SECONDS = 1.0
READ_ONLY_MARKER = " read-only "
# Seconds after the first frame (drawn from the first look) before the database opens,
# at the next idle moment: the rest of the first screen (the footer's keys, the cursor
# scrolled to now) is drawn first, never slowed by the ORM loading beside it.
OPEN_AFTER_FIRST_FRAME = 0.3
# Presenter mode (the meeting's P) keeps what is the CEO's own off the shared screen.
PRIVATE_MODES = {
    "week": "the week planner shows your own time blocks",
    "tasks": "the tasks screen shows your personal tasks",
}


class InertText(LineFilter):
    """Drops control characters from every drawn line, so no stored text (an old row,
    another program's write) can send the terminal an escape sequence."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(without_controls(s.text), s.style)
            if s.control is None and has_controls(s.text)
            else s
            for s in segments
        ]


class KeysCaughtUp(Message):
    """Queued when a dialog answers: keys ahead of it were typed while it was open."""


class DatabaseOpened(Message):
    """Posted from the opening thread: the Database is open (or failed to open)."""


# The screens other than the first are imported when first opened: start-up pays only
# for the week screen (issue 13).
MODE_SCREENS = {
    "tasks": ("tasks", "TasksScreen"),
    "rocks": ("rocks", "RocksScreen"),
    "scorecard": ("scorecard", "ScorecardScreen"),
    "meeting": ("meeting", "MeetingScreen"),
    "review": ("review", "ReviewScreen"),
    "big-picture": ("big_picture", "BigPictureScreen"),
}


def screen_class(module: str, name: str) -> Any:
    """A screen (or dialog) class of ceodesk.ui.screens, imported when first asked for."""
    return getattr(importlib.import_module(f"ceodesk.ui.screens.{module}"), name)


def mode_screen(mode: str) -> type[Screen]:
    """The screen class a mode opens (importing it if need be)."""
    made = CeodeskApp.MODES[mode]
    if isinstance(made, type):
        return made
    return screen_class(*MODE_SCREENS[mode])


def _opens(mode: str) -> Callable[[], Screen]:
    def make() -> Screen:
        return screen_class(*MODE_SCREENS[mode])()

    return make


# How often a key typed looks whether the one before it can still be handled, and the
# longest it waits for it all the same (_one_key_at_a_time).
KEY_TURN_LIMIT_SECONDS = 1.0
KEY_TURN_GIVE_UP_SECONDS = 10.0


class CeodeskApp(App[None]):
    """A CEO's week in a terminal. The database and the clock are injected."""

    TITLE = "ceodesk"
    CSS_PATH = "app.tcss"
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        "week": WeekScreen,
        "tasks": _opens("tasks"),
        "rocks": _opens("rocks"),
        "scorecard": _opens("scorecard"),
        "meeting": _opens("meeting"),
        "review": _opens("review"),
        "big-picture": _opens("big-picture"),
    }
    DEFAULT_MODE = "week"
    # The desk's theme from the start, not set once mounted: the stylesheet is parsed
    # and applied to every widget once, not a second time for the theme (issue 13).
    theme: Reactive[str] = Reactive(CEODESK_THEME.name)
    COMMANDS = {DeskCommands}
    BINDINGS = [
        *go_bindings(),
        Binding(
            "ctrl+n",
            "capture",
            "Capture",
            id="capture",
            tooltip="Capture a task from any screen",
        ),
        Binding("question_mark", "help", "Help", id="help", tooltip="Keys for this screen"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change", show=False),
        Binding("ctrl+r", "redo", "Redo", id="redo", tooltip="Redo what was undone", show=False),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit ceodesk"),
        # Not in the footer: shown while a field takes q as a letter, the footer would
        # read "q Quit" (Textual shows a binding by its first key's display).
        Binding("ctrl+q", "quit", "Quit", id="quit-anywhere", tooltip="Quit ceodesk", show=False),
    ]

    def __init__(
        self,
        db: Database | None = None,
        clock: Clock = system_clock,
        *,
        mode: str | None = None,
        first_look: FirstLook | None = None,
        opener: Callable[[], Database] | None = None,
    ) -> None:
        """Either ``db``, open, or a ``first_look`` to draw the first frame from and an
        ``opener`` that opens the Database (importing the ORM) once that frame is drawn
        (issue 13); until then, whatever needs ``db`` waits for it."""
        super().__init__()
        forget_dead_widgets()  # Textual keeps gone widgets' lines otherwise (issue 13)
        if mode is not None:  # open on another screen (tests, screenshots)
            self._screen_stacks = {mode: []}
            self._current_mode = mode
        if db is None and (first_look is None or opener is None):
            raise ValueError("CeodeskApp needs a database, or a first look and an opener")
        self._db = db
        self._first_look = first_look
        self._first_look_used = False
        self._opener = opener
        self._opening: threading.Thread | None = None
        self._opened = threading.Event()
        self._open_error: BaseException | None = None
        if db is not None:
            self._opened.set()
        self.clock = clock
        self.register_theme(CEODESK_THEME)  # offered by the palette's theme picker too
        self._exiting = False
        self._collector = IdleCollector()
        self._watcher: ChangeWatcher | None = None
        self._poll: Timer | None = None
        self._inert_text = InertText()
        self._stopped_by: StorageError | None = None
        self._dropping_keys = 0  # dialogs answered whose typed-ahead keys are still queued
        # Which screen each key in flight was typed on (keys come back up unhandled).
        self._typed_on: dict[int, Screen] = {}
        # Keys typed while a screen was opening, until it has its focus.
        self._held: dict[Screen, list[events.Key | events.Paste]] = {}
        # Screens handed held keys not yet handled, with the widget they were sent to.
        self._catching_up: dict[Screen, Widget | Screen] = {}
        self._key_turns: dict[Screen, object] = {}  # which key each screen waits for
        self.presenting = False  # presenter mode, switched by the meeting screen's P
        self.welcome: str | None = None  # said when the app opens (a new, empty desk)

    def get_theme(self, theme_name: str) -> Theme | None:
        # Asked for before __init__ can register it (the first CSS variables).
        if theme_name == CEODESK_THEME.name:
            return CEODESK_THEME
        return super().get_theme(theme_name)

    def on_mount(self) -> None:
        if self.welcome:  # a new, empty desk: what to do first
            self.notify(self.welcome, timeout=12)
        if self._db is not None:
            self._database_ready()
        # Else the first frame is drawn from the first look, then the database opens
        # (release_held_keys starts it): the watcher and the poll start then.

    # -- the database, opened after the first frame ------------------------------------

    @property
    def db(self) -> Database:
        """The open Database; while it is still opening, this waits for it (a key typed
        during the first half second does what it says, in order)."""
        if self._db is None:
            self._start_opening()
            self._opened.wait()
            if self._open_error is not None:
                raise self._open_error
            assert self._db is not None
        return self._db

    @property
    def database_open(self) -> bool:
        return self._db is not None

    @property
    def open_error(self) -> BaseException | None:
        """What opening the database after the first frame failed with, if it did."""
        return self._open_error

    @property
    def revision(self) -> int:
        """The change feed's revision the app's data is at (the first look's until the
        database is open)."""
        if self._db is None and self._first_look is not None:
            return self._first_look.revision
        return self.db.revision

    def first_look_of(self, week: str) -> FirstLook | None:
        """The first look, once, for the first load of ``week`` (None after that, or
        when it is not that week's, or when the database has moved on since)."""
        look = self._first_look
        if look is None or self._first_look_used or look.week != week:
            return None
        self._first_look_used = True
        if self._db is not None and self._db.revision != look.revision:
            return None
        return look

    def _open_when_idle(self) -> None:
        self.call_after_refresh(self._start_opening)

    def _start_opening(self) -> None:
        if self._opening is not None or self._opened.is_set():
            return
        self._opening = threading.Thread(
            target=self._open_database, name="ceodesk-open-database", daemon=True
        )
        self._opening.start()

    def _open_database(self) -> None:
        """In the opening thread: open the Database, then load what the week's keys use."""
        assert self._opener is not None
        try:
            self._db = self._opener()
        except BaseException as err:  # reported as the CLI reports it, once the app ends
            self._open_error = err
        finally:
            self._opened.set()
            self.post_message(DatabaseOpened())
        if self._db is not None:
            # The planner's parts the week's keys call: loaded here, not on a key.
            for part in ("blocks", "plan", "recurrence", "template", "focus", "slots"):
                importlib.import_module(f"ceodesk.core.domain.planner.{part}")
            importlib.import_module("ceodesk.core.domain.settings")

    def wait_for_opening(self) -> None:
        """Wait until the opening thread (if one ran) has finished."""
        if self._opening is not None:
            self._opening.join()

    @on(DatabaseOpened)
    def _database_opened(self) -> None:
        if self._open_error is not None:
            # run_app raises it after the terminal is restored: the same sentence and
            # exit status as when the CLI opens the database before the app.
            self.exit(return_code=2)
            return
        if self._exiting or not self.is_attached:
            return  # quit before the database opened: run_app closes it
        self._database_ready()
        if self._first_look is not None and self.db.revision != self._first_look.revision:
            self.refresh_data()  # another program wrote since the first look

    # Whether the objects alive once the database is open (modules, the ORM's tables,
    # the first screen) are moved out of the garbage collector's sight; tests, which run
    # many apps in one process, switch it off (see _keep_startup_objects).
    freeze_after_start: ClassVar[bool] = True
    # Whether full garbage collections wait for a pause in the typing (idle_collector);
    # tests switch it off with the freezing.
    collect_when_idle: ClassVar[bool] = True

    def _database_ready(self) -> None:
        """Once the database is open: the change watcher, the poll, the read-only marker."""
        self.call_after_refresh(self._keep_startup_objects)
        self._watcher = self.db.watcher()
        self._poll = self.set_interval(EXTERNAL_CHANGE_POLL_SECONDS, self.check_for_changes)
        if self.db.read_only:
            self.title = f"{self.TITLE} (read-only)"
            self.screen_change_signal.subscribe(self, self._mark_read_only)
            self.call_after_refresh(self._mark_read_only, self.screen)
            self.notify(
                f"{self.db.location} is read-only: you can look, but changes are refused.",
                timeout=6,
            )

    def _keep_startup_objects(self) -> None:
        """The objects made while starting live as long as the app: frozen, so a full
        collection (which otherwise walks all of them, 100 ms and more on a large
        database, landing in the middle of a screen switch) looks only at what was made
        since. Garbage made after this is collected as before (issue 13)."""
        if self.freeze_after_start and not gc.get_freeze_count():
            gc.freeze()
        if self.collect_when_idle and not self._exiting:
            self._collector.start()
            self.set_interval(TICK_SECONDS, self._collector.tick)

    def on_unmount(self) -> None:
        self._collector.stop()  # Python's own thresholds again, however the app ended

    def _mark_read_only(self, screen: Screen) -> None:
        """A "read-only" tag at the top right of every screen of a read-only file."""
        if screen.is_modal or screen.query(".read-only-marker"):
            return
        marker = Static(READ_ONLY_MARKER, classes="read-only-marker")
        marker.styles.position = "absolute"
        marker.styles.width = len(READ_ONLY_MARKER)
        marker.styles.height = 1
        marker.styles.text_style = "reverse bold"
        marker.styles.offset = (max(0, self.size.width - len(READ_ONLY_MARKER)), 0)
        screen.mount(marker)

    def on_resize(self) -> None:
        for marker in self.query(".read-only-marker"):
            marker.styles.offset = (max(0, self.size.width - len(READ_ONLY_MARKER)), 0)

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [self._inert_text, *super().get_line_filters()]

    # -- crashes ----------------------------------------------------------------------

    @property
    def unhandled_error(self) -> BaseException | None:
        """The exception that ended the app, if one did."""
        return self._exception or self._stopped_by

    def _handle_exception(self, error: Exception) -> None:
        if error is self._open_error:
            self.exit(return_code=2)  # run_app reports it, as the CLI does
            return
        if isinstance(error, StorageError):
            # A failure the store named (a lock, a read-only or damaged file) that no
            # screen caught: its one sentence and a failure code, never a traceback.
            self._stopped_by = error
            self.exit(return_code=1, message=f"ceodesk stopped: {error}")
            return
        if isinstance(error, CeodeskError):
            if self._exception is None:
                self._exception = error
                self._exception_event.set()
            # A refusal that escaped a screen is the user's matter: one sentence, no
            # traceback (run_app prints it).
            self.exit(return_code=2)
            return
        super()._handle_exception(error)

    # -- keys around dialogs ----------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._collector.input()  # no full garbage collection until a pause
        if isinstance(event, events.Key | events.Paste):
            if self._exiting:
                return  # typed after q: the app is closing, not opening a dialog as it goes
            screen = self.screen
            if not event.is_forwarded and self._dropping_keys:
                return  # typed into a dialog that has answered: not for the screen below
            if isinstance(screen, Dialog | DeskScreen) and not screen.ready:
                # Still opening: the screen gets them, in order, once it has its focus.
                self._held.setdefault(screen, []).append(event)
                return
            if not event.is_forwarded and screen in self._catching_up:
                # The key before is still on its way: this one waits behind it.
                self._held.setdefault(screen, []).append(event)
                if not self._catching_up[screen].is_attached:  # nothing left to wait for
                    del self._catching_up[screen]
                    self._key_turns.pop(screen, None)
                    await self._hand_held_keys(screen)
                return
            if event.is_forwarded:
                # Back unhandled from the widget it was typed into: a key typed into a
                # dialog that has closed since is dropped (a second Enter never edits the
                # task below).
                typed_on = self._typed_on.pop(id(event), screen)
                if typed_on is not screen and isinstance(typed_on, Dialog):
                    return
            else:
                if isinstance(event, events.Paste) and isinstance(self.focused, Input):
                    event = events.Paste(one_line(event.text))  # one-line fields: one line
                self._typed_on[id(event)] = screen
                while len(self._typed_on) > 256:
                    del self._typed_on[next(iter(self._typed_on))]
                target = self.focused or screen
                await super().on_event(event)
                self._one_key_at_a_time(screen, target)
                return
        await super().on_event(event)

    async def release_held_keys(self, screen: Dialog | DeskScreen) -> None:
        """Hand a screen that now has its focus the keys typed while it opened, in order."""
        screen.ready = True
        if self._db is None and self._opening is None:
            # The first frame, from the first look, is drawn: open the database soon
            # after (OPEN_AFTER_FIRST_FRAME). A key that needs it sooner opens it at once.
            self.call_after_refresh(self.set_timer, OPEN_AFTER_FIRST_FRAME, self._open_when_idle)
        # Keys held below it, behind the key that opened it, were typed for it: they
        # come first ("n" then "Half" fast: the H waited for Tasks, still on n's way,
        # the "alf" for quick add; handed its own keys first, it stored "aHlf").
        for below in self.screen_stack:
            if below is screen:
                break
            if below in self._held:
                self._held.setdefault(screen, []).extend(self._held.pop(below))
        await self._hand_held_keys(screen)

    async def _hand_held_keys(self, screen: Screen) -> None:
        """The keys held for ``screen``, first typed first, as if typed now: until one
        is handed to a widget (the next waits for it) or none is left. One that lands
        elsewhere (held by a screen the key before opened) makes way for the next."""
        while held := self._held.get(screen):
            if screen in self._catching_up:
                # A key handed on is still on its way (this call was one of two): the
                # next waits for it, or it would wait again behind keys typed after it.
                return
            if isinstance(screen, Dialog) and screen.answered:
                del self._held[screen]  # typed into a dialog that has answered: dropped
                return
            held.sort(key=lambda e: e.time)
            event = held.pop(0)
            if not held:
                del self._held[screen]
            await self.on_event(_afresh(event))
            if screen in self._catching_up:
                return

    def _one_key_at_a_time(self, screen: Screen, target: Widget | Screen) -> None:
        """Keys typed next wait until this one has been handled by ``target`` and on its
        way up to the app, whose bindings run last. Textual hands each key to the
        focused widget at once: a key typed right after one whose binding opens a field
        would be handled by that widget before the binding ran, or by the new field
        ahead of keys still queued below it ("4 e 77 enter 88 enter 9", typed as the
        scorecard opened, stored 889 in the second row and nothing in the third)."""
        self._catching_up[screen] = target
        turn = self._key_turns[screen] = object()  # this key's, not a later one's

        def caught_up() -> None:
            if self._key_turns.get(screen) is turn:
                del self._key_turns[screen]
                self._catching_up.pop(screen, None)
                if screen in self._held:
                    self.call_later(self._hand_held_keys, screen)

        self._after_handled(target, caught_up)
        # Should a message of the chain be lost with a widget closing meanwhile, the keys
        # behind go on all the same (as Textual would hand them). A chain that is only
        # slow (a loaded machine, a screen's first load) is waited for: released after
        # one second, "n" then "Call Dana" typed as Tasks first opened sent "Call Dan" to
        # the board (the space completed a task) before n had opened quick add.
        waited = 0.0

        def look_again() -> None:
            nonlocal waited
            waited += KEY_TURN_LIMIT_SECONDS
            if target.is_attached and not self._exiting and waited < KEY_TURN_GIVE_UP_SECONDS:
                if self._key_turns.get(screen) is turn:
                    self.set_timer(KEY_TURN_LIMIT_SECONDS, look_again)
                return
            caught_up()

        self.set_timer(KEY_TURN_LIMIT_SECONDS, look_again)

    def _after_handled(self, widget: Widget | Screen, then: Callable[[], None]) -> None:
        """Call ``then`` once the messages queued at ``widget`` now, and what they send
        up to its screen and the app, have been handled (and the app's next round: a
        focus an action asked for is set by a message of its own)."""
        nodes = [*widget.ancestors_with_self, self]

        def step(index: int) -> None:
            if index == len(nodes):
                then()
                return
            node = nodes[index]
            # A node gone (a dialog answered and removed) takes no message: on to the next.
            if (node is not self and not node.is_attached) or not node.call_later(step, index + 1):
                step(index + 1)

        step(0)

    def drop_keys_typed_before_now(self) -> None:
        """Keys already queued were typed into the dialog that is closing: drop them."""
        self._dropping_keys += 1
        self.post_message(KeysCaughtUp())

    @on(KeysCaughtUp)
    def _keys_caught_up(self) -> None:
        self._dropping_keys -= 1

    # -- time -------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def local_now(self) -> LocalNow:
        """The app's clock in the user's zone: today, this week and this quarter."""
        if self._db is None and self._first_look is not None:
            return LocalNow.at(self.clock, self._first_look.settings.zone)
        from ceodesk.core.domain.settings import local_now

        return local_now(self.db, self.clock)

    def today(self) -> date:
        return self.local_now().today

    # -- refreshing -------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Redraw every open screen whose data changed (dialogs that show stored data
        always); screens of other modes redraw when they are next shown, if stale."""
        for screen in self.screen_stack:
            if not screen.is_attached:
                continue  # closing
            try:
                if isinstance(screen, DeskScreen):
                    screen.refresh_if_stale()
                elif isinstance(screen, Refreshable):
                    screen.refresh_data()
            except CeodeskError as err:
                self.report(err)

    def check_for_changes(self) -> None:
        """The poll: one tiny query of the change feed. Another process's write redraws
        the open screens; this app's own writes were redrawn by the action that made
        them."""
        if self._watcher is None or not self.is_attached:
            return
        change = self._watcher.latest()
        if change is None or change.revision == self.db.revision:
            return
        seen, self.db.revision = self.db.revision, change.revision
        if change.writer != self.db.origin:
            # What read the tables it wrote is read again; all is, when they are not known.
            tables = self._watcher.tables_since(seen)
            if tables is None:
                self.db.changes.everything_changed()
            else:
                self.db.changes.changed(tables)
            self.refresh_data()

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        # Shutting down: no poll may fire (and redraw) while the screens go away.
        self._exiting = True
        self._collector.stop()
        if self._poll is not None:
            self._poll.stop()
            self._poll = None
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
        super().exit(result, return_code, message)

    def report(self, error: CeodeskError) -> None:
        self.notify(str(error), severity="error", timeout=6)

    def _on_notify(self, event: Notify) -> None:
        # One piece of news at a time: the newest says what the last key did ("Completed
        # — u to undo", then "Undone: …"), and a burst of x's no longer stacks toasts over
        # a quadrant of an 80x24 board. Warnings and errors stay until their time is up.
        # (App's own handler runs after this one and shows the new notification.)
        if event.notification.severity == "information":
            for shown in list(self._notifications):
                if shown.severity == "information":
                    self._unnotify(shown, refresh=False)

    @contextmanager
    def reporting(self) -> Iterator[None]:
        """The one way a screen shows a core refusal that has no field to sit under:
        ``with self.desk.reporting():`` around the core call and what follows it. A
        ``CeodeskError`` becomes one error notification (its sentence) and the rest of
        the block is skipped; nothing is raised to the event loop."""
        try:
            yield
        except CeodeskError as err:
            self.report(err)

    # -- actions ----------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        if self.presenting and mode in PRIVATE_MODES:
            self.notify(
                f"Presenter mode is on and {PRIVATE_MODES[mode]}: "
                "press P on the meeting screen (5) to leave it first.",
                severity="warning",
                timeout=5,
            )
            return
        self.switch_mode(mode)

    def action_help(self) -> None:
        help_screen = screen_class("help", "HelpScreen")  # Markdown: loaded when needed
        if not isinstance(self.screen, help_screen):
            self.push_screen(help_screen(self.screen))

    def action_undo(self) -> None:
        with self.reporting():
            label = self.db.undo()
            self.notify(f"Undone: {label}", timeout=3)
            self.refresh_data()

    def action_redo(self) -> None:
        with self.reporting():
            label = self.db.redo()
            self.notify(f"Redone: {label}", timeout=3)
            self.refresh_data()

    def action_capture(self) -> None:
        """ctrl+n: the quick-add dialog over whatever screen is open."""

        def captured(task_id: int | None) -> None:
            if task_id is not None:
                self.refresh_data()

        self.push_screen(screen_class("task_dialogs", "QuickAddScreen")(), captured)

    def action_team(self) -> None:
        self.push_screen(screen_class("team", "TeamScreen")())

    def action_settings(self) -> None:
        self.push_screen(screen_class("settings", "SettingsScreen")())

    # The team's lists around the weekly meeting, from the palette.

    def action_issues_list(self) -> None:
        from ceodesk.ui.screens.issues_list import IssuesListScreen

        self.push_screen(IssuesListScreen())

    def action_todos_list(self) -> None:
        from ceodesk.ui.screens.todos_list import TodosScreen

        self.push_screen(TodosScreen())

    def action_decisions_log(self) -> None:
        from ceodesk.ui.screens.decisions import DecisionsScreen

        self.push_screen(DecisionsScreen())

    def action_past_meetings(self) -> None:
        from ceodesk.ui.screens.past_meetings import PastMeetingsScreen

        self.push_screen(PastMeetingsScreen())

    def action_edit_agenda(self) -> None:
        from ceodesk.ui.screens.agenda import AgendaScreen

        self.push_screen(AgendaScreen())


def _afresh(event: events.Key | events.Paste) -> events.Key | events.Paste:
    """The same key or paste as a new event, to be delivered like one just typed, at
    the time it was typed: keys waiting are handed on in the order they were typed."""
    fresh: events.Key | events.Paste
    if isinstance(event, events.Key):
        fresh = events.Key(event.key, event.character)
    else:
        fresh = events.Paste(event.text)
    fresh.time = event.time
    return fresh


def run_app(
    db: Database | None = None,
    *,
    first_look: FirstLook | None = None,
    opener: Callable[[], Database] | None = None,
    clock: Clock = system_clock,
    app_class: type[CeodeskApp] | None = None,
    welcome: str | None = None,
) -> int:
    """Run the TUI; the exit status: 0, 2 after a refusal it could not show, 1 after a crash.

    On ``db``, or drawn from a ``first_look`` while ``opener`` opens the database (which
    run_app then closes). A crash prints Textual's traceback (it is a bug) and one
    sentence; a refusal prints its sentence only. A failure to open the database is
    raised once the terminal is restored, for the CLI to report as it always does.
    """
    app = (app_class or CeodeskApp)(db, clock, first_look=first_look, opener=opener)
    app.welcome = welcome
    try:
        app.run()
    finally:
        if db is None:
            app.wait_for_opening()
            if app.database_open:
                app.db.close()
    if app.open_error is not None:
        raise app.open_error
    error = app.unhandled_error
    if isinstance(error, StorageError):
        return 1  # its sentence was printed as the app stopped
    if isinstance(error, CeodeskError):
        print(error, file=sys.stderr)
        return 2
    if error is not None or app.return_code:
        print(
            "ceodesk stopped on an unexpected error (a bug: the details are above); "
            "every change saved before it is in the database.",
            file=sys.stderr,
        )
        return 1
    return 0
