"""What every ceodesk screen shares: an area name for the palette, help text, refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.screen import Screen

if TYPE_CHECKING:
    from ceodesk.ui.app import CeodeskApp


class DeskScreen(Screen[None]):
    """A full screen of the desk. Subclasses redraw from core in ``refresh_data``."""

    AREA: ClassVar[str] = "app"
    HELP: ClassVar[str] = ""

    @property
    def desk(self) -> CeodeskApp:
        return self.app  # type: ignore[return-value]

    def refresh_data(self) -> None:
        """Reload what the screen shows from the database."""
