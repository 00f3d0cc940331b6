"""The weekly meeting (key 5) driven with the real keys on the demo: a whole meeting from
the start dialog to the stored minutes, the timer against a clock the test moves, and a
meeting that resumes after the app was closed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from test_dialogs import settle
from textual.widgets import Digits, Markdown
from ui_support import FROZEN_NOW, shown_text

from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.store.db import Database, open_database
from ceodesk.core.views import meeting as flow
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.form import FormScreen
from ceodesk.ui.screens.help import HelpScreen
from ceodesk.ui.screens.meeting import MeetingScreen
from ceodesk.ui.screens.meeting_dialogs import StartDialog
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.widgets.meeting_parts import MeetingTable

SECOND = timedelta(seconds=1)


class MovingClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += seconds * SECOND


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(FROZEN_NOW)


@pytest.fixture
def meeting_app(demo_db: Database, clock: MovingClock) -> CeodeskApp:
    desk = CeodeskApp(demo_db, clock=clock)
    desk.animation_level = "none"
    return desk


def meeting_screen(app: CeodeskApp) -> MeetingScreen:
    screen = app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


async def start_meeting(pilot, *keys: str) -> MeetingScreen:
    """Key 5, then the start dialog: ``keys`` first (roles), enter starts."""
    await pilot.press("5")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StartDialog)
    await pilot.press(*keys, "enter")
    await settle(pilot)
    return meeting_screen(pilot.app)


async def cursor_to(pilot, prefix: str, nth: int = 0) -> None:
    """Move the section's cursor down to the ``nth`` row whose key starts with ``prefix``."""
    table = meeting_screen(pilot.app).query_one(MeetingTable)
    keys = [r.key for r in table.rows_shown]
    target = [i for i, k in enumerate(keys) if k.startswith(prefix)][nth]
    while table.cursor_row < target:
        await pilot.press("j")
    while table.cursor_row > target:
        await pilot.press("k")


def section_title(app: CeodeskApp) -> str:
    view = meeting_screen(app).view
    assert view is not None and view.frame is not None
    return view.frame.state.section.title


def running_meeting(app: CeodeskApp) -> int:
    team = flow.default_team(app.db)
    found = flow.this_weeks_meeting(app.db, team, app.now())
    assert found is not None
    return found


