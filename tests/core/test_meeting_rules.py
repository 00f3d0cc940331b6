"""The weekly meeting's core rules: timers, top 3, to-dos, ratings, at-risk Rocks,
proposals and dismissal, decisions coming back, minutes as Markdown."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.domain.meetings import SectionClock, TimerState
from ceodesk.core.domain.people import add_person
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.views import meeting as flow
from ceodesk.core.views.proposals import at_risk_reasons

SECOND = timedelta(seconds=1)


# ----------------------------------------------------------------- timers


def test_a_running_timer_counts_and_a_paused_one_stands_still(now):
    timer = TimerState().started(now)
    assert timer.used(now + 90 * SECOND) == 90
    paused = timer.paused(now + 90 * SECOND)
    assert paused.used(now + 1000 * SECOND) == 90
    again = paused.started(now + 200 * SECOND)
    assert again.used(now + 230 * SECOND) == 120


def test_a_clock_that_goes_back_adds_nothing(now):
    assert TimerState(30, now).used(now - 60 * SECOND) == 30


@given(st.lists(st.integers(min_value=0, max_value=3600), min_size=1, max_size=20))
def test_toggling_counts_exactly_the_running_stretches(gaps):
    start = date(2026, 12, 1)
    from datetime import UTC, datetime

    instant = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    timer, expected = TimerState(), 0
    for index, gap in enumerate(gaps):
        if timer.running:
            expected += gap
        instant += gap * SECOND
        timer = timer.toggled(instant)
        assert timer.running == (index % 2 == 0)
    assert timer.used(instant) == expected


def test_after_a_restart_time_away_counts_only_if_the_user_says_so(now):
    running = TimerState(60, now)  # started at now with a minute already used
    seen = now + 120 * SECOND  # the app last showed it two minutes in
    back = now + 3600 * SECOND  # reopened an hour later
    kept = running.resumed(back, seen, count_away=False)
    assert kept.used(back) == 180 and kept.running
    counted = running.resumed(back, seen, count_away=True)
    assert counted.used(back) == 60 + 3600
    paused = TimerState(200)
    assert paused.resumed(back, seen, count_away=False) == paused


def test_a_section_turns_amber_in_its_last_minute_and_red_when_over():
    def clock(used: int) -> SectionClock:
        return SectionClock(0, "segue", "Segue", 5, used, True)

    assert clock(100).phase == "on_time" and clock(100).timer_text == "3:20"
    assert clock(250).phase == "last_minute"
    assert clock(300).phase == "last_minute" and clock(300).timer_text == "0:00"
    over = clock(365)
    assert over.phase == "over" and over.timer_text == "+1:05"
    assert over.status_text == "1:05 over"


def test_the_meeting_total_runs_against_its_ninety_minutes(db, now):
    team = flow.default_team(db)
    meeting_id = flow.start_or_resume(db, team, now)
    meetings.go_to_section(db, meeting_id, 5, now + 300 * SECOND)  # Segue took 5:00
    later = now + (300 + 66 * 60) * SECOND  # Issues ran 66 minutes
    state = meetings.meeting_state(db, meeting_id, later)
    assert state.planned_seconds == 90 * 60
    assert state.section.title == "Issues (IDS)" and state.section.phase == "over"
    assert state.used_seconds == 71 * 60
    assert state.total_text == "1:11:00 of 90m"
    assert meetings.meeting_state(db, meeting_id, later + 20 * 60 * SECOND).over_seconds == 60


def test_moving_between_sections_keeps_the_timer_running_or_paused(db, now):
    meeting_id = flow.start_or_resume(db, flow.default_team(db), now)
    assert meetings.step_section(db, meeting_id, 1, now + 60 * SECOND) == 1
    assert not meetings.toggle_timer(db, meeting_id, now + 90 * SECOND)  # paused
    meetings.step_section(db, meeting_id, 1, now + 200 * SECOND)
    state = meetings.meeting_state(db, meeting_id, now + 900 * SECOND)
    assert [s.used_seconds for s in state.sections[:3]] == [60, 30, 0]
    assert not state.running and state.current == 2
    assert meetings.step_section(db, meeting_id, -9, now) == 0


def test_a_meeting_needs_someone_present_and_its_roles_among_them(db, now):
    team = flow.default_team(db)
    with pytest.raises(InputError, match="at least one person who is present"):
        meetings.start_meeting(db, team, "2026-W49", now.date(), now, [])
    with pytest.raises(InputError, match="facilitator must be one of the people present"):
        meetings.start_meeting(db, team, "2026-W49", now.date(), now, [1], facilitator_id=2)
    meeting_id = flow.start_or_resume(db, team, now)
    with pytest.raises(InputError, match="at least one person who is present"):
        meetings.set_people(db, meeting_id, [], None, None)
    with pytest.raises(InputError, match="scribe must be one of the people present"):
        meetings.set_people(db, meeting_id, [1, 1], None, 2)


def test_a_meeting_resumes_after_a_restart_where_it_was(db_path, now):
    from ceodesk.core.domain.settings import seed_defaults
    from ceodesk.core.store.db import open_database

    db = open_database(db_path, seed=seed_defaults)
    meeting_id = flow.start_or_resume(db, flow.default_team(db), now)
    meetings.go_to_section(db, meeting_id, 2, now + 120 * SECOND)
    meetings.checkpoint(db, meeting_id, now + 180 * SECOND)
    db.close()  # the app closes (or crashes) with the Rock review running

    db = open_database(db_path)
    back = now + 3600 * SECOND
    assert flow.this_weeks_meeting(db, flow.default_team(db), back) == meeting_id
    view = flow.meeting_view(db, meeting_id, back)
    assert view.away_seconds == 3600 - 180 and view.state.current == 2
    meetings.resume(db, meeting_id, back, count_away=False)
    state = meetings.meeting_state(db, meeting_id, back + 30 * SECOND)
    assert state.running and state.sections[2].used_seconds == 60 + 30
    assert meetings.away_seconds(state, back + 30 * SECOND) == 30
    db.close()


def test_a_second_meeting_of_the_week_resumes_the_first(db, now):
    team = flow.default_team(db)
    first = flow.start_or_resume(db, team, now)
    assert flow.start_or_resume(db, team, now + 60 * SECOND) == first
    with pytest.raises(InputError):
        meetings.start_meeting(db, team, "2026-W48", now.date(), now, [1])


def test_the_agenda_is_editable_per_team(db, now, one_sentence):
    team = flow.default_team(db)
    items = [meetings.AgendaItem("segue", "Good news", 3), *meetings.default_agenda()[1:]]
    meetings.set_agenda(db, team, items)
    assert meetings.agenda(db, team)[0] == meetings.AgendaItem("segue", "Good news", 3)
    for bad in ([], [meetings.AgendaItem("segue", "Segue", 0)], items + items[:1]):
        with pytest.raises(InputError) as refused:
            meetings.set_agenda(db, team, bad)
        assert one_sentence(str(refused.value))


# ----------------------------------------------------------------- ratings


def test_rating_average_and_below_eight_needs_why(one_sentence):
    assert meetings.rating_average([8, 9, 7]) == 8.0
    assert meetings.rating_average([]) is None
    assert meetings.check_rating("9") == (9, "")
    assert meetings.check_rating(7, "  ran  long ") == (7, "ran long")
    for score, why in (("7", ""), ("0", ""), ("11", ""), ("8.5", ""), ("abc", "")):
        with pytest.raises(InputError) as refused:
            meetings.check_rating(score, why)
        assert one_sentence(str(refused.value))


# ----------------------------------------------------------------- top 3


def test_top_three_mark_next_unmark_and_reorder(one_sentence):
    top = issues.toggle_top((), 5)
    top = issues.toggle_top(top, 7)
    top = issues.toggle_top(top, 9)
    assert top == (5, 7, 9)
    with pytest.raises(InputError) as refused:
        issues.toggle_top(top, 11)
    assert one_sentence(str(refused.value))
    assert issues.toggle_top(top, 7) == (5, 9)
    assert issues.reorder_top(top, 9, -1) == (5, 9, 7)
    assert issues.reorder_top(top, 5, -1) == (5, 7, 9)


@given(st.lists(st.tuples(st.sampled_from(["r", "up", "down"]), st.integers(1, 6)), max_size=40))
def test_the_top_three_stay_three_distinct_issues(moves):
    top: tuple[int, ...] = ()
    for move, issue_id in moves:
        try:
            if move == "r":
                top = issues.toggle_top(top, issue_id)
            else:
                top = issues.reorder_top(top, issue_id, -1 if move == "up" else 1)
        except InputError:
            pass
        assert len(top) <= 3 and len(set(top)) == len(top)


def test_issues_list_orders_top_three_then_short_then_long(db, now):
    team = flow.default_team(db)
    long = issues.add_issue(db, team, "Open an office in Lisbon", now, term="long")
    old = issues.add_issue(db, team, "Support is at capacity", now)
    new = issues.add_issue(db, team, "Pricing confuses buyers", now + SECOND)
    assert issues.mark_top(db, new.id) == 1
    assert issues.mark_top(db, long.id) == 2
    assert [i.title for i in issues.open_issues(db, team)] == [
        "Pricing confuses buyers",
        "Open an office in Lisbon",
        "Support is at capacity",
    ]
    assert issues.move_top(db, long.id, -1) == 1
    issues.drop_issue(db, long.id, now)
    listed = issues.open_issues(db, team)
    assert [(i.title, i.rank) for i in listed] == [
        ("Pricing confuses buyers", 1),
        ("Support is at capacity", None),
    ]
    assert issues.mark_top(db, new.id) is None
    assert old.term == "short"


def test_issue_grammar_reads_owner_and_term(one_sentence):
    parsed = issues.parse_issue("Support is at capacity @dana #long")
    assert parsed == issues.IssueText("Support is at capacity", "dana", "long")
    for bad in ("", "@dana #long", "Churn @dana @sam", "Churn #urgent"):
        with pytest.raises(InputError) as refused:
            issues.parse_issue(bad)
        assert one_sentence(str(refused.value))


# ------------------------------------------------------- solve and decisions


def test_solving_makes_a_decision_and_to_dos_due_in_seven_days(db, now):
    team = flow.default_team(db)
    dana = add_person(db, "Dana Whitfield", "COO")
    raised = issues.add_issue(db, team, "Support is at capacity", now)
    solved = flow.solve_issue(
        db,
        raised.id,
        "Hire a second support engineer",
        [
            flow.NewTodo("Post the job", dana.id),
            flow.NewTodo("Ask for budget", 1, date(2026, 11, 25)),
        ],
        now,
    )
    assert solved.issue.status == "solved"
    assert solved.decision.text == "Hire a second support engineer"
    assert solved.decision.issue == "Support is at capacity"
    assert [(t.title, t.owner, t.due) for t in solved.todos] == [
        ("Post the job", "Dana Whitfield", date(2026, 11, 30)),
        ("Ask for budget", solved.todos[1].owner, date(2026, 11, 25)),
    ]
    assert issues.open_issues(db, team) == ()
    [entry] = flow.decisions_log(db, team, now, search="support")
    assert len(entry.todos) == 2


def test_a_refused_solution_leaves_the_issue_open(db, now, one_sentence):
    team = flow.default_team(db)
    raised = issues.add_issue(db, team, "Churn is up", now)
    for decision, made in (
        ("", [flow.NewTodo("x", 1)]),
        ("Fix it", []),
        ("Fix", [flow.NewTodo(" ", 1)]),
    ):
        with pytest.raises(InputError) as refused:
            flow.solve_issue(db, raised.id, decision, made, now)
        assert one_sentence(str(refused.value))
    assert [i.id for i in issues.open_issues(db, team)] == [raised.id]
    assert issues.decisions(db, team) == ()


def test_a_decision_comes_back_on_its_review_date(db, now):
    team = flow.default_team(db)
    raised = issues.add_issue(db, team, "Mondays swamp support", now)
    flow.solve_issue(
        db,
        raised.id,
        "Monday rota",
        [flow.NewTodo("Publish it", 1)],
        now,
        review_on=date(2026, 12, 7),
    )
    assert issues.decisions_due_for_review(db, team, date(2026, 12, 6)) == ()
    [due] = issues.decisions_due_for_review(db, team, date(2026, 12, 7))
    assert due.text == "Monday rota"
    assert issues.is_due_for_review(date(2026, 12, 7), date(2026, 12, 9))
    assert not issues.is_due_for_review(None, date(2026, 12, 9))


# ------------------------------------------------------------------ to-dos


def test_completion_rate_against_the_ninety_percent_target():
    assert todos.completion_rate([]) is None and todos.meets_target(None) is None
    assert todos.completion_rate([True] * 9 + [False]) == 0.9
    assert todos.meets_target(0.9) and not todos.meets_target(8 / 9)
    assert todos.rate_text(0.75) == "75% (target 90%)"
    assert todos.default_due(date(2026, 12, 1)) == date(2026, 12, 8)


def test_a_to_do_not_done_two_meetings_running_is_stuck(now):
    held = [
        (date(2026, 11, 17), now - timedelta(days=6)),
        (date(2026, 11, 10), now - timedelta(days=13)),
    ]
    assert todos.meetings_missed(date(2026, 11, 10), None, held) == 2
    assert todos.is_stuck(date(2026, 11, 10), None, held)
    assert todos.meetings_missed(date(2026, 11, 17), None, held) == 1
    assert todos.meetings_missed(date(2026, 11, 20), None, held) == 0
    assert todos.meetings_missed(date(2026, 11, 1), now, held) == 0  # done by now


@given(
    st.integers(0, 30),
    st.lists(st.integers(0, 60), max_size=8, unique=True),
)
def test_missed_meetings_never_exceed_the_meetings_after_the_due_date(due_in, meeting_days):
    from datetime import UTC, datetime

    start = date(2026, 10, 1)
    held = [
        (start + timedelta(days=d), datetime(2026, 10, 1, tzinfo=UTC) + timedelta(days=d))
        for d in meeting_days
    ]
    due = start + timedelta(days=due_in)
    missed = todos.meetings_missed(due, None, held)
    assert missed <= sum(1 for day, _ in held if day >= due)


# ----------------------------------------------------------------- at risk


def test_the_at_risk_rules():
    today = date(2026, 12, 1)
    start = date(2026, 10, 1)
    calm = dict(today=today, quarter_start=start, open_milestone_dues=[date(2026, 12, 20)])
    assert at_risk_reasons(**calm, statuses=["on_track", None], block_minutes=120) == ()
    assert at_risk_reasons(
        today=today,
        quarter_start=start,
        open_milestone_dues=[date(2026, 11, 26), None],
        statuses=["on_track", "on_track"],
        block_minutes=None,
    ) == ("a milestone is 5 days overdue",)
    assert at_risk_reasons(**calm, statuses=["on_track", None, None], block_minutes=None) == (
        "no status update for two weeks",
    )
    assert at_risk_reasons(**calm, statuses=["on_track"] * 3, block_minutes=0) == (
        "no time-block hours in the last three weeks",
    )
    # A quarter three days old is not at risk for lack of updates or hours yet.
    young = dict(today=today, quarter_start=today - timedelta(days=3), open_milestone_dues=[])
    assert at_risk_reasons(**young, statuses=[None, None], block_minutes=0) == ()


# ------------------------------------------------------------------ layers


def test_domain_modules_import_only_the_kernel_and_store():
    allowed = {
        "ceodesk.core.store.db",
        "ceodesk.core.store.models",
        "ceodesk.core.store.lookups",
        "ceodesk.core.kernel.errors",
        "ceodesk.core.kernel.clock",
        "ceodesk.core.kernel.dates",
        "ceodesk.core.kernel.text",
        "ceodesk.core.kernel.quickadd",
        "ceodesk.core.store.preferences",
        "ceodesk.core.store.plain",
    }
    folder = Path(meetings.__file__).parent
    for path in (folder / f"{name}.py" for name in ("issues", "todos", "meetings")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith("ceodesk"):
                    assert name in allowed, f"{path.name} imports {name}"
