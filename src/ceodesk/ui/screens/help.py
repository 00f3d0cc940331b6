"""The `?` screen: what this screen is for and every key that works on it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, Static

from ceodesk.ui.screens.form import Dialog


def key_table(screen: Screen) -> Table:
    """ceodesk's active bindings on ``screen``: keys, what they do, and how.

    Only bindings with an id are listed (Textual's own widget keys are noise here);
    keys that do the same thing share a row ("↓ j  Down").
    """
    rows: dict[str, tuple[list[str], str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.id or not binding.description or binding.system:
            continue
        keys, tooltip = rows.setdefault(binding.description, ([], binding.tooltip))
        key = screen.app.get_key_display(binding)
        if key not in keys:
            keys.append(key)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold #f0b429", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(style="dim")
    for description, (keys, tooltip) in rows.items():
        table.add_row(Text(" ".join(keys)), description, tooltip)
    return table


class HelpScreen(Dialog[None]):
    """Help for the screen it was opened from."""

    BINDINGS = [
        Binding("escape,question_mark,q", "cancel", "Close", id="help-close"),
    ]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target_title = getattr(target, "TITLE", None) or type(target).__name__
        self.help_text = getattr(target, "HELP", "")
        self.keys = key_table(target)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            with VerticalScroll(id="help-body"):
                yield Static(self.keys)
                yield Static(
                    "ctrl+p opens the command palette: every action, searchable. "
                    "ctrl+n captures a task from any screen. 1 2 3 4 5 8 switch screens.",
                    classes="dim",
                )
                if self.help_text:
                    yield Markdown(self.help_text)
            yield Static("↑↓ scroll · esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-dialog").border_title = f"Help · {self.target_title}"
        self.query_one("#help-body").focus()
