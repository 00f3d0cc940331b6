"""The ceodesk Textual application: screens as modes, global keys, undo, live refresh."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import partial

from rich.segment import Segment
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.color import Color
from textual.filter import LineFilter
from textual.screen import Screen
from textual.widgets import Static

from ceodesk.core.clock import Clock, LocalNow, system_clock
from ceodesk.core.db import ChangeWatcher, Database
from ceodesk.core.errors import CeodeskError
from ceodesk.core.settings import local_now
from ceodesk.core.text import has_controls, without_controls
from ceodesk.ui.screens.base import Refreshable
from ceodesk.ui.screens.big_picture import BigPictureScreen
from ceodesk.ui.screens.help import HelpScreen
from ceodesk.ui.screens.rocks import RocksScreen
from ceodesk.ui.screens.scorecard import ScorecardScreen
from ceodesk.ui.screens.settings import SettingsScreen
from ceodesk.ui.screens.tasks import TasksScreen
from ceodesk.ui.screens.team import TeamScreen
from ceodesk.ui.screens.week import WeekScreen
from ceodesk.ui.theme import CEODESK_THEME

# How often the database file is checked for changes made by another process.
EXTERNAL_CHANGE_POLL_SECONDS = 1.0
READ_ONLY_MARKER = " read-only "


class InertText(LineFilter):
    """Drops control characters from every drawn line, so no stored text (an old row,
    another program's write) can send the terminal an escape sequence."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(without_controls(s.text), s.style)
            if s.control is None and has_controls(s.text)
            else s
            for s in segments
        ]


