"""Rocks: quarters, weekly status, the score, milestones, warnings, roll-over, alignment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceodesk.core.domain.goals import add_goal
from ceodesk.core.domain.people import add_person, list_people, set_active
from ceodesk.core.domain.planner import add_block, category_by_name, record_actual, week_plan
from ceodesk.core.domain.rocks import (
    OFF_TRACK_WEEKS_TO_PROPOSE,
    SCORE_TARGET,
    STATUSES,
    QuarterView,
    RockView,
    add_milestone,
    add_rock,
    consecutive_off_track,
    delete_milestone,
    edit_rock,
    find_rock,
    finish_rock,
    quarter_rocks,
    quarter_score,
    redate_milestone,
    rocks_by_team,
    roll_over,
    roll_over_plan,
    roll_over_quarters,
    set_week_status,
    slugify,
    toggle_milestone,
    toggle_week_status,
)
from ceodesk.core.domain.settings import save_settings
from ceodesk.core.domain.tasks import archive_task, task_board, toggle_done
from ceodesk.core.kernel.dates import quarter_key, shift_week
from ceodesk.core.kernel.errors import CeodeskError, InputError, NotFoundError
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import Team, TeamMember, TimeBlock
from ceodesk.core.views.capture import add_task
from ceodesk.core.views.rock_detail import rock_detail, rock_time

Q3, Q4, Q1 = "2026-Q3", "2026-Q4", "2027-Q1"
W48 = "2026-W48"  # NOW is Monday 23 Nov 2026, 10:00 UTC
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # the `now` fixture's instant


@pytest.fixture
def me(db) -> int:
    return list_people(db)[0].id


@pytest.fixture
def dana(db) -> int:
    return add_person(db, "Dana Whitfield", "COO").id


@pytest.fixture
def jordan(db) -> int:
    return add_person(db, "Jordan Reyes", "VP Sales").id


def rock(db: Database, title: str, owner: int, *, company: bool = False, quarter: str = Q4, **kw):
    kw.setdefault("now", NOW)
    return add_rock(db, title, owner, is_company=company, quarter=quarter, **kw)


def quarter(db: Database, now: datetime, key: str = Q4) -> QuarterView:
    return quarter_rocks(db, key, now)


def shown(db: Database, now: datetime, rock_id: int, key: str = Q4) -> RockView:
    return next(r for r in quarter(db, now, key).rocks if r.id == rock_id)


def add_team(db: Database, name: str, *people: int) -> None:
    with db.action(f"Added team {name}") as session:
        team = Team(name=name)
        session.add(team)
        session.flush()
        for person in people:
            session.add(TeamMember(team_id=team.id, person_id=person))


# ------------------------------------------------------------------ quarters


def test_quarter_keys_and_boundaries():
    assert quarter_key(date(2026, 12, 31)) == "2026-Q4"
    assert quarter_key(date(2027, 1, 1)) == "2027-Q1"
    assert quarter_key(date(2026, 10, 1)) == "2026-Q4"
    assert quarter_key(date(2026, 9, 30)) == "2026-Q3"


def test_a_rock_is_due_at_the_end_of_its_quarter_by_default(db, me):
    view = rock(db, "Hire a VP of Engineering", me, company=True)
    assert (view.quarter, view.due) == (Q4, date(2026, 12, 31))
    assert (view.status, view.this_week, view.is_company) == ("no_update", None, True)


def test_a_rock_due_on_new_years_eve_is_in_q4_and_new_years_day_is_not(db, me, one_sentence):
    assert rock(db, "Close the year", me, due=date(2026, 12, 31)).quarter == Q4
    with pytest.raises(InputError) as refused:
        rock(db, "Too late", me, due=date(2027, 1, 1))
    assert "Thu 1 Oct 2026 and Thu 31 Dec 2026" in str(refused.value)
    assert one_sentence(str(refused.value))
    assert rock(db, "New year", me, quarter=Q1, due=date(2027, 1, 1)).quarter == Q1


def test_quarter_keys_are_read_leniently_and_bad_ones_refused(db, me):
    assert rock(db, "Lower case key", me, quarter="2026-q4").quarter == Q4
    with pytest.raises(InputError, match="not a quarter"):
        rock(db, "Fifth quarter", me, quarter="2026-Q5")


def test_the_quarter_is_shown_at_this_week_or_its_last_week(db, now):
    assert quarter(db, now).week == W48
    assert quarter(db, now, Q3).week == "2026-W40"  # Wed 30 Sep 2026
    assert quarter(db, now, Q1).week == "2027-W13"  # Wed 31 Mar 2027


def test_the_week_follows_the_users_time_zone(db, me):
    save_settings(
        db, my_name="Alex", time_zone="Pacific/Auckland", day_start="07:00", day_end="19:00"
    )
    sunday_night_utc = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday in Auckland
    assert quarter(db, sunday_night_utc).week == "2026-W49"
    mine = rock(db, "Ship it", me)
    assert toggle_week_status(db, mine.id, sunday_night_utc) == "on_track"
    assert shown(db, sunday_night_utc, mine.id).this_week == "on_track"


# -------------------------------------------------------------------- score


@pytest.mark.parametrize(
    ("done", "total", "dropped", "score"),
    [
        (4, 5, 0, 0.8),
        (3, 5, 1, 0.75),
        (5, 5, 0, 1.0),
        (0, 3, 0, 0.0),
        (0, 0, 0, None),
        (0, 2, 2, None),
    ],
)
def test_quarter_score_is_done_over_total_without_dropped(done, total, dropped, score):
    assert quarter_score(done, total, dropped) == score


def test_four_done_of_five_meets_the_target():
    assert quarter_score(4, 5, 0) >= SCORE_TARGET
    assert quarter_score(3, 5, 0) < SCORE_TARGET


@given(st.integers(0, 60).flatmap(lambda t: st.tuples(st.just(t), st.integers(0, t))))
def test_quarter_score_lies_between_0_and_1_and_is_none_only_when_nothing_counts(pair):
    total, dropped = pair
    for done in {0, (total - dropped) // 2, total - dropped}:
        score = quarter_score(done, total, dropped)
        if total - dropped == 0:
            assert score is None
        else:
            assert score is not None and 0.0 <= score <= 1.0


def test_the_quarter_header_counts_scores_and_leaves_dropped_out(db, now, me):
    ids = [rock(db, f"Rock {n}", me, company=True).id for n in range(6)]
    for rock_id in ids[:4]:
        finish_rock(db, rock_id, "done")
    finish_rock(db, ids[4], "not_done")
    finish_rock(db, ids[5], "dropped")
    view = quarter(db, now)
    assert view.counts == {
        "on_track": 0,
        "off_track": 0,
        "no_update": 0,
        "done": 4,
        "not_done": 1,
        "dropped": 1,
    }
    assert set(view.counts) == {*STATUSES, "no_update"}
    assert view.score == 0.8  # 4 of 5: the dropped one is left out
    assert view.score >= SCORE_TARGET


def test_the_projected_score_counts_on_track_rocks_as_done(db, now, me):
    ids = [rock(db, f"Rock {n}", me, company=True).id for n in range(5)]
    finish_rock(db, ids[0], "done")
    set_week_status(db, ids[1], W48, "off_track")
    finish_rock(db, ids[2], "dropped")
    set_week_status(db, ids[3], W48, "on_track")
    set_week_status(db, ids[4], "2026-W47", "on_track")  # last week's status still holds
    view = quarter(db, now)
    assert view.counts["on_track"] == 2
    assert view.score == 0.25  # 1 done of 4
    assert view.projected_score == 0.75  # 1 done + 2 on track of 4


def test_a_rock_with_no_update_is_not_projected_as_on_track(db, now, me):
    ids = [rock(db, f"Rock {n}", me, company=True).id for n in range(4)]
    finish_rock(db, ids[0], "done")
    set_week_status(db, ids[1], W48, "off_track")
    set_week_status(db, ids[2], W48, "on_track")
    view = quarter(db, now)
    new = shown(db, now, ids[3])
    assert (new.status, new.no_update, new.status_label) == ("no_update", True, "no update")
    assert (view.counts["on_track"], view.counts["no_update"]) == (1, 1)
    # 1 done + 1 on track of the 3 Rocks with a status; the new one is counted apart.
    assert view.projected_score == pytest.approx(2 / 3)
    assert view.score == 0.25  # it is still a running Rock in the real score


def test_a_quarter_with_no_update_at_all_projects_nothing(db, now, me):
    for n in range(3):
        rock(db, f"Rock {n}", me, company=True)
    view = quarter(db, now)
    assert view.counts["no_update"] == 3
    assert view.projected_score is None


def test_an_empty_quarter_has_no_score(db, now):
    view = quarter(db, now)
    assert view.rocks == ()
    assert view.score is None and view.projected_score is None


# --------------------------------------------------------- weekly status


@pytest.mark.parametrize(
    ("statuses", "run"),
    [
        ([], 0),
        (["off_track"], 1),
        (["off_track", "off_track", "off_track"], 3),
        (["off_track", "on_track", "off_track", "off_track"], 2),
        (["off_track", "off_track", None], 0),
        (["off_track", None, "off_track"], 1),
        (["on_track", "off_track", "off_track", "off_track", "on_track"], 0),
    ],
)
def test_consecutive_off_track_weeks(statuses, run):
    assert consecutive_off_track(statuses) == run


week_status = st.sampled_from(["on_track", "off_track", None])


@given(st.lists(week_status, max_size=20))
def test_consecutive_off_track_is_the_trailing_run(statuses):
    run = consecutive_off_track(statuses)
    assert 0 <= run <= len(statuses)
    assert all(s == "off_track" for s in statuses[len(statuses) - run :])
    if run < len(statuses):
        assert statuses[-run - 1] != "off_track"
    assert consecutive_off_track([*statuses, "off_track"]) == run + 1
    assert consecutive_off_track([*statuses, "on_track"]) == 0
    assert consecutive_off_track([*statuses, None]) == 0


def test_three_weeks_off_track_proposes_an_issue(db, now, me):
    mine = rock(db, "Ship the API", me).id
    for week in ("2026-W46", "2026-W47"):
        set_week_status(db, mine, week, "off_track")
    two = shown(db, now, mine)
    assert (two.off_track_weeks, two.propose_as_issue) == (2, False)
    set_week_status(db, mine, W48, "off_track")
    three = shown(db, now, mine)
    assert three.off_track_weeks == OFF_TRACK_WEEKS_TO_PROPOSE
    assert three.propose_as_issue
    assert three.status == "off_track"


def test_an_unrecorded_week_counts_the_run_up_to_the_last_recorded_one(db, now, me):
    mine = rock(db, "Ship the API", me).id
    for week in ("2026-W45", "2026-W46", "2026-W47"):
        set_week_status(db, mine, week, "off_track")
    view = shown(db, now, mine)  # W48 is not recorded yet
    assert (view.this_week, view.status, view.off_track_weeks) == (None, "off_track", 3)
    assert view.propose_as_issue


def test_a_week_on_track_or_a_gap_ends_the_run(db, now, me):
    mine = rock(db, "Ship the API", me).id
    set_week_status(db, mine, "2026-W44", "off_track")
    set_week_status(db, mine, "2026-W45", "off_track")
    set_week_status(db, mine, "2026-W47", "off_track")  # W46 not recorded
    set_week_status(db, mine, W48, "off_track")
    assert shown(db, now, mine).off_track_weeks == 2


def test_a_finished_rock_is_not_proposed_as_an_issue(db, now, me):
    mine = rock(db, "Ship the API", me).id
    for week in ("2026-W46", "2026-W47", W48):
        set_week_status(db, mine, week, "off_track")
    finish_rock(db, mine, "not_done")
    view = shown(db, now, mine)
    assert view.status == "not_done"
    assert not view.propose_as_issue


def test_toggling_records_this_iso_week_on_and_off(db, now, me):
    mine = rock(db, "Ship the API", me).id
    assert toggle_week_status(db, mine, now) == "on_track"  # a Rock's first update
    assert shown(db, now, mine).this_week == "on_track"
    assert toggle_week_status(db, mine, now + timedelta(days=6)) == "off_track"  # same week
    next_week = now + timedelta(days=7)
    # A later week not yet recorded counts as on track: its first toggle is off track.
    assert toggle_week_status(db, mine, next_week) == "off_track"
    view = shown(db, next_week, mine)
    assert len(view.strip) == 13
    assert view.strip[-2:] == ("off_track", "off_track")
    assert view.strip[:-2] == (None,) * 11


def test_toggling_week_after_week_fills_the_13_week_strip(db, me):
    mine = rock(db, "Ship the API", me).id
    first_monday = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # 2026-W41
    for n in range(13):
        toggle_week_status(db, mine, first_monday + timedelta(weeks=n))
    new_years_eve = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
    view = shown(db, new_years_eve, mine)
    assert quarter(db, new_years_eve).week == "2026-W53"
    assert view.strip == ("on_track",) + ("off_track",) * 12  # the first update is on track
    assert view.off_track_weeks == 12


def test_status_falls_back_to_the_last_recorded_week(db, now, me):
    mine = rock(db, "Ship the API", me).id
    set_week_status(db, mine, "2026-W46", "off_track")
    set_week_status(db, mine, "2026-W47", "on_track")
    view = shown(db, now, mine)
    assert (view.this_week, view.status) == (None, "on_track")
    assert view.strip[-3:] == ("off_track", "on_track", None)


@pytest.mark.parametrize(
    ("week", "status", "message"),
    [
        (W48, "done", "not a weekly status"),
        ("2026-W30", "on_track", "lies outside it"),
        ("2027-W02", "off_track", "lies outside it"),
        ("2026-W99", "on_track", "has no week 99"),
        ("next week", "on_track", "not a week"),
    ],
)
def test_a_weekly_status_must_be_on_or_off_track_in_the_rocks_quarter(
    db, me, week, status, message, one_sentence
):
    mine = rock(db, "Ship the API", me).id
    with pytest.raises(InputError, match=message) as refused:
        set_week_status(db, mine, week, status)
    assert one_sentence(str(refused.value))


def test_a_week_shared_with_the_next_quarter_can_be_recorded(db, now, me):
    mine = rock(db, "Ship the API", me).id
    set_week_status(db, mine, "2026-W53", "on_track")  # Mon 28 Dec 2026 to Sun 3 Jan 2027
    assert shown(db, datetime(2026, 12, 31, tzinfo=UTC), mine).status == "on_track"


def test_a_finished_rock_must_be_reopened_to_record_a_week(db, now, me):
    mine = rock(db, "Ship the API", me).id
    finish_rock(db, mine, "done")
    with pytest.raises(InputError, match="reopen it"):
        toggle_week_status(db, mine, now)
    finish_rock(db, mine, None)
    assert toggle_week_status(db, mine, now) == "on_track"


def test_final_statuses_are_checked(db, me):
    mine = rock(db, "Ship the API", me).id
    with pytest.raises(InputError, match="not a final status"):
        finish_rock(db, mine, "on_track")


# ----------------------------------------------------------------- warnings


def test_fewer_than_three_company_rocks_warns(db, now, me, one_sentence):
    rock(db, "One", me, company=True)
    rock(db, "Two", me, company=True)
    warnings = quarter(db, now).warnings
    assert warnings == ("The company has 2 Rocks; aim for 3 to 7.",)
    assert all(one_sentence(w) for w in warnings)


def test_an_empty_quarter_warns_about_company_rocks(db, now):
    assert quarter(db, now).warnings == ("The company has no Rocks; aim for 3 to 7.",)


def test_more_than_seven_company_rocks_warns_but_never_blocks(db, now, me):
    for n in range(8):
        rock(db, f"Company {n}", me, company=True)
    view = quarter(db, now)
    assert len(view.company) == 8
    assert view.warnings == ("The company has 8 Rocks; aim for 3 to 7.",)


def test_a_person_with_too_many_or_too_few_rocks_is_warned(db, now, me, dana, jordan):
    for n in range(3):
        rock(db, f"Company {n}", me, company=True)
    for n in range(6):
        rock(db, f"Dana {n}", dana)
    rock(db, "Jordan's only one", jordan)
    for n in range(4):
        rock(db, f"Mine {n}", me)
    view = quarter(db, now)
    assert len(view.individual) == 11  # nothing was refused
    assert view.warnings == (
        "Dana Whitfield has 6 Rocks; aim for 3 to 5.",
        "Jordan Reyes has 1 Rock; aim for 3 to 5.",
    )


def test_dropped_rocks_do_not_count_towards_the_ranges(db, now, me, dana):
    for n in range(3):
        rock(db, f"Company {n}", me, company=True)
    dropped = [rock(db, f"Dana {n}", dana).id for n in range(6)]
    finish_rock(db, dropped[0], "dropped")
    assert quarter(db, now).warnings == ()  # Dana has 5 that count


# ----------------------------------------------------------------- ordering


def test_company_rocks_keep_their_order_and_individual_rocks_are_grouped_by_owner(
    db, now, me, dana, jordan
):
    rock(db, "Second company", me, company=True)
    rock(db, "Jordan's", jordan)
    rock(db, "Dana's", dana)
    rock(db, "Mine", me)
    rock(db, "First company", dana, company=True)
    view = quarter(db, now)
    assert [r.title for r in view.company] == ["Second company", "First company"]
    assert [r.title for r in view.individual] == ["Mine", "Dana's", "Jordan's"]


def test_rocks_of_other_quarters_are_not_shown(db, now, me):
    rock(db, "This quarter", me)
    rock(db, "Next quarter", me, quarter=Q1)
    assert [r.title for r in quarter(db, now).rocks] == ["This quarter"]
    assert [r.title for r in quarter(db, now, Q1).rocks] == ["Next quarter"]


# ---------------------------------------------------------------- adding


def test_a_rock_needs_a_title_and_a_live_owner_and_goal(db, me, dana, one_sentence):
    with pytest.raises(InputError, match="needs a title") as refused:
        rock(db, "   ", me)
    assert one_sentence(str(refused.value))
    with pytest.raises(NotFoundError):
        rock(db, "Ghost owner", 999)
    with pytest.raises(NotFoundError):
        rock(db, "Ghost goal", me, goal_id=999)
    set_active(db, dana, False)
    with pytest.raises(NotFoundError, match="not active"):
        rock(db, "Former colleague", dana)


def test_a_rock_keeps_its_smart_fields_and_goal(db, now, me):
    goal = add_goal(db, "Grow ARR to $18M", perspective="financial")
    view = rock(
        db,
        "  Close   the Series B  ",
        me,
        goal_id=goal.id,
        outcome="$25M raised",
        measure="Wire received",
    )
    assert (view.title, view.slug) == ("Close the Series B", "close-the-series-b")
    assert (view.goal_id, view.goal) == (goal.id, "Grow ARR to $18M")
    assert (view.outcome, view.measure, view.description) == ("$25M raised", "Wire received", "")
    assert view.owner == list_people(db)[0].name


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hire a VP of Engineering", "hire-a-vp-of-engineering"),
        ("Approve next year's plan", "approve-next-years-plan"),
        ("Cut churn below 1%!", "cut-churn-below-1"),
        ("Café   launch", "café-launch"),
        (
            "Launch the partner program across every European market",
            "launch-the-partner-program-across-every",
        ),
        ("!!!", "rock"),
    ],
)
def test_slugs_are_the_titles_words_joined_by_dashes(title, slug):
    assert slugify(title) == slug
    assert len(slugify(title)) <= 40


def test_slugs_are_made_unique(db, me):
    slugs = [rock(db, "Hire a VP", me).slug for _ in range(3)]
    assert slugs == ["hire-a-vp", "hire-a-vp-2", "hire-a-vp-3"]


# ------------------------------------------------------------------ editing


def test_editing_a_rock_keeps_its_history(db, now, me, dana):
    mine = rock(db, "Ship the API", me)
    for week in ("2026-W46", "2026-W47", W48):
        set_week_status(db, mine.id, week, "off_track")
    add_milestone(db, mine.id, "Public beta", date(2026, 11, 1))
    goal = add_goal(db, "Raise NPS to 50")
    edited = edit_rock(
        db,
        mine.id,
        title="Ship the analytics API v2",
        owner_id=dana,
        is_company=True,
        due=date(2026, 12, 15),
        goal_id=goal.id,
        outcome="Every report through the API",
        measure="GA with three customers",
        description="Started last quarter.",
        now=now,
    )
    assert edited.strip == shown(db, now, mine.id).strip
    assert edited.strip[-3:] == ("off_track",) * 3
    assert edited.off_track_weeks == 3
    assert [m.title for m in edited.milestones] == ["Public beta"]
    assert edited.slug == "ship-the-api"  # what people type keeps working
    assert (edited.title, edited.owner, edited.is_company) == (
        "Ship the analytics API v2",
        "Dana Whitfield",
        True,
    )
    assert (edited.due, edited.goal, edited.description) == (
        date(2026, 12, 15),
        "Raise NPS to 50",
        "Started last quarter.",
    )


def test_editing_keeps_an_inactive_owner_but_refuses_a_new_one(db, me, dana, jordan):
    theirs = rock(db, "Dana's rock", dana)
    set_active(db, dana, False)
    fields = dict(
        is_company=False, due=None, goal_id=None, outcome="", measure="", description="Notes"
    )
    fields["now"] = NOW
    assert edit_rock(db, theirs.id, title="Dana's rock", owner_id=dana, **fields).owner_id == dana
    with pytest.raises(NotFoundError):
        edit_rock(db, rock(db, "Mine", me).id, title="Mine", owner_id=dana, **fields)
    with pytest.raises(InputError, match="must be due between"):
        edit_rock(
            db, theirs.id, title="Late", owner_id=jordan, **{**fields, "due": date(2027, 1, 5)}
        )


# ---------------------------------------------------------------- milestones


def test_milestones_are_in_due_order_with_progress_and_the_next_one(db, now, me):
    mine = rock(db, "Hire a VP", me)
    assert shown(db, now, mine.id).progress_text == ""
    offer = add_milestone(db, mine.id, "Offer accepted", date(2026, 12, 15))
    loop = add_milestone(db, mine.id, "Interview loop designed", date(2026, 10, 20))
    add_milestone(db, mine.id, "Onboarding plan", None)
    toggle_milestone(db, loop.id, now)
    view = shown(db, now, mine.id)
    assert [m.title for m in view.milestones] == [
        "Interview loop designed",
        "Offer accepted",
        "Onboarding plan",
    ]
    assert (view.milestones_done, view.progress_text) == (1, "1/3")
    assert view.next_milestone == offer
    redate_milestone(db, offer.id, None)
    assert [m.title for m in shown(db, now, mine.id).milestones][1:] == [
        "Offer accepted",
        "Onboarding plan",
    ]
    assert toggle_milestone(db, loop.id, now) is False
    assert delete_milestone(db, loop.id) == "Interview loop designed"
    assert shown(db, now, mine.id).progress_text == "0/2"


def test_milestones_need_a_title_and_a_live_rock(db, me):
    mine = rock(db, "Hire a VP", me)
    with pytest.raises(InputError, match="milestone needs a title"):
        add_milestone(db, mine.id, " ", None)
    with pytest.raises(NotFoundError):
        add_milestone(db, 999, "Anything", None)
    with pytest.raises(NotFoundError):
        toggle_milestone(db, 999, datetime(2026, 11, 23, tzinfo=UTC))


# ------------------------------------------------------------------ roll-over


@pytest.fixture
def last_quarter(db, me, dana):
    """Q3: one Rock done, two unfinished (one with a goal, milestones and an open task)."""
    goal = add_goal(db, "Grow ARR to $18M", perspective="financial")
    done = rock(db, "Launch partners", me, company=True, quarter=Q3)
    finish_rock(db, done.id, "done")
    hire = rock(
        db,
        "Hire a VP",
        me,
        company=True,
        quarter=Q3,
        due=date(2026, 8, 31),
        goal_id=goal.id,
        outcome="A VP who can grow the team",
        measure="Signed offer",
    )
    shortlist = add_milestone(db, hire.id, "Shortlist", date(2026, 7, 31))
    add_milestone(db, hire.id, "Offer accepted", date(2026, 8, 31))
    toggle_milestone(db, shortlist.id, datetime(2026, 7, 30, tzinfo=UTC))
    billing = rock(db, "Migrate billing", dana, quarter=Q3)
    return {"done": done.id, "hire": hire.id, "billing": billing.id, "goal": goal.id}


def test_roll_over_copies_unfinished_rocks_and_marks_the_old_ones_not_done(
    db, now, me, dana, last_quarter
):
    assert roll_over(db, Q3, Q4, now).counts["carry"] == 2
    old = quarter(db, now, Q3)
    assert len(old.rocks) == 3  # nothing deleted
    assert {r.title: r.status for r in old.rocks} == {
        "Launch partners": "done",
        "Hire a VP": "not_done",
        "Migrate billing": "not_done",
    }
    new = quarter(db, now)
    assert [(r.title, r.owner_id, r.is_company) for r in new.rocks] == [
        ("Hire a VP", me, True),
        ("Migrate billing", dana, False),
    ]
    hire = new.company[0]
    assert (hire.goal_id, hire.outcome, hire.measure) == (
        last_quarter["goal"],
        "A VP who can grow the team",
        "Signed offer",
    )
    assert (hire.due, hire.status, hire.rolled_from_quarter) == (
        date(2026, 12, 31),
        "no_update",
        Q3,
    )
    assert [(m.title, m.due, m.done) for m in hire.milestones] == [("Offer accepted", None, False)]
    assert hire.slug == "hire-a-vp-2"


def test_a_second_roll_over_is_refused(db, now, last_quarter, one_sentence):
    roll_over(db, Q3, Q4, now)
    with pytest.raises(InputError, match="no unfinished Rocks") as refused:
        roll_over(db, Q3, Q4, now)
    assert one_sentence(str(refused.value))


def test_rocks_roll_forward_only(db, now, last_quarter):
    with pytest.raises(InputError, match="roll forward"):
        roll_over(db, Q3, Q3, now)
    with pytest.raises(InputError, match="roll forward"):
        roll_over(db, Q3, "2026-Q2", now)


def test_open_work_follows_a_rolled_over_rock(db, now, last_quarter):
    q3_day = datetime(2026, 8, 3, 9, tzinfo=UTC)
    open_task = add_task(db, "Call the search firm +rock:hire-a-vp", q3_day)
    done_task = add_task(db, "Brief the board +rock:hire-a-vp", q3_day)
    toggle_done(db, done_task.id, q3_day)
    deep = cat(db, "deep work")
    for day in (date(2026, 9, 29), date(2026, 10, 6)):  # last quarter, and this one
        planned = add_block(db, day, time(8), time(10), "Search", deep)
        link_block(db, planned.id, last_quarter["hire"])
    roll_over(db, Q3, Q4, now)
    copy = quarter(db, now).company[0]
    assert [t.title for t in rock_detail(db, copy.id, now).tasks] == [open_task.title]
    assert [t.title for t in rock_detail(db, last_quarter["hire"], now).tasks] == [done_task.title]
    assert rock_detail(db, copy.id, now).block_minutes == 120
    assert rock_detail(db, last_quarter["hire"], now).block_minutes == 120


def test_roll_over_is_undone_in_one_step(db, now, last_quarter):
    before = (quarter(db, now, Q3), quarter(db, now))
    roll_over(db, Q3, Q4, now)
    assert db.undo() == "Rolled over 2026-Q3: 2 Rocks carried into 2026-Q4"
    assert (quarter(db, now, Q3), quarter(db, now)) == before


DEC_1 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 2026-W49: Q4 still runs a month
NEW_YEARS_EVE = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)


def test_a_quarter_rolls_over_only_at_its_end(db, me, one_sentence):
    running = rock(db, "Hire a VP", me, company=True)
    with pytest.raises(InputError) as refused:
        roll_over(db, Q4, Q1, DEC_1)
    assert str(refused.value) == (
        "2026-Q4 runs until Thu 31 Dec 2026; roll its Rocks over on that day or after."
    )
    assert one_sentence(str(refused.value))
    assert shown(db, DEC_1, running.id).status == "no_update"  # not marked not done
    assert quarter(db, DEC_1, Q1).rocks == ()
    assert db.undo() == "Added Rock “Hire a VP”"  # nothing to undo from the refusal


def test_the_quarters_end_is_the_users_last_day(db, me):
    save_settings(
        db, my_name="Alex", time_zone="America/Los_Angeles", day_start="07:00", day_end="19:00"
    )
    rock(db, "Hire a VP", me, company=True)
    still_30_december = datetime(2026, 12, 31, 5, 0, tzinfo=UTC)  # 21:00 on the 30th in LA
    with pytest.raises(InputError, match="runs until"):
        roll_over(db, Q4, Q1, still_30_december)
    assert roll_over(db, Q4, Q1, datetime(2026, 12, 31, 9, 0, tzinfo=UTC)).counts["carry"] == 1


def test_roll_over_does_what_was_chosen_for_each_rock(db, me, dana):
    goal = add_goal(db, "Grow ARR to $18M")
    ids = {
        title: rock(db, title, me, company=True, goal_id=goal.id).id
        for title in ("Carry me", "Done late", "Not done", "Drop me", "Leave me")
    }
    finished = rock(db, "Finished early", dana)
    finish_rock(db, finished.id, "done")
    before = (quarter(db, NEW_YEARS_EVE), quarter(db, NEW_YEARS_EVE, Q1))
    result = roll_over(
        db,
        Q4,
        Q1,
        NEW_YEARS_EVE,
        {
            ids["Carry me"]: "carry",
            ids["Done late"]: "done",
            ids["Not done"]: "not_done",
            ids["Drop me"]: "dropped",
        },
    )
    assert result.counts == {"carry": 1, "done": 1, "not_done": 1, "dropped": 1}
    assert result.summary == "1 Rock carried into 2027-Q1, 1 done, 1 not done, 1 dropped"
    old = {r.title: r.status for r in quarter(db, NEW_YEARS_EVE).rocks}
    assert old == {
        "Carry me": "not_done",
        "Done late": "done",
        "Not done": "not_done",
        "Drop me": "dropped",
        "Leave me": "no_update",  # not chosen: still open
        "Finished early": "done",
    }
    copies = quarter(db, NEW_YEARS_EVE, Q1).rocks
    assert [(r.title, r.goal_id, r.rolled_from_quarter) for r in copies] == [
        ("Carry me", goal.id, Q4)
    ]
    assert db.undo() == (
        "Rolled over 2026-Q4: 1 Rock carried into 2027-Q1, 1 done, 1 not done, 1 dropped"
    )
    assert (quarter(db, NEW_YEARS_EVE), quarter(db, NEW_YEARS_EVE, Q1)) == before


def test_roll_over_refuses_a_choice_it_cannot_make(db, me, one_sentence):
    open_one = rock(db, "Hire a VP", me, company=True)
    closed = rock(db, "Done already", me, company=True)
    finish_rock(db, closed.id, "done")
    for choices, words in (
        ({open_one.id: "maybe"}, "not a roll-over choice"),
        ({closed.id: "carry"}, "no longer open"),
        ({}, "at least one Rock"),
    ):
        with pytest.raises(InputError, match=words) as refused:
            roll_over(db, Q4, Q1, NEW_YEARS_EVE, choices)
        assert one_sentence(str(refused.value))
    assert shown(db, NEW_YEARS_EVE, open_one.id).status == "no_update"


@pytest.mark.parametrize(
    ("shown_quarter", "today", "quarters"),
    [
        (Q1, date(2026, 12, 1), (Q4, Q1)),  # looking ahead: the running quarter into it
        (Q4, date(2026, 12, 1), (Q3, Q4)),  # a new quarter: the last one into it
        (Q4, date(2026, 12, 31), (Q4, Q1)),  # at its end: into the next one
        (Q3, date(2026, 12, 1), (Q3, Q4)),
    ],
)
def test_which_quarter_rolls_over(shown_quarter, today, quarters):
    assert roll_over_quarters(shown_quarter, today) == quarters


def test_the_roll_over_plan_lists_the_open_rocks_or_says_why_not(db, me, one_sentence):
    open_one = rock(db, "Hire a VP", me, company=True)
    finish_rock(db, rock(db, "Done already", me).id, "done")
    with pytest.raises(InputError, match="2026-Q4 runs until Thu 31 Dec 2026") as refused:
        roll_over_plan(db, Q1, DEC_1)  # W49, looking at next quarter
    assert one_sentence(str(refused.value))
    plan = roll_over_plan(db, Q1, NEW_YEARS_EVE)
    assert (plan.source, plan.target, [r.id for r in plan.rocks]) == (Q4, Q1, [open_one.id])
    with pytest.raises(InputError, match="2026-Q3 has no unfinished Rocks"):
        roll_over_plan(db, Q4, DEC_1)


# ------------------------------------------------------------- +rock lookup


def test_find_rock_by_exact_slug_or_unique_prefix(db, me):
    hire = rock(db, "Hire a VP", me)
    hiring = rock(db, "Hiring plan", me)
    with db.session() as session:
        assert find_rock(session, "hire-a-vp").id == hire.id
        assert find_rock(session, "HIRE-A").id == hire.id
        assert find_rock(session, "+rock:hiring").id == hiring.id
        with pytest.raises(InputError, match="could be hire-a-vp, hiring-plan"):
            find_rock(session, "hi")
        with pytest.raises(NotFoundError, match=r"There is no Rock \+rock:nope to link to"):
            find_rock(session, "nope")


def test_find_rock_prefers_the_given_quarter_for_a_prefix(db, me):
    old = rock(db, "Hire a VP", me, quarter=Q3)
    new = rock(db, "Hire a VP", me)
    with db.session() as session:
        assert find_rock(session, "hire", Q4).id == new.id
        assert find_rock(session, "hire", Q3).id == old.id
        assert find_rock(session, "hire-a-vp", Q4).id == old.id  # an exact slug wins
        with pytest.raises(InputError, match="could be"):
            find_rock(session, "hire")
        with pytest.raises(InputError, match="could be"):
            find_rock(session, "hire", Q1)


def test_the_slug_of_a_carried_rock_names_its_open_copy(db, me):
    old = rock(db, "Hire a VP", me, company=True)
    roll_over(db, Q4, Q1, NEW_YEARS_EVE)
    [copy] = quarter(db, NEW_YEARS_EVE, Q1).rocks
    assert (old.slug, copy.slug) == ("hire-a-vp", "hire-a-vp-2")
    with db.session() as session:
        assert find_rock(session, "hire-a-vp", Q1).id == copy.id
        assert find_rock(session, "hire-a-vp-2", Q1).id == copy.id
        assert find_rock(session, "hire-a-vp").id == copy.id
    finish_rock(db, copy.id, "done")
    with db.session() as session:  # no open copy left: the slug names its own Rock
        assert find_rock(session, "hire-a-vp", Q1).id == old.id


def test_a_task_typed_with_the_old_slug_links_to_the_carried_copy(db, me):
    rock(db, "Hire a VP", me, company=True)
    roll_over(db, Q4, Q1, NEW_YEARS_EVE)
    [copy] = quarter(db, NEW_YEARS_EVE, Q1).rocks
    january = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
    add_task(db, "Call the search firm +rock:hire-a-vp", january)
    assert [t.title for t in rock_detail(db, copy.id, january).tasks] == ["Call the search firm"]


# ------------------------------------------------------------------ alignment


def test_rocks_by_team_puts_leadership_first_then_teams_by_name(db, now, me, dana, jordan):
    add_team(db, "Sales", jordan)
    add_team(db, "Customer Success", dana)
    add_team(db, "Board", dana)  # Dana's first team by name
    rock(db, "Close the Series B", me, company=True)
    rock(db, "Build pipeline", jordan)
    rock(db, "Cut churn", dana, company=True)
    groups = rocks_by_team(db, Q4, now)
    assert [(team, [r.title for r in rocks]) for team, rocks in groups] == [
        ("Leadership", ["Close the Series B"]),
        ("Board", ["Cut churn"]),
        ("Sales", ["Build pipeline"]),
    ]
    assert groups[2][1][0].team == "Sales"
    assert groups[2][1][0].owner == "Jordan Reyes"


# ----------------------------------------------------------------- time


def link_block(db: Database, block_id: int, rock_id: int) -> None:
    """Link a block to a Rock directly (the block editor's field belongs to the planner)."""
    with db.action("Linked a block") as session:
        session.get(TimeBlock, block_id).rock_id = rock_id


def cat(db: Database, name: str) -> int:
    return category_by_name(db, name).id


def test_rock_detail_shows_linked_tasks_and_the_quarters_block_hours(db, now, me):
    mine = rock(db, "Hire a VP", me)
    rock(db, "Other", me)
    loop = add_task(db, "Design the interview loop +rock:hire !i", now)
    call = add_task(db, "Call the search firm +rock:hire-a-vp tomorrow", now)
    old = add_task(db, "Old idea +rock:hire", now)
    add_task(db, "Unrelated task", now)
    toggle_done(db, loop.id, now)
    archive_task(db, old.id, now)
    deep = cat(db, "deep work")
    via_task = add_block(
        db, date(2026, 11, 24), time(8), time(10), "Loop", deep, task_id=loop.id
    )  # 120 minutes through the task
    direct = add_block(db, date(2026, 11, 25), time(8), time(9, 30), "Sourcing", deep)
    link_block(db, direct.id, mine.id)  # 90 minutes, linked directly
    later = add_block(db, date(2027, 1, 5), time(8), time(10), "Next quarter", deep)
    link_block(db, later.id, mine.id)  # outside the quarter
    add_block(db, date(2026, 11, 26), time(8), time(10), "Unlinked", deep)
    record_actual(db, via_task.id, 100)
    detail = rock_detail(db, mine.id, now)
    assert detail.rock.title == "Hire a VP"
    assert [(t.title, t.done, t.rock) for t in detail.tasks] == [
        ("Call the search firm", False, "Hire a VP"),
        ("Design the interview loop", True, "Hire a VP"),
    ]
    assert (detail.block_minutes, detail.actual_minutes) == (210, 100)
    assert call.rock == "Hire a VP"


def test_a_blocks_own_rock_link_wins_over_its_tasks(db, now, me):
    first = rock(db, "First", me)
    second = rock(db, "Second", me)
    task = add_task(db, "Work +rock:first", now)
    block = add_block(
        db, date(2026, 11, 24), time(8), time(9), "Work", cat(db, "deep work"), task_id=task.id
    )
    link_block(db, block.id, second.id)
    assert rock_detail(db, first.id, now).block_minutes == 0
    assert rock_detail(db, second.id, now).block_minutes == 60


def test_rock_time_is_the_weeks_planned_minutes_serving_a_rock(db, now, me):
    mine = rock(db, "Hire a VP", me)
    task = add_task(db, "Design the interview loop +rock:hire", now)
    deep = cat(db, "deep work")
    add_block(db, date(2026, 11, 23), time(8), time(10), "Loop", deep, task_id=task.id)
    direct = add_block(db, date(2026, 11, 24), time(8), time(9), "Sourcing", deep)
    link_block(db, direct.id, mine.id)
    add_block(db, date(2026, 11, 25), time(10), time(11), "Meeting", cat(db, "meetings"))
    add_block(db, date(2026, 11, 30), time(8), time(10), "Next week", deep, task_id=task.id)
    assert rock_time(db, W48) == (180, 240)
    assert week_plan(db, W48, now).rock_minutes == 180
    assert rock_time(db, shift_week(W48, 1)) == (120, 120)
    assert rock_time(db, shift_week(W48, 2)) == (0, 0)


# ------------------------------------------------------------------- undo


def _setup(db: Database, now: datetime) -> dict[str, int]:
    me = list_people(db)[0].id
    mine = rock(db, "Hire a VP", me, company=True)
    set_week_status(db, mine.id, "2026-W47", "off_track")
    milestone = add_milestone(db, mine.id, "Shortlist", date(2026, 11, 30))
    old = rock(db, "Unfinished", me, quarter=Q3)
    return {"me": me, "rock": mine.id, "milestone": milestone.id, "old": old.id}


UNDOABLE: dict[str, tuple[str, Callable[[Database, datetime, dict[str, int]], object]]] = {
    "add": (
        "Added Rock “Ship it”",
        lambda db, now, ids: rock(db, "Ship it", ids["me"]),
    ),
    "edit": (
        "Edited Rock “Hire a VP of Engineering”",
        lambda db, now, ids: edit_rock(
            db,
            ids["rock"],
            title="Hire a VP of Engineering",
            owner_id=ids["me"],
            is_company=False,
            due=date(2026, 12, 1),
            goal_id=None,
            outcome="A VP",
            measure="Offer signed",
            description="",
            now=now,
        ),
    ),
    "set week": (
        "Marked “Hire a VP” on track for 2026-W47",
        lambda db, now, ids: set_week_status(db, ids["rock"], "2026-W47", "on_track"),
    ),
    "toggle week": (
        "Marked “Hire a VP” off track for 2026-W48",
        lambda db, now, ids: toggle_week_status(db, ids["rock"], now),
    ),
    "done": ("Marked “Hire a VP” done", lambda db, now, ids: finish_rock(db, ids["rock"], "done")),
    "dropped": (
        "Dropped “Hire a VP”",
        lambda db, now, ids: finish_rock(db, ids["rock"], "dropped"),
    ),
    "add milestone": (
        "Added milestone “Offer”",
        lambda db, now, ids: add_milestone(db, ids["rock"], "Offer", None),
    ),
    "tick milestone": (
        "Ticked “Shortlist”",
        lambda db, now, ids: toggle_milestone(db, ids["milestone"], now),
    ),
    "redate milestone": (
        "Re-dated “Shortlist”",
        lambda db, now, ids: redate_milestone(db, ids["milestone"], date(2026, 12, 7)),
    ),
    "delete milestone": (
        "Deleted milestone “Shortlist”",
        lambda db, now, ids: delete_milestone(db, ids["milestone"]),
    ),
    "roll over": (
        "Rolled over 2026-Q3: 1 Rock carried into 2026-Q4",
        lambda db, now, ids: roll_over(db, Q3, Q4, now),
    ),
}


@pytest.mark.parametrize("name", list(UNDOABLE))
def test_every_rock_action_is_undone_in_one_step(db, now, name):
    ids = _setup(db, now)
    before = (quarter(db, now, Q3), quarter(db, now))
    label, action = UNDOABLE[name]
    action(db, now, ids)
    assert (quarter(db, now, Q3), quarter(db, now)) != before
    assert db.undo() == label
    assert (quarter(db, now, Q3), quarter(db, now)) == before
    db.redo()
    assert (quarter(db, now, Q3), quarter(db, now)) != before


def test_reopening_is_undoable_too(db, now, me):
    mine = rock(db, "Hire a VP", me)
    finish_rock(db, mine.id, "not_done")
    finish_rock(db, mine.id, None)
    assert shown(db, now, mine.id).status == "no_update"
    assert db.undo() == "Reopened “Hire a VP”"
    assert shown(db, now, mine.id).status == "not_done"


def test_refused_rock_actions_leave_nothing_to_undo(db, now, me):
    mine = rock(db, "Hire a VP", me)
    with pytest.raises(CeodeskError):
        set_week_status(db, mine.id, "2026-W10", "on_track")
    with pytest.raises(CeodeskError):
        roll_over(db, Q3, Q4, now)
    with pytest.raises(CeodeskError):
        roll_over(db, Q4, Q1, now)  # Q4 has not ended
    assert db.undo() == "Added Rock “Hire a VP”"
    assert task_board(db, now).open_count == 0


@given(
    st.dictionaries(st.integers(-30, 10), st.sampled_from(["on_track", "off_track"]), max_size=30),
    st.integers(-5, 15),
)
def test_the_off_track_run_is_the_run_of_every_week_up_to_the_one_shown(recorded, shown) -> None:
    """Walking back from the week shown (or the last recorded before it) counts what
    consecutive_off_track counts over every week from the first recorded one."""
    from ceodesk.core.domain.rocks import _off_track_run, consecutive_off_track

    base = "2026-W20"
    weeks = {shift_week(base, n): status for n, status in recorded.items()}
    week = shift_week(base, shown)
    known = sorted(k for k in weeks if k <= week)
    expected = 0
    if known:
        anchor = week if week in weeks else known[-1]
        span, current = [], known[0]
        while current <= anchor:
            span.append(weeks.get(current))
            current = shift_week(current, 1)
        expected = consecutive_off_track(span)
    assert _off_track_run(weeks, week) == expected
