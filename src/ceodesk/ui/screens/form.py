"""Dialogs: the base every ceodesk dialog shares, and the one typed form built on it.

A dialog answers exactly once, runs its core call before it closes (a refusal is shown
in place and the dialog stays open with what was typed), and receives the keys typed
while it was opening (the app holds them until the dialog has its focus).

A form is a list of typed fields. Each field reads its text with the core's one grammar
(dates, times of day and durations from ``core.kernel.dates``, numbers from the
scorecard's value grammar, weeks as ISO week keys) and hands the form's ``save`` a
typed value — a date, a timedelta, a number, a choice's id — never the string typed.
A field the core cannot read shows the core's sentence under it and takes the focus;
nothing is saved. A ``TextAreaField`` is a text area: enter starts a new line in it,
tab moves on, ctrl+s saves.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from ceodesk.core.kernel.dates import (
    format_day,
    format_minutes,
    normal_week_key,
    parse_day,
    parse_duration,
    parse_time_of_day,
)
from ceodesk.core.kernel.errors import CeodeskError, InputError
from ceodesk.core.kernel.perspectives import PERSPECTIVES

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


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class Field:
    """One field of a form: a key (what ``save`` finds its value under) and a label.

    Subclasses say how the field is drawn and how its text is read; reading raises an
    ``InputError`` of one sentence, shown under the field.
    """

    key: str
    label: str

    def initial_text(self) -> str:
        return ""

    def hint(self) -> str:
        return ""

    def parse(self, text: str, now: datetime) -> object:
        """The typed value of ``text``; ``now`` is the user's local wall-clock time."""
        return text

    def preview(self, value: object) -> str:
        """What a value that parsed reads as, shown dim under the field while typing."""
        return ""

    def make_widget(self, widget_id: str) -> Widget:
        return FieldInput(
            value=self.initial_text(),
            placeholder=self.hint(),
            id=widget_id,
            classes="compact",
        )

    def read(self, widget: Widget, now: datetime) -> object:
        assert isinstance(widget, Input | TextArea)
        return self.parse(widget.text if isinstance(widget, TextArea) else widget.value, now)


class FieldInput(Input):
    """A form's one-line field. Keys typed in one burst all reach the field focused when
    the burst arrived: enter here moves the focus on at once, and keys that reach this
    field after it lost the focus go on to the field that has it ("@sam" enter "jj"
    saved "@samjj" when enter waited its turn as a binding)."""

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        focused = screen.focused
        if focused is not self and focused is not None:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key == "enter" and isinstance(screen, FormScreen):
            event.stop()
            event.prevent_default()
            screen.field_entered(self)
            return
        await super()._on_key(event)


@dataclass(frozen=True)
class TextField(Field):
    """One line of text, handed over as typed (the core cleans and checks it)."""

    value: str = ""
    placeholder: str = ""

    def initial_text(self) -> str:
        return self.value

    def hint(self) -> str:
        return self.placeholder


@dataclass(frozen=True)
class TextAreaField(TextField):
    """A few lines of text: enter starts a new line, tab moves on."""

    def make_widget(self, widget_id: str) -> Widget:
        return TextArea(
            self.value,
            placeholder=self.placeholder,
            id=widget_id,
            classes="multiline",
            compact=True,
        )


def _line(text: str) -> str:
    """A one-line field's text as one line of single spaces (what the grammar reads, and
    what its sentences quote)."""
    return " ".join(text.split())


def _required(label: str) -> InputError:
    return InputError(f"{label.split(' (')[0]} cannot be empty.")


@dataclass(frozen=True)
class DateField(Field):
    """A date in the quick-add grammar: fri, tomorrow, in 3 days, dec 12, 2026-12-12.

    Empty is ``default`` (None unless given), or refused when ``required``.
    """

    value: date | None = None
    placeholder: str = "fri · in 3 days · dec 12 · 2026-12-12"
    default: date | None = None
    required: bool = False

    def initial_text(self) -> str:
        return self.value.isoformat() if self.value else ""

    def hint(self) -> str:
        return self.placeholder

    def parse(self, text: str, now: datetime) -> date | None:
        text = _line(text)
        day = parse_day(text, now)
        if day is None:
            if self.default is None and self.required:
                raise _required(self.label)
            return self.default
        return day

    def preview(self, value: object) -> str:
        return f"→ {format_day(value)}" if isinstance(value, date) else ""


@dataclass(frozen=True)
class TimeField(Field):
    """A time of day: 9am, 3:30pm, 15:00."""

    value: time | None = None
    placeholder: str = "9am · 3:30pm · 15:00"
    required: bool = False

    def initial_text(self) -> str:
        return self.value.strftime("%H:%M") if self.value else ""

    def hint(self) -> str:
        return self.placeholder

    def parse(self, text: str, now: datetime) -> time | None:
        text = _line(text)
        at = parse_time_of_day(text)
        if at is None and self.required:
            raise _required(self.label)
        return at


