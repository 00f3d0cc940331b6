"""The team's lists around the meeting, driven with the real keys on the demo: the
issues list, the to-dos, the decisions log, past meetings, the agenda editor, your
to-dos on the Tasks screen, and i on the Rocks and Scorecard screens."""

from __future__ import annotations

from datetime import timedelta

from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Markdown, Static
from ui_support import FROZEN_NOW, shown_text, until

from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.domain.rocks import quarter_rocks
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.views import proposals
from ceodesk.core.views.meeting import default_team, minutes_markdown
from ceodesk.core.views.team_lists import decisions_log, my_id
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.agenda import AgendaScreen
from ceodesk.ui.screens.decisions import DecisionsScreen
from ceodesk.ui.screens.form import FormScreen
from ceodesk.ui.screens.help import HelpScreen
from ceodesk.ui.screens.issues_list import IssuesListScreen
from ceodesk.ui.screens.past_meetings import MinutesScreen, PastMeetingsScreen
from ceodesk.ui.screens.rocks import RocksScreen
from ceodesk.ui.screens.scorecard import ScorecardScreen
from ceodesk.ui.screens.tasks import TasksScreen
from ceodesk.ui.screens.todos_list import TodosScreen
from ceodesk.ui.widgets.my_todos import MyTodos
from ceodesk.ui.widgets.vim import RecordTable


def notifications(app: CeodeskApp) -> list[str]:
    return [n.message for n in app._notifications]


def rows(app: CeodeskApp) -> list[list[str]]:
    table = app.screen.query_one(RecordTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def open_issues(app: CeodeskApp):
    return issues.open_issues(app.db, default_team(app.db))


async def from_palette(pilot, words: str, screen_type) -> None:
    """ctrl+p, "meeting: <words>", enter: the screen it names opens."""
    name = f"meeting: {words}"
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*name)

    def found() -> bool:
        results = pilot.app.screen.query(CommandList)
        if not results:
            return False
        listed = results.first()
        first = listed.get_option_at_index(0) if listed.option_count else None
        return first is not None and str(first.prompt).startswith(name)

    await until(pilot, found)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    await pilot.pause()


# ------------------------------------------------------------------ issues


