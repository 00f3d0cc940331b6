"""Dialogs of the week planner: a block's form, its actual time, confirmations, carry-over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.option_list import Option

# The planner is loaded part by part, and the other domains when a form first asks: the
# week screen's first frame imports no ORM (issue 13).
from ceodesk.core.domain import planner
from ceodesk.core.kernel.dates import format_minutes, quarter_key
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.kernel.text import one_line
from ceodesk.ui.screens.form import Dialog, FieldRefusal, read_duration
from ceodesk.ui.widgets.vim import VimOptionList

if TYPE_CHECKING:
    from ceodesk.core.domain.rocks import RockView
    from ceodesk.core.domain.tasks import TaskView


@dataclass(frozen=True)
class BlockForm:
    title: str
    category_id: int
    minutes: int
    task_id: int | None
    repeat: str | None  # None (once) or one of planner.REPEAT_CHOICES ("every 2 weeks")
    rock_id: int | None = None


class BlockFormScreen(Dialog[BlockForm | None]):
    """New or edit: title, category, duration, a linked task, a Rock and the repeat."""

    ERROR_AT = "#block-error"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="block-form-cancel"),
        Binding("ctrl+s", "save", "Save", id="block-form-save"),
    ]

    def __init__(
        self,
        heading: str,
        *,
        title: str = "",
        category_id: int | None = None,
        minutes: int = 60,
        task_title: str = "",
        rock_title: str = "",
        day: date,
        allow_repeat: bool = True,
        repeat: str = "",
        save: Callable[[BlockForm], object] | None = None,
    ) -> None:
        """``save`` does the core work; a ``CeodeskError`` it raises shows in the form."""
        super().__init__()
        self.save = save
        self.heading = heading
        self.initial = (title, category_id, minutes, task_title)
        self.rock_title = rock_title
        self.day = day
        self.allow_repeat = allow_repeat
        self.repeat = repeat  # what the repeat field starts with ("weekly"; "" = once)
        self.task_match: TaskView | None = None
        self.rock_match: RockView | None = None

    def compose(self) -> ComposeResult:
        title, category_id, minutes, task_title = self.initial
        from ceodesk.core.domain.settings import list_categories

        categories = list_categories(self.desk.db, include_archived=False)
        with VerticalScroll(id="block-form", classes="dialog"):
            yield Label("Title")
            yield Input(
                title, placeholder="Deep work: strategy memo", id="block-title", classes="compact"
            )
            yield Label("Category")
            yield VimOptionList(
                *(
                    Option(Text("██ ", style=c.colour) + Text(c.name), id=str(c.id))
                    for c in categories
                ),
                id="block-category",
            )
            yield Label("Duration")
            yield Input(
                format_minutes(minutes), placeholder="1h30", id="block-duration", classes="compact"
            )
            yield Label("Linked task (words of its title; empty for none)")
            yield Input(task_title, id="block-task", classes="compact")
            yield Static(id="block-task-match", classes="dim")
            yield Label("Rock it serves (words of its title; empty for none)")
            yield Input(self.rock_title, id="block-rock", classes="compact")
            yield Static(id="block-rock-match", classes="dim")
            if self.allow_repeat:
                yield Label("Repeat (empty for once)")
                yield Input(
                    self.repeat,
                    placeholder=" · ".join(planner.REPEAT_CHOICES),
                    id="block-repeat",
                    classes="compact",
                )
                yield Static(id="block-repeat-match", classes="dim")
            yield Static(id="block-error")
            yield Static("tab next field · enter save · esc cancel", classes="dialog-hint")
        self._category_ids = [c.id for c in categories]
        self._start_category = (
            self._category_ids.index(category_id) if category_id in self._category_ids else 0
        )

    def on_mount(self) -> None:
        self.query_one("#block-form").border_title = self.heading
        self.query_one("#block-category", VimOptionList).highlighted = self._start_category
        self.query_one("#block-title", Input).focus()
        self._match_task(self.query_one("#block-task", Input).value)
        self._match_rock(self.rock_title)
        if self.allow_repeat:
            repeat = self.query_one("#block-repeat", Input)
            self._repeat_changed(Input.Changed(repeat, repeat.value))

    @on(Input.Changed, "#block-task")
    def _task_changed(self, event: Input.Changed) -> None:
        self._match_task(event.value)

    @on(Input.Changed, "#block-repeat")
    def _repeat_changed(self, event: Input.Changed) -> None:
        """Say how the repeat reads for this day: "monthly on the first Tuesday"."""
        match = self.query_one("#block-repeat-match", Static)
        try:
            repeat = planner.parse_repeat(event.value)
        except CeodeskError as err:
            match.update(Text(str(err), style="#e45756"))
            return
        match.update(planner.repeat_label(repeat, self.day) if repeat else "once")

    @on(Input.Changed, "#block-rock")
    def _rock_changed(self, event: Input.Changed) -> None:
        self._match_rock(event.value)

    def _match_rock(self, text: str) -> None:
        """Rocks of the block's quarter whose title has every word typed."""
        match = self.query_one("#block-rock-match", Static)
        self.rock_match = None
        words = text.lower().split()
        if not words:
            match.update("no Rock (a linked task's Rock still counts)")
            return
        from ceodesk.core.domain.rocks import quarter_rocks

        view = quarter_rocks(self.desk.db, quarter_key(self.day), self.desk.now())
        found = [r for r in view.rocks if all(w in r.title.lower() for w in words)]
        if not found:
            match.update(Text("no Rock this quarter has those words", style="#e45756"))
            return
        self.rock_match = found[0]
        more = f" (+{len(found) - 1} more: type more words)" if len(found) > 1 else ""
        match.update(Text(f"◆ {found[0].title}{more}", style="#b279a2"))

    def _match_task(self, text: str) -> None:
        match = self.query_one("#block-task-match", Static)
        self.task_match = None
        if not text.strip():
            match.update("no linked task")
            return
        from ceodesk.core.domain.tasks import task_board

        board = task_board(self.desk.db, self.desk.now(), text)
        found = [t for q in board.quadrants for t in q.tasks]
        if not found:
            match.update(Text("no open task has those words", style="#e45756"))
            return
        self.task_match = found[0]
        more = f" (+{len(found) - 1} more: type more words)" if len(found) > 1 else ""
        match.update(Text(f"→ {found[0].title}{more}", style="#54a24b"))

    @on(Input.Submitted)
    @on(VimOptionList.OptionSelected, "#block-category")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.submit(self._save)

    def _save(self) -> BlockForm:
        form = self._read()
        if self.save is not None:
            self.save(form)  # a core refusal keeps the form open with what was typed
        return form

    def _read(self) -> BlockForm:
        title = one_line(self.query_one("#block-title", Input).value)
        if not title:
            raise FieldRefusal("block-title", "A block needs a title.")
        categories = self.query_one("#block-category", VimOptionList)
        if categories.highlighted is None:
            raise FieldRefusal("block-category", "Pick a category.")
        try:
            duration = read_duration(self.query_one("#block-duration", Input).value)
        except CeodeskError as err:
            raise FieldRefusal("block-duration", str(err)) from err
        assert duration is not None  # required: empty is refused
        if self.query_one("#block-task", Input).value.strip() and self.task_match is None:
            raise FieldRefusal("block-task", "No open task matches the linked-task words.")
        if self.query_one("#block-rock", Input).value.strip() and self.rock_match is None:
            raise FieldRefusal("block-rock", "No Rock of this quarter matches the Rock words.")
        repeat = None
        if self.allow_repeat:
            try:
                repeat = planner.parse_repeat(self.query_one("#block-repeat", Input).value)
            except CeodeskError as err:
                raise FieldRefusal("block-repeat", str(err)) from err
        return BlockForm(
            title=title,
            category_id=self._category_ids[categories.highlighted],
            minutes=duration // timedelta(minutes=1),
            task_id=self.task_match.id if self.task_match else None,
            repeat=repeat,
            rock_id=self.rock_match.id if self.rock_match else None,
        )


