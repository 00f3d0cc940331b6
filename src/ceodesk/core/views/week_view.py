"""The week planner's read (key 1): the week plan and last week's reflection, each kept
until a table it read changes (store/changes.py), so coming back to the week after a
change elsewhere (a scorecard value, a Rock's status) costs no read."""

from __future__ import annotations

from datetime import datetime

from ceodesk.core.domain.planner import WeekPlan, week_plan
from ceodesk.core.domain.reflections import ReflectionView, previous_reflection
from ceodesk.core.store.db import Database
from ceodesk.core.views.kept import ScreenMemo


def week_view(
    db: Database, week: str, now: datetime, memo: ScreenMemo | None = None
) -> tuple[WeekPlan, ReflectionView | None]:
    """``week``'s plan as of ``now`` and the reflection of the week before. With ``memo``
    a part whose tables have not changed is reused within the same minute (the screen
    redraws once a minute for the "now" line)."""
    if memo is None:
        return week_plan(db, week, now), previous_reflection(db, week)
    minute = now.replace(second=0, microsecond=0)
    plan = memo.read(db, "plan", (week, minute), lambda: week_plan(db, week, now))
    last = memo.read(db, "reflection", (week,), lambda: previous_reflection(db, week))
    return plan, last
