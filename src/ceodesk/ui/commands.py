"""The command palette (ctrl+p): one entry per action, named "<area>: <what it does>".

One list feeds both what the palette shows before anything is typed and what it finds:
the screens ("go: Rocks"), the actions of the screen the palette was opened on and of
the widget focused there ("tasks: New task"), and the desk's own ("app: Undo").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class PaletteEntry:
    name: str  # "tasks: New task"
    keys: str  # "n", "+ -", "" when it has no key
    run: Callable[[], object]

    @property
    def help(self) -> str:
        return f"key {self.keys}" if self.keys else ""


def readable_keys(app: App, binding: Binding) -> str:
    """Every key of a binding as a user reads it: "+ =" rather than "plus,equals_sign"."""
    if binding.key_display:
        return binding.key_display
    shown: list[str] = []
    for key in binding.key.split(","):
        display = app.get_key_display(Binding(key.strip(), binding.action))
        if display not in shown:
            shown.append(display)
    return " ".join(shown)


def _area(node: DOMNode, screen: Screen) -> str:
    if isinstance(node, App):
        return "app"
    owner = node if isinstance(node, Screen) else screen
    area = getattr(owner, "AREA", "") or getattr(owner, "TITLE", "") or "app"
    return str(area).lower()


def palette_entries(app: App, screen: Screen) -> list[PaletteEntry]:
    """What the palette offers on ``screen``: each action once, screens under "go:"."""
    entries: list[PaletteEntry] = []
    seen: set[tuple[int, str]] = set()
    nodes: list[DOMNode] = [*screen.focused.ancestors_with_self] if screen.focused else []
    nodes = [n for n in nodes if not isinstance(n, App | Screen)]
    nodes += [screen, app]
    for node in nodes:
        for binding in node.BINDINGS:
            if not isinstance(binding, Binding) or not binding.id or not binding.description:
                continue
            action = binding.action
            if (id(node), action) in seen:
                continue
            seen.add((id(node), action))
            if action.removeprefix("app.").startswith("go("):
                area = "go"
            elif action.startswith("app."):
                area = "app"  # a screen's or dialog's copy of an app key (undo, help)
            else:
                area = _area(node, screen)
            entries.append(
                PaletteEntry(
                    f"{area}: {binding.tooltip or binding.description}",
                    readable_keys(app, binding),
                    partial(app.run_action, action, node),
                )
            )
    run = app.run_action
    entries += [
        PaletteEntry("app: Team members", "", partial(run, "team", app)),
        PaletteEntry("app: Settings", "", partial(run, "settings", app)),
        PaletteEntry("app: Theme", "", partial(run, "change_theme", app)),
        # The team's lists around the weekly meeting (key 5 runs the meeting itself).
        PaletteEntry("meeting: Issues list", "", partial(run, "issues_list", app)),
        PaletteEntry("meeting: To-dos", "", partial(run, "todos_list", app)),
        PaletteEntry("meeting: Decisions log", "", partial(run, "decisions_log", app)),
        PaletteEntry("meeting: Past meetings and minutes", "", partial(run, "past_meetings", app)),
        PaletteEntry("meeting: Edit the agenda", "", partial(run, "edit_agenda", app)),
    ]
    # One entry per name: a dialog's undo and the app's undo are the same to a user.
    unique: dict[str, PaletteEntry] = {}
    for entry in entries:
        unique.setdefault(entry.name, entry)
    return list(unique.values())


class DeskCommands(Provider):
    """ceodesk's only palette provider (Textual's system commands are not added)."""

    def _entries(self) -> list[PaletteEntry]:
        return palette_entries(self.app, self.screen)

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry.name, entry.run, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.name)
            if score > 0:
                yield Hit(score, matcher.highlight(entry.name), entry.run, help=entry.help)
