"""Finding a row the user named by its id: one lookup, one refusal sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlmodel import Session

from ceodesk.core.kernel.errors import NotFoundError
from ceodesk.core.store.models import Task

RowT = TypeVar("RowT")


def get_or_refuse(
    session: Session,
    model: type[RowT],
    key: Any,
    refusal: str,
    *,
    gone: Callable[[RowT], bool] | None = None,
) -> RowT:
    """The ``model`` row with primary key ``key``, or NotFoundError(``refusal``) (a key of
    None, nothing picked, is refused too).

    ``gone`` tells a row that is stored but no longer counts (archived, inactive): it is
    refused with the same sentence. ``get_or_refuse(session, Rock, 7, "That Rock no longer
    exists.")``.
    """
    row = None if key is None else session.get(model, key)
    if row is None or (gone is not None and gone(row)):
        raise NotFoundError(refusal)
    return row


def task_or_refuse(session: Session, task_id: int) -> Task:
    """A task that is not archived (the Tasks board and the planner both link to them)."""
    return get_or_refuse(
        session,
        Task,
        task_id,
        "That task no longer exists.",
        gone=lambda t: t.archived_at is not None,
    )
