"""One title cleaner in the kernel (issue 10: 5 copies), each refusal in the words users
have always seen: a title is one line, not empty, not too long."""

from __future__ import annotations

import pytest

from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.domain.goals import add_goal
from ceodesk.core.domain.people import add_person, list_people, list_teams, rename_team
from ceodesk.core.domain.rocks import add_milestone, add_rock
from ceodesk.core.domain.settings import add_category
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import clean_line

LONG = "x" * 201


def test_clean_line_puts_text_on_one_line_and_refuses_in_the_callers_words() -> None:
    assert clean_line("  Board \n prep\t deck ") == "Board prep deck"
    assert clean_line("   ") == ""  # empty is fine unless refused
    with pytest.raises(InputError, match=r"^Say something\.$"):
        clean_line(" \n ", empty="Say something.")
    with pytest.raises(InputError, match=r"^Too long\.$"):
        clean_line("abcdef", longest=5, too_long="Too long.")
    assert clean_line("abcde", longest=5, too_long="Too long.") == "abcde"


@pytest.mark.parametrize(
    ("clean", "text", "sentence"),
    [
        (todos.clean_title, " ", "A to-do needs a few words saying what will be done."),
        (todos.clean_title, LONG, "A to-do can be at most 200 characters long."),
        (issues.clean_title, "\n", "An issue needs a few words saying what it is."),
        (issues.clean_title, LONG, "An issue can be at most 200 characters long."),
        (issues.check_decision, "", "Solving an issue needs a one-line decision."),
        (
            issues.check_decision,
            LONG,
            "Keep the decision to one line of at most 200 characters.",
        ),
        (lambda why: meetings.check_rating(6, why), " ", "A rating below 8 needs one line on why."),
        (
            lambda why: meetings.check_rating(9, why),
            LONG,
            "Keep the why to one line of at most 200 characters.",
        ),
    ],
)
def test_meeting_titles_keep_their_sentences(clean, text, sentence) -> None:
    with pytest.raises(InputError) as refused:
        clean(text)
    assert str(refused.value) == sentence


def test_titles_are_stored_on_one_line() -> None:
    assert todos.clean_title(" Send  the\nnumbers ") == "Send the numbers"
    assert issues.clean_title("Churn\tis up") == "Churn is up"
    assert meetings.check_rating(9, " great \n meeting ") == (9, "great meeting")
    assert meetings.check_rating(9) == (9, "")


@pytest.mark.parametrize(
    ("attempt", "sentence"),
    [
        (lambda db, now: add_goal(db, " \t "), "A goal needs a title."),
        (lambda db, now: add_goal(db, LONG), "A goal's title can be at most 200 characters long."),
        (
            lambda db, now: add_rock(
                db, "", list_people(db)[0].id, is_company=True, quarter="2026-Q4", now=now
            ),
            "A Rock needs a title.",
        ),
        (
            lambda db, now: add_rock(
                db, LONG, list_people(db)[0].id, is_company=True, quarter="2026-Q4", now=now
            ),
            "A Rock's title can be at most 200 characters long.",
        ),
        (lambda db, now: add_milestone(db, 1, " ", None), "A milestone needs a title."),
        (lambda db, now: add_person(db, " "), "A team member needs a name."),
        (lambda db, now: add_person(db, "x" * 81), "A name can be at most 80 characters long."),
        (lambda db, now: rename_team(db, list_teams(db)[0].id, "\n"), "A team needs a name."),
        (
            lambda db, now: rename_team(db, list_teams(db)[0].id, "x" * 61),
            "A team name can be at most 60 characters long.",
        ),
        (lambda db, now: add_category(db, "  ", "#4c78a8"), "A category needs a name."),
    ],
)
def test_the_domains_refuse_titles_in_their_words(db, now, attempt, sentence) -> None:
    with pytest.raises(InputError) as refused:
        attempt(db, now)
    assert str(refused.value) == sentence


def test_names_are_stored_on_one_line(db) -> None:
    assert add_person(db, "  Dana \n Whitfield ").name == "Dana Whitfield"
    assert add_category(db, " Board\tWork ", "#4c78a8").name == "board work"
