"""The Eisenhower task board: quadrants, sorting, suggestions, filters and quick-add."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ceodesk.core.domain import tasks
from ceodesk.core.domain.people import add_person, list_people, set_active
from ceodesk.core.domain.rocks import add_rock
from ceodesk.core.domain.settings import save_settings
from ceodesk.core.domain.tasks import (
    Quadrant,
    archive_task,
    delegate_task,
    move_task,
    task_board,
    task_text,
    tasks_changed_at,
    toggle_done,
)
from ceodesk.core.kernel.errors import CeodeskError, InputError, NotFoundError
from ceodesk.core.views.capture import add_task, edit_task, preview_quick_add


def titles(views) -> list[str]:
    return [v.title for v in views]


def stored_flags(db_path, task_id: int) -> tuple[bool, bool]:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT important, urgent FROM task WHERE id = ?", (task_id,)).fetchone()
    finally:
        conn.close()
    return bool(row[0]), bool(row[1])


def stored_count(db_path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM task").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def dana(db):
    return add_person(db, "Dana Whitfield", "COO")


# ------------------------------------------------------------------- quadrants


@pytest.mark.parametrize(
    ("important", "urgent", "quadrant", "label"),
    [
        (True, True, Quadrant.DO, "Do"),
        (True, False, Quadrant.SCHEDULE, "Schedule"),
        (False, True, Quadrant.DELEGATE, "Delegate"),
        (False, False, Quadrant.DROP, "Drop"),
    ],
)
def test_quadrant_follows_the_two_flags(important, urgent, quadrant, label):
    assert Quadrant.of(important, urgent) is quadrant
    assert quadrant.label == label
    assert quadrant.flags == (important, urgent)


def test_quadrants_are_numbered_one_to_four():
    assert [q.value for q in Quadrant] == [1, 2, 3, 4]


def test_board_groups_tasks_into_the_four_quadrants(db, now):
    for text in (
        "Approve pricing !iu",
        "Answer investors !ui",
        "Write strategy memo !i",
        "Sign NDA !u",
        "Tidy drive",
        "Try note app",
        "Archive channels",
    ):
        add_task(db, text, now)
    # Captured with neither flag: not Drop, but waiting in the unsorted tray.
    board = task_board(db, now)
    assert [len(q.tasks) for q in board.quadrants] == [2, 1, 1, 0]
    assert titles(board.unsorted.tasks) == ["Tidy drive", "Try note app", "Archive channels"]
    assert board.open_count == 7
    assert titles(board.quadrant(Quadrant.SCHEDULE).tasks) == ["Write strategy memo"]
    assert titles(board.quadrant(Quadrant.DELEGATE).tasks) == ["Sign NDA"]
    assert board.today == date(2026, 11, 23)


def test_flags_add_up_across_words(db, now):
    assert add_task(db, "Both flags !i !u", now).quadrant is Quadrant.DO


def test_most_pressing_first_overdue_then_by_due_date_then_undated(db, now):
    for text in (
        "Undated !i",
        "Next week !i 2026-12-02",
        "End of week !i fri",
        "Late call !i tomorrow 17:00",
        "Early call !i tomorrow 9am",
        "Long overdue !i 2026-11-02",
        "Overdue !i 2026-11-20",
    ):
        add_task(db, text, now)
    tasks = task_board(db, now).quadrant(Quadrant.SCHEDULE).tasks
    assert titles(tasks) == [
        "Long overdue",
        "Overdue",
        "Early call",
        "Late call",
        "End of week",
        "Next week",
        "Undated",
    ]
    assert [t.overdue for t in tasks] == [True, True, False, False, False, False, False]
    assert tasks[1].due_text == "overdue 3d"
    assert tasks[2].due_text == "tomorrow"
    assert tasks[4].due_text == "Fri"


def test_a_task_due_today_is_not_overdue(db, now):
    task = add_task(db, "Standup notes !i today 9am", now)
    assert task.overdue is False
    assert task.due_text == "today"


# -------------------------------------------------------------- suggested urgent


def test_due_within_48_hours_is_suggested_urgent_without_changing_flags(db, db_path, now):
    task = add_task(db, "Finalize hiring plan !i tomorrow", now)
    assert task.suggest_urgent is True
    assert task.quadrant is Quadrant.SCHEDULE
    board = task_board(db, now)
    [shown] = board.quadrant(Quadrant.SCHEDULE).tasks
    assert shown.suggest_urgent is True
    assert titles(board.quadrant(Quadrant.DO).tasks) == []
    assert stored_flags(db_path, task.id) == (True, False)


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("Due in 47 hours !i wed 9am", True),
        ("Due in 49 hours !i wed 11am", False),
        ("Due end of the day !i wed", False),
        ("Due in three days !i in 3 days", False),
        ("Overdue !i 2026-11-20", True),
        ("No due date !i", False),
        ("Already urgent tomorrow !iu", False),
    ],
)
def test_suggest_urgent_window_is_48_hours(db, now, text, suggested):
    assert add_task(db, text, now).suggest_urgent is suggested


def test_done_task_is_not_suggested_urgent(db, now):
    task = add_task(db, "Sign contract tomorrow", now)
    toggle_done(db, task.id, now)
    [done] = task_board(db, now).unsorted.done
    assert done.suggest_urgent is False


# ----------------------------------------------------------------------- filters


@pytest.fixture
def filter_board(db, now, dana):
    for text in (
        "Prep board deck !i #board",
        "Send NDA to Acme @dana",
        "Review churn analysis !i #customers",
        "Book offsite venue !u",
    ):
        add_task(db, text, now)
    return lambda words: [t.title for q in task_board(db, now, words).quadrants for t in q.tasks]


EVERYTHING = ["Prep board deck", "Review churn analysis", "Send NDA to Acme", "Book offsite venue"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("churn", ["Review churn analysis"]),
        ("CHURN", ["Review churn analysis"]),
        ("#board", ["Prep board deck"]),
        ("#customers", ["Review churn analysis"]),
        ("dana", ["Send NDA to Acme"]),
        ("whitfield", ["Send NDA to Acme"]),
        ("board deck", ["Prep board deck"]),
        ("board acme", []),
        ("", EVERYTHING),
    ],
)
def test_filter_keeps_tasks_matching_every_word(filter_board, words, expected):
    assert sorted(filter_board(words)) == sorted(expected)


def test_filter_is_kept_on_the_board(db, now):
    assert task_board(db, now, "board").filter_text == "board"


# ------------------------------------------------------------- done and archived


def test_completed_this_week_shows_as_done_not_open(db, now):
    task = add_task(db, "Approve budget !iu", now)
    assert toggle_done(db, task.id, now) is True
    do = task_board(db, now).quadrant(Quadrant.DO)
    assert titles(do.tasks) == []
    assert titles(do.done) == ["Approve budget"]
    assert do.done[0].done is True


def test_a_board_that_does_not_show_completed_tasks_reads_none(db, now):
    task = add_task(db, "Approve budget !iu", now)
    add_task(db, "Call the bank !iu", now)
    toggle_done(db, task.id, now)
    board = task_board(db, now, done=False)
    assert titles(board.quadrant(Quadrant.DO).tasks) == ["Call the bank"]
    assert all(q.done == () for q in board.quadrants) and board.unsorted.done == ()
    assert titles(task_board(db, now).quadrant(Quadrant.DO).done) == ["Approve budget"]


def test_a_board_read_again_builds_only_the_rows_that_changed(db, now, monkeypatch):
    """Years of history leave hundreds of open tasks: reading the board again (after an
    undo, another process's write, a later minute) builds no view of a row unchanged."""
    first = add_task(db, "Approve budget fri !iu", now)
    add_person(db, "Dana Reyes")
    add_task(db, "Call the bank !i @dana", now)
    add_task(db, "Read the memo", now)
    before = task_board(db, now)
    built: list[int] = []

    class Counted(tasks.TaskView):
        def __init__(self, *args, **kwargs) -> None:
            built.append(kwargs["id"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(tasks, "TaskView", Counted)
    again = task_board(db, now + timedelta(minutes=5))
    assert built == []
    assert again == before
    edit_task(db, first.id, "Approve the budget fri !iu", now)
    built.clear()
    task_board(db, now)
    assert built == [first.id]  # the row edited, and only it
    built.clear()
    task_board(db, now + timedelta(days=1))  # another day: every due date reads anew
    assert sorted(built) == sorted(v.id for q in before.quadrants for v in q.tasks) + [
        v.id for v in before.unsorted.tasks
    ]


def test_the_tasks_a_write_changed_are_known_for_its_revision(db, now):
    first = add_task(db, "Approve budget !iu", now)
    add_task(db, "Call the bank !iu", now)
    toggle_done(db, first.id, now)
    assert tasks_changed_at(db, db.revision) == {first.id}
    assert tasks_changed_at(db, db.revision - 1) is None  # an older write: not known
    db.undo()
    assert tasks_changed_at(db, db.revision) == {first.id}
    db.redo()
    assert tasks_changed_at(db, db.revision) == {first.id}
    add_person(db, "Quinn Adler")
    assert tasks_changed_at(db, db.revision) is None  # a write to anything but tasks


def test_a_board_read_again_for_some_tasks_is_the_board_read_whole(db, now):
    first = add_task(db, "Approve budget fri !iu", now)
    second = add_task(db, "Call the bank !i", now)
    add_task(db, "Read the memo", now)
    board = task_board(db, now)
    toggle_done(db, first.id, now)
    edit_task(db, second.id, "Call the bank today !iu", now)
    again = tasks.task_board_again(db, board, now, {first.id, second.id})
    assert again == task_board(db, now)
    assert titles(again.quadrant(Quadrant.DO).done) == ["Approve budget"]
    assert board.without({first.id}).open_count == board.open_count - 1


def test_completed_last_week_is_not_shown(db, now):
    task = add_task(db, "Old win !iu", now)
    last_sunday = datetime.combine(date(2026, 11, 22), time(23, 59), tzinfo=now.tzinfo)
    toggle_done(db, task.id, last_sunday)
    board = task_board(db, now)
    assert board.quadrant(Quadrant.DO).done == ()
    assert board.open_count == 0


def test_completed_at_the_first_minute_of_the_week_is_shown(db, now):
    task = add_task(db, "Early start !iu", now)
    toggle_done(db, task.id, datetime.combine(date(2026, 11, 23), time(0, 0), tzinfo=now.tzinfo))
    assert titles(task_board(db, now).quadrant(Quadrant.DO).done) == ["Early start"]


def test_done_list_follows_the_week_of_the_board_in_the_users_zone(db, now):
    save_settings(db, my_name="Alex", time_zone="Europe/Berlin", day_start="07:00", day_end="19:00")
    inside = add_task(db, "Just after midnight in Berlin", now)
    outside = add_task(db, "Just before midnight in Berlin", now)
    # Monday 00:00 in Berlin is Sunday 23:00 UTC.
    sunday_utc = datetime.combine(date(2026, 11, 22), time(23, 0), tzinfo=now.tzinfo)
    toggle_done(db, inside.id, sunday_utc + timedelta(minutes=30))
    toggle_done(db, outside.id, sunday_utc - timedelta(minutes=30))
    assert titles(task_board(db, now).unsorted.done) == ["Just after midnight in Berlin"]


def test_reopening_a_done_task_puts_it_back(db, now):
    task = add_task(db, "Approve budget !iu", now)
    toggle_done(db, task.id, now)
    assert toggle_done(db, task.id, now) is False
    do = task_board(db, now).quadrant(Quadrant.DO)
    assert titles(do.tasks) == ["Approve budget"]
    assert do.done == ()


def test_archived_task_is_hidden_everywhere(db, now):
    keep = add_task(db, "Keep !i", now)
    gone = add_task(db, "Gone !i", now)
    assert archive_task(db, gone.id, now) == "Gone"
    board = task_board(db, now)
    assert titles(board.quadrant(Quadrant.SCHEDULE).tasks) == ["Keep"]
    assert all(q.done == () for q in board.quadrants)
    assert keep.id != gone.id
    with pytest.raises(NotFoundError):
        toggle_done(db, gone.id, now)


def test_archived_done_task_is_hidden_from_done_too(db, now):
    task = add_task(db, "Done then archived !i", now)
    toggle_done(db, task.id, now)
    archive_task(db, task.id, now)
    assert task_board(db, now).quadrant(Quadrant.SCHEDULE).done == ()


# ------------------------------------------------------------ move and delegate


@pytest.mark.parametrize("quadrant", list(Quadrant))
def test_moving_a_task_sets_its_flags(db, db_path, now, quadrant):
    task = add_task(db, "Movable", now)
    assert move_task(db, task.id, quadrant) == "Movable"
    assert titles(task_board(db, now).quadrant(quadrant).tasks) == ["Movable"]
    assert stored_flags(db_path, task.id) == quadrant.flags


def test_delegating_sets_owner_and_follow_up(db, now, dana):
    task = add_task(db, "Chase invoices !u fri", now)
    assert delegate_task(db, task.id, dana.id, date(2026, 11, 26)) == "Dana Whitfield"
    [shown] = task_board(db, now).quadrant(Quadrant.DELEGATE).tasks
    assert shown.owner == "Dana Whitfield"
    assert shown.follow_up == date(2026, 11, 26)
    assert "delegated to Dana Whitfield" in shown.describe()
    assert "follow up Thu 26 Nov 2026" in shown.describe()


def test_delegating_to_someone_deactivated_is_refused(db, now, dana):
    task = add_task(db, "Chase invoices !u", now)
    set_active(db, dana.id, False)
    with pytest.raises(NotFoundError):
        delegate_task(db, task.id, dana.id, date(2026, 11, 26))
    [shown] = task_board(db, now).quadrant(Quadrant.DELEGATE).tasks
    assert shown.owner is None


# ------------------------------------------------------------------ quick add


def test_owner_without_flags_lands_in_delegate(db, now, dana):
    task = add_task(db, "Send signed NDA @dana", now)
    assert task.quadrant is Quadrant.DELEGATE
    assert task.owner == "Dana Whitfield"


def test_owner_with_flags_keeps_the_flags(db, now, dana):
    task = add_task(db, "Coach Dana on the plan @dana !i", now)
    assert task.quadrant is Quadrant.SCHEDULE
    assert task.owner == "Dana Whitfield"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Ask @nobody about it", "@nobody"),
        ("Prep board deck +rock:x", "+rock:x"),
        ("Board meeting feb 30", "30 February"),
        ("!iu 2h #board", "title"),
    ],
)
def test_invalid_quick_add_stores_nothing(db, db_path, now, text, message, one_sentence):
    with pytest.raises(InputError) as refused:
        add_task(db, text, now)
    assert message in str(refused.value)
    assert one_sentence(str(refused.value)), str(refused.value)
    assert stored_count(db_path) == 0
    with pytest.raises(CeodeskError, match="Nothing to undo"):
        db.undo()


def test_describe_reads_as_one_line(db, now):
    task = add_task(db, "Call Dana about the VP offer tomorrow 3pm !iu 30m", now)
    expected = "Q1 Do · Call Dana about the VP offer · due Tue 24 Nov 2026 15:00 · est 30m"
    assert task.describe() == expected


def test_describe_without_a_due_date(db, now):
    task = add_task(db, "Reorganize drive #admin #admin 1h30", now)
    assert task.describe() == "Unsorted · Reorganize drive · no due date · est 1h30 · #admin"
    move_task(db, task.id, Quadrant.DROP)
    [dropped] = task_board(db, now).quadrant(Quadrant.DROP).tasks
    assert dropped.describe() == "Q4 Drop · Reorganize drive · no due date · est 1h30 · #admin"


def test_tags_are_lower_case_and_unique(db, now):
    task = add_task(db, "Board deck #Board #board #Q1 #123", now)
    assert task.tags == ("board", "q1")
    assert task.title == "Board deck #123"


def test_editing_replaces_the_fields(db, now, dana):
    task = add_task(db, "Board deck fri !i 2h #board", now)
    edited = edit_task(db, task.id, "Board deck v2 tomorrow 9am !iu 3h @dana", now)
    assert edited.describe() == (
        "Q1 Do · Board deck v2 · due Tue 24 Nov 2026 09:00 · est 3h · "
        "delegated to Dana Whitfield · follow up Mon 23 Nov 2026"
    )
    assert titles(task_board(db, now).quadrant(Quadrant.DO).tasks) == ["Board deck v2"]


def test_invalid_edit_changes_nothing(db, now):
    task = add_task(db, "Board deck fri !i", now)
    with pytest.raises(InputError):
        edit_task(db, task.id, "Board deck feb 30", now)
    [shown] = task_board(db, now).quadrant(Quadrant.SCHEDULE).tasks
    assert shown.describe() == "Q2 Schedule · Board deck · due Fri 27 Nov 2026"


@pytest.mark.parametrize(
    "text",
    [
        "Board deck fri 2h !i #board",
        "Call bank tomorrow 3pm !iu 30m",
        "Sign NDA @dana",
        "Coach Dana @dana !i",
        "Tidy drive",
        "Dana's drive @dana !iu #people",
    ],
)
def test_saving_the_edit_text_unchanged_keeps_the_task(db, now, dana, text):
    task = add_task(db, text, now)
    move_task(db, task.id, task.quadrant)  # files it in its quadrant, sorted from now on
    again = edit_task(db, task.id, task_text(db, task.id), now)
    assert again == replace(task, unsorted=False)


def test_an_owned_task_moved_to_drop_stays_there_when_edited_unchanged(db, now, dana):
    task = add_task(db, "Sign NDA @dana", now)
    move_task(db, task.id, Quadrant.DROP)
    edited = edit_task(db, task.id, task_text(db, task.id), now)
    assert edited.quadrant is Quadrant.DROP


@pytest.mark.parametrize(
    ("local_now", "text", "suggested"),
    [
        # Clocks go back on 25 Oct 2026: 47.5 wall-clock hours are 48.5 real hours.
        (datetime(2026, 10, 23, 10, 0), "Berlin report !i 2026-10-25 9:30", False),
        # Clocks go forward on 28 Mar 2027: 48.5 wall-clock hours are 47.5 real hours.
        (datetime(2027, 3, 26, 10, 30), "Berlin report !i 2027-03-28 11:00", True),
    ],
    ids=["autumn", "spring"],
)
def test_suggest_urgent_counts_real_hours_across_dst(db, local_now, text, suggested):
    berlin = ZoneInfo("Europe/Berlin")
    save_settings(db, my_name="Alex", time_zone="Europe/Berlin", day_start="07:00", day_end="19:00")
    now = local_now.replace(tzinfo=berlin).astimezone(UTC)
    assert add_task(db, text, now).suggest_urgent is suggested


def test_preview_names_the_quadrant_and_reads_the_due_date(db, now):
    preview = preview_quick_add(db, "Call Dana fri", now)
    assert preview.describe(now.date()) == "Unsorted · “Call Dana” · due Fri 27 Nov 2026"
    preview = preview_quick_add(db, "Board prep tomorrow 3pm !i", now)
    assert preview.describe(now.date()).endswith("due Tue 24 Nov 2026 15:00 (tomorrow)")


# ------------------------------------------------------------------- +rock links


@pytest.fixture
def rocks(db, now) -> dict[str, int]:
    """Two Rocks this quarter whose slugs share a start, and one from last quarter."""
    me = list_people(db)[0].id
    return {
        name: add_rock(db, title, me, is_company=True, quarter=quarter, now=now).id
        for name, title, quarter in (
            ("hire", "Hire a VP", "2026-Q4"),
            ("hiring", "Hiring plan", "2026-Q4"),
            ("old", "Launch partners", "2026-Q3"),
        )
    }


def test_plus_rock_links_the_task_by_slug_or_unique_prefix(db, now, rocks):
    exact = add_task(db, "Design the interview loop +rock:hire-a-vp !i", now)
    prefix = add_task(db, "Draft headcount +Rock:HIRING", now)
    assert (exact.rock, prefix.rock) == ("Hire a VP", "Hiring plan")
    assert exact.describe() == (
        "Q2 Schedule · Design the interview loop · no due date · Rock “Hire a VP”"
    )
    board = task_board(db, now)
    shown = {
        t.title: t.rock for t in (*board.unsorted.tasks, *board.quadrant(Quadrant.SCHEDULE).tasks)
    }
    assert shown == {"Design the interview loop": "Hire a VP", "Draft headcount": "Hiring plan"}


def test_a_rock_of_another_quarter_can_be_linked(db, now, rocks):
    assert add_task(db, "Thank the partners +rock:launch", now).rock == "Launch partners"


def test_the_board_filter_finds_tasks_by_their_rock(db, now, rocks):
    add_task(db, "Design the interview loop +rock:hire-a !i", now)
    add_task(db, "Unrelated !i", now)
    board = task_board(db, now, "vp")
    assert [t.title for q in board.quadrants for t in q.tasks] == ["Design the interview loop"]


def test_an_ambiguous_or_unknown_rock_stores_nothing(db, db_path, now, rocks, one_sentence):
    with pytest.raises(InputError, match="could be hire-a-vp, hiring-plan") as refused:
        add_task(db, "Hire someone +rock:hir", now)
    assert one_sentence(str(refused.value))
    with pytest.raises(InputError, match=r"There is no Rock \+rock:board to link to"):
        add_task(db, "Board deck +rock:board", now)
    assert stored_count(db_path) == 0


def test_the_preview_names_the_rock(db, now, rocks):
    preview = preview_quick_add(db, "Design the loop +rock:hire-a", now)
    assert preview.rock == "Hire a VP"
    assert preview.describe(now.date()) == "Unsorted · “Design the loop” · Rock “Hire a VP”"


def test_the_edit_text_writes_the_rock_back_and_keeps_the_link(db, now, rocks):
    task = add_task(db, "Design the interview loop +rock:hire-a !i", now)
    assert task_text(db, task.id) == "Design the interview loop !i +rock:hire-a-vp"
    again = edit_task(db, task.id, task_text(db, task.id), now)
    assert again == task
    moved = edit_task(db, task.id, "Design the interview loop !i +rock:hiring", now)
    assert moved.rock == "Hiring plan"
    cleared = edit_task(db, task.id, "Design the interview loop !i", now)
    assert cleared.rock is None
    assert task_text(db, task.id) == "Design the interview loop !i"


def test_linking_a_rock_is_undone_with_the_edit(db, now, rocks):
    task = add_task(db, "Design the interview loop", now)
    edit_task(db, task.id, "Design the interview loop +rock:hire-a", now)
    db.undo()
    [shown] = task_board(db, now).unsorted.tasks
    assert shown.rock is None


# ----------------------------------------------------------------- unsorted tray


def test_a_capture_without_flags_waits_unsorted_until_it_is_sorted(db, now):
    task = add_task(db, "Look into the office lease", now)
    assert task.unsorted and task.place == "Unsorted"
    board = task_board(db, now)
    assert titles(board.unsorted.tasks) == ["Look into the office lease"]
    assert all(not q.tasks for q in board.quadrants)
    move_task(db, task.id, Quadrant.DROP)  # Drop is a decision
    board = task_board(db, now)
    assert board.unsorted.tasks == ()
    assert titles(board.quadrant(Quadrant.DROP).tasks) == ["Look into the office lease"]


@pytest.mark.parametrize("text", ["Plan !i", "Plan !u", "Plan !iu", "Plan @dana"])
def test_a_capture_with_a_flag_or_an_owner_is_sorted(db, now, dana, text):
    assert add_task(db, text, now).unsorted is False
    assert task_board(db, now).unsorted.tasks == ()


def test_editing_in_a_flag_sorts_a_task_and_editing_without_one_keeps_it_waiting(db, now):
    task = add_task(db, "Look into the lease", now)
    assert edit_task(db, task.id, "Look into the office lease fri", now).unsorted
    assert not edit_task(db, task.id, "Look into the office lease !i", now).unsorted


def test_delegating_an_unsorted_task_files_it_in_delegate(db, now, dana):
    task = add_task(db, "Collect quotes", now)
    delegate_task(db, task.id, dana.id, None)
    board = task_board(db, now)
    assert board.unsorted.tasks == ()
    assert titles(board.quadrant(Quadrant.DELEGATE).tasks) == ["Collect quotes"]


def test_sorting_is_undone_with_the_move(db, now):
    task = add_task(db, "Look into the lease", now)
    move_task(db, task.id, Quadrant.SCHEDULE)
    db.undo()
    assert titles(task_board(db, now).unsorted.tasks) == ["Look into the lease"]


def test_the_preview_says_unsorted_and_names_date_words_kept_in_the_title(db, now):
    preview = preview_quick_add(db, "Read the Sunday Times", now)
    assert preview.describe(now.date()) == "Unsorted · “Read the Sunday Times”"
    assert preview.kept_note() == (
        "“Sunday” stays in the title; end with it or put “on” before it to set the date"
    )
    assert preview_quick_add(db, "Read the Times on Sunday", now).kept_note() == ""


def test_follow_up_and_due_time_are_in_the_view(db, now, dana):
    task = add_task(db, "Send the NDA tomorrow 3pm @dana", now)
    assert task.due_label == "tomorrow 15:00"
    assert task.follow_up == date(2026, 11, 23) and task.follow_up_text == "today"
    assert task.follow_up_due


def test_the_edit_preview_of_an_unsorted_task_says_it_stays_unsorted(db, now):
    task = add_task(db, "Look into the lease", now)
    text = task_text(db, task.id)
    preview = preview_quick_add(db, text, now, new=False, task_id=task.id)
    assert preview.describe(now.date()).startswith("Unsorted · ")
    flagged = preview_quick_add(db, text + " !i", now, new=False, task_id=task.id)
    assert flagged.describe(now.date()).startswith("Q2 Schedule · ")


def test_rescheduling_a_task_moves_its_due_date_in_one_undo_step(db, now):
    from ceodesk.core.domain.tasks import reschedule_task

    task = add_task(db, "Send the deck fri 15:00", now)
    assert reschedule_task(db, task.id, date(2026, 12, 4)) == "Send the deck"
    [view] = [t for q in task_board(db, now).quadrants for t in q.tasks if t.id == task.id] or [
        t for t in task_board(db, now).unsorted.tasks if t.id == task.id
    ]
    assert (view.due_date, view.due_time) == (date(2026, 12, 4), time(15, 0))
    db.undo()
    [view] = [t for q in task_board(db, now).quadrants for t in q.tasks if t.id == task.id] or [
        t for t in task_board(db, now).unsorted.tasks if t.id == task.id
    ]
    assert view.due_date == task.due_date
