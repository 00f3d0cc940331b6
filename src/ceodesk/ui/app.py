"""The ceodesk Textual application: screens as modes, global keys, undo, live refresh."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ceodesk.core.clock import Clock, LocalNow, system_clock
from ceodesk.core.db import ChangeWatcher, Database
from ceodesk.core.errors import CeodeskError
from ceodesk.core.settings import local_now
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

    def on_mount(self) -> None:
        self.register_theme(CEODESK_THEME)
        self.theme = CEODESK_THEME.name
        self._watcher = self.db.watcher()
        self.set_interval(EXTERNAL_CHANGE_POLL_SECONDS, self._check_external_changes)

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.close()

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
                screen.refresh_data()

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
