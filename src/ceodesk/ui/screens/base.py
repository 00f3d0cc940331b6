"""What every ceodesk screen shares: an area name for the palette, help text, refresh."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast, runtime_checkable

from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from ceodesk.core.kernel.errors import CeodeskError

if TYPE_CHECKING:
    from ceodesk.ui.app import CeodeskApp


@runtime_checkable
class Refreshable(Protocol):
    """A screen that shows stored data and can reload it (after undo, or another
    process's change)."""

    def refresh_data(self) -> None: ...


# The footer shows the screen digits together: "1 2 3 4 5 8 screens".
SCREENS = Binding.Group("screens")


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


class DeskScreen(Screen[None]):
    """A full screen of the desk. Subclasses redraw from core in ``refresh_data``."""

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
            guarded = _reporting_errors(cls.__dict__["refresh_data"])
            cls.refresh_data = guarded  # type: ignore[method-assign]  # wrapped once, same signature

    # Keys typed while the screen is first being shown wait for it (see CeodeskApp).
    ready: bool = False
    # The change feed's revision the screen last drew at (None: never, or it failed).
    drawn_revision: int | None = None
    # ...and the clock's minute then: a screen shows "now" and "today", so a visit in a
    # later minute redraws too (the clock costs no query).
    drawn_minute: str | None = None

    @property
    def desk(self) -> CeodeskApp:
        return cast("CeodeskApp", self.app)

    def _on_mount(self, event: events.Mount) -> None:
        # After the subclass's on_mount asked for focus: the app sets it, then hands
        # over the keys typed while the screen opened (2 then n, typed fast).
        self.app.call_later(self.desk.release_held_keys, self)

    def refresh_data(self) -> None:
        """Reload what the screen shows from the database."""

    @property
    def stale(self) -> bool:
        """Whether stored data changed since the screen last drew it."""
        return self.drawn_revision != self.desk.db.revision or self.drawn_minute != _minute(
            self.desk
        )

    def refresh_if_stale(self) -> None:
        """Redraw only when the change feed moved since the last drawing: coming back to
        a screen with nothing changed costs no query."""
        if self.is_mounted and self.is_attached and self.stale:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        # Coming back from another screen (key 1, 2, ...): what it changed shows here.
        self.refresh_if_stale()


def _reporting_errors(load: Callable[..., None]) -> Callable[..., None]:
    """A screen that cannot load its data (a damaged page, a lock) says so in one
    sentence and keeps running, with what it showed before."""

    @wraps(load)
    def guarded(self: DeskScreen, *args: Any, **kwargs: Any) -> None:
        if not self.is_attached:
            return  # the app is closing: nothing left to draw on
        # Read before loading: a change landing meanwhile leaves the screen stale.
        self.drawn_revision = self.desk.db.revision
        self.drawn_minute = _minute(self.desk)
        try:
            load(self, *args, **kwargs)
        except CeodeskError as err:
            self.drawn_revision = None
            self.desk.report(err)

    return guarded


class DeskModal(ModalScreen[None]):
    """A modal screen over the desk that shows stored data (a Rock, a trend)."""

    @property
    def desk(self) -> CeodeskApp:
        return cast("CeodeskApp", self.app)


def when_saved(refresh: Callable[[], None]) -> Callable[[bool | None], None]:
    """A dialog's answer callback that redraws once something was saved."""

    def answered(saved: bool | None) -> None:
        if saved:
            refresh()

    return answered


def _minute(desk: CeodeskApp) -> str:
    return desk.now().strftime("%Y-%m-%dT%H:%M")


# A modal screen cuts the app's bindings off, so dialogs that change stored data
# bring undo, redo and help along.
DIALOG_APP_KEYS = [
    Binding("u", "app.undo", "Undo", id="dialog-undo", tooltip="Undo the last change"),
    Binding("ctrl+r", "app.redo", "Redo", id="dialog-redo", tooltip="Redo", show=False),
    Binding("question_mark", "app.help", "Help", id="dialog-help", tooltip="Keys here"),
]
