"""The one place that reads the wall clock, so tests and screenshots can freeze it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, as an aware UTC instant."""
    return datetime.now(UTC)


def frozen_clock(instant: datetime) -> Clock:
    """A clock that always says ``instant`` (which must be aware)."""
    if instant.tzinfo is None:
        raise ValueError("a frozen clock needs an aware datetime")
    return lambda: instant
