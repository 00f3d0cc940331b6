"""The key footer every screen shows, without Textual's Footer's leak.

Textual's Footer recomposes its keys whenever the screen's bindings change (every
switch to the screen, every focus change), and each new key binds itself to the
footer's ``compact`` reactive; the footer prunes the keys it removed only when
``compact`` changes, which it never does here. So every switch left about forty
removed keys (widgets with their styles and caches) reachable from the footer: memory
grew by most of a MiB per switch (issue 13). This footer forgets them as it recomposes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer


class DeskFooter(Footer):
    """Footer that drops the watchers of keys it has removed before composing anew."""

    def compose(self) -> ComposeResult:
        # Reactive watchers live in the node's "__watchers" dict (textual.reactive).
        watchers = getattr(self, "__watchers", None)
        if watchers:
            for pairs in watchers.values():
                pairs[:] = [(node, call) for node, call in pairs if not node._closing]
        yield from super().compose()
