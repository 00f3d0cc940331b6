"""One lookup for a row the user named by id (issue 10: the 13 get-or-not-found copies):
the row, or the one sentence the user has always seen."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from ceodesk.core.domain.goals import add_goal, archive_goal
from ceodesk.core.domain.people import add_person, rename_person, set_active
from ceodesk.core.domain.planner import delete_block
from ceodesk.core.domain.rocks import delete_milestone, set_week_status
from ceodesk.core.domain.scorecard import record_value
from ceodesk.core.domain.tasks import delegate_task, toggle_done
from ceodesk.core.domain.todos import todo
from ceodesk.core.kernel.errors import NotFoundError
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import Goal, Person
from ceodesk.core.views.capture import add_task

MISSING = 9999


def test_a_stored_row_is_returned(db) -> None:
    dana = add_person(db, "Dana Whitfield", "COO")
    with Session(db.engine) as session:
        row = get_or_refuse(session, Person, dana.id, "That team member no longer exists.")
        assert row.name == "Dana Whitfield"


@pytest.mark.parametrize("key", [MISSING, None])
def test_a_missing_row_or_no_key_is_refused_with_the_sentence(db, key) -> None:
    with (
        Session(db.engine) as session,
        pytest.raises(NotFoundError) as refused,
    ):
        get_or_refuse(session, Person, key, "That team member no longer exists.")
    assert str(refused.value) == "That team member no longer exists."


def test_a_row_that_no_longer_counts_is_refused_like_a_missing_one(db) -> None:
    goal = add_goal(db, "Raise NPS to 50")
    archive_goal(db, goal.id)
    with Session(db.engine) as session:
        assert get_or_refuse(session, Goal, goal.id, "gone").archived
        with pytest.raises(NotFoundError, match=r"^That goal no longer exists\.$"):
            get_or_refuse(
                session, Goal, goal.id, "That goal no longer exists.", gone=lambda g: g.archived
            )


@pytest.mark.parametrize(
    ("attempt", "sentence"),
    [
        (lambda db, now: rename_person(db, MISSING, "Sam"), "That team member no longer exists."),
        (lambda db, now: toggle_done(db, MISSING, now), "That task no longer exists."),
        (lambda db, now: delete_block(db, MISSING), "That block no longer exists."),
        (
            lambda db, now: set_week_status(db, MISSING, "2026-W48", "on_track"),
            "That Rock no longer exists.",
        ),
        (lambda db, now: delete_milestone(db, MISSING), "That milestone no longer exists."),
        (lambda db, now: todo(db, MISSING, now.date()), f"There is no to-do #{MISSING}."),
        (
            lambda db, now: record_value(db, MISSING, "2026-W48", "3"),
            "That measurable no longer exists.",
        ),
    ],
)
def test_the_domains_refuse_a_missing_row_in_their_words(db, now, attempt, sentence) -> None:
    with pytest.raises(NotFoundError) as refused:
        attempt(db, now)
    assert str(refused.value) == sentence


def test_a_task_cannot_go_to_someone_no_longer_active(db, now) -> None:
    task = add_task(db, "Call the auditor", now)
    dana = add_person(db, "Dana Whitfield", "COO")
    set_active(db, dana.id, False)
    with pytest.raises(NotFoundError, match=r"^That team member is not active\.$"):
        delegate_task(db, task.id, dana.id, date(2026, 11, 30))
