"""What every ceodesk screen shares: an area name for the palette, help text, refresh."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual.binding import Binding
from textual.screen import Screen

from ceodesk.core.errors import CeodeskError

if TYPE_CHECKING:
    from ceodesk.ui.app import CeodeskApp


@runtime_checkable
class Refreshable(Protocol):
    """A screen that shows stored data and can reload it (after undo, or another
    process's change)."""

    def refresh_data(self) -> None: ...


class DeskScreen(Screen[None]):
    """A full screen of the desk. Subclasses redraw from core in ``refresh_data``."""

    AREA: ClassVar[str] = "app"
    HELP: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "refresh_data" in cls.__dict__:
            cls.refresh_data = _reporting_errors(cls.__dict__["refresh_data"])  # type: ignore[method-assign]

    @property
    def desk(self) -> CeodeskApp:
        return self.app  # type: ignore[return-value]

    def refresh_data(self) -> None:
        """Reload what the screen shows from the database."""

    def on_screen_resume(self) -> None:
        # Coming back from another screen (key 1, 2, ...): what it changed shows here.
        if self.is_mounted:
            self.refresh_data()


def _reporting_errors(load: Callable[..., None]) -> Callable[..., None]:
    """A screen that cannot load its data (a damaged page, a lock) says so in one
    sentence and keeps running, with what it showed before."""

    @wraps(load)
    def guarded(self: DeskScreen, *args: Any, **kwargs: Any) -> None:
        try:
            load(self, *args, **kwargs)
        except CeodeskError as err:
            self.desk.report(err)

    return guarded


# A modal screen cuts the app's bindings off, so dialogs that change stored data
# bring undo, redo and help along.
DIALOG_APP_KEYS = [
    Binding("u", "app.undo", "Undo", id="dialog-undo", tooltip="Undo the last change"),
    Binding("ctrl+r", "app.redo", "Redo", id="dialog-redo", tooltip="Redo", show=False),
    Binding("question_mark", "app.help", "Help", id="dialog-help", tooltip="Keys here"),
]
