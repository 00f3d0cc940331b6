"""A whole weekly meeting on the demo company, from start to stored minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from demo_files import demo_copy

from ceodesk.core.demo import write_demo_database
from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.store.db import open_database
from ceodesk.core.views import meeting as flow
from ceodesk.core.views import proposals

MINUTE = timedelta(minutes=1)


@pytest.fixture
def demo(tmp_path, now):
    path = demo_copy(tmp_path / "demo.db", now)
    db = open_database(path)
    try:
        yield db
    finally:
        db.close()


def test_the_demo_has_eight_past_meetings_rated_seven_to_nine(demo):
    team = flow.default_team(demo)
    past = meetings.past_meetings(demo, team)
    assert len(past) == 8
    assert all(7 <= (p.average or 0) <= 9 for p in past)
    assert meetings.rating_trend(past) in {"up", "flat", "down"}
    assert len(issues.decisions(demo, team)) == 8


def test_starting_this_weeks_meeting_on_the_demo_shows_every_section(demo, now):
    team = flow.default_team(demo)
    meeting_id = flow.start_or_resume(demo, team, now)
    frame = flow.meeting_view(demo, meeting_id, now)
    assert frame.team == "Leadership" and len(frame.attendees) == 5
    assert frame.state.sections[0].title == "Segue"

    score = flow.scorecard_section(demo, team, now)
    assert score.rows and score.rows[0].off_goal
    assert "off goal" in score.rows[0].issue_title and " vs " in score.rows[0].issue_title

    review = flow.rock_review(demo, team, now)
    at_risk = [r for r in review.rows if r.at_risk]
    assert any("milestone" in reason for r in at_risk for reason in r.at_risk)
    assert review.rows[0].status == "off_track"

    assert len(flow.headlines_section(demo, meeting_id).headlines) == 3

    checked = flow.todo_review(demo, meeting_id, now)
    assert checked.total >= 10 and checked.rate is not None and not checked.meets_target
    assert any(line.stuck for line in checked.items)
    assert any(line.todo.overdue for line in checked.items)

    listed = flow.issues_section(demo, team, now)
    assert len(listed.top) == 3 and listed.short_term and listed.long_term
    assert 10 <= len(listed.issues) <= 14
    kinds = {p.kind for p in listed.proposals}
    assert {
        proposals.ROCK_AT_RISK,
        proposals.ROCK_OFF_TRACK,
        proposals.MEASURABLE_OFF_GOAL,
        proposals.TODO_STUCK,
        proposals.DECISION_REVIEW,
    } <= kinds


def test_accepting_or_dismissing_a_proposal_takes_it_off_for_the_week(demo, now):
    team = flow.default_team(demo)
    found = proposals.proposals(demo, team, now)
    first = found[0]
    [second] = [p for p in found if p.kind == proposals.DECISION_REVIEW]
    made = proposals.accept(demo, team, first, now)
    assert made.source_uid == first.source_uid and made.source_kind == first.source_kind
    proposals.dismiss(demo, team, second, now)
    left = {p.key for p in proposals.proposals(demo, team, now)}
    assert first.key not in left and second.key not in left
    next_week = {p.key for p in proposals.proposals(demo, team, now + timedelta(days=7))}
    assert second.key in next_week  # dismissed for that week only


def test_a_whole_meeting_ends_with_its_minutes_stored(demo, now):
    team = flow.default_team(demo)
    people = dict((name.split()[0], pid) for pid, name in flow.team_people(demo, team))
    meeting_id = flow.start_or_resume(
        demo, team, now, list(people.values()), people["Alex"], people["Dana"]
    )
    meetings.set_segue(demo, meeting_id, people["Alex"], "Ran my first half marathon")
    clock = now
    for _ in range(5):
        clock += 5 * MINUTE
        meetings.step_section(demo, meeting_id, 1, clock)
    line = flow.todo_review(demo, meeting_id, clock).items[0]
    todos.set_done(demo, line.todo.id, True, clock, clock.date())
    top = flow.issues_section(demo, team, clock).top[0]
    flow.solve_issue(
        demo,
        top.id,
        "Hire a second support engineer",
        [flow.NewTodo("Post the support job", people["Dana"])],
        clock,
        meeting_id=meeting_id,
    )
    clock += 62 * MINUTE
    meetings.step_section(demo, meeting_id, 1, clock)
    meetings.add_message(demo, meeting_id, "Support hire is coming", "all staff", now.date())
    for name, score in (("Alex", 9), ("Dana", 8), ("Jordan", 8), ("Priya", 9)):
        meetings.set_rating(demo, meeting_id, people[name], score)
    meetings.set_rating(demo, meeting_id, people["Sam"], 6, "Too long on one issue")
    conclude = flow.conclude_section(demo, meeting_id, clock)
    assert [t.title for t in conclude.new_todos] == ["Post the support job"]
    assert conclude.average == 8.0 and conclude.unrated == ()
    clock += 5 * MINUTE

    minutes = flow.end_meeting(demo, meeting_id, clock)
    assert minutes.length_minutes == 92 and minutes.average == 8.0
    assert flow.this_weeks_meeting(demo, team, clock) is None
    assert meetings.last_ended_meeting(demo) == meeting_id
    text = flow.minutes_markdown(demo)
    assert text.startswith("# Leadership weekly meeting, Mon 23 Nov 2026 (2026-W48)")
    for expected in (
        "Held 10:00–11:32: 92 minutes of 90 planned.",
        "- Alex Morgan (facilitator)",
        "- Dana Whitfield (scribe)",
        "| Issues (IDS) | 60 min | 1:02:00 (over) |",
        "## Scorecard",
        "| Measurable | Owner | Value | Goal | Status |",
        "## Rocks",
        "(shout-out)",
        "done (",
        "### Support is at capacity",
        "Decision: Hire a second support engineer",
        "- To-do: Post the support job (Dana Whitfield, due Mon 30 Nov 2026)",
        "- Support hire is coming, to all staff, by Mon 23 Nov 2026",
        "| Sam Okafor | 6 | Too long on one issue |",
        "Average: 8.0",
        "- Alex Morgan: Ran my first half marathon",
    ):
        assert expected in text, expected
    assert "- [x] " in text and "- [ ] " in text
    with pytest.raises(Exception) as refused:
        meetings.set_rating(demo, meeting_id, people["Sam"], 9)
    assert "ended" in str(refused.value)


def test_minutes_survive_a_round_trip_through_json(demo, now):
    team = flow.default_team(demo)
    past = meetings.past_meetings(demo, team)[0]
    minutes = meetings.stored_minutes(demo, past.id)
    assert meetings.Minutes.from_json(minutes.to_json()) == minutes
    assert minutes.issues_solved and minutes.ratings


def test_the_demo_is_the_same_from_the_same_now(tmp_path, now):
    from test_demo import stable_dump

    paths = [tmp_path / "a.db", tmp_path / "b.db"]
    for path in paths:
        write_demo_database(str(path), now, time_zone="UTC")
    first, second = (stable_dump(p) for p in paths)
    for table in ("meeting", "issue", "todo", "decision", "headline", "meetingrating"):
        assert first[table] == second[table] and first[table]
