"""Keys and palette: one palette entry per action, a footer that says how to move on,
quick capture from any screen, and feedback from settings and team members."""

from __future__ import annotations

from form_support import fill
from textual.command import CommandPalette
from textual.widgets import Input
from textual.widgets._footer import FooterKey, FooterLabel
from ui_support import patience

from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.tasks import task_board
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.commands import palette_entries
from ceodesk.ui.screens.rocks import RocksScreen
from ceodesk.ui.screens.settings import SettingsScreen
from ceodesk.ui.screens.task_dialogs import QuickAddScreen
from ceodesk.ui.screens.tasks import TasksScreen
from ceodesk.ui.screens.team import TeamScreen
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.task_list import TaskList


def footer_text(app: CeodeskApp) -> str:
    parts = []
    for widget in app.screen.query("FooterKey, FooterLabel"):
        if isinstance(widget, FooterKey):
            parts.append(f"{widget.key_display} {widget.description}".strip())
        elif isinstance(widget, FooterLabel):
            parts.append(str(widget.render()))
    return " · ".join(parts)


def notifications(app: CeodeskApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_palette_names_each_screen_once_under_go(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)):
        names = [e.name for e in palette_entries(app, app.screen)]
        assert names.count("go: Rocks") == 1
        assert not [n for n in names if n.startswith("app: Rocks")]
        assert len(names) == len(set(names))
        for screen in ("Week planner", "Tasks (Eisenhower)", "Scorecard", "Big picture"):
            assert any(n.startswith(f"go: {screen}") for n in names)


async def test_the_palette_shows_readable_keys_and_the_screens_actions(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)):
        entries = {e.name: e for e in palette_entries(app, app.screen)}
        longer = entries["week: Make the block one slot longer"]
        assert longer.help == "key + ="
        assert not [e for e in entries.values() if "plus" in e.help or "equals" in e.help]
        assert entries["app: Undo the last change"].help == "key u"
        assert entries["app: Capture a task from any screen"].help == "key ^n"


async def test_the_palette_runs_go_rocks(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"go: Rocks")
        for _ in range(20):
            await pilot.pause(0.05)
        await pilot.press("enter")
        for _ in patience(5, 0.1):
            await pilot.pause()
            if isinstance(app.screen, RocksScreen):
                break
        assert isinstance(app.screen, RocksScreen)


async def test_the_footer_shows_undo_and_how_to_reach_the_other_screens(app) -> None:
    async with app.run_test(size=(200, 45)) as pilot:
        await pilot.pause()
        shown = footer_text(app)
        assert "u Undo" in shown
        assert "1 · 2 · 3 · 4 · 5 · 6 · 8 · screens" in shown
        assert "^n Capture" in shown


async def test_quadrant_titles_carry_no_digit_that_would_switch_screens(app) -> None:
    async with app.run_test(size=(140, 45)):
        titles = [str(t.border_title) for t in app.screen.query(TaskList)]
        assert [t.split(" (")[0] for t in titles] == [
            "Unsorted",
            "Do",
            "Schedule",
            "Delegate",
            "Drop",
        ]


async def test_ctrl_n_captures_a_task_from_the_week_screen(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, QuickAddScreen)
        await pilot.press(*"Call the auditor tomorrow !i")
        assert "Call the auditor" in str(app.screen.query_one("#quick-add-preview").render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "WeekScreen"
        titles = [t.title for q in task_board(app.db, app.now()).quadrants for t in q.tasks]
        assert "Call the auditor" in titles
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, TasksScreen)
        shown = [t.title for tl in app.screen.query(TaskList) for t in tl.view.tasks]
        assert "Call the auditor" in shown


async def test_saving_settings_says_so(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await app.push_screen(SettingsScreen())
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Settings saved" in notifications(app)


async def test_a_new_person_is_in_no_team_unless_named_and_teams_can_be_made(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await app.push_screen(TeamScreen())
        await pilot.pause()
        await pilot.press("n", *"Robin Vega", "enter", *"CMO", "enter", "enter")
        await pilot.pause()
        robin = next(p for p in list_people(app.db) if p.name == "Robin Vega")
        assert robin.teams == ()
        assert "Added Robin Vega" in notifications(app)
        # Edit: put Robin in Leadership and a new Marketing team.
        assert app.screen.query_one("#team-table").has_focus
        await pilot.press("e")
        teams = app.screen.query_one("#f-teams", Input)
        teams.value = "Leadership, Marketing"
        teams.focus()
        await pilot.press("enter")
        await pilot.pause()
        robin = next(p for p in list_people(app.db) if p.name == "Robin Vega")
        assert robin.teams == ("Leadership", "Marketing")
        # Rename the new team.
        await pilot.press("t")
        await fill(pilot, [("team", "marketing"), ("name", "Growth")])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        robin = next(p for p in list_people(app.db) if p.name == "Robin Vega")
        assert robin.teams == ("Leadership", "Growth")
        assert "Team renamed" in notifications(app)


async def test_while_a_field_takes_letters_the_footer_offers_no_letter_keys(app) -> None:
    # Typing a value on the scorecard: q, ? and the digits go into the field. Before, the
    # footer still read "q Quit" there, and the palette key had two lines before it.
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        shown = [k.key for k in app.screen.query(FooterKey)]
        assert shown == ["ctrl+n", "ctrl+p"], shown
        footer = app.screen.query_one(DeskFooter)
        line = "".join(s.text for s in app.screen._compositor.render_strips()[footer.region.y])
        assert "▏▏" not in line and line.rstrip().endswith("▏^p palette"), line
        await pilot.press("q")
        assert app.is_running and app.focused.value == "q"


async def test_help_and_palette_keys_stay_in_view_at_80_columns_on_every_screen(app) -> None:
    # At 80 columns the screen's own keys fill the footer; `?` used to be cut off.
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in "1234568":
            await pilot.press(key)
            await pilot.pause()
            while app.screen.is_modal:  # the meeting's start dialog
                await pilot.press("escape")
                await pilot.pause()
            for wanted in ("question_mark", "ctrl+p"):
                (found,) = [k for k in app.screen.query(FooterKey) if k.key == wanted]
                region = found.region  # empty when scrolled out of the footer
                assert region.width > 0 and region.right <= 80, (key, wanted, region)
