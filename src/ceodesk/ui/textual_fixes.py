"""Work-arounds for Textual (8.2) behaviour that costs ceodesk memory (the app applies them).

``StylesCache.get_inner_outer`` is a method under ``functools.lru_cache``, so the cache
keys on the StylesCache itself: the last 1,024 widgets that drew a line stay reachable
through it, each with every line it rendered, long after the widget is gone. Every
screen switch replaces the footer's keys, so a day of switching kept about a thousand
dead widgets' lines alive (issue 13: memory after 100 switches). The colours are all
the answer depends on, so they alone are the key here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache
from textual.color import Color

_PLAIN = getattr(StylesCache.get_inner_outer, "__wrapped__", None)


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> Any:
    assert _PLAIN is not None
    return _PLAIN(None, base_background, background)  # it never reads its first argument


def _get_inner_outer(_cache: StylesCache, base_background: Color, background: Color) -> Any:
    return _inner_outer(base_background, background)


def forget_dead_widgets() -> None:
    """Key Textual's inner/outer style cache on colours only (once; a no-op if Textual
    no longer caches it that way)."""
    if _PLAIN is None or StylesCache.get_inner_outer is _get_inner_outer:
        return
    StylesCache.get_inner_outer.cache_clear()
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]