async def test_the_issues_list_adds_with_the_shell_grammar_and_drops(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await from_palette(pilot, "Issues list", IssuesListScreen)
        before = len(open_issues(app))
        assert len(rows(app)) == before and rows(app)[0][0] == "1"  # the top 3 first
        await pilot.press("n", *"Churn is up @sam #long", "enter")
        await pilot.pause()
        assert isinstance(app.screen, IssuesListScreen)
        made = next(i for i in open_issues(app) if i.title == "Churn is up")
        assert made.long_term and made.owner == "Sam Okafor"
        assert ["", "Churn is up", "Sam", "long"] in [r[:4] for r in rows(app)]
        assert "Added to the issues list: Churn is up" in notifications(app)

        await pilot.press("x")  # drops the focused (first) issue
        await pilot.pause()
        assert len(open_issues(app)) == before
        assert any(n.startswith("Dropped “") for n in notifications(app))
        await pilot.press("u")
        await pilot.pause()
        assert len(open_issues(app)) == before + 1 and len(rows(app)) == before + 1


async def test_a_bad_issue_is_refused_in_the_form_and_nothing_is_stored(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await from_palette(pilot, "Issues list", IssuesListScreen)
        before = open_issues(app)
        await pilot.press("n", *"Churn @nobody", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "No active team member matches @nobody." in shown_text(
            app.screen.query_one("#form-error", Static)
        )
        await pilot.press("escape")
        await pilot.pause()
        assert open_issues(app) == before


async def test_editing_and_the_long_term_toggle_on_the_issues_list(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await from_palette(pilot, "Issues list", IssuesListScreen)
        first = open_issues(app)[0]
        await pilot.press("l")
        await pilot.pause()
        assert issues.issue(app.db, first.id).long_term
        assert "Moved to the long-term list" in notifications(app)
        table = app.screen.query_one(RecordTable)
        table.move_cursor(row=table.ids.index(first.id))
        await pilot.press("e", "ctrl+u", *"Support needs a second engineer", "enter")
        await pilot.press("ctrl+u", *"jordan", "enter")
        await pilot.pause()
        edited = issues.issue(app.db, first.id)
        assert edited.title == "Support needs a second engineer" and edited.owner == "Jordan Reyes"
        await pilot.press("l")
        await pilot.pause()
        assert not issues.issue(app.db, first.id).long_term


# ------------------------------------------------------------------ to-dos


async def test_the_todos_list_filters_mine_and_overdue_and_marks_done(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await from_palette(pilot, "To-dos", TodosScreen)
        everyone = rows(app)
        assert len(everyone) >= 5
        await pilot.press("m")
        await pilot.pause()
        mine = rows(app)
        assert mine and len(mine) < len(everyone)
        assert all(r[2] == "Alex Morgan" for r in mine)
        await pilot.press("m", "o")
        await pilot.pause()
        assert rows(app) and all(r[3].startswith("overdue") for r in rows(app))
        overdue_id = app.screen.query_one(RecordTable).current_id
        await pilot.press("x")
        await pilot.pause()
        assert todos.todo(app.db, overdue_id, FROZEN_NOW.date()).done
        assert any(n.startswith("Done: ") for n in notifications(app))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TasksScreen)


# --------------------------------------------------------------- decisions


async def test_the_decisions_log_filters_and_sets_a_review_date(app) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await from_palette(pilot, "Decisions log", DecisionsScreen)
        assert len(rows(app)) == 8
        detail = shown_text(app.screen.query_one("#decision-detail", Static))
        assert "Dana owns the offsite agenda" in detail and "To-dos" in detail
        await pilot.press("slash", *"support")
        await pilot.pause()
        assert len(rows(app)) == 1 and "support engineer" in rows(app)[0][1]
        await pilot.press("enter", "escape")  # back to the list, then clear the filter
        await pilot.pause()
        assert isinstance(app.screen, DecisionsScreen) and len(rows(app)) == 8

        decision_id = app.screen.query_one(RecordTable).current_id
        await pilot.press("r", *"today", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # refused in place
        assert "after today" in shown_text(app.screen.query_one("#form-error", Static))
        await pilot.press("ctrl+u", *"in 2 weeks", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionsScreen)
        table = app.screen.query_one(RecordTable)
        assert rows(app)[table.ids.index(decision_id)][4] == "9 Dec"
        assert "It comes back for review on Wed 9 Dec 2026" in notifications(app)

        # On that day the decision comes back to the meeting as a proposed issue.
        uid = next(
            e.decision.uid
            for e in decisions_log(app.db, None, FROZEN_NOW)
            if e.decision.id == decision_id
        )
        team = default_team(app.db)

        def proposed(days: int) -> bool:
            later = FROZEN_NOW + timedelta(days=days)
            return uid in {p.source_uid for p in proposals.proposals(app.db, team, later)}

        assert not proposed(13) and proposed(14)


# ----------------------------------------------------------- past meetings


async def test_past_meetings_show_the_trend_and_open_minutes_read_only(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await from_palette(pilot, "Past meetings", PastMeetingsScreen)
        listed = rows(app)
        assert len(listed) == 8 and listed[0][0] == "8"
        chart = shown_text(app.screen.query_one("#rating-chart", Static))
        assert chart.startswith("Rating ") and "↑ rising" in chart
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MinutesScreen))
        await pilot.pause()
        markdown = app.screen.query_one(Markdown).source
        assert markdown == minutes_markdown(app.db, int(listed[0][0]))
        assert markdown.startswith(f"# Leadership weekly meeting, {listed[0][1]}")
        assert "\nDecision: " in markdown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PastMeetingsScreen)


# ------------------------------------------------------------------ agenda


async def test_the_agenda_editor_refuses_zero_minutes_and_edits_moves_resets(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await from_palette(pilot, "Edit the agenda", AgendaScreen)
        team = default_team(app.db)
        assert len(rows(app)) == 7
        await pilot.press("e", "enter", "ctrl+u", "0", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "1 to 240 minutes" in shown_text(app.screen.query_one("#form-error", Static))
        await pilot.press("ctrl+u", *"10", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert meetings.agenda(app.db, team)[0].minutes == 10
        await pilot.press("J")
        await pilot.pause()
        assert [i.title for i in meetings.agenda(app.db, team)][:2] == ["Scorecard", "Segue"]
        assert app.screen.query_one(RecordTable).cursor_row == 1  # the cursor moved with it
        await pilot.press("n", *"Hiring pipeline", "enter", "ctrl+u", "5", "enter")
        await pilot.pause()
        assert meetings.agenda(app.db, team)[2].title == "Hiring pipeline"
        await pilot.press("u")
        await pilot.pause()
        assert len(rows(app)) == 7
        await pilot.press("R")
        await pilot.pause()
        assert meetings.agenda(app.db, team) == meetings.default_agenda()


async def test_every_team_list_has_help_and_closes_with_escape(app) -> None:
    screens = [
        ("Issues list", IssuesListScreen, "issues list"),
        ("To-dos", TodosScreen, "to-dos"),
        ("Decisions log", DecisionsScreen, "decisions log"),
        ("Past meetings", PastMeetingsScreen, "Past meetings"),
        ("Edit the agenda", AgendaScreen, "agenda"),
    ]
    async with app.run_test(size=(140, 45)) as pilot:
        for words, screen_type, said in screens:
            await from_palette(pilot, words, screen_type)
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            assert said.lower() in app.screen.help_text.lower()
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("T")  # the next team: its own list, titled so
            await pilot.pause()
            assert "Leadership" not in str(app.screen.query_one("#team-list").border_title)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TasksScreen)


# ------------------------------------------------------- your to-dos on Tasks


async def test_o_on_tasks_shows_your_todos_and_x_marks_one_done(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(MyTodos)
        assert not panel.display
        await pilot.press("o")
        await pilot.pause()
        assert panel.display and app.screen.focused is panel
        me = my_id(app.db)
        mine = [t for t in todos.todos(app.db, FROZEN_NOW.date(), owner_id=me) if t.owner_id == me]
        assert [r[1] for r in rows(app)] == [t.title for t in mine] and len(mine) == 2
        await pilot.press("x")
        await pilot.pause()
        assert todos.todo(app.db, mine[0].id, FROZEN_NOW.date()).done
        assert len(rows(app)) == 1 and rows(app)[0][1] == mine[1].title
        await pilot.press("u")
        await pilot.pause()
        assert len(rows(app)) == 2
        await pilot.press("o")
        await pilot.pause()
        assert not panel.display and app.screen.focused is not panel


# ----------------------------------------------------- i on Rocks, Scorecard


async def test_i_on_a_flagged_rock_adds_it_once(demo_db) -> None:
    app = CeodeskApp(demo_db, clock=frozen_clock(FROZEN_NOW), mode="rocks")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RocksScreen)
        flagged = next(
            r for r in quarter_rocks(app.db, "2026-Q4", FROZEN_NOW).rocks if r.propose_as_issue
        )
        table = app.screen.query_one(RecordTable)
        while table.current_id != flagged.id:
            await pilot.press("j")
        before = len(open_issues(app))
        await pilot.press("i")
        await pilot.pause()
        made = open_issues(app)
        assert len(made) == before + 1
        [issue] = [i for i in made if i.source_kind == "rock"]
        assert issue.title.startswith(f"{flagged.title}: off track")
        assert notifications(app)[-1] == f"Added to the issues list: {issue.title}"
        await pilot.press("i")
        await pilot.pause()
        assert len(open_issues(app)) == before + 1
        assert notifications(app)[-1] == f"Already on the issues list: {issue.title}"


async def test_i_on_a_scorecard_row_adds_it_once_prefilled(demo_db) -> None:
    app = CeodeskApp(demo_db, clock=frozen_clock(FROZEN_NOW), mode="scorecard")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScorecardScreen)
        flagged = next(r for r in screen.rows.values() if r.propose_as_issue)
        grid = screen.query_one("#scorecard-table")
        while screen.row_ids[grid.cursor_coordinate.row] != flagged.id:
            await pilot.press("down")
        await pilot.press("i")
        await pilot.pause()
        [issue] = [i for i in open_issues(app) if i.source_kind == "measurable"]
        assert issue.title.startswith(f"{flagged.name} off goal ")
        assert f" vs {flagged.goal_text}" in issue.title
        assert notifications(app)[-1] == f"Added to the issues list: {issue.title}"
        await pilot.press("i")
        await pilot.pause()
        assert len([i for i in open_issues(app) if i.source_kind == "measurable"]) == 1
        assert notifications(app)[-1].startswith("Already on the issues list: ")


async def test_keys_typed_faster_than_the_log_opens_filter_then_act(app) -> None:
    """/, a word, enter and r typed at once, while the log is still opening: the word
    filters, and r sets the review date of the decision it found."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.run_action("decisions_log")
        for key, char in [("slash", "/"), *((c, c) for c in "support"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        app.post_message(events.Key("r", "r"))
        await until(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.pause()
        log = app.screen_stack[-2]
        assert isinstance(log, DecisionsScreen) and log.filter_text == "support"
        assert [e.decision.text for e in log.entries.values()] == [
            "Shift one support engineer to a Monday-heavy rota"
        ]
