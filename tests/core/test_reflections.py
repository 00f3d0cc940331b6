"""The weekly reflection: stored with its week, one undo step, read again the week after."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ceodesk.core.domain.reflections import previous_reflection, reflection, save_reflection
from ceodesk.core.kernel.errors import InputError

NOW = datetime(2026, 11, 27, 16, tzinfo=UTC)


def test_a_reflection_is_stored_with_its_week_and_shown_the_week_after(db):
    save_reflection(
        db,
        "2026-w48",
        wins="Closed Acme",
        lessons="Too many meetings",
        focus="Hire the VP",
        adjustment_kind="change a meeting",
        adjustment="Cut the Thursday sync",
        now=NOW,
    )
    stored = reflection(db, "2026-W48")
    assert stored is not None
    assert (stored.wins, stored.focus, stored.adjustment_kind) == (
        "Closed Acme",
        "Hire the VP",
        "meeting",
    )
    assert stored.adjustment_text == "change a meeting: Cut the Thursday sync"
    assert previous_reflection(db, "2026-W49") == stored
    assert previous_reflection(db, "2026-W48") is None


def test_saving_again_replaces_it_in_one_undo_step_and_empty_removes_it(db):
    save_reflection(db, "2026-W48", wins="First", now=NOW)
    save_reflection(db, "2026-W48", wins="Second", now=NOW)
    assert reflection(db, "2026-W48").wins == "Second"
    db.undo()
    assert reflection(db, "2026-W48").wins == "First"
    assert save_reflection(db, "2026-W48", now=NOW) is None
    assert reflection(db, "2026-W48") is None


def test_a_reflection_across_the_year_end_w53(db):
    save_reflection(db, "2026-W53", focus="Plan Q1", wins="Closed Acme\nHired Nina", now=NOW)
    assert reflection(db, "2026-W53").wins == "Closed Acme\nHired Nina"  # lines kept
    assert previous_reflection(db, "2027-W01").focus == "Plan Q1"


def test_a_wrong_adjustment_or_week_is_one_sentence(db, one_sentence):
    for call in (
        lambda: save_reflection(db, "2026-W48", adjustment_kind="pray", now=NOW),
        lambda: save_reflection(db, "2026-W60", wins="x", now=NOW),
        lambda: save_reflection(db, "2026-W48", wins="x" * 3000, now=NOW),
    ):
        with pytest.raises(InputError) as err:
            call()
        assert one_sentence(str(err.value))
    assert reflection(db, "2026-W48") is None
