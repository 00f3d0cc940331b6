"""Filling a typed form in a Pilot test: text fields get their text, choice fields are
picked the way a user picks them, by typing words of the option's label."""

from __future__ import annotations

from textual.widgets import Input

from ceodesk.ui.screens.form import ChoicePicker


async def fill(pilot, fields: list[tuple[str, str]]) -> None:
    """Fill the open form's fields (by key) in order."""
    screen = pilot.app.screen
    for key, text in fields:
        widget = screen.query_one(f"#f-{key}")
        if isinstance(widget, ChoicePicker):
            widget.focus()
            await pilot.pause()
            await pilot.press(*text)
        else:
            assert isinstance(widget, Input)
            widget.value = text
    await pilot.pause()
