"""A small modal form: labelled inputs, one save callback, errors shown in place.

A field marked ``multiline`` is a text area: enter starts a new line in it, tab moves
on, ctrl+s saves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from ceodesk.core.errors import CeodeskError


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    multiline: bool = False  # a text area of a few lines instead of a one-line input


def _field_value(widget: Widget) -> str:
    """What a field's input or text area holds."""
    if isinstance(widget, TextArea):
        return widget.text
    assert isinstance(widget, Input)
    return widget.value


class FormScreen(ModalScreen[bool]):
    """Enter moves to the next field and saves on the last; returns True when saved."""

    DEFAULT_CSS = """
    FormScreen #form { overflow-y: auto; }
    FormScreen TextArea.multiline {
        height: auto; min-height: 2; max-height: 5; padding: 0 1; background: $panel;
    }
    FormScreen TextArea.multiline:focus { background: #2f4b6e; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    def __init__(
        self, title: str, fields: Sequence[Field], save: Callable[[dict[str, str]], None]
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="form", classes="dialog"):
            for field in self.fields:
                yield Label(field.label)
                if field.multiline:
                    yield TextArea(
                        field.value,
                        placeholder=field.placeholder,
                        id=f"f-{field.key}",
                        classes="multiline",
                        compact=True,
                    )
                    continue
                yield Input(
                    value=field.value,
                    placeholder=field.placeholder,
                    id=f"f-{field.key}",
                    classes="compact",
                )
            yield Static(id="form-error")
            hint = "enter next/save · ctrl+s save · esc cancel"
            if any(f.multiline for f in self.fields):
                hint = "enter next (new line in a text box) · tab next · ctrl+s save · esc cancel"
            yield Static(hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#form").border_title = self.form_title

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query("Input, TextArea"))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        values = {f.key: _field_value(self.query_one(f"#f-{f.key}")) for f in self.fields}
        try:
            self.save(values)
        except CeodeskError as err:
            self.query_one("#form-error", Static).update(Text(f"✗ {err}", style="bold #e45756"))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