async def test_a_whole_meeting_from_the_start_dialog_to_the_minutes(meeting_app, clock):
    app = meeting_app
    db = app.db
    async with app.run_test(size=(140, 45)) as pilot:
        # Start: everyone present, Alex (you) facilitates, Dana scribes.
        screen = await start_meeting(pilot, "j", "s")
        meeting_id = running_meeting(app)
        state = meetings.meeting_state(db, meeting_id, clock.now)
        names = dict(flow.team_people(db, state.team_id))
        assert names[state.facilitator_id or 0] == "Alex Morgan"
        assert names[state.scribe_id or 0] == "Dana Whitfield"
        assert section_title(app) == "Segue"

        # Segue: enter notes the focused attendee's good news.
        await pilot.press("enter", *"Closed the Harbor renewal", "enter")
        await settle(pilot)
        assert [s.text for s in meetings.segues(db, meeting_id)] == ["Closed the Harbor renewal"]

        # Scorecard: the off-goal row first; i drops it to the issues list, prefilled.
        clock.advance(290)
        await pilot.press("tab")
        assert section_title(app) == "Scorecard"
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter")
        await settle(pilot)
        dropped = [i for i in issues.open_issues(db, state.team_id) if i.source_kind]
        assert [i.title for i in dropped] == [
            "Median onboarding days off goal 3 weeks: 36 vs <= 30"
        ]

        # Rock review: space flips the first (off-track) Rock to on track this week.
        await pilot.press("tab")
        assert section_title(app) == "Rock review"
        await cursor_to(pilot, "rock:")
        rock = screen.query_one(MeetingTable).current
        assert rock is not None and rock.item.status == "off_track"  # type: ignore[attr-defined]
        await pilot.press("space")
        await settle(pilot)
        flipped = next(
            r
            for r in flow.rock_review(db, state.team_id, clock.now).rows
            if r.id == rock.item.id  # type: ignore[attr-defined]
        )
        assert flipped.this_week == "on_track"

        # Headlines: n adds one (customer, told by Alex), a shout-out.
        await pilot.press("tab")
        await pilot.press("n", "enter", "enter", *"Lumen renewed early", "enter")
        await pilot.press("backspace", "y", "enter")
        await settle(pilot)
        told = [h for h in meetings.headlines(db, meeting_id) if h.text == "Lumen renewed early"]
        assert told and told[0].shout_out and told[0].person == "Alex Morgan"

        # To-do list: space marks the first (the stuck one) done.
        await pilot.press("tab")
        assert section_title(app) == "To-do list"
        head_before = shown_text(screen.query_one("#section-head"))
        first = screen.query_one(MeetingTable).current
        assert first is not None and first.item.stuck  # type: ignore[attr-defined]
        await pilot.press("space")
        await settle(pilot)
        assert todos.todo(db, first.item.todo.id, app.today()).done  # type: ignore[attr-defined]
        assert shown_text(screen.query_one("#section-head")) != head_before

        # IDS: r unmarks #1 and marks it again as the next (#3); s solves it.
        await pilot.press("tab")
        assert section_title(app) == "Issues (IDS)"
        await cursor_to(pilot, "issue:")
        support = issues.open_issues(db, state.team_id)[0]
        assert support.title == "Support is at capacity" and support.rank == 1
        await pilot.press("r")
        await settle(pilot)
        assert issues.issue(db, support.id).rank is None
        await pilot.press("r")
        await settle(pilot)
        assert issues.issue(db, support.id).rank == 3
        await pilot.press("s", *"Hire a support contractor for Q1", "enter")
        await pilot.press(*"Sign the contractor @dana fri", "tab", "ctrl+s")
        await settle(pilot)
        assert issues.issue(db, support.id).status == "solved"
        made = todos.from_issue(db, support.id, app.today())
        assert [(t.title, t.owner, t.due) for t in made] == [
            ("Sign the contractor", "Dana Whitfield", date(2026, 11, 27))
        ]

        # Conclude: the new to-do is recapped; ratings, one below 8 asks why.
        await pilot.press("tab")
        assert section_title(app) == "Conclude"
        table = screen.query_one(MeetingTable)
        assert any(r.key == f"new:{made[0].id}" for r in table.rows_shown)
        await cursor_to(pilot, "rate:")
        await pilot.press("enter", *"9", "enter", "enter")
        await settle(pilot)
        await cursor_to(pilot, "rate:", 1)
        await pilot.press("enter", *"6", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)  # refused: below 8 needs a why
        assert "below 8 needs one line" in shown_text(app.screen.query_one("#form-error"))
        await pilot.press(*"We ran long on IDS", "enter")
        await settle(pilot)
        scores = [(r.score, r.why) for r in meetings.ratings(db, meeting_id)]
        assert scores == [(9, ""), (6, "We ran long on IDS")]
        assert "average rating 7.5" in shown_text(screen.query_one("#section-head"))

        # End: E asks, y ends; the minutes are stored and shown.
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        await pilot.press("y")
        await settle(pilot)
        minutes = meetings.stored_minutes(db, meeting_id)
        assert minutes.average == 7.5 and minutes.issues_solved[0].title == support.title
        assert minutes.segues == ("Alex Morgan: Closed the Harbor renewal",)
        assert meeting_screen(app).query_one("#meeting-minutes").display
        shown = meeting_screen(app).query_one("#minutes-text", Markdown).source
        assert "Hire a support contractor for Q1" in shown and "Average: 7.5" in shown


