"""A one-key choice: each option has a key; pressing it answers, esc cancels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static

from ceodesk.ui.screens.form import Dialog

T = TypeVar("T")


class PickScreen(Dialog[T | None], Generic[T]):
    """Options as (key, value, label); returns the value of the key pressed, or None."""

    def __init__(
        self, heading: str, options: Sequence[tuple[str, T, str]], subject: str = ""
    ) -> None:
        super().__init__()
        self.heading = heading
        self.options = list(options)
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog pick"):
            if self.subject:
                yield Static(Text(self.subject, style="bold"))
            for key, _value, label in self.options:
                yield Label(Text.assemble((key, "bold #f0b429"), " ", label))
            keys = "/".join(key for key, _value, _label in self.options)
            yield Static(f"{keys} picks · esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".pick").border_title = self.heading

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            self.answer(None)
            return
        for key, value, _label in self.options:
            if event.key == key:
                event.stop()
                self.answer(value)
                return
