"""A small modal form: labelled inputs, one save callback, errors shown in place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ceodesk.core.errors import CeodeskError


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""


class FormScreen(ModalScreen[bool]):
    """Enter moves to the next field and saves on the last; returns True when saved."""

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
                yield Input(
                    value=field.value,
                    placeholder=field.placeholder,
                    id=f"f-{field.key}",
                    classes="compact",
                )
            yield Static(id="form-error")
            yield Static("enter next/save · ctrl+s save · esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#form").border_title = self.form_title

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        values = {f.key: self.query_one(f"#f-{f.key}", Input).value for f in self.fields}
        try:
            self.save(values)
        except CeodeskError as err:
            self.query_one("#form-error", Static).update(Text(f"✗ {err}", style="bold #e45756"))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
