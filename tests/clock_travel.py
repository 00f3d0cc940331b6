"""Where CEODESK_TEST_TODAY sends the wall clock (read by conftest.py and its own tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

TRAVEL_VARIABLE = "CEODESK_TEST_TODAY"

# The core tests' frozen "now" (the `now` fixture): Monday of ISO week 2026-W48, 10:00 UTC.
# Importable from here; "from conftest import" is ambiguous with several conftest files.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def travel_destination(text: str) -> datetime:
    """``2026-12-31T15:00`` (UTC), ``2027-03-28T01:30 Europe/Berlin`` or an ISO offset."""
    stamp, _, zone = text.strip().partition(" ")
    try:
        moment = datetime.fromisoformat(stamp)
        tz = ZoneInfo(zone.strip()) if zone.strip() else UTC
    except (ValueError, KeyError) as err:
        raise pytest.UsageError(
            f"{TRAVEL_VARIABLE}={text!r} is not a time like 2026-12-31T15:00 [Europe/Berlin]."
        ) from err
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)
