"""The big picture and the strategy map: 3-year picture, core values, goals and their Rocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from ceodesk.core.domain.goals import (
    PERSPECTIVES,
    add_goal,
    archive_goal,
    edit_goal,
    link_goals,
    save_big_picture,
    set_core_values,
    unlink_goals,
)
from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.rocks import add_rock, finish_rock
from ceodesk.core.kernel.errors import CeodeskError, InputError, NotFoundError
from ceodesk.core.store.db import Database
from ceodesk.core.views.big_picture import BigPictureView, big_picture

Q4, Q1 = "2026-Q4", "2027-Q1"


@pytest.fixture
def me(db) -> int:
    return list_people(db)[0].id


def picture(db: Database, now, quarter: str = Q4) -> BigPictureView:
    return big_picture(db, quarter, now)


def goal_titles(goals) -> list[str]:
    return [g.title for g in goals]


@pytest.fixture
def strategy(db) -> dict[str, int]:
    """Four goals, one per perspective, added bottom-up out of order on purpose."""
    return {
        "revenue": add_goal(db, "Grow ARR to $18M", perspective="financial").id,
        "training": add_goal(db, "Certify every CSM", perspective="learning and growth").id,
        "service": add_goal(db, "Onboard in 30 days", perspective="internal process").id,
        "satisfaction": add_goal(db, "Raise NPS to 50", perspective="customer").id,
    }


# ---------------------------------------------------------------- 3-year picture


def test_a_new_database_has_an_empty_big_picture(db, now):
    view = picture(db, now)
    assert (view.horizon, view.revenue, view.profit, view.picture) == (None, "", "", "")
    assert view.measurables == view.core_values == view.goals == ()
    assert list(view.by_perspective) == [*PERSPECTIVES, None]
    assert all(goals == () for goals in view.by_perspective.values())


def test_the_three_year_picture_is_saved_and_tidied(db, now):
    save_big_picture(
        db,
        horizon=date(2029, 12, 31),
        revenue="  $40M   ARR ",
        profit="18% EBITDA",
        measurables="250 enterprise customers\n\n  NPS of 60  \n150 people\n",
        picture="\nCustomers live in 30 days.   \nA team that promotes from within.\n\n",
    )
    view = picture(db, now)
    assert (view.horizon, view.revenue, view.profit) == (
        date(2029, 12, 31),
        "$40M ARR",
        "18% EBITDA",
    )
    assert view.measurables == ("250 enterprise customers", "NPS of 60", "150 people")
    assert view.picture == "Customers live in 30 days.\nA team that promotes from within."
    save_big_picture(db, horizon=None, revenue="$45M ARR", profit="", measurables="", picture="")
    assert (picture(db, now).revenue, picture(db, now).horizon) == ("$45M ARR", None)
    assert db.undo() == "Saved the big picture"
    assert picture(db, now).revenue == "$40M ARR"


def test_core_values_are_replaced_in_order(db, now, one_sentence):
    set_core_values(db, [("Customers first", "We win when they win."), ("Own it", "")])
    set_core_values(
        db,
        [
            ("  Straight   talk ", "Kind, direct and early."),
            ("", ""),  # an empty row of the form
            ("Customers first", "We win when they win."),
            ("Keep learning", ""),
        ],
    )
    assert picture(db, now).core_values == (
        ("Straight talk", "Kind, direct and early."),
        ("Customers first", "We win when they win."),
        ("Keep learning", ""),
    )
    with pytest.raises(InputError, match="needs a name") as refused:
        set_core_values(db, [("", "A value without a name")])
    assert one_sentence(str(refused.value))
    assert db.undo() == "Changed the core values"
    assert picture(db, now).core_values == (
        ("Customers first", "We win when they win."),
        ("Own it", ""),
    )
    set_core_values(db, [])
    assert picture(db, now).core_values == ()


# ---------------------------------------------------------------------- goals


def test_goals_keep_their_fields_and_order(db, now):
    first = add_goal(
        db,
        "  Grow ARR   to $18M ",
        measurable="ARR of $18M",
        due=date(2027, 9, 30),
        perspective="Financial",
    )
    add_goal(db, "Raise NPS to 50")
    assert (first.title, first.measurable, first.due, first.perspective) == (
        "Grow ARR to $18M",
        "ARR of $18M",
        date(2027, 9, 30),
        "financial",
    )
    assert (first.rocks, first.causes, first.effects, first.measurables) == ((), (), (), ())
    assert goal_titles(picture(db, now).goals) == ["Grow ARR to $18M", "Raise NPS to 50"]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("learning and growth", "learning and growth"),
        ("Learning & Growth", "learning and growth"),
        ("  Internal   Process ", "internal process"),
        ("", None),
        (None, None),
    ],
)
def test_perspectives_are_read_leniently(db, written, stored):
    assert add_goal(db, "A goal", perspective=written).perspective == stored


def test_an_unknown_perspective_or_an_empty_title_is_refused(db, now, one_sentence):
    with pytest.raises(InputError, match="not a perspective") as refused:
        add_goal(db, "A goal", perspective="marketing")
    assert one_sentence(str(refused.value))
    with pytest.raises(InputError, match="needs a title"):
        add_goal(db, "  ")
    assert picture(db, now).goals == ()


def test_editing_and_archiving_a_goal(db, now, strategy):
    edit_goal(
        db,
        strategy["revenue"],
        title="Grow ARR to $20M",
        measurable="ARR of $20M",
        due=date(2027, 12, 31),
        perspective=None,
    )
    [revenue] = [g for g in picture(db, now).goals if g.id == strategy["revenue"]]
    assert (revenue.title, revenue.measurable, revenue.due, revenue.perspective) == (
        "Grow ARR to $20M",
        "ARR of $20M",
        date(2027, 12, 31),
        None,
    )
    assert goal_titles(picture(db, now).by_perspective[None]) == ["Grow ARR to $20M"]
    assert archive_goal(db, strategy["revenue"]) == "Grow ARR to $20M"
    assert "Grow ARR to $20M" not in goal_titles(picture(db, now).goals)
    with pytest.raises(NotFoundError):
        edit_goal(db, strategy["revenue"], title="x", measurable="", due=None, perspective=None)
    assert db.undo() == "Archived goal “Grow ARR to $20M”"
    assert "Grow ARR to $20M" in goal_titles(picture(db, now).goals)


# -------------------------------------------------------------- strategy map


def test_goals_are_grouped_by_perspective_top_to_bottom(db, now, strategy):
    add_goal(db, "Write the culture book")
    view = picture(db, now)
    assert {key: goal_titles(goals) for key, goals in view.by_perspective.items()} == {
        "financial": ["Grow ARR to $18M"],
        "customer": ["Raise NPS to 50"],
        "internal process": ["Onboard in 30 days"],
        "learning and growth": ["Certify every CSM"],
        None: ["Write the culture book"],
    }


def test_goals_link_cause_to_effect(db, now, strategy):
    link_goals(db, strategy["training"], strategy["service"])
    link_goals(db, strategy["service"], strategy["satisfaction"])
    link_goals(db, strategy["satisfaction"], strategy["revenue"])
    link_goals(db, strategy["training"], strategy["satisfaction"])
    link_goals(db, strategy["training"], strategy["service"])  # already there: no change
    goals = {g.id: g for g in picture(db, now).goals}
    training, service = goals[strategy["training"]], goals[strategy["service"]]
    assert training.causes == ()
    assert training.effects == (strategy["service"], strategy["satisfaction"])
    assert service.causes == (strategy["training"],)
    assert goals[strategy["revenue"]].causes == (strategy["satisfaction"],)
    assert goals[strategy["revenue"]].effects == ()
    unlink_goals(db, strategy["training"], strategy["satisfaction"])
    goals = {g.id: g for g in picture(db, now).goals}
    assert goals[strategy["training"]].effects == (strategy["service"],)


def test_a_goal_cannot_lead_to_itself(db, strategy, one_sentence):
    with pytest.raises(InputError, match="cannot lead to itself") as refused:
        link_goals(db, strategy["revenue"], strategy["revenue"])
    assert one_sentence(str(refused.value))


def test_a_link_that_would_make_a_loop_is_refused(db, now, strategy, one_sentence):
    link_goals(db, strategy["training"], strategy["service"])
    link_goals(db, strategy["service"], strategy["satisfaction"])
    link_goals(db, strategy["satisfaction"], strategy["revenue"])
    for cause in ("revenue", "satisfaction", "service"):
        with pytest.raises(InputError, match="would make a loop") as refused:
            link_goals(db, strategy[cause], strategy["training"])
        assert one_sentence(str(refused.value))
    with pytest.raises(InputError, match="would make a loop"):
        link_goals(db, strategy["revenue"], strategy["service"])
    assert {g.id: g.causes for g in picture(db, now).goals}[strategy["training"]] == ()


def test_unlinking_a_missing_link_or_linking_a_missing_goal_is_refused(db, strategy):
    with pytest.raises(NotFoundError, match="does not lead to"):
        unlink_goals(db, strategy["training"], strategy["revenue"])
    with pytest.raises(NotFoundError):
        link_goals(db, strategy["training"], 999)


def test_an_archived_goals_links_are_hidden(db, now, strategy):
    link_goals(db, strategy["training"], strategy["service"])
    link_goals(db, strategy["service"], strategy["satisfaction"])
    archive_goal(db, strategy["service"])
    goals = {g.id: g for g in picture(db, now).goals}
    assert goals[strategy["training"]].effects == ()
    assert goals[strategy["satisfaction"]].causes == ()


# ---------------------------------------------------------------- goal linkage


def test_rocks_sit_under_their_goals_and_the_gaps_are_called_out(db, now, me, strategy):
    series_b = add_rock(
        db,
        "Close the Series B",
        me,
        is_company=True,
        quarter=Q4,
        goal_id=strategy["revenue"],
        now=now,
    )
    deals = add_rock(
        db, "Sign 12 deals", me, is_company=False, quarter=Q4, goal_id=strategy["revenue"], now=now
    )
    add_rock(
        db, "Cut churn", me, is_company=True, quarter=Q4, goal_id=strategy["satisfaction"], now=now
    )
    add_rock(db, "Hire a VP", me, is_company=True, quarter=Q4, now=now)
    add_rock(
        db, "Next quarter's", me, is_company=True, quarter=Q1, goal_id=strategy["training"], now=now
    )
    view = picture(db, now)
    goals = {g.title: g for g in view.goals}
    assert [r.id for r in goals["Grow ARR to $18M"].rocks] == [series_b.id, deals.id]
    assert goal_titles(goals["Raise NPS to 50"].rocks) == ["Cut churn"]
    assert goal_titles(view.rocks_without_goal) == ["Hire a VP"]
    assert goal_titles(view.goals_without_rocks) == ["Certify every CSM", "Onboard in 30 days"]
    next_quarter = picture(db, now, Q1)
    assert goal_titles(next_quarter.goals_without_rocks) == [
        "Grow ARR to $18M",
        "Onboard in 30 days",
        "Raise NPS to 50",
    ]
    assert goal_titles(next_quarter.by_perspective["learning and growth"][0].rocks) == [
        "Next quarter's"
    ]


def test_goal_rocks_carry_their_status(db, now, me, strategy):
    rock = add_rock(
        db, "Cut churn", me, is_company=True, quarter=Q4, goal_id=strategy["satisfaction"], now=now
    )
    finish_rock(db, rock.id, "done")
    [shown] = next(g for g in picture(db, now).goals if g.id == strategy["satisfaction"]).rocks
    assert shown.status == "done"


def test_rocks_of_an_archived_goal_count_as_without_a_goal(db, now, me, strategy):
    add_rock(
        db, "Cut churn", me, is_company=True, quarter=Q4, goal_id=strategy["satisfaction"], now=now
    )
    archive_goal(db, strategy["satisfaction"])
    view = picture(db, now)
    assert goal_titles(view.rocks_without_goal) == ["Cut churn"]
    [shown] = view.rocks_without_goal
    assert (shown.goal_id, shown.goal) == (strategy["satisfaction"], None)  # the link stays
    assert shown.archived_goal == "Raise NPS to 50"  # named as archived, never as its goal


def test_an_archived_goal_cannot_take_a_new_rock(db, now, me, strategy):
    archive_goal(db, strategy["training"])
    with pytest.raises(NotFoundError, match="goal no longer exists"):
        add_rock(
            db, "Train", me, is_company=False, quarter=Q4, goal_id=strategy["training"], now=now
        )


# ------------------------------------------------------------------- undo


UNDOABLE: dict[str, tuple[str, Callable[[Database, dict[str, int]], object]]] = {
    "add goal": ("Added goal “Hire well”", lambda db, ids: add_goal(db, "Hire well")),
    "edit goal": (
        "Edited goal “Grow ARR to $20M”",
        lambda db, ids: edit_goal(
            db,
            ids["revenue"],
            title="Grow ARR to $20M",
            measurable="",
            due=None,
            perspective="customer",
        ),
    ),
    "archive goal": (
        "Archived goal “Raise NPS to 50”",
        lambda db, ids: archive_goal(db, ids["satisfaction"]),
    ),
    "link": (
        "Linked “Certify every CSM” to “Onboard in 30 days”",
        lambda db, ids: link_goals(db, ids["training"], ids["service"]),
    ),
    "unlink": (
        "Unlinked “Onboard in 30 days” from “Raise NPS to 50”",
        lambda db, ids: unlink_goals(db, ids["service"], ids["satisfaction"]),
    ),
    "core values": (
        "Changed the core values",
        lambda db, ids: set_core_values(db, [("Own it", "")]),
    ),
    "big picture": (
        "Saved the big picture",
        lambda db, ids: save_big_picture(
            db, horizon=date(2029, 12, 31), revenue="$40M", profit="", measurables="", picture=""
        ),
    ),
}


@pytest.mark.parametrize("name", list(UNDOABLE))
def test_every_big_picture_action_is_undone_in_one_step(db, now, strategy, name):
    link_goals(db, strategy["service"], strategy["satisfaction"])
    set_core_values(db, [("Customers first", ""), ("Keep learning", "")])
    before = picture(db, now)
    label, action = UNDOABLE[name]
    action(db, strategy)
    assert picture(db, now) != before
    assert db.undo() == label
    assert picture(db, now) == before


def test_refused_goal_actions_leave_nothing_to_undo(db, strategy):
    with pytest.raises(CeodeskError):
        link_goals(db, strategy["revenue"], strategy["revenue"])
    with pytest.raises(CeodeskError):
        add_goal(db, "Bad", perspective="vibes")
    assert db.undo() == "Added goal “Raise NPS to 50”"
