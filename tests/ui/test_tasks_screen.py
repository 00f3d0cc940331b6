"""The Tasks screen driven with the real keys, as a user would."""

from __future__ import annotations

from datetime import date

import pytest
from rich.console import Console
from textual.widgets import Input, OptionList, Static
from ui_support import FROZEN_NOW, patience

from ceodesk.core.domain.tasks import Quadrant, task_board
from ceodesk.core.store.db import open_database
from ceodesk.core.views.capture import add_task
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.commands import palette_entries
from ceodesk.ui.screens.help import HelpScreen
from ceodesk.ui.screens.settings import SettingsScreen
from ceodesk.ui.screens.task_dialogs import DelegateScreen, MoveScreen, QuickAddScreen
from ceodesk.ui.screens.team import TeamScreen
from ceodesk.ui.widgets.task_list import TaskList


def shown(app: CeodeskApp, quadrant: Quadrant) -> list[str]:
    """Titles listed in a quadrant on screen, top to bottom."""
    task_list = app.screen.query_one(f"#q{quadrant.value}", TaskList)
    titles = {t.id: t.title for t in (*task_list.view.tasks, *task_list.view.done)}
    return [titles[i] for i in task_list.task_ids]


def focused_title(app: CeodeskApp) -> str | None:
    task_list = app.focused
    assert isinstance(task_list, TaskList)
    task_id = task_list.current_task_id
    titles = {t.id: t.title for t in (*task_list.view.tasks, *task_list.view.done)}
    return titles.get(task_id)


def stored(app: CeodeskApp):
    return task_board(app.db, app.now())


async def test_board_shows_four_quadrants_with_counts_and_hints(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)):
        lists = {tl.quadrant: tl for tl in app.screen.query(TaskList)}
        assert str(lists[Quadrant.DO].border_title) == "Do (7)"
        assert str(lists[Quadrant.SCHEDULE].border_title).startswith("Schedule (")
        assert str(lists[Quadrant.DELEGATE].border_title).startswith("Delegate (")
        assert str(lists[Quadrant.DROP].border_title).startswith("Drop (")
        first = lists[Quadrant.DO].view.tasks[0]
        assert first.title == "Call Meridian Health about renewal risk"
        assert first.due_text == "overdue 1d" and first.overdue
        hinted = [t for t in lists[Quadrant.SCHEDULE].view.tasks if t.suggest_urgent]
        assert [t.title for t in hinted] == ["1:1 prep: Priya's career plan"]
        # The hint is a suggestion only: the task is still not urgent.
        assert hinted[0].quadrant == Quadrant.SCHEDULE


