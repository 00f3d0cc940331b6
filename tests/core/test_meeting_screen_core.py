"""What the meeting screen asks of the core besides the flow: a timer read without a
query, the to-do lines of a solution, who an @name is, and this week's minutes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ceodesk.core.domain import meetings
from ceodesk.core.domain.people import add_person
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.views import meeting as flow

SECOND = timedelta(seconds=1)


def test_a_running_timer_read_later_has_used_the_seconds_between(db, now):
    meeting_id = flow.start_or_resume(db, flow.default_team(db), now)
    state = meetings.meeting_state(db, meeting_id, now + 10 * SECOND)
    later = meetings.state_at(state, now + 10 * SECOND, now + 70 * SECOND)
    assert later.section.used_seconds == 70
    assert later == meetings.meeting_state(db, meeting_id, now + 70 * SECOND)
    # A clock gone back adds nothing; a paused meeting stands still.
    assert meetings.state_at(state, now + 10 * SECOND, now) == state
    meetings.toggle_timer(db, meeting_id, now + 20 * SECOND)
    paused = meetings.meeting_state(db, meeting_id, now + 20 * SECOND)
    assert meetings.state_at(paused, now + 20 * SECOND, now + 900 * SECOND) == paused


def test_to_do_lines_read_owner_and_due_date_and_default_to_a_week(db, now):
    add_person(db, "Sam Okafor")
    me = flow.team_people(db, flow.default_team(db))[0][0]
    sam = flow.person_id(db, "sam")
    made = flow.parse_todo_lines(db, "Call the bank @sam fri\n\n  Draft the memo  ", now, me)
    assert [(t.title, t.owner_id) for t in made] == [("Call the bank", sam), ("Draft the memo", me)]
    assert made[0].due == date(2026, 11, 27) and made[1].due is None


def test_to_do_lines_refuse_what_a_to_do_cannot_hold(db, now, one_sentence):
    with pytest.raises(InputError, match="needs an owner") as no_owner:
        flow.parse_todo_lines(db, "Call the bank", now)
    with pytest.raises(InputError, match="To-do 2: No active team member") as nobody:
        flow.parse_todo_lines(db, "Call the bank\nWrite @nobody", now, 1)
    with pytest.raises(InputError, match="nothing more") as flags:
        flow.parse_todo_lines(db, "Call the bank !i 2h", now, 1)
    for refused in (no_owner, nobody, flags):
        assert one_sentence(str(refused.value))


def test_this_weeks_minutes_once_the_meeting_ended(db, now):
    team = flow.default_team(db)
    assert flow.minutes_this_week(db, team, now) is None
    meeting_id = flow.start_or_resume(db, team, now)
    assert flow.minutes_this_week(db, team, now) is None
    flow.end_meeting(db, meeting_id, now + 600 * SECOND)
    minutes = flow.minutes_this_week(db, team, now + 700 * SECOND)
    assert minutes is not None and minutes.meeting_id == meeting_id
    assert flow.minutes_this_week(db, team, now + timedelta(days=7)) is None
