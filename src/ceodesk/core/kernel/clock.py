"""The one place that reads the wall clock, and the one place that turns it into local time.

The app and the CLI read the wall clock through ``system_clock`` and pass the clock (or the
instant it gave) on; tests and screenshots pass a frozen one instead. ``LocalNow`` turns an
instant and the user's IANA zone into the local now, today, this ISO week and this quarter:
core and UI ask it rather than converting UTC themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from ceodesk.core.kernel.dates import quarter_key, week_key

Clock = Callable[[], datetime]

__all__ = ["Clock", "LocalNow", "frozen_clock", "system_clock"]


def system_clock() -> datetime:  # wall clock ok: this module is the clock
    """Now, as an aware UTC instant."""
    return datetime.now(UTC)  # wall clock ok: the one place that reads it


def frozen_clock(instant: datetime) -> Clock:
    """A clock that always says ``instant`` (which must be aware)."""
    if instant.tzinfo is None:
        raise ValueError("a frozen clock needs an aware datetime")
    return lambda: instant


@dataclass(frozen=True)
class LocalNow:
    """One instant as the user lives it in their zone: 03:00 UTC on 25 Nov is still
    24 Nov, 19:00, in America/Los_Angeles."""

    instant: datetime  # aware, UTC
    zone: tzinfo

    @classmethod
    def at(cls, when: datetime | Clock, zone: tzinfo | str) -> LocalNow:
        """The local now of an aware instant, or of what a clock says now, in ``zone``
        (a tzinfo or an IANA name)."""
        instant = when if isinstance(when, datetime) else when()
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("local time needs an aware instant, not a naive one")
        return cls(instant.astimezone(UTC), ZoneInfo(zone) if isinstance(zone, str) else zone)

    @property
    def local(self) -> datetime:
        """The aware local date and time."""
        return self.instant.astimezone(self.zone)

    @property
    def wall(self) -> datetime:
        """The naive local wall-clock time (what the date grammar reads "today" from)."""
        return self.local.replace(tzinfo=None)

    @property
    def today(self) -> date:
        return self.local.date()

    @property
    def time_of_day(self) -> time:
        return self.local.time()

    @property
    def week(self) -> str:
        """This ISO week's key, like 2026-W53 (the ISO year, not the calendar one)."""
        return week_key(self.today)

    @property
    def quarter(self) -> str:
        """This calendar quarter's key, like 2027-Q1."""
        return quarter_key(self.today)
