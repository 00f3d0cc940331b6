"""The team's lists outside the meeting: i on Rocks and measurables, the decisions log
and its review dates, past meetings, to-dos, the issues list and the agenda editor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from demo_files import demo_copy

from ceodesk.core.domain import issues, meetings
from ceodesk.core.domain.rocks import quarter_rocks
from ceodesk.core.domain.scorecard import scorecard
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.store.db import open_database
from ceodesk.core.views import meeting as flow
from ceodesk.core.views import proposals
from ceodesk.core.views import team_lists as lists


@pytest.fixture
def demo(tmp_path, now):
    path = demo_copy(tmp_path / "demo.db", now)
    db = open_database(path)
    try:
        yield db
    finally:
        db.close()


def _open_count(db) -> int:
    return len(issues.open_issues(db, flow.default_team(db)))


# ------------------------------------------------------------ i on a source


def test_i_on_a_flagged_rock_adds_one_issue_that_links_back(demo, now):
    flagged = next(r for r in quarter_rocks(demo, "2026-Q4", now).rocks if r.propose_as_issue)
    before = _open_count(demo)
    first = lists.raise_rock(demo, flagged.id, now)
    assert first.added and first.sentence.startswith("Added to the issues list: ")
    assert first.issue.title == f"{flagged.title}: off track {flagged.off_track_weeks} weeks"
    assert first.issue.source_kind == "rock" and first.issue.source_uid
    assert first.issue.owner_id == flagged.owner_id
    again = lists.raise_rock(demo, flagged.id, now)
    assert not again.added and again.issue.id == first.issue.id
    assert again.sentence == f"Already on the issues list: {first.issue.title}"
    assert _open_count(demo) == before + 1
    # The issue now on the list is not proposed again.
    found = proposals.proposals(demo, flow.default_team(demo), now)
    assert first.issue.source_uid not in {p.source_uid for p in found}


def test_i_on_a_rock_again_after_its_issue_was_solved_adds_a_new_one(demo, now):
    rock = quarter_rocks(demo, "2026-Q4", now).rocks[0]
    made = lists.raise_rock(demo, rock.id, now).issue
    issues.drop_issue(demo, made.id, now)
    assert lists.raise_rock(demo, rock.id, now).added


def test_i_on_an_off_goal_measurable_is_prefilled_with_its_numbers(demo, now):
    week = lists.last_week(demo, now)
    row = next(r for r in scorecard(demo, week).rows if r.propose_as_issue)
    raised = lists.raise_measurable(demo, row.id, week, now)
    assert raised.added and raised.issue.source_kind == "measurable"
    assert raised.issue.title.startswith(f"{row.name} off goal {row.off_goal_weeks} weeks: ")
    assert f" vs {row.goal_text}" in raised.issue.title
    assert not lists.raise_measurable(demo, row.id, week, now).added
    assert demo.undo() == "Added an issue"  # one i, one undo step


# ------------------------------------------------------------------ decisions


def test_the_decisions_log_filters_on_decision_issue_or_todo(demo, now):
    team = flow.default_team(demo)
    every = lists.decisions_log(demo, team, now)
    assert len(every) == 8
    with_todo = next(e for e in every if e.todos)
    word = with_todo.todos[0].title.split()[-1]
    found = lists.decisions_log(demo, team, now, word)
    assert with_todo in found and len(found) < len(every)
    assert lists.decisions_log(demo, team, now, "no such words here") == ()


def test_a_review_date_set_from_the_log_brings_the_decision_back_that_day(demo, now):
    team = flow.default_team(demo)
    entry = next(e for e in lists.decisions_log(demo, team, now) if e.decision.review_on is None)
    uid = entry.decision.uid

    def proposed(when) -> bool:
        return uid in {
            p.source_uid
            for p in proposals.proposals(demo, team, when)
            if p.kind == proposals.DECISION_REVIEW
        }

    assert lists.set_review_date(demo, entry.decision.id, "in 2 weeks", now) == date(2026, 12, 7)
    assert lists.decision(demo, entry.decision.id).review_on == date(2026, 12, 7)
    assert not proposed(now + timedelta(days=13))
    assert proposed(now + timedelta(days=14))
    assert demo.undo() == "Set a decision's review date"
    assert lists.decision(demo, entry.decision.id).review_on is None


@pytest.mark.parametrize("text", ["today", "2026-11-01", "feb 30", "someday"])
def test_a_review_date_today_past_or_unreadable_is_refused(demo, now, text):
    entry = lists.decisions_log(demo, None, now)[0]
    with pytest.raises(InputError):
        lists.set_review_date(demo, entry.decision.id, text, now)
    assert lists.decision(demo, entry.decision.id).review_on == entry.decision.review_on


def test_an_empty_review_date_clears_it(demo, now):
    entry = next(e for e in lists.decisions_log(demo, None, now) if e.decision.review_on)
    assert lists.set_review_date(demo, entry.decision.id, "  ", now) is None
    assert lists.decision(demo, entry.decision.id).review_on is None


# --------------------------------------------------------------- the rest


def test_past_meetings_list_eight_with_an_oldest_first_trend(demo, now):
    past = lists.past_meetings(demo, flow.default_team(demo))
    assert past.team == "Leadership" and len(past.meetings) == 8
    assert past.meetings[0].day > past.meetings[-1].day
    assert past.averages[-1] == past.meetings[0].average
    assert past.trend in {"up", "down", "flat"}


def test_todos_mine_and_overdue(demo, now):
    team = flow.default_team(demo)
    every = lists.team_todos(demo, team, now)
    me = lists.my_id(demo)
    mine = lists.team_todos(demo, team, now, mine=True)
    assert mine and all(t.owner_id == me for t in mine) and len(mine) < len(every)
    overdue = lists.team_todos(demo, team, now, overdue=True)
    assert overdue and all(t.overdue for t in overdue)
    done = lists.toggle_todo(demo, mine[0].id, now)
    assert done.done and done.id not in {t.id for t in lists.my_open_todos(demo, now)}
    assert not lists.toggle_todo(demo, mine[0].id, now).done


def test_editing_an_issue_and_moving_it_to_the_long_term_list(demo, now):
    team = flow.default_team(demo)
    target = next(i for i in issues.open_issues(demo, team) if not i.long_term)
    lists.edit_issue(demo, target.id, "  Churn is up  ", "dana")
    edited = issues.issue(demo, target.id)
    assert edited.title == "Churn is up" and edited.owner == "Dana Whitfield"
    lists.edit_issue(demo, target.id, "Churn is up", "")
    assert issues.issue(demo, target.id).owner is None
    with pytest.raises(InputError):
        lists.edit_issue(demo, target.id, "Churn is up", "nobody")
    assert lists.toggle_term(demo, target.id) == "long"
    assert issues.issue(demo, target.id).long_term and issues.issue(demo, target.id).rank is None
    assert lists.toggle_term(demo, target.id) == "short"


def test_the_agenda_editor_edits_adds_moves_removes_and_resets(demo):
    team = flow.default_team(demo)
    edited = lists.edit_section(demo, team, 0, "Good news", "10")
    assert edited[0].title == "Good news" and edited[0].minutes == 10
    assert lists.agenda_total(edited) == 95
    added = lists.add_section(demo, team, 1, "Hiring pipeline", "5m")
    assert added[1].kind == "custom" and added[1].title == "Hiring pipeline"
    assert lists.move_section(demo, team, 1, -1) == 0
    assert meetings.agenda(demo, team)[0].title == "Hiring pipeline"
    assert lists.move_section(demo, team, 0, -1) == 0  # at the top it stays
    after_remove = lists.remove_section(demo, team, 0)
    assert after_remove[0].title == "Good news"
    assert demo.undo() == "Edited the meeting agenda"
    assert meetings.agenda(demo, team)[0].title == "Hiring pipeline"
    assert lists.reset_agenda(demo, team) == meetings.default_agenda()


@pytest.mark.parametrize(
    ("title", "minutes", "says"),
    [
        ("Segue", "0", "1 to 240 minutes"),
        ("Segue", "abc", "not a number of minutes"),
        ("Segue", "", "not a number of minutes"),
        ("  ", "5", "needs a name"),
        ("Segue", "999", "1 to 240 minutes"),
    ],
)
def test_bad_agenda_input_is_one_sentence_and_stores_nothing(demo, title, minutes, says):
    team = flow.default_team(demo)
    before = meetings.agenda(demo, team)
    with pytest.raises(InputError, match=says):
        lists.edit_section(demo, team, 0, title, minutes)
    with pytest.raises(InputError):
        lists.add_section(demo, team, 0, title, minutes)
    assert meetings.agenda(demo, team) == before


def test_the_last_section_cannot_be_removed(db):
    team = flow.default_team(db)
    for _ in range(6):
        lists.remove_section(db, team, 0)
    with pytest.raises(InputError, match="at least one section"):
        lists.remove_section(db, team, 0)


def test_team_after_wraps_round(demo):
    every = lists.teams(demo)
    assert every[0].is_leadership and len(every) > 1
    assert lists.team_after(demo, every[-1].id).id == every[0].id
    assert lists.team_after(demo, every[0].id, -1).id == every[-1].id
