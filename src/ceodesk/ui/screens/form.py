"""Dialogs: the base every ceodesk dialog shares, and a small form built on it.

A dialog answers exactly once, runs its core call before it closes (a refusal is shown
in place and the dialog stays open with what was typed), and receives the keys typed
while it was opening (the app holds them until the dialog has its focus).

A field marked ``multiline`` is a text area: enter starts a new line in it, tab moves
on, ctrl+s saves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from ceodesk.core.kernel.errors import CeodeskError

if TYPE_CHECKING:
    from ceodesk.ui.app import CeodeskApp

ResultT = TypeVar("ResultT")

ERROR_STYLE = "bold #e45756"


class FieldRefusal(CeodeskError):
    """A refusal about one field of a form: the message is shown and that field focused."""

    def __init__(self, field_id: str, message: str) -> None:
        super().__init__(message)
        self.field_id = field_id


def show_error(widget: Static, err: CeodeskError | str) -> None:
    widget.update(Text(f"✗ {err}", style=ERROR_STYLE))


def one_line(text: str) -> str:
    """Pasted text for a one-line field: line breaks become single spaces."""
    from ceodesk.core.kernel import text as kernel_text  # the one implementation

    return kernel_text.one_line(text)


class Dialog(ModalScreen[ResultT]):
    """Base of every ceodesk dialog.

    ``answer`` dismisses once: a second Enter (or Enter plus a click) already on its way
    is ignored instead of saving twice or popping the screen underneath. ``submit`` runs
    the core call first and keeps the dialog open, with the message shown at
    ``ERROR_AT``, when the core refuses.
    """

    ERROR_AT = ""  # selector of the Static that shows a refusal, e.g. "#form-error"

    def __init__(self) -> None:
        super().__init__()
        self.answered = False
        # False while it is being pushed: the app holds keys for it (see CeodeskApp).
        self.ready = False

    @property
    def desk(self) -> CeodeskApp:
        return self.app  # type: ignore[return-value]

    def _on_mount(self, event: events.Mount) -> None:
        # Runs after the subclass's on_mount asked for focus: the app's queue sets the
        # focus first, then hands this dialog the keys typed while it opened.
        self.app.call_later(self._open)

    async def _open(self) -> None:
        if self.focused is None and self.focus_chain:
            self.set_focus(self.focus_chain[0])
        await self.desk.release_held_keys(self)

    def answer(self, result: ResultT) -> None:
        """Close with ``result``, once; later calls do nothing."""
        if self.answered:
            return
        self.answered = True
        self.desk.drop_keys_typed_before_now()
        if self.is_current:
            self.dismiss(result)

    def submit(self, call: Callable[[], ResultT], error_at: str | None = None) -> None:
        """Run ``call`` (the core work) and answer its result; on a refusal stay open."""
        if self.answered:
            return
        try:
            result = call()
        except CeodeskError as err:
            self.refuse(err, error_at)
            return
        self.answer(result)

    def refuse(self, err: CeodeskError | str, error_at: str | None = None) -> None:
        """Show why the dialog cannot answer, in place; focus the field it is about."""
        show_error(self.query_one(error_at or self.ERROR_AT, Static), err)
        if isinstance(err, FieldRefusal):
            field = self.query(f"#{err.field_id}")
            if field:
                field.first().focus()

    def action_cancel(self) -> None:
        self.answer(None)  # type: ignore[arg-type]


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


class FormScreen(Dialog[bool]):
    """Enter moves to the next field and saves on the last; returns True when saved.

    ``save`` gets the typed values and does the core work; a ``CeodeskError`` it raises
    is shown in the form, which stays open with the values (a ``FieldRefusal`` also
    focuses its field, named by the field's key).
    """

    ERROR_AT = "#form-error"

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

    def refuse(self, err: CeodeskError | str, error_at: str | None = None) -> None:
        if isinstance(err, FieldRefusal) and not err.field_id.startswith("f-"):
            err = FieldRefusal(f"f-{err.field_id}", str(err))
        super().refuse(err, error_at)

    def action_save(self) -> None:
        values = {f.key: _field_value(self.query_one(f"#f-{f.key}")) for f in self.fields}

        def save() -> bool:
            self.save(values)
            return True

        self.submit(save)

    def action_cancel(self) -> None:
        self.answer(False)