async def test_arrows_and_hjkl_move_within_and_across_quadrants(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        assert focused_title(app) == "Call Meridian Health about renewal risk"
        await pilot.press("j", "down")
        assert focused_title(app) == shown(app, Quadrant.DO)[2]
        await pilot.press("l")
        assert app.focused.id == "q2"
        await pilot.press("h")
        assert app.focused.id == "q1"
        await pilot.press(*["j"] * 5)  # row 3 of 7, then past the last: into Delegate
        assert app.focused.id == "q3"
        assert focused_title(app) == shown(app, Quadrant.DELEGATE)[0]
        await pilot.press("right", "up")  # Drop, then up into Schedule's last task
        assert app.focused.id == "q2"
        assert focused_title(app) == shown(app, Quadrant.SCHEDULE)[-1]
        await pilot.press("k")
        assert focused_title(app) == shown(app, Quadrant.SCHEDULE)[-2]


async def test_quick_add_previews_then_stores_the_task(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, QuickAddScreen)
        await pilot.press(*"Call Dana about the VP offer tomorrow 3pm !iu 30m")
        preview = str(app.screen.query_one("#quick-add-preview", Static).render())
        assert "Q1 Do" in preview
        assert "Thu 26 Nov 2026 15:00" in preview
        assert "est 30m" in preview
        await pilot.press("enter")
        assert not isinstance(app.screen, QuickAddScreen)
        assert "Call Dana about the VP offer" in shown(app, Quadrant.DO)
        assert focused_title(app) == "Call Dana about the VP offer"


async def test_quick_add_with_an_impossible_date_stores_nothing(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        before = stored(app).open_count
        await pilot.press("n", *"Board prep feb 30 !i")
        preview = str(app.screen.query_one("#quick-add-preview", Static).render())
        assert "There is no 30 February" in preview
        await pilot.press("enter")
        assert isinstance(app.screen, QuickAddScreen)  # still open, text kept
        assert app.screen.query_one(Input).value == "Board prep feb 30 !i"
        await pilot.press("escape")
        assert not isinstance(app.screen, QuickAddScreen)
        assert stored(app).open_count == before


async def test_complete_undo_redo_and_the_completed_toggle(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        title = focused_title(app)
        await pilot.press("x")
        assert title not in shown(app, Quadrant.DO)
        await pilot.press("c")  # completed this week are listed, struck through
        assert title in shown(app, Quadrant.DO)
        await pilot.press("c", "u")
        assert title in shown(app, Quadrant.DO)
        assert not any(t.done for t in stored(app).quadrant(Quadrant.DO).tasks)
        await pilot.press("ctrl+r")
        assert title not in shown(app, Quadrant.DO)


async def drawn_board(pilot, app: CeodeskApp) -> None:
    for _ in patience(100, 2.0):
        if not app.screen.load_under_way:
            return
        await pilot.pause()
    raise AssertionError("the board never drew")


async def test_completing_a_task_keeps_the_cursor_on_its_row_and_the_other_lists_as_drawn(
    app: CeodeskApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j")
        do_list = app.screen.query_one("#q1", TaskList)
        before, row = shown(app, Quadrant.DO), do_list.highlighted
        assert row == 1 and len(before) > 2
        others = [
            app.screen.query_one(f"#q{q.value}", TaskList).options
            for q in (Quadrant.SCHEDULE, Quadrant.DELEGATE, Quadrant.DROP)
        ]
        await pilot.press("x")
        await drawn_board(pilot, app)
        # The task leaves, the cursor stays on its row: on the task that came after it.
        assert shown(app, Quadrant.DO) == [*before[:1], *before[2:]]
        assert do_list.highlighted == row and focused_title(app) == before[2]
        # The quadrants it was not in are left as they were drawn, row for row.
        assert [
            app.screen.query_one(f"#q{q.value}", TaskList).options
            for q in (Quadrant.SCHEDULE, Quadrant.DELEGATE, Quadrant.DROP)
        ] == others
        await pilot.press("u")
        await drawn_board(pilot, app)
        assert shown(app, Quadrant.DO) == before
        assert focused_title(app) == before[2]  # still on the task it was on


async def test_a_burst_of_keys_leaves_one_toast_saying_what_the_last_did(
    app: CeodeskApp,
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("x", "x", "x")
        await pilot.pause()
        # Before: three "Completed" toasts stacked over the Drop quadrant.
        assert [n.message for n in app._notifications] == ["Completed — u to undo"]
        app.notify("Disk almost full", severity="warning")
        await pilot.press("u")
        await pilot.pause()
        shown = [(n.severity, n.message) for n in app._notifications]
        assert shown[0] == ("warning", "Disk almost full")  # a warning stays
        assert [s for s, _m in shown].count("information") == 1
        assert shown[-1][1].startswith("Undone: Completed")
        assert len(app.screen.query("Toast")) == len(shown)


async def test_archive_is_undoable(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        title = focused_title(app)
        await pilot.press("d")
        assert title not in shown(app, Quadrant.DO)
        await pilot.press("u")
        assert title in shown(app, Quadrant.DO)


async def test_move_to_another_quadrant_with_m_then_a_number(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        title = focused_title(app)
        await pilot.press("m")
        assert isinstance(app.screen, MoveScreen)
        await pilot.press("2")
        assert title in shown(app, Quadrant.SCHEDULE)
        assert title not in shown(app, Quadrant.DO)
        # The quadrant keys did not switch screens while the dialog was open.
        assert app.current_mode == "tasks"


async def test_delegate_picks_a_person_and_a_follow_up_date(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        title = focused_title(app)
        await pilot.press("g")
        assert isinstance(app.screen, DelegateScreen)
        people = app.screen.query_one(OptionList)
        first_person = str(people.get_option_at_index(0).prompt).split("  ")[0]
        await pilot.press("tab")
        app.screen.query_one(Input).value = ""
        await pilot.press(*"fri", "enter")
        assert not isinstance(app.screen, DelegateScreen)
        task = next(t for t in stored(app).quadrant(Quadrant.DO).tasks if t.title == title)
        assert task.owner == first_person
        assert task.follow_up == date(2026, 11, 27)


async def test_delegate_rejects_a_bad_follow_up_date(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("g", "tab")
        app.screen.query_one(Input).value = ""
        await pilot.press(*"someday", "enter")
        assert isinstance(app.screen, DelegateScreen)
        error = str(app.screen.query_one("#delegate-error", Static).render())
        assert "is not a date" in error


async def test_filter_narrows_every_quadrant_and_escape_clears_it(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("slash", *"#board")
        everything = [t for q in Quadrant for t in shown(app, q)]
        assert everything == ["Review board deck draft"]
        await pilot.press("enter")  # keep the filter, back to the lists
        assert isinstance(app.focused, TaskList)
        await pilot.press("escape")
        everything = [t for q in Quadrant for t in shown(app, q)] + tray_titles(app)
        assert len(everything) == stored(app).open_count


async def test_edit_rewrites_the_task_through_the_same_grammar(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, QuickAddScreen)
        field = app.screen.query_one(Input)
        assert field.value.startswith("Call Meridian Health about renewal risk")
        field.value = "Call Meridian Health CFO eow !i 45m"
        await pilot.press("enter")
        assert "Call Meridian Health CFO" in shown(app, Quadrant.SCHEDULE)


async def test_a_click_opens_the_task_under_the_mouse_even_after_rows_moved(
    app: CeodeskApp,
) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        do_list = app.screen.query_one("#q1", TaskList)
        titles = shown(app, Quadrant.DO)
        await pilot.press("x")  # the first task goes: the rows below move up one
        await pilot.pause()
        # The mouse over the third row lights it up, and a click opens that task.
        await pilot.hover(do_list, offset=(5, 3))
        assert do_list._mouse_hovering_over == 2
        await pilot.click(do_list, offset=(5, 3))
        assert isinstance(app.screen, QuickAddScreen)
        assert app.screen.query_one(Input).value.startswith(titles[3])
        await pilot.press("escape")
        await pilot.hover(do_list, offset=(5, 30))  # below the rows: nothing lit
        assert do_list._mouse_hovering_over is None


async def test_help_lists_the_keys_of_this_screen(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.keys
        descriptions = {str(row) for column in keys.columns for row in column._cells}
        assert {"New", "Move", "Delegate", "Filter", "Undo", "Quit"} <= descriptions
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_opens_team_members_to_add_a_person(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("ctrl+p", *"team members")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("n", *"Robin Vega", "enter", *"Head of Marketing", "enter", "enter")
        assert isinstance(app.screen, TeamScreen)
        names = [p.name for p in app.screen.people]
        assert "Robin Vega" in names


async def test_settings_refuse_an_unknown_time_zone(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("ctrl+p", *"settings")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        zone = app.screen.query_one("#s-zone", Input)
        zone.value = "Mars/Olympus"
        zone.focus()
        await pilot.press("enter")
        error = str(app.screen.query_one("#settings-error", Static).render())
        assert "not an IANA time zone" in error
        zone.value = "Europe/Berlin"
        await pilot.press("enter")
        assert "Saved" in str(app.screen.query_one("#settings-error", Static).render())


async def test_a_change_from_another_process_shows_up(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        other = open_database(app.db.location.path)
        try:
            add_task(other, "Added from the shell !iu", FROZEN_NOW)
        finally:
            other.close()
        for _ in range(30):  # the file is polled about once a second
            if "Added from the shell" in shown(app, Quadrant.DO):
                break
            await pilot.pause(0.1)
        assert "Added from the shell" in shown(app, Quadrant.DO)


async def test_q_quits(app: CeodeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_command_palette_offers_every_action_of_the_screen(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)):
        titles = [entry.name for entry in palette_entries(app, app.screen)]
        for binding in [*app.screen.BINDINGS, *app.BINDINGS]:
            if binding.description and binding.id:
                assert any(binding.tooltip in title for title in titles), binding.id
        assert "app: Team members" in titles and "app: Settings" in titles


async def test_team_member_can_be_deactivated_and_keeps_their_name(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await app.push_screen(TeamScreen())
        await pilot.pause()
        table = app.screen.people
        row = next(i for i, p in enumerate(table) if p.name == "Dana Whitfield")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("x")
        dana = next(p for p in app.screen.people if p.name == "Dana Whitfield")
        assert not dana.active
        # Tasks she owns still show her name.
        await pilot.press("escape")
        owners = {t.owner for t in stored(app).quadrant(Quadrant.DELEGATE).tasks}
        assert "Dana Whitfield" in owners


async def test_undo_inside_team_members_redraws_the_table(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await app.push_screen(TeamScreen())
        await pilot.pause()
        row = next(i for i, p in enumerate(app.screen.people) if p.name == "Dana Whitfield")
        await pilot.press(*["down"] * row, "x")
        assert not next(p for p in app.screen.people if p.name == "Dana Whitfield").active
        await pilot.press("u")
        assert next(p for p in app.screen.people if p.name == "Dana Whitfield").active


async def test_cursor_stays_on_its_task_when_another_process_adds_one_above(
    app: CeodeskApp,
) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("j", "j")
        title = focused_title(app)
        other = open_database(app.db.location.path)
        try:
            add_task(other, "Urgent call from the board 2026-11-20 !iu", FROZEN_NOW)
        finally:
            other.close()
        app.check_for_changes()  # what the poll does every second
        await pilot.pause()
        assert shown(app, Quadrant.DO)[0] == "Urgent call from the board"
        assert focused_title(app) == title


# ------------------------------------------------------------- issue 9.8: tasks


def tray(app: CeodeskApp) -> TaskList:
    return app.screen.query_one("#unsorted", TaskList)


def tray_titles(app: CeodeskApp) -> list[str]:
    task_list = tray(app)
    titles = {t.id: t.title for t in task_list.view.tasks}
    return [titles[i] for i in task_list.task_ids]


def screen_text(app: CeodeskApp, widget_id: str) -> str:
    """The rows of a task list as drawn at its width, one line each."""
    task_list = app.screen.query_one(f"#{widget_id}", TaskList)
    console = Console(width=task_list._row_width(), color_system=None)
    return "\n".join(
        "".join(seg.text for seg in line)
        for i in range(task_list.option_count)
        for line in console.render_lines(task_list.get_option_at_index(i).prompt)
    )


async def test_a_capture_without_flags_waits_in_the_unsorted_tray(app: CeodeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        assert tray(app).display
        waiting = tray_titles(app)
        await pilot.press("n", *"Look into the office lease", "enter")
        await pilot.pause()
        # Not in Drop: in the tray, with the cursor on it.
        assert "Look into the office lease" not in shown(app, Quadrant.DROP)
        assert tray_titles(app) == [*waiting, "Look into the office lease"]
        assert app.focused is tray(app)
        assert focused_title(app) == "Look into the office lease"
        assert str(tray(app).border_title) == f"Unsorted ({len(waiting) + 1})"


@pytest.mark.parametrize("size", [(80, 24), (140, 45)])
async def test_the_tray_is_reached_with_the_arrows_and_sorted_with_m(
    app: CeodeskApp, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size) as pilot:
        first = tray_titles(app)[0]
        assert tray(app).region.height >= 3  # visible: a border and at least one row
        await pilot.press("k")  # up from the first task of Do: into the tray
        assert app.focused is tray(app)
        assert focused_title(app) == tray_titles(app)[-1]
        await pilot.press("k")
        assert focused_title(app) == first
        await pilot.press("m")
        assert isinstance(app.screen, MoveScreen)
        await pilot.press("2")
        await pilot.pause()
        assert first in shown(app, Quadrant.SCHEDULE)
        assert first not in tray_titles(app)
        await pilot.press("j")  # down from the tray: back into Do
        assert app.focused.id == "q1"
        db_task = next(t for t in stored(app).quadrant(Quadrant.SCHEDULE).tasks if t.title == first)
        assert not db_task.unsorted


async def test_sorting_the_last_unsorted_task_hides_the_tray_and_follows_it(
    app: CeodeskApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k")
        while tray_titles(app):
            title = focused_title(app)
            await pilot.press("m", "4")
            await pilot.pause()
            assert title in shown(app, Quadrant.DROP)
        assert not tray(app).display
        assert app.focused.id == "q4"
        await pilot.press("k", "k", "k", "k", "k", "k", "k")  # up in Drop, then Schedule
        assert app.focused is not tray(app)


async def test_schedule_quadrant_shows_titles_at_80x24(app: CeodeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app, "q2")
        assert "1:1 prep: Priya" in text
        assert "Review churn" in text
        assert "▸Wed" in text  # when it is scheduled, compactly
        assert "\n│…" not in text


async def test_rows_show_follow_ups_due_times_and_tags(app: CeodeskApp) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        delegate = screen_text(app, "q3")
        assert "@Dana" in delegate and "↻today" in delegate and "↻tomorrow" in delegate
        assert "Fri 10:00" in screen_text(app, "q1")  # "Review board deck draft" at 10:00
        assert "#hiring" in screen_text(app, "q1")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "↻tmrw" in screen_text(app, "q3")  # compact, still there
        assert "Sat 11:00" in screen_text(app, "q4")


async def test_the_delegate_picker_filters_as_you_type(app: CeodeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        title = focused_title(app)
        await pilot.press("g")
        assert isinstance(app.screen, DelegateScreen)
        people = app.screen.query_one("#delegate-people", OptionList)
        assert people.option_count == 24  # everyone but me
        await pilot.press(*"jor")
        names = [str(people.get_option_at_index(i).prompt) for i in range(people.option_count)]
        assert len(names) == 1 and names[0].startswith("Jordan")
        assert "1 of 24" in str(app.screen.query_one("#delegate-search", Static).render())
        await pilot.press("backspace", "backspace", "backspace", *"zzz")
        assert people.highlighted is None
        await pilot.press("enter")
        assert isinstance(app.screen, DelegateScreen)  # nobody to pick: it says so
        assert "No one matches" in str(app.screen.query_one("#delegate-error", Static).render())
        await pilot.press("escape")  # clears the search, the dialog stays
        assert isinstance(app.screen, DelegateScreen) and people.option_count == 24
        await pilot.press(*"sam", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, DelegateScreen)
        task = next(t for t in stored(app).quadrant(Quadrant.DO).tasks if t.title == title)
        assert task.owner and task.owner.startswith("Sam")


async def test_quick_add_preview_says_which_date_words_stay_in_the_title(app: CeodeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Read the Sunday Times")
        preview = str(app.screen.query_one("#quick-add-preview", Static).render())
        assert "Unsorted · “Read the Sunday Times”" in preview
        assert "“Sunday” stays in the title" in preview
        await pilot.press(*" !i", "enter")
        await pilot.pause()
        assert "Read the Sunday Times" in shown(app, Quadrant.SCHEDULE)
