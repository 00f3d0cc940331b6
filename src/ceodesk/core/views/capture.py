"""Quick add: text read with the kernel's grammar, ``@name`` resolved among the people,
``+rock:<slug>`` among this quarter's Rocks, then stored by the tasks domain with ids.

``ceodesk add``, the TUI's quick add and its live preview all come through here, so they
read the same text the same way.
"""

from __future__ import annotations

from datetime import datetime

from ceodesk.core.domain.people import find_person
from ceodesk.core.domain.rocks import find_rock
from ceodesk.core.domain.tasks import (
    Capture,
    Preview,
    TaskView,
    create_task,
    local_now,
    preview_capture,
    update_task,
)
from ceodesk.core.kernel.dates import quarter_key
from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.kernel.quickadd import parse_quick_add
from ceodesk.core.store.db import Database

__all__ = ["add_task", "edit_task", "preview_quick_add", "read_capture"]


def read_capture(db: Database, text: str, now: datetime) -> Capture:
    """Quick-add text parsed and its ``@owner`` and ``+rock:`` resolved; InputError says
    what is wrong (nothing is stored)."""
    local = local_now(db, now)
    parsed = parse_quick_add(text, local)
    with db.session() as session:
        owner = find_person(session, parsed.owner_ref) if parsed.owner_ref else None
        rock = None
        if parsed.rock_ref:
            try:
                rock = find_rock(session, parsed.rock_ref, quarter_key(local.date()))
            except NotFoundError as err:
                raise InputError(str(err)) from None  # quick-add text the user typed
        return Capture(
            parsed,
            owner_id=owner.id if owner else None,
            owner=owner.name if owner else None,
            rock_id=rock.id if rock else None,
            rock=rock.title if rock else None,
        )


def preview_quick_add(
    db: Database, text: str, now: datetime, *, new: bool = True, task_id: int | None = None
) -> Preview:
    """Read quick-add text without storing it; InputError says what is wrong.

    ``task_id`` names the task being edited: an unsorted one stays unsorted unless the
    text gives a flag.
    """
    return preview_capture(db, read_capture(db, text, now), new=new, task_id=task_id)


def add_task(db: Database, text: str, now: datetime) -> TaskView:
    """Store a task written in the quick-add grammar; nothing is stored if it is invalid."""
    return create_task(db, read_capture(db, text, now), now)


def edit_task(db: Database, task_id: int, text: str, now: datetime) -> TaskView:
    """Replace a task's fields with what the quick-add text says."""
    return update_task(db, task_id, read_capture(db, text, now), now)