async def test_the_timer_counts_down_turns_amber_then_red_and_pauses(meeting_app, clock):
    app = meeting_app
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await start_meeting(pilot)
        timer = screen.query_one("#timer", Digits)
        assert timer.value == "5:00"
        clock.advance(250)
        screen.tick()
        assert timer.value == "0:50" and timer.has_class("-last-minute")
        assert "last minute" in shown_text(screen.query_one("#timer-status"))
        clock.advance(80)
        screen.tick()
        assert timer.value == "+0:30" and timer.has_class("-over")
        assert "▲ +0:30 over" in shown_text(screen.query_one("#timer-status"))
        assert "▲ +0:30" in shown_text(screen.query_one("#agenda-list"))

        await pilot.press("space")  # pause
        await settle(pilot)
        assert "paused" in shown_text(screen.query_one("#timer-status"))
        clock.advance(600)
        screen.tick()
        assert timer.value == "+0:30"
        await pilot.press("space")  # resume
        await settle(pilot)
        clock.advance(10)
        screen.tick()
        assert timer.value == "+0:40"
        # The next section starts from its own time; the total keeps counting.
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert timer.value == "5:00" and not timer.has_class("-over")
        assert "Total 5:40 of 90m" in shown_text(screen.query_one("#agenda-total"))


async def test_the_tick_checkpoints_so_a_crash_loses_seconds_only(meeting_app, clock):
    app = meeting_app
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await start_meeting(pilot)
        meeting_id = running_meeting(app)
        clock.advance(42)
        screen.tick()
        seen = meetings.meeting_state(app.db, meeting_id, clock.now).seen_at
        assert seen is not None and seen.replace(tzinfo=None) == clock.now.replace(tzinfo=None)