@dataclass(frozen=True)
class DurationField(Field):
    """A duration in the estimate grammar: 30m, 2h, 1h30, 1:30, 1.5h (at most 24 hours)."""

    value: timedelta | None = None
    placeholder: str = "30m · 1h30 · 2h"
    required: bool = False

    def initial_text(self) -> str:
        return format_minutes(self.value // timedelta(minutes=1)) if self.value else ""

    def hint(self) -> str:
        return self.placeholder

    def parse(self, text: str, now: datetime) -> timedelta | None:
        return read_duration(text, required=self.required, what=self.label)

    def preview(self, value: object) -> str:
        if isinstance(value, timedelta):
            return f"→ {format_minutes(value // timedelta(minutes=1))}"
        return ""


def read_duration(text: str, *, required: bool = True, what: str = "Duration") -> timedelta | None:
    """A typed duration (the kernel's one grammar) as a timedelta; empty is None unless
    ``required``. Every problem is an InputError of one sentence."""
    text = _line(text)
    if not text.strip():
        if required:
            raise _required(what)
        return None
    minutes = parse_duration(text)
    if minutes is None:
        raise InputError(f"{text.strip()} is not a duration like 30m, 1h30 or 2h.")
    return timedelta(minutes=minutes)


@dataclass(frozen=True)
class NumberField(Field):
    """A number in the scorecard's grammar for ``unit``: 12, 12k, 1.5m, -3; "10%" for
    percent, "$1,200" for currency. ``whole`` refuses fractions and gives an int."""

    value: float | None = None
    placeholder: str = ""
    unit: str = "number"
    whole: bool = False
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False

    def initial_text(self) -> str:
        if self.value is None:
            return ""
        shown = f"{self.value:g}"
        return f"{shown}%" if self.unit == "percent" else shown

    def hint(self) -> str:
        return self.placeholder

    def parse(self, text: str, now: datetime) -> float | int | None:
        text = _line(text)
        if not text.strip():
            if self.required:
                raise _required(self.label)
            return None
        from ceodesk.core.domain.scorecard import parse_value  # loaded when first needed

        number = parse_value(text, self.unit)
        what = text.strip()
        if self.whole and number != int(number):
            raise InputError(f"{what} is not a whole number.")
        if self.minimum is not None and number < self.minimum:
            raise InputError(f"{what} is too small; the least is {self.minimum:g}.")
        if self.maximum is not None and number > self.maximum:
            raise InputError(f"{what} is too large; the most is {self.maximum:g}.")
        return int(number) if self.whole else number


@dataclass(frozen=True)
class WeekField(Field):
    """An ISO week, 2026-W48 (any case, one-digit weeks too); empty is ``default``."""

    value: str = ""
    placeholder: str = "2026-W48"
    default: str | None = None

    def initial_text(self) -> str:
        return self.value

    def hint(self) -> str:
        return self.placeholder

    def parse(self, text: str, now: datetime) -> str | None:
        text = _line(text)
        if not text.strip():
            if self.default is None:
                raise _required(self.label)
            return self.default
        return normal_week_key(text)


ChoiceId = Hashable


@dataclass(frozen=True)
class ChoiceField(Field):
    """One of a few options, chosen with the arrows or by typing words of its label;
    the value handed over is the option's id (None is a choice too, e.g. "no goal")."""

    options: Sequence[tuple[ChoiceId, str]] = ()
    value: ChoiceId = None
    empty: str = "There is nothing to choose from yet."  # said when there are no options

    def make_widget(self, widget_id: str) -> Widget:
        return ChoicePicker(self.options, self.value, id=widget_id, empty=self.empty)

    def read(self, widget: Widget, now: datetime) -> ChoiceId:
        assert isinstance(widget, ChoicePicker)
        return widget.chosen()


PERSPECTIVE_CHOICES: list[tuple[ChoiceId, str]] = [(None, "none"), *((p, p) for p in PERSPECTIVES)]
"""The balanced-scorecard perspectives as choices, none first."""


class ChoicePicker(Widget, can_focus=True):
    """A one-line picker: ← → (or ↑ ↓) move through the options, typing finds one by
    the words of its label ("grow arr"), backspace takes a letter back, escape clears
    what was typed. Enter moves on (the form decides where)."""

    DEFAULT_CSS = """
    ChoicePicker { height: 1; width: 1fr; padding: 0 1; background: $panel; }
    ChoicePicker:focus { background: #2f4b6e; }
    """

    class Submitted(Message):
        def __init__(self, picker: ChoicePicker) -> None:
            super().__init__()
            self.picker = picker

        @property
        def control(self) -> ChoicePicker:
            return self.picker

    def __init__(
        self,
        options: Sequence[tuple[ChoiceId, str]],
        value: ChoiceId = None,
        *,
        id: str,
        empty: str = "There is nothing to choose from yet.",
    ) -> None:
        super().__init__(id=id)
        self.options = list(options)
        self.empty = empty
        ids = [option_id for option_id, _ in self.options]
        self.index = ids.index(value) if value in ids else 0
        self.search = ""

    @property
    def value(self) -> ChoiceId:
        """The id of the option shown (None when there are no options)."""
        return self.options[self.index][0] if self.options else None

    @property
    def label(self) -> str:
        return self.options[self.index][1] if self.options else ""

    def matches(self) -> list[int]:
        """Indexes of the options whose label has every word typed; those with a word
        starting with the first word typed come first ("da" is Dana before Adam)."""
        words = self.search.lower().split()
        if not words:
            return list(range(len(self.options)))
        found = [
            i for i, (_, label) in enumerate(self.options) if all(w in label.lower() for w in words)
        ]
        return sorted(
            found,
            key=lambda i: (
                not any(part.startswith(words[0]) for part in self.options[i][1].lower().split())
            ),
        )

    def chosen(self) -> ChoiceId:
        """The chosen id; an InputError when nothing matches what was typed."""
        if not self.options:
            raise InputError(self.empty)
        if self.search.strip() and not self.matches():
            raise InputError(f"Nothing matches “{self.search.strip()}”: backspace widens it.")
        return self.value

    def choose(self, option_id: ChoiceId) -> None:
        """Show the option with ``option_id``."""
        self.index = [i for i, _ in self.options].index(option_id)
        self.search = ""
        self.refresh()

    def render(self) -> Text:
        text = Text()
        if not self.options:
            return Text("nothing to choose from", style="dim italic")
        text.append("‹ ", style="dim")
        text.append(self.label)
        text.append(" ›", style="dim")
        if self.search:
            found = self.matches()
            if found:
                text.append(f"  find: {self.search}▏", style="dim")
            else:
                text.append(f"  nothing matches “{self.search}”", style="#e45756")
        elif len(self.options) > 1:
            text.append(f"  {self.index + 1}/{len(self.options)} · ← → or type", style="dim")
        return text

    def _step(self, step: int) -> None:
        found = self.matches() or list(range(len(self.options)))
        at = found.index(self.index) if self.index in found else -1
        self.index = found[(at + step) % len(found)]
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        key = event.key
        if key in ("right", "down"):
            self._step(1)
        elif key in ("left", "up"):
            self._step(-1)
        elif key == "enter":
            self.post_message(self.Submitted(self))
        elif key == "backspace" and self.search:
            self.search = self.search[:-1]
            self._found()
        elif key == "escape" and self.search:
            self.search = ""
            self.refresh()
        elif event.is_printable and event.character and (event.character != " " or self.search):
            self.search += event.character
            self._found()
        else:
            return
        event.stop()
        event.prevent_default()

    def _on_paste(self, event: events.Paste) -> None:
        self.search += one_line(event.text)
        self._found()
        event.stop()

    def _found(self) -> None:
        found = self.matches()
        if found:
            self.index = found[0]
        self.refresh()


# --------------------------------------------------------------------------- values


class FormValues(Mapping[str, object]):
    """What a form's fields read as, by key: str, date, time, timedelta, a number, a
    choice's id, or None. The typed getters say which one a caller expects."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> object:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def _typed(self, key: str, kind: type | tuple[type, ...]) -> Any:
        value = self._values[key]
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"field {key} holds {type(value).__name__}, not {kind}")
        return value

    def text(self, key: str) -> str:
        value: str = self._typed(key, str)
        return value

    def day(self, key: str) -> date | None:
        value: date | None = self._typed(key, date)
        return value

    def clock_time(self, key: str) -> time | None:
        value: time | None = self._typed(key, time)
        return value

    def duration(self, key: str) -> timedelta | None:
        value: timedelta | None = self._typed(key, timedelta)
        return value

    def number(self, key: str) -> float | None:
        value: float | None = self._typed(key, (int, float))
        return value

    def week(self, key: str) -> str | None:
        value: str | None = self._typed(key, str)
        return value

    def choice(self, key: str) -> Any:
        return self._values[key]


# ----------------------------------------------------------------------------- form


class FormScreen(Dialog[bool]):
    """Enter moves to the next field and saves on the last; returns True when saved.

    ``save`` gets the typed values and does the core work. A field that does not read
    shows the core's sentence under it and is focused, and ``save`` is not called; a
    ``CeodeskError`` ``save`` raises is shown in the form, which stays open with what
    was typed (a ``FieldRefusal`` under its field, named by the field's key).
    """

    ERROR_AT = "#form-error"

    DEFAULT_CSS = """
    FormScreen #form { overflow-y: auto; }
    FormScreen TextArea.multiline {
        height: auto; min-height: 2; max-height: 5; padding: 0 1; background: $panel;
    }
    FormScreen TextArea.multiline:focus { background: #2f4b6e; }
    FormScreen .field-note { height: auto; display: none; padding: 0 1; }
    FormScreen .field-note.shown { display: block; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    def __init__(
        self, title: str, fields: Sequence[Field], save: Callable[[FormValues], None]
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.save = save
        self._refused: set[str] = set()  # keys whose note shows a refusal

    def compose(self) -> ComposeResult:
        with Vertical(id="form", classes="dialog"):
            for f in self.fields:
                yield Label(f.label)
                yield f.make_widget(f"f-{f.key}")
                yield Static(id=f"e-{f.key}", classes="field-note")
            yield Static(id="form-error")
            hint = "enter next/save · ctrl+s save · esc cancel"
            if any(isinstance(f, TextAreaField) for f in self.fields):
                hint = "enter next (new line in a text box) · tab next · ctrl+s save · esc cancel"
            yield Static(hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#form").border_title = self.form_title

    def _now(self) -> datetime:
        return self.desk.local_now().wall

    def _widget(self, f: Field) -> Widget:
        return self.query_one(f"#f-{f.key}")

    def _note(self, key: str, text: Text | str) -> None:
        note = self.query_one(f"#e-{key}", Static)
        note.update(text)
        note.set_class(bool(text), "shown")

    def _field_of(self, widget: Widget | None) -> Field | None:
        return next(
            (f for f in self.fields if widget is not None and widget.id == f"f-{f.key}"), None
        )

    @on(Input.Submitted)
    @on(ChoicePicker.Submitted)
    def _next(self, event: Input.Submitted | ChoicePicker.Submitted) -> None:
        event.stop()
        if event.control is not None:
            self.field_entered(event.control)

    def field_entered(self, control: Widget) -> None:
        """Enter on a field: the next field (now, before later keys), or save on the last."""
        if self.answered:
            return
        widgets = [self._widget(f) for f in self.fields]
        if control not in widgets:
            return
        index = widgets.index(control)
        if index + 1 == len(widgets):
            self.action_save()
            return
        f = self.fields[index]
        try:  # a field that does not read says so before the next one gets the focus
            f.read(control, self._now())
        except CeodeskError as err:
            self.refuse(FieldRefusal(f.key, str(err)))
            return
        if f.key in self._refused:
            self._refused.discard(f.key)
            self._note(f.key, "")
        self.set_focus(widgets[index + 1])

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        """A date or duration reads back as it is typed; a refused field follows."""
        f = self._field_of(event.input)
        if f is None:
            return
        try:
            shown = f.preview(f.parse(event.value, self._now()))
        except CeodeskError as err:
            # Half typed ("feb 3" on its way to "feb 30") is not an error yet; what it
            # read as a moment ago no longer holds.
            refused = f.key in self._refused
            self._note(f.key, Text(f"✗ {err}", style=ERROR_STYLE) if refused else "")
            return
        self._refused.discard(f.key)
        self._note(f.key, Text(shown, style="dim") if shown else "")

    def refuse(self, err: CeodeskError | str, error_at: str | None = None) -> None:
        keys = {f.key for f in self.fields}
        if isinstance(err, FieldRefusal):
            key = err.field_id.removeprefix("f-")
            if key in keys:
                self._note(key, Text(f"✗ {err}", style=ERROR_STYLE))
                self._refused.add(key)
                self.query_one("#form-error", Static).update("")
                self.set_focus(self.query_one(f"#f-{key}"))
                return
        super().refuse(err, error_at)

    def read(self) -> FormValues:
        """Every field's typed value; the first that does not read is a FieldRefusal."""
        now = self._now()
        values: dict[str, object] = {}
        for f in self.fields:
            try:
                values[f.key] = f.read(self._widget(f), now)
            except CeodeskError as err:
                raise FieldRefusal(f.key, str(err)) from err
        return FormValues(values)

    def action_save(self) -> None:
        for key in list(self._refused):
            self._note(key, "")
        self._refused.clear()
        self.query_one("#form-error", Static).update("")

        def save() -> bool:
            self.save(self.read())
            return True

        self.submit(save)

    def action_cancel(self) -> None:
        self.answer(False)
