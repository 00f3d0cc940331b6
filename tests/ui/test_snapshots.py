"""Snapshots of every screen on the demo data, with a frozen clock (see conftest).

After an intended change to what a screen shows: pytest --snapshot-update, then look
at the SVGs in __snapshots__ before committing them.
"""

from __future__ import annotations

import pytest

from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.settings import SettingsScreen
from ceodesk.ui.screens.team import TeamScreen

SIZES = {"80x24": (80, 24), "140x45": (140, 45), "200x60": (200, 60)}


@pytest.mark.parametrize("size", SIZES)
def test_tasks_board(snap_compare, app: CeodeskApp, size: str) -> None:
    assert snap_compare(app, terminal_size=SIZES[size])


def test_quick_add_preview(snap_compare, app: CeodeskApp) -> None:
    keys = ["n", *"Prep board deck fri 3pm 2h !i @dana #board"]
    assert snap_compare(app, press=keys, terminal_size=(140, 45))


def test_quick_add_error(snap_compare, app: CeodeskApp) -> None:
    assert snap_compare(app, press=["n", *"Board prep feb 30"], terminal_size=(80, 24))


def test_move_dialog(snap_compare, app: CeodeskApp) -> None:
    assert snap_compare(app, press=["m"], terminal_size=(80, 24))


def test_delegate_dialog(snap_compare, app: CeodeskApp) -> None:
    assert snap_compare(app, press=["j", "g"], terminal_size=(140, 45))


def test_completed_this_week_shown(snap_compare, app: CeodeskApp) -> None:
    assert snap_compare(app, press=["c"], terminal_size=(140, 45))


def test_filter(snap_compare, app: CeodeskApp) -> None:
    assert snap_compare(app, press=["slash", *"customers"], terminal_size=(140, 45))


def test_help(snap_compare, app: CeodeskApp) -> None:
    assert snap_compare(app, press=["question_mark"], terminal_size=(140, 45))


def test_team_members(snap_compare, app: CeodeskApp) -> None:
    async def open_team(pilot) -> None:
        await pilot.app.push_screen(TeamScreen())

    assert snap_compare(app, run_before=open_team, terminal_size=(140, 45))


def test_settings(snap_compare, app: CeodeskApp) -> None:
    async def open_settings(pilot) -> None:
        await pilot.app.push_screen(SettingsScreen())

    assert snap_compare(app, run_before=open_settings, terminal_size=(140, 45))


# -- the week planner (key 1, the start screen) -------------------------------------


@pytest.mark.parametrize("size", ["80x24", "140x45"])
def test_week_grid(snap_compare, week_app: CeodeskApp, size: str) -> None:
    assert snap_compare(week_app, terminal_size=SIZES[size])


def test_week_new_block_form(snap_compare, week_app: CeodeskApp) -> None:
    keys = ["l", "l", "l", "j", "shift+down", "n", *"Board prep"]
    assert snap_compare(week_app, press=keys, terminal_size=(140, 45))


def test_week_actual_dialog(snap_compare, week_app: CeodeskApp) -> None:
    assert snap_compare(week_app, press=["a"], terminal_size=(80, 24))


def test_week_without_weekend_in_15_minute_rows(snap_compare, week_app: CeodeskApp) -> None:
    assert snap_compare(week_app, press=["w", "z"], terminal_size=(140, 45))


def test_week_help(snap_compare, week_app: CeodeskApp) -> None:
    assert snap_compare(week_app, press=["question_mark"], terminal_size=(140, 45))


# -- Rocks (key 3) and the big picture (key 8) ----------------------------------------


@pytest.mark.parametrize("size", ["80x24", "140x45"])
def test_rocks(snap_compare, week_app: CeodeskApp, size: str) -> None:
    assert snap_compare(week_app, press=["3"], terminal_size=SIZES[size])


def test_rocks_by_team(snap_compare, week_app: CeodeskApp) -> None:
    assert snap_compare(week_app, press=["3", "g"], terminal_size=(140, 45))


def test_rock_detail(snap_compare, week_app: CeodeskApp) -> None:
    assert snap_compare(week_app, press=["3", "enter"], terminal_size=(140, 45))


@pytest.mark.parametrize("size", ["80x24", "140x45"])
def test_big_picture(snap_compare, week_app: CeodeskApp, size: str) -> None:
    assert snap_compare(week_app, press=["8"], terminal_size=SIZES[size])


# -- the scorecard (key 4) ------------------------------------------------------------


@pytest.mark.parametrize("size", ["80x24", "140x45"])
def test_scorecard(snap_compare, week_app: CeodeskApp, size: str) -> None:
    assert snap_compare(week_app, press=["4"], terminal_size=SIZES[size])


def test_scorecard_entry_with_an_error(snap_compare, week_app: CeodeskApp) -> None:
    keys = ["4", "h", "e", *"abc", "enter"]
    assert snap_compare(week_app, press=keys, terminal_size=(140, 45))


def test_scorecard_trend(snap_compare, week_app: CeodeskApp) -> None:
    assert snap_compare(week_app, press=["4", "g"], terminal_size=(140, 45))


# -- the Friday review (key 6) --------------------------------------------------------


@pytest.mark.parametrize("size", ["80x24", "140x45"])
def test_review(snap_compare, week_app: CeodeskApp, size: str) -> None:
    assert snap_compare(week_app, press=["6"], terminal_size=SIZES[size])


def test_review_last_week(snap_compare, week_app: CeodeskApp) -> None:
    """Last week: the scorecard is in, with changes, averages and the chart."""
    assert snap_compare(week_app, press=["6", "left_square_bracket"], terminal_size=(140, 45))


def test_review_month(snap_compare, week_app: CeodeskApp) -> None:
    assert snap_compare(week_app, press=["6", "m"], terminal_size=(80, 24))


# -- the team's lists around the weekly meeting (palette "meeting: ...") -----------------

TEAM_LISTS = ["issues_list", "todos_list", "decisions_log", "past_meetings", "edit_agenda"]


@pytest.mark.parametrize("size", ["80x24", "140x45"])
@pytest.mark.parametrize("action", TEAM_LISTS)
def test_team_list(snap_compare, app: CeodeskApp, action: str, size: str) -> None:
    async def open_list(pilot) -> None:
        await pilot.app.run_action(action)
        await pilot.pause()

    assert snap_compare(app, run_before=open_list, terminal_size=SIZES[size])


def test_past_meeting_minutes(snap_compare, app: CeodeskApp) -> None:
    async def open_minutes(pilot) -> None:
        await pilot.app.run_action("past_meetings")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, run_before=open_minutes, terminal_size=(80, 24))


@pytest.mark.parametrize("size", ["80x24", "140x45"])
def test_tasks_with_your_todos(snap_compare, app: CeodeskApp, size: str) -> None:
    assert snap_compare(app, press=["o"], terminal_size=SIZES[size])
