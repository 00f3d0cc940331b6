"""Focus tasks: the few tasks picked for a day."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from ceodesk.core.domain.planner.common import _short_day, _task
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.models import (
    FocusTask,
)


def toggle_focus(db: Database, day: date, task_id: int) -> bool:
    """Pin a task as one of the day's focus tasks, or unpin it; returns whether it is pinned.

    A third pin is allowed: the day then shows a warning.
    """
    with db.action("Changed focus") as session:
        task = _task(session, task_id)
        pin = session.get(FocusTask, (day, task_id))
        if pin is not None:
            session.info[UNDO_LABEL] = f"Unpinned “{task.title}” from {_short_day(day)}"
            session.delete(pin)
            return False
        session.info[UNDO_LABEL] = f"Pinned “{task.title}” as focus for {_short_day(day)}"
        pins = session.exec(select(FocusTask).where(FocusTask.day == day)).all()
        position = max((p.position for p in pins), default=-1) + 1
        session.add(FocusTask(day=day, task_id=task_id, position=position))
        return True
