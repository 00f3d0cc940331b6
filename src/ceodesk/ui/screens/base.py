"""What every ceodesk screen shares: an area name for the palette, help text, refresh.

A screen that shows stored data (a DeskScreen, a DeskModal) draws in two halves:

    def load(self) -> SomeView:              # in a thread: core calls only, no widgets
    def show(self, view: SomeView) -> None:  # on the event loop: widgets only, no queries

``refresh_data()`` runs ``load`` in a worker and returns at once: the screen keeps
showing its last data meanwhile, and keys still answer. A screen has one load at a
time: a newer refresh cancels the older, whose result is never shown. When ``load``
returns, ``show`` draws its view, unless the screen or the app has gone since. A
``CeodeskError`` from ``load`` is reported in one sentence and the screen keeps what it
showed.

State that ``load`` needs (which week, which filter) is set as attributes on the event
loop before calling ``refresh_data``. What must happen once the new data is drawn (put
the cursor on a row just added, focus the list holding it) goes in ``when_drawn``,
called right after ``refresh_data``: it runs once that refresh, or a newer one that
replaced it, has drawn its data (or failed). Keys typed while a screen first opens wait
until its first data is drawn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast, runtime_checkable

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.visual import VisualType
from textual.widgets import Static
from textual.worker import Worker

from ceodesk.core.kernel.errors import CeodeskError

if TYPE_CHECKING:
    from textual.app import App

    from ceodesk.ui.app import CeodeskApp

# The worker group of a screen's loads.
LOAD_GROUP = "desk-load"


@runtime_checkable
class Refreshable(Protocol):
    """A screen that shows stored data and can reload it (after undo, or another
    process's change)."""

    def refresh_data(self) -> None: ...


# The footer shows the screen digits together: "1 2 3 4 5 8 screens".
SCREENS = Binding.Group("screens")


def drawn_as(cell: object) -> object:
    """What a cell looks like, to tell whether it changed: a rich Text's equality
    ignores its style ("on target" green or red would be equal)."""
    if isinstance(cell, Text):
        return (cell.plain, str(cell.style), tuple(cell.spans))
    return cell


def go_bindings(prefix: str = "") -> list[Binding]:
    """The digits that open each screen (``prefix`` "app." when bound on a screen)."""
    screens = [
        ("1", "week", "Week", "Week planner"),
        ("2", "tasks", "Tasks", "Tasks (Eisenhower)"),
        ("3", "rocks", "Rocks", "Rocks"),
        ("4", "scorecard", "Scorecard", "Scorecard"),
        ("5", "meeting", "Meeting", "Weekly meeting"),
        ("6", "review", "Review", "Friday review"),
        ("8", "big-picture", "Big picture", "Big picture and goals"),
    ]
    return [
        Binding(key, f"{prefix}go('{mode}')", label, id=f"go-{mode}", tooltip=tip, group=SCREENS)
        for key, mode, label, tip in screens
    ]


class LoadingScreen(Screen[None]):
    """A screen drawn from stored data in two halves, ``load`` in a worker's thread and
    ``show`` on the event loop (see the module's docstring)."""

    @property
    def desk(self) -> CeodeskApp:
        return cast("CeodeskApp", self.app)

    def load(self) -> Any:
        """Read what the screen shows from core (in a thread: no widget access)."""
        return None

    def show(self, view: Any) -> None:
        """Draw ``view``, what ``load`` returned (on the event loop: no queries)."""

    def refresh_data(self) -> None:
        """Reload what the screen shows, off the event loop (see when_drawn)."""
        if not self.is_attached:
            return  # not shown yet, or the app is closing: nothing to draw on
        self._refreshes += 1
        number = self._refreshes
        self._starting_load()

        # Passed as a function, its coroutine is made when the worker starts: a worker
        # cancelled before then leaves no coroutine behind unawaited.
        async def load_and_show() -> None:
            await self._load_and_show(number)

        self._newest_load: Worker[None] = self.run_worker(
            load_and_show,
            name=f"load {type(self).__name__}",
            group=LOAD_GROUP,
            exclusive=True,
        )

    def refresh_now(self) -> None:
        """Reload and draw at once, on the event loop: after this screen's own action,
        whose key waits for the result anyway, the change is drawn in the same frame as
        the rest of what the key did (a load under way is dropped when it lands)."""
        if not self.is_attached:
            return
        self._refreshes += 1
        number = self._refreshes
        self._starting_load()
        try:
            view = self._load_in_one_read()
        except CeodeskError as err:
            self._load_failed(err)
        else:
            self.show(view)
        self._settled = number
        self._run_waiting()

    def when_drawn(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the refresh under way has drawn (at once if none is)."""
        if self.load_under_way:
            self._waiting.append(callback)
        else:
            callback()

    @property
    def load_under_way(self) -> bool:
        """Whether a refresh is under way (its data not drawn yet)."""
        return self._settled < self._refreshes

    # Refreshes started: only the newest one's data is shown...
    _refreshes: int = 0
    # ...and the last one that drew its data, or failed.
    _settled: int = 0

    @property
    def _waiting(self) -> list[Callable[[], object]]:
        """Callbacks for when the refresh under way has drawn its data."""
        if "_after_refresh" not in self.__dict__:
            self._after_refresh: list[Callable[[], object]] = []
        return self._after_refresh

    async def _load_and_show(self, number: int) -> None:
        try:
            view = await asyncio.to_thread(self._load_in_one_read)
        except CeodeskError as err:
            if number == self._refreshes and self._can_draw:
                self._load_failed(err)
                self._settled = number
                self._run_waiting()
            return
        # A cancelled worker never gets here; a result that landed just as a newer
        # refresh started, or as the screen or the app closed, is dropped too.
        if number != self._refreshes or not self._can_draw:
            return
        self.show(view)
        self._settled = number
        self._run_waiting()

    def _load_in_one_read(self) -> Any:
        # One transaction for the whole load (Database.reading): one snapshot, one BEGIN.
        # The first frame's load, before the database is open, reads no session.
        if not self.desk.database_open:
            return self.load()
        with self.desk.db.reading():
            return self.load()

    @property
    def _can_draw(self) -> bool:
        return self.is_attached and not (self._closing or self._closed)

    def _run_waiting(self) -> None:
        waiting, self._after_refresh = self._waiting, []
        for callback in waiting:
            callback()

    def _starting_load(self) -> None:
        """On the event loop, just before a load starts."""

    def _load_failed(self, error: CeodeskError) -> None:
        self.desk.report(error)


class DeskScreen(LoadingScreen):
    """A full screen of the desk, drawn by ``load`` and ``show`` (see above)."""

    # Bound here as well as on the app so the footer shows them first, even at 80
    # columns: how to reach the other screens, and undo.
    BINDINGS = [
        *go_bindings("app."),
        Binding("u", "app.undo", "Undo", id="desk-undo", tooltip="Undo the last change"),
    ]

    AREA: ClassVar[str] = "app"
    HELP: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "refresh_data" in cls.__dict__:
            # A screen that still draws in one go, on the event loop (write load and
            # show instead): its errors are reported all the same.
            guarded = _reporting_errors(cls.__dict__["refresh_data"])
            cls.refresh_data = guarded  # type: ignore[method-assign]  # wrapped once, same signature

    # Keys typed while the screen is first being shown wait for it (see CeodeskApp).
    ready: bool = False
    # The change feed's revision the screen last drew at (None: never, or it failed).
    drawn_revision: int | None = None
    # ...and the clock's minute then: a screen shows "now" and "today", so a visit in a
    # later minute redraws too (the clock costs no query).
    drawn_minute: str | None = None

    def _on_mount(self, event: events.Mount) -> None:
        # After the subclass's on_mount asked for focus and started its first load:
        # once that has drawn, the app hands over the keys typed while the screen
        # opened (2 then n, typed fast, adds a task on the board drawn).
        self.app.call_later(self._hand_over_keys)

    def _hand_over_keys(self) -> None:
        self.when_drawn(lambda: self.app.call_later(self.desk.release_held_keys, self))

    def _starting_load(self) -> None:
        # Read before loading: a change landing meanwhile leaves the screen stale.
        self.drawn_revision = self.desk.revision  # no wait for the database to open
        self.drawn_minute = _minute(self.desk)

    def _load_failed(self, error: CeodeskError) -> None:
        self.drawn_revision = None
        super()._load_failed(error)

    def show_static(self, selector: str, content: VisualType, made_of: object = None) -> None:
        """Show ``content`` in the Static ``selector`` unless it shows the same already,
        by ``made_of`` (what it was made from: a Rich table has no equality) or else by
        the content itself. A redraw that brings the same leaves it alone, with nothing
        to lay out or paint again (issue 13). Update such a Static only through here."""
        drawn = drawn_as(content) if made_of is None else made_of
        shown = self.__dict__.setdefault("_static_shows", {})
        if selector in shown and shown[selector] == drawn:
            return
        shown[selector] = drawn
        self.query_one(selector, Static).update(content)

    @property
    def stale(self) -> bool:
        """Whether stored data changed since the screen last drew it."""
        return self.drawn_revision != self.desk.revision or self.drawn_minute != _minute(self.desk)

    def refresh_if_stale(self) -> None:
        """Redraw only when the change feed moved since the last drawing: coming back to
        a screen with nothing changed costs no query."""
        if self.is_mounted and self.is_attached and self.stale:
            self.refresh_data()

    # The app's classes and pseudo-classes (theme, focus) when the screen was last
    # current: its styles were kept up to date against those (None: never shown).
    _styled_for: tuple[frozenset[str], frozenset[str]] | None = None

    def on_screen_suspend(self) -> None:
        self._styled_for = _app_style_state(self.app)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles the whole screen on every switch back to it (hundreds of
        # nodes, every line drawn again). Its styles are current unless the app's
        # classes or pseudo-classes changed while it was away: a new stylesheet or
        # theme is applied by switch_mode itself, a widget's own class or pseudo-class
        # change restyles that widget even in the background.
        if event.refresh_styles and self._styled_for == _app_style_state(self.app):
            event.refresh_styles = False
        # Coming back from another screen (key 1, 2, ...): what it changed shows here.
        self.refresh_if_stale()


def _reporting_errors(draw: Callable[..., None]) -> Callable[..., None]:
    """A screen that cannot load its data (a damaged page, a lock) says so in one
    sentence and keeps running, with what it showed before."""

    @wraps(draw)
    def guarded(self: DeskScreen, *args: Any, **kwargs: Any) -> None:
        if not self.is_attached:
            return  # the app is closing: nothing left to draw on
        self._starting_load()
        try:
            draw(self, *args, **kwargs)
        except CeodeskError as err:
            self._load_failed(err)

    return guarded


class DeskModal(ModalScreen[None], LoadingScreen):
    """A modal screen over the desk that shows stored data (a Rock, a trend), drawn by
    ``load`` and ``show`` like a DeskScreen."""

    # ModalScreen first: Textual's CSS type selectors follow the first base only, so
    # the app's "ModalScreen" rule (the desk dimmed behind) applies here too.


def when_saved(refresh: Callable[[], None]) -> Callable[[bool | None], None]:
    """A dialog's answer callback that redraws once something was saved."""

    def answered(saved: bool | None) -> None:
        if saved:
            refresh()

    return answered


def _app_style_state(app: App[Any]) -> tuple[frozenset[str], frozenset[str]]:
    """What of the app the styles of its screens depend on besides the stylesheet."""
    return frozenset(app.classes), frozenset(app.pseudo_classes)


def _minute(desk: CeodeskApp) -> str:
    return desk.now().strftime("%Y-%m-%dT%H:%M")


# A modal screen cuts the app's bindings off, so dialogs that change stored data
# bring undo, redo and help along.
DIALOG_APP_KEYS = [
    Binding("u", "app.undo", "Undo", id="dialog-undo", tooltip="Undo the last change"),
    Binding("ctrl+r", "app.redo", "Redo", id="dialog-redo", tooltip="Redo", show=False),
    Binding("question_mark", "app.help", "Help", id="dialog-help", tooltip="Keys here"),
]
