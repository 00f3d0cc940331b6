"""The key footer every screen shows, without Textual's Footer's leak or its rebuilds.

Textual's Footer recomposes its keys whenever the screen's bindings change (every
switch to the screen, every focus change), and each new key binds itself to the
footer's ``compact`` reactive; the footer prunes the keys it removed only when
``compact`` changes, which it never does here. So every switch left about forty
removed keys (widgets with their styles and caches) reachable from the footer: memory
grew by most of a MiB per switch (issue 13). This footer forgets them as it recomposes.

It also recomposes only when the keys it would show differ from those it shows: a
switch back to a screen, or a focus move that leaves the keys as they were, mounts and
removes nothing (forty widgets built, styled and laid out on every switch before). A
screen of another mode waits until it is shown again; one under a dialog is still on
show, and its footer follows its keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

# What the footer shows for each key: (key, binding, enabled, tooltip, key as shown).
Keys = tuple[tuple[object, ...], ...]


class DeskFooter(Footer):
    """Footer that rebuilds its keys only when they change, and drops the watchers of
    keys it has removed before composing anew."""

    # The keys last composed (None: not composed with bindings yet).
    _shown_keys: Keys | None = None
    # How many times the keys were composed (tests count the rebuilds).
    compositions: int = 0

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached or self.screen not in self.app.screen_stack:
            return  # another mode's, in the background: the screen's resume asks again
        # (a screen under a dialog is on show: its keys change there too)
        if self._keys() != self._shown_keys:
            await self.recompose()

    def _keys(self) -> Keys:
        """What compose would show, as a value to compare."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        return tuple(
            (key, binding, enabled, tooltip, app.get_key_display(binding))
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        # Reactive watchers live in the node's "__watchers" dict (textual.reactive).
        watchers = getattr(self, "__watchers", None)
        if watchers:
            for pairs in watchers.values():
                pairs[:] = [(node, call) for node, call in pairs if not node._closing]
        if self._bindings_ready:
            self._shown_keys = self._keys()
            self.compositions += 1
        # `?` and the palette key sit together at the right edge, so a narrow footer
        # cuts the screen's keys, never the key that lists them all.
        right_edge = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (
                widget.key == "question_mark" or widget.has_class("-command-palette")
            ):
                right_edge.append(widget)
                continue
            yield widget
        if any(widget.key == "question_mark" for widget in right_edge):
            with HorizontalGroup(id="footer-right-edge"):
                yield from right_edge
        else:  # `?` not shown (a field takes it as a character): the palette key alone,
            yield from right_edge  # with its own line, not the group's line beside it
