"""Full garbage collections in the pauses between keys, not inside them (issue 13).

Python runs a full collection (every tracked object, not only young ones) after ten
collections of the middle generation. On five years of history a screen's widgets,
tables and cached lines make that 60 to 170 ms, and it lands inside whichever key
happens to cross the count: a screen switch that takes 20 ms now and then takes 150.
Young objects are still collected as they always are (most garbage of a key dies
young); only the full collection moves:

- while the app runs, Python's own full collection waits ``LIFT`` times as long (a
  backstop, so a key held down for minutes still gets one);
- every ``TICK_SECONDS`` the app asks ``tick``: when no key, paste or mouse event came
  since the last tick and a full collection is due by Python's own count, it runs then,
  while the user reads the screen.

``stop`` puts Python's thresholds back as they were.
"""

from __future__ import annotations

import gc

TICK_SECONDS = 1.0
LIFT = 10  # Python's full collection waits this many times as long while the app runs


def _middle_collections() -> int:
    return int(gc.get_stats()[1]["collections"])


def _full_collections() -> int:
    return int(gc.get_stats()[2]["collections"])


class IdleCollector:
    """See the module docstring. ``input`` on every input event, ``tick`` on a timer."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None
        self._due_after = 10  # middle collections between full ones (Python's default)
        self._typed = False
        self._middle_at_full = 0
        self._full_seen = 0

    @property
    def running(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        if self._saved is not None:
            return
        young, middle, old = self._saved = gc.get_threshold()
        self._due_after = max(old, 1)
        gc.set_threshold(young, middle, self._due_after * LIFT)
        self._seen_full()

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input(self) -> None:
        self._typed = True

    def tick(self) -> bool:
        """A full collection now if the user paused since the last tick and one is due;
        whether it ran."""
        typed, self._typed = self._typed, False
        if self._saved is None or typed:
            return False
        if _full_collections() != self._full_seen:  # Python's backstop ran one
            self._seen_full()
        if _middle_collections() - self._middle_at_full < self._due_after:
            return False
        gc.collect()
        self._seen_full()
        return True

    def _seen_full(self) -> None:
        self._middle_at_full = _middle_collections()
        self._full_seen = _full_collections()
