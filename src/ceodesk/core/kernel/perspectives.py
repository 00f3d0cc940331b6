"""The four balanced-scorecard perspectives a goal or a measurable may belong to."""

from __future__ import annotations

from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import one_line

PERSPECTIVES = ("financial", "customer", "internal process", "learning and growth")


def perspective_named(text: str | None) -> str | None:
    """A perspective as stored (lower case, single spaces), from its name or a unique start
    of it ("cust", "learning"); None or "" means none."""
    if text is None or not text.strip():
        return None
    wanted = one_line(text).lower().replace("&", "and")
    starting = [p for p in PERSPECTIVES if p.startswith(wanted)]
    if wanted not in PERSPECTIVES and len(starting) == 1:
        wanted = starting[0]
    if wanted not in PERSPECTIVES:
        raise InputError(
            f"“{one_line(text)}” is not a perspective; use financial, customer, "
            "internal process or learning and growth."
        )
    return wanted
