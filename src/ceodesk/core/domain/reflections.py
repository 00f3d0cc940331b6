"""The weekly reflection written at the Friday review and read again on Monday.

Rules:

- One reflection per ISO week: wins, lessons, next week's focus, and the adjustment to
  make (re-prioritise, delegate differently, change a meeting, change time blocks, or
  none) with a line saying what exactly.
- Saving is one action (one undo step); saving it empty removes it.
- The planner shows the reflection of the week before the one it shows: what you set
  out to focus on, on the Monday you start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ceodesk.core.kernel.dates import normal_week_key, shift_week
from ceodesk.core.kernel.errors import InputError

# The ORM is imported by the functions that read or write: the week screen's first frame
# shows a ReflectionView read without it (issue 13).
if TYPE_CHECKING:
    from ceodesk.core.store.db import Database
    from ceodesk.core.store.models import WeekReflection
    from ceodesk.core.store.rows import ReflectionRow

# (stored kind, how it reads)
ADJUSTMENTS = (
    ("", "none"),
    ("re_prioritise", "re-prioritise"),
    ("delegate", "delegate differently"),
    ("meeting", "change a meeting"),
    ("time_blocks", "change time blocks"),
)
LONGEST_TEXT = 2000


@dataclass(frozen=True)
class ReflectionView:
    week: str
    wins: str
    lessons: str
    focus: str
    adjustment_kind: str
    adjustment: str

    @property
    def adjustment_label(self) -> str:
        return adjustment_label(self.adjustment_kind)

    @property
    def adjustment_text(self) -> str:
        """ "change time blocks: move deep work to mornings", or "" for none."""
        if not self.adjustment_kind:
            return self.adjustment
        return (
            f"{self.adjustment_label}: {self.adjustment}"
            if self.adjustment
            else (self.adjustment_label)
        )


def adjustment_label(kind: str) -> str:
    return dict(ADJUSTMENTS).get(kind, kind)


def _clean(text: str, what: str) -> str:
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    cleaned = "\n".join(lines).strip()
    if len(cleaned) > LONGEST_TEXT:
        raise InputError(f"{what} can be at most {LONGEST_TEXT} characters long.")
    return cleaned


def _kind(kind: str) -> str:
    word = kind.strip().lower().replace("-", "_").replace(" ", "_")
    for stored, label in ADJUSTMENTS:
        if word in (stored, label.replace("-", "_").replace(" ", "_")):
            return stored
    choices = ", ".join(label for _, label in ADJUSTMENTS)
    raise InputError(f"“{kind[:30]}” is not an adjustment; choose {choices}.")


def _view(row: WeekReflection | ReflectionRow) -> ReflectionView:
    return ReflectionView(
        row.week, row.wins, row.lessons, row.focus, row.adjustment_kind, row.adjustment
    )


def reflected(row: WeekReflection | ReflectionRow | None) -> ReflectionView | None:
    """The reflection a stored row holds, None when nothing was reflected (perhaps only
    a saved CEO update)."""
    if row is None or not any(
        (row.wins, row.lessons, row.focus, row.adjustment_kind, row.adjustment)
    ):
        return None
    return _view(row)


def reflection(db: Database, week: str) -> ReflectionView | None:
    """The reflection written for ISO week ``week``, if any."""
    from sqlmodel import select

    from ceodesk.core.store.models import WeekReflection

    key = normal_week_key(week)
    with db.session() as session:
        return reflected(
            session.exec(select(WeekReflection).where(WeekReflection.week == key)).first()
        )


def previous_reflection(db: Database, week: str) -> ReflectionView | None:
    """The reflection of the week before ``week``: what the planner shows on Monday."""
    return reflection(db, shift_week(normal_week_key(week), -1))


def saved_update(db: Database, week: str) -> str | None:
    """The weekly CEO update as saved for ``week``, or None when none was saved."""
    from sqlmodel import select

    from ceodesk.core.store.models import WeekReflection

    key = normal_week_key(week)
    with db.session() as session:
        row = session.exec(select(WeekReflection).where(WeekReflection.week == key)).first()
        return row.ceo_update if row is not None and row.ceo_update.strip() else None


def save_update(db: Database, week: str, text: str, now: datetime) -> None:
    """Keep the week's CEO update as edited (one action); empty text removes it."""
    from sqlmodel import select

    from ceodesk.core.store.models import WeekReflection

    key = normal_week_key(week)
    body = text.strip()
    if len(body) > 20 * LONGEST_TEXT:
        raise InputError(f"The update can be at most {20 * LONGEST_TEXT} characters long.")
    with db.action(f"Saved the CEO update for {key}") as session:
        row = session.exec(select(WeekReflection).where(WeekReflection.week == key)).first()
        if row is None:
            if not body:
                return
            row = WeekReflection(week=key)
            session.add(row)
        row.ceo_update = body + "\n" if body else ""
        row.updated_at = now.astimezone(UTC)


def save_reflection(
    db: Database,
    week: str,
    *,
    wins: str = "",
    lessons: str = "",
    focus: str = "",
    adjustment_kind: str = "",
    adjustment: str = "",
    now: datetime,
) -> ReflectionView | None:
    """Store the week's reflection in one action; all empty removes it (returns None)."""
    from sqlmodel import select

    from ceodesk.core.store.db import UNDO_LABEL
    from ceodesk.core.store.models import WeekReflection

    key = normal_week_key(week)
    fields = {
        "wins": _clean(wins, "Wins"),
        "lessons": _clean(lessons, "Lessons"),
        "focus": _clean(focus, "Next week's focus"),
        "adjustment_kind": _kind(adjustment_kind),
        "adjustment": _clean(adjustment, "The adjustment"),
    }
    with db.action(f"Wrote the reflection on {key}") as session:
        row = session.exec(select(WeekReflection).where(WeekReflection.week == key)).first()
        if not any(fields.values()):
            if row is not None and row.ceo_update:
                for name, value in fields.items():
                    setattr(row, name, value)
                return None
            if row is not None:
                session.delete(row)
                session.info[UNDO_LABEL] = f"Removed the reflection on {key}"
            return None
        if row is None:
            row = WeekReflection(week=key)
            session.add(row)
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = now.astimezone(UTC)
        session.flush()
        return _view(row)