async def close_with_the_rock_review_running(path, clock: MovingClock, *, pause: bool) -> int:
    db = open_database(path)
    app = CeodeskApp(db, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await start_meeting(pilot)
        clock.advance(60)
        await pilot.press("tab")
        clock.advance(30)
        await pilot.press("tab")
        await settle(pilot)
        clock.advance(20)
        if pause:
            await pilot.press("t")  # space flips a Rock here; t pauses in every section
            await settle(pilot)
        meeting_screen(app).tick()
        meeting_id = running_meeting(app)
    db.close()
    return meeting_id


@pytest.mark.parametrize("count", [False, True])
async def test_a_running_meeting_resumes_after_a_restart_and_asks_about_the_time_away(
    demo_db, clock, count
):
    path = demo_db.location.path
    demo_db.close()
    meeting_id = await close_with_the_rock_review_running(path, clock, pause=False)

    clock.advance(600)  # ten minutes later, a new app on the same file
    db = open_database(path)
    app = CeodeskApp(db, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        assert "10 minutes" in shown_text(app.screen.query_one(".pick Static"))
        below = app.screen_stack[-2]
        assert isinstance(below, MeetingScreen)
        below.tick()  # a tick while the question is open must not settle it
        await pilot.press("y" if count else "n")
        await settle(pilot)
        screen = meeting_screen(app)
        assert section_title(app) == "Rock review"
        # 20 seconds of its 5 minutes were used before closing; +5:20 over with the time away.
        assert screen.query_one("#timer", Digits).value == ("+5:20" if count else "4:40")
        assert meetings.meeting_state(db, meeting_id, clock.now).running
    db.close()


async def test_a_paused_meeting_resumes_paused_without_a_question(demo_db, clock):
    path = demo_db.location.path
    demo_db.close()
    meeting_id = await close_with_the_rock_review_running(path, clock, pause=True)
    clock.advance(3600)
    db = open_database(path)
    app = CeodeskApp(db, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = meeting_screen(app)
        assert section_title(app) == "Rock review"
        assert screen.query_one("#timer", Digits).value == "4:40"
        assert "paused" in shown_text(screen.query_one("#timer-status"))
        assert not meetings.meeting_state(db, meeting_id, clock.now).running
    db.close()


async def test_i_in_a_section_links_the_new_issue_back_and_u_undoes_it(meeting_app, clock):
    app = meeting_app
    async with app.run_test(size=(140, 45)) as pilot:
        await start_meeting(pilot)
        team = flow.default_team(app.db)
        before = len(issues.open_issues(app.db, team))
        await pilot.press("tab", "tab", "i", "enter")  # the first Rock of the review
        await settle(pilot)
        raised = [i for i in issues.open_issues(app.db, team) if i.source_kind == "rock"]
        assert len(raised) == 1 and "Build 3x pipeline coverage" in raised[0].title
        await pilot.press("u")
        await settle(pilot)
        assert len(issues.open_issues(app.db, team)) == before


async def test_suggestions_are_accepted_or_dismissed_and_issues_dropped(meeting_app, clock):
    app = meeting_app
    async with app.run_test(size=(140, 45)) as pilot:
        await start_meeting(pilot)
        for _ in range(5):
            await pilot.press("tab")
        team = flow.default_team(app.db)
        suggested = len(flow.issues_section(app.db, team, clock.now).proposals)
        await cursor_to(pilot, "proposal:")
        await pilot.press("a")
        await settle(pilot)
        await cursor_to(pilot, "proposal:")
        await pilot.press("x")
        await settle(pilot)
        assert len(flow.issues_section(app.db, team, clock.now).proposals) == suggested - 2
        await cursor_to(pilot, "issue:", 3)
        dropped = meeting_screen(app).query_one(MeetingTable).current
        await pilot.press("x")
        await settle(pilot)
        assert issues.issue(app.db, dropped.item.id).status == "dropped"  # type: ignore[union-attr]
        await cursor_to(pilot, "issue:", 3)
        moved = meeting_screen(app).query_one(MeetingTable).current
        await pilot.press("l")
        await settle(pilot)
        assert issues.issue(app.db, moved.item.id).long_term  # type: ignore[union-attr]


async def test_presenter_mode_keeps_your_week_and_tasks_closed(meeting_app, clock):
    app = meeting_app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_meeting(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert app.presenting and app.theme == "ceodesk-presenter"
        assert screen.has_class("presenting") and screen.query_one("#big-timer").display
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is screen  # the week planner stays closed
        await pilot.press("3")
        await settle(pilot)
        assert app.current_mode == "rocks"
        await pilot.press("5", "P")
        await settle(pilot)
        assert not app.presenting and app.theme == "ceodesk"
        await pilot.press("1")
        await settle(pilot)
        assert app.current_mode == "week"


async def test_fast_keys_through_every_section_do_not_crash(meeting_app, clock):
    app = meeting_app
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        keys = ["tab", "j", "space", "k", "shift+tab", "tab", "tab", "space", "tab", "s"]
        keys += ["tab", "space", "space", "tab", "r", "shift+down", "shift+up", "tab", "j"]
        await pilot.press(*keys, "tab", "tab", "left_square_bracket", "P", "P")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen) and app.return_code is None


async def test_escape_leaves_the_start_for_later_and_help_lists_the_keys(meeting_app, clock):
    app = meeting_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = meeting_screen(app)
        assert "Press enter to start it" in shown_text(screen.query_one("#no-meeting"))
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and app.screen.target_title == "Weekly meeting"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the start dialog again
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert section_title(app) == "Segue"


async def test_undoing_the_start_leaves_no_meeting_running(meeting_app, clock):
    app = meeting_app
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await start_meeting(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert flow.this_weeks_meeting(app.db, flow.default_team(app.db), clock.now) is None
        assert screen.query_one("#meeting-minutes").display


async def test_T_turns_to_another_teams_meeting_and_starts_it_for_that_team(meeting_app, clock):
    app = meeting_app
    leadership = flow.default_team(app.db)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("escape")  # not the Leadership meeting now
        await settle(pilot)
        screen = meeting_screen(app)
        await pilot.press("T")
        await settle(pilot)
        assert screen.view is not None and screen.view.team_id != leadership
        other, name = screen.view.team_id, screen.view.team
        assert name in shown_text(screen.query_one("#topbar"))
        await pilot.press("enter", "enter")  # the start dialog, everyone present
        await settle(pilot)
        assert section_title(app) == "Segue"
    assert flow.this_weeks_meeting(app.db, other, clock.now) is not None
    assert flow.this_weeks_meeting(app.db, leadership, clock.now) is None