class CeodeskApp(App[None]):
    """A CEO's week in a terminal. The database and the clock are injected."""

    TITLE = "ceodesk"
    CSS_PATH = "app.tcss"
    MODES = {
        "week": WeekScreen,
        "tasks": TasksScreen,
        "rocks": RocksScreen,
        "scorecard": ScorecardScreen,
        "big-picture": BigPictureScreen,
    }
    DEFAULT_MODE = "week"
    BINDINGS = [
        Binding("1", "go('week')", "Week", id="go-week", tooltip="Week planner", show=False),
        Binding(
            "2", "go('tasks')", "Tasks", id="go-tasks", tooltip="Tasks (Eisenhower)", show=False
        ),
        Binding("3", "go('rocks')", "Rocks", id="go-rocks", tooltip="Rocks", show=False),
        Binding(
            "4", "go('scorecard')", "Scorecard", id="go-scorecard", tooltip="Scorecard", show=False
        ),
        Binding(
            "8",
            "go('big-picture')",
            "Big picture",
            id="go-big-picture",
            tooltip="Big picture and goals",
            show=False,
        ),
        Binding("question_mark", "help", "Help", id="help", tooltip="Keys for this screen"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change", show=False),
        Binding("ctrl+r", "redo", "Redo", id="redo", tooltip="Redo what was undone", show=False),
        Binding("q,ctrl+q", "quit", "Quit", id="quit", tooltip="Quit ceodesk", key_display="q"),
    ]

    def __init__(
        self, db: Database, clock: Clock = system_clock, *, mode: str | None = None
    ) -> None:
        if mode is not None:
            self.DEFAULT_MODE = mode  # open on another screen (tests, screenshots)
        super().__init__()
        self.db = db
        self.clock = clock
        self._watcher: ChangeWatcher | None = None
        self._inert_text = InertText()

    def on_mount(self) -> None:
        self.register_theme(CEODESK_THEME)
        self.theme = CEODESK_THEME.name
        self._watcher = self.db.watcher()
        self.set_interval(EXTERNAL_CHANGE_POLL_SECONDS, self._check_external_changes)
        if self.db.read_only:
            self.title = f"{self.TITLE} (read-only)"
            self.screen_change_signal.subscribe(self, self._mark_read_only)
            self.call_after_refresh(self._mark_read_only, self.screen)
            self.notify(
                f"{self.db.location} is read-only: you can look, but changes are refused.",
                timeout=6,
            )

    def _mark_read_only(self, screen: Screen) -> None:
        """A "read-only" tag at the top right of every screen of a read-only file."""
        if screen.is_modal or screen.query(".read-only-marker"):
            return
        marker = Static(READ_ONLY_MARKER, classes="read-only-marker")
        marker.styles.position = "absolute"
        marker.styles.width = len(READ_ONLY_MARKER)
        marker.styles.height = 1
        marker.styles.text_style = "reverse bold"
        marker.styles.offset = (max(0, self.size.width - len(READ_ONLY_MARKER)), 0)
        screen.mount(marker)

    def on_resize(self) -> None:
        for marker in self.query(".read-only-marker"):
            marker.styles.offset = (max(0, self.size.width - len(READ_ONLY_MARKER)), 0)

    def _handle_exception(self, error: Exception) -> None:
        # A failure the store named (a lock, a read-only or damaged file) that no screen
        # caught: stop with its one sentence and a failure code, never a traceback or 0.
        if isinstance(error, CeodeskError):
            self.exit(return_code=1, message=f"ceodesk stopped: {error}")
            return
        super()._handle_exception(error)

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [self._inert_text, *super().get_line_filters()]

    # -- time -------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def local_now(self) -> LocalNow:
        """The app's clock in the user's zone: today, this week and this quarter."""
        return local_now(self.db, self.clock)

    def today(self) -> date:
        return self.local_now().today

    # -- refreshing -------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Redraw every open screen that shows stored data (dialogs included)."""
        for screen in self.screen_stack:
            if isinstance(screen, Refreshable):
                try:
                    screen.refresh_data()
                except CeodeskError as err:
                    self.report(err)

    def _check_external_changes(self) -> None:
        if self._watcher is not None and self._watcher.changed():
            self.refresh_data()

    def report(self, error: CeodeskError) -> None:
        self.notify(str(error), severity="error", timeout=6)

    # -- actions ----------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_undo(self) -> None:
        try:
            label = self.db.undo()
        except CeodeskError as err:
            self.report(err)
            return
        self.notify(f"Undone: {label}", timeout=3)
        self.refresh_data()

    def action_redo(self) -> None:
        try:
            label = self.db.redo()
        except CeodeskError as err:
            self.report(err)
            return
        self.notify(f"Redone: {label}", timeout=3)
        self.refresh_data()

    def action_team(self) -> None:
        self.push_screen(TeamScreen())

    def action_settings(self) -> None:
        self.push_screen(SettingsScreen())

    # -- command palette --------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of this screen and the app, named "<area>: <what>"."""
        seen: set[str] = set()
        area = getattr(screen, "AREA", "app")
        for node, prefix in ((screen, area), (self, "app")):
            for binding in node.BINDINGS:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                if binding.action in seen:
                    continue
                seen.add(binding.action)
                key = self.get_key_display(binding)
                yield SystemCommand(
                    f"{prefix}: {binding.tooltip or binding.description}",
                    f"key {key}",
                    partial(self.run_action, binding.action, node),
                )
        yield SystemCommand("go: Week planner", "key 1", lambda: self.action_go("week"))
        yield SystemCommand("go: Tasks (Eisenhower)", "key 2", lambda: self.action_go("tasks"))
        yield SystemCommand("go: Rocks", "key 3", lambda: self.action_go("rocks"))
        yield SystemCommand("go: Scorecard", "key 4", lambda: self.action_go("scorecard"))
        yield SystemCommand(
            "go: Big picture and goals", "key 8", lambda: self.action_go("big-picture")
        )
        yield SystemCommand("Team members", "Add, rename, set roles, deactivate", self.action_team)
        yield SystemCommand(
            "Settings", "Your name, time zone, planner day, block categories", self.action_settings
        )
        yield SystemCommand("Theme", "Change the colour theme", self.action_change_theme)


def run_app(db: Database) -> None:
    CeodeskApp(db).run()
