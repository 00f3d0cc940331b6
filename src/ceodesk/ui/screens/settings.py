"""Settings (command palette): your name, time zone, planner day, block categories."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from ceodesk.core.domain.settings import (
    CategoryView,
    add_category,
    edit_category,
    list_categories,
    load_settings,
    save_settings,
    set_category_archived,
)
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.ui.screens.base import DIALOG_APP_KEYS
from ceodesk.ui.screens.form import Dialog, FormScreen, FormValues, TextField
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.vim import RecordTable


class SettingsScreen(Dialog[None]):
    TITLE = "Settings"
    HELP = """\
## Settings

Stored in the database, so they travel with your data. The time zone is an IANA
name (Europe/Berlin, America/New_York); the planner day runs from start to end.
Block categories colour the week planner; archiving one keeps it on old blocks.
"""
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings-save", tooltip="Save the settings"),
        Binding("n", "add_category", "Add category", id="settings-category-add"),
        Binding("e", "edit_category", "Edit category", id="settings-category-edit"),
        Binding(
            "x",
            "archive_category",
            "Archive category",
            id="settings-category-archive",
            tooltip="Archive or restore the category",
        ),
        Binding("escape", "close", "Close", id="settings-close"),
        *DIALOG_APP_KEYS,
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="settings", classes="dialog wide"):
            with Horizontal(classes="field-row"):
                yield Label("Your name", classes="field-label")
                yield Input(id="s-name")
            with Horizontal(classes="field-row"):
                yield Label("Time zone", classes="field-label")
                yield Input(id="s-zone")
            with Horizontal(classes="field-row"):
                yield Label("Day starts", classes="field-label")
                yield Input(id="s-start")
            with Horizontal(classes="field-row"):
                yield Label("Day ends", classes="field-label")
                yield Input(id="s-end")
            yield Static(id="settings-error")
            yield Label("Block categories")
            yield RecordTable(id="categories")
            yield Static(
                "enter/ctrl+s save · in categories: n add · e edit · x archive · esc close",
                classes="dialog-hint",
            )
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#settings").border_title = "Settings"
        table = self.query_one("#categories", DataTable)
        table.add_columns("Category", "Colour", "Status")
        self._loaded: dict[str, str] = {}
        self.refresh_data()
        self.query_one("#s-name", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letter keys belong to the text fields while one is focused.
        if action.endswith("_category"):
            return isinstance(self.focused, DataTable)
        return True

    def refresh_data(self, keep: int | None = None) -> None:
        """Reload categories, and every field the user has not started editing."""
        settings = load_settings(self.desk.db)
        stored = {
            "#s-name": settings.my_name,
            "#s-zone": settings.time_zone,
            "#s-start": f"{settings.day_start:%H:%M}",
            "#s-end": f"{settings.day_end:%H:%M}",
        }
        for selector, value in stored.items():
            field = self.query_one(selector, Input)
            if field.value == self._loaded.get(selector, field.value):
                field.value = value
        self._loaded = stored
        self.categories: list[CategoryView] = list_categories(self.desk.db)
        self.query_one(RecordTable).show_rows(
            (
                (
                    c.id,
                    (
                        c.name,
                        Text("██ ", style=c.colour) + Text(c.colour),
                        "archived" if c.archived else "in use",
                    ),
                )
                for c in self.categories
            ),
            keep,
        )

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        error = self.query_one("#settings-error", Static)
        try:
            save_settings(
                self.desk.db,
                my_name=self.query_one("#s-name", Input).value,
                time_zone=self.query_one("#s-zone", Input).value,
                day_start=self.query_one("#s-start", Input).value,
                day_end=self.query_one("#s-end", Input).value,
            )
        except CeodeskError as err:
            error.update(Text(f"✗ {err}", style="bold #e45756"))
            return
        error.update(Text("✓ Saved", style="#54a24b"))
        self.notify("Settings saved", timeout=3)
        self.desk.refresh_data()

    def _current(self) -> CategoryView | None:
        table = self.query_one("#categories", DataTable)
        return self.categories[table.cursor_row] if self.categories else None

    def action_add_category(self) -> None:
        added: list[int] = []

        def save(values: FormValues) -> None:
            name, colour = values.text("name"), values.text("colour")
            added.append(add_category(self.desk.db, name, colour).id)

        self.app.push_screen(
            FormScreen(
                "Add category",
                [
                    TextField("name", "Name", placeholder="hiring"),
                    TextField("colour", "Colour", "#4c78a8", "#4c78a8"),
                ],
                save,
            ),
            lambda saved: self._saved_category(saved, added[0] if added else 0, "Category added"),
        )

    def action_edit_category(self) -> None:
        category = self._current()
        if category is None:
            return
        self.app.push_screen(
            FormScreen(
                f"Edit {category.name}",
                [
                    TextField("name", "Name", category.name),
                    TextField("colour", "Colour", category.colour),
                ],
                lambda v: edit_category(
                    self.desk.db, category.id, v.text("name"), v.text("colour")
                ),
            ),
            lambda saved: self._saved_category(saved, category.id, "Category saved"),
        )

    def _saved_category(self, saved: bool | None, category_id: int, message: str) -> None:
        if not saved:
            return
        self.refresh_data(keep=category_id)
        self.notify(message, timeout=3)
        self.desk.refresh_data()  # the week planner shows categories' names and colours

    def action_archive_category(self) -> None:
        category = self._current()
        if category is None:
            return
        with self.desk.reporting():
            set_category_archived(self.desk.db, category.id, not category.archived)
            self.refresh_data(keep=category.id)

    def action_close(self) -> None:
        self.answer(None)