class ActualScreen(Dialog[tuple[int | None, bool] | None]):
    """`a`: Enter alone = done as planned; or minutes ("45", "1h30") or "skip"."""

    ERROR_AT = "#actual-error"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="actual-cancel")]

    def __init__(self, block_title: str, planned: int) -> None:
        super().__init__()
        self.block_title = block_title
        self.planned = planned

    def compose(self) -> ComposeResult:
        with Vertical(id="actual", classes="dialog"):
            yield Label(f"{self.block_title} · planned {format_minutes(self.planned)}")
            yield Input(placeholder="enter = as planned · 45 · 1h30 · skip", id="actual-input")
            yield Static(id="actual-error")
            yield Static(
                "enter records · empty = done as planned · esc cancels", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#actual").border_title = "What really happened"

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value
        self.submit(lambda: planner.parse_actual(text) if text.strip() else (self.planned, False))


class ConfirmScreen(Dialog[bool]):
    """A yes/no question: y or enter says yes; n or esc says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(self.question)
            yield Static("y / enter: yes · n / esc: no", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#confirm").border_title = "Confirm"

    def action_answer(self, yes: bool) -> None:
        self.answer(yes)


class CarryOverScreen(Dialog[list[int] | None]):
    """Unfinished tasks linked to last week's blocks: which to plan again this week."""

    BINDINGS = [
        Binding("enter", "carry", "Carry over", id="carry-over-confirm", priority=True),
        Binding("escape", "cancel", "Skip", id="carry-over-skip"),
    ]

    def __init__(self, tasks: list[tuple[int, str]]) -> None:
        super().__init__()
        self.tasks = tasks

    def compose(self) -> ComposeResult:
        with Vertical(id="carry-over", classes="dialog"):
            yield Static("Unfinished tasks from last week's blocks. Plan them again?")
            yield SelectionList[int](
                *((title, task_id, True) for task_id, title in self.tasks), id="carry-list"
            )
            yield Static("space toggles · enter carries over · esc skips", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#carry-over").border_title = "Carry over"
        self.query_one("#carry-list").focus()

    def action_carry(self) -> None:
        self.answer(list(self.query_one("#carry-list", SelectionList).selected))
