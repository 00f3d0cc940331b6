"""Rocks (key 3) and the big picture (key 8) driven with the real keys, on the demo."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import TextArea
from ui_support import FROZEN_NOW, shown_text

from ceodesk.core.domain.rocks import quarter_rocks
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.views.big_picture import big_picture
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.big_picture import BigPictureScreen
from ceodesk.ui.screens.form import FormScreen
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.screens.rock_detail import RockDetailScreen
from ceodesk.ui.screens.rocks import FinishScreen, RocksScreen, RollOverScreen
from ceodesk.ui.widgets.vim import RecordTable

OFF_TRACK_ROCK = "Ship the analytics API v2"


def quarter(app: CeodeskApp, key: str = "2026-Q4"):
    return quarter_rocks(app.db, key, FROZEN_NOW)


def rock(app: CeodeskApp, title: str, key: str = "2026-Q4"):
    view = quarter(app, key)
    return next(r for r in (*view.company, *view.individual) if r.title == title)


async def open_rocks(pilot) -> None:
    await pilot.press("3")
    await pilot.pause()


async def cursor_to(pilot, title: str) -> None:
    """Move the table cursor down to the Rock with this title."""
    screen = pilot.app.screen
    table = screen.query_one(RecordTable)
    target = next(
        i for i, rid in enumerate(table.ids) if rid > 0 and screen.rocks[rid].title == title
    )
    while table.cursor_row < target:
        await pilot.press("j")


async def test_key_3_shows_the_quarter_with_status_strip_and_flags(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        assert isinstance(app.screen, RocksScreen)
        topbar = shown_text(app.screen.query_one("#topbar"))
        assert "2026-Q4" in topbar and "projected" in topbar and "target 80%" in topbar
        table = app.screen.query_one(RecordTable)
        titles = [app.screen.rocks[i].title for i in table.ids if i > 0]
        assert OFF_TRACK_ROCK in titles
        flagged = rock(app, OFF_TRACK_ROCK)
        assert flagged.propose_as_issue and flagged.off_track_weeks >= 3
        assert len(flagged.strip) == 13
        # The first row under the "Company Rocks" heading is selected.
        assert table.current_id in app.screen.rocks


async def test_n_adds_a_rock_to_this_quarter(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"Open the Berlin office", "enter")  # title
        await pilot.press("enter", "enter", "enter")  # owner (you), company, due = quarter end
        await pilot.press(*"grow arr", "enter")  # goal
        await pilot.press(*"Lease signed, 3 hires", "enter", *"Office opens", "enter")
        assert isinstance(app.screen, RocksScreen)
        added = rock(app, "Open the Berlin office")
        assert added.is_company and added.goal == "Grow ARR to $18M"
        assert str(added.due) == "2026-12-31"


async def test_space_flips_this_weeks_status_and_history_is_kept(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        await cursor_to(pilot, "Close the Series B round")
        before = rock(app, "Close the Series B round").strip[:-1]
        await pilot.press("space")
        after = rock(app, "Close the Series B round")
        assert after.this_week == "off_track" and after.strip[-1] == "off_track"
        assert after.strip[:-1] == before
        await pilot.press("space")
        assert rock(app, "Close the Series B round").this_week == "on_track"


async def test_D_records_how_a_rock_ended(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        await cursor_to(pilot, "Hire a VP of Engineering")
        await pilot.press("D")
        assert isinstance(app.screen, FinishScreen)
        await pilot.press("d")
        assert rock(app, "Hire a VP of Engineering").status == "done"
        await pilot.press("u")
        assert rock(app, "Hire a VP of Engineering").status != "done"


async def test_detail_adds_ticks_and_deletes_milestones(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        await cursor_to(pilot, "Hire a VP of Engineering")
        done_before = rock(app, "Hire a VP of Engineering").milestones_done
        await pilot.press("enter")
        assert isinstance(app.screen, RockDetailScreen)
        await pilot.press("n", *"Reference checks done", "enter", *"2026-12-10", "enter")
        titles = [m.title for m in rock(app, "Hire a VP of Engineering").milestones]
        assert "Reference checks done" in titles
        table = app.screen.query_one(RecordTable)
        while (
            table.current_id is not None
            and app.screen.detail.rock.milestones[table.cursor_row].title != "Reference checks done"
        ):
            await pilot.press("j")
        await pilot.press("space")
        assert rock(app, "Hire a VP of Engineering").milestones_done == done_before + 1
        await pilot.press("d")
        titles = [m.title for m in rock(app, "Hire a VP of Engineering").milestones]
        assert "Reference checks done" not in titles
        await pilot.press("escape")
        assert isinstance(app.screen, RocksScreen)


def app_at(db, instant: datetime) -> CeodeskApp:
    """The app on the demo (written on FROZEN_NOW) with its clock at ``instant``."""
    desk = CeodeskApp(db, clock=frozen_clock(instant))
    desk.animation_level = "none"
    return desk


def notes(app: CeodeskApp) -> list[str]:
    """The notifications on screen (Textual keeps them on the app)."""
    return [n.message for n in app._notifications]


NEW_YEARS_EVE = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)


async def test_R_before_the_quarter_ends_refuses_and_changes_nothing(demo_db) -> None:
    app = app_at(demo_db, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))  # 2026-W49
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        before = quarter(app)
        await pilot.press("right_square_bracket")  # looking at next quarter
        assert app.screen.view.quarter == "2027-Q1"
        await pilot.press("R", "y", "enter")
        assert isinstance(app.screen, RocksScreen)  # no dialog opened
        assert quarter(app) == before  # no Rock marked not done
        assert quarter(app, "2027-Q1").rocks == ()
        assert (
            "2026-Q4 runs until Thu 31 Dec 2026; roll its Rocks over on that day or after."
        ) in notes(app)


async def test_R_at_the_quarters_end_lets_you_choose_for_each_rock(demo_db) -> None:
    app = app_at(demo_db, NEW_YEARS_EVE)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        before = (quarter(app), quarter(app, "2027-Q1"))
        open_rocks_before = [r for r in before[0].rocks if not r.finished]
        await pilot.press("R")
        assert isinstance(app.screen, RollOverScreen)
        listed = [r.id for r in app.screen.plan.rocks]
        assert listed == [r.id for r in open_rocks_before]
        first, second, third, fourth = open_rocks_before[:4]
        await pilot.press("enter")  # nothing chosen yet: says so and stays
        assert isinstance(app.screen, RollOverScreen)
        assert "Choose for at least one Rock" in shown_text(
            app.screen.query_one("#roll-over-error")
        )
        await pilot.press("c", "d", "x", "n")  # one key per row, the cursor moves down
        summary = shown_text(app.screen.query_one("#roll-over-summary"))
        assert "carry 1 · done 1 · not done 1 · drop 1" in summary
        await pilot.press("enter")
        assert isinstance(app.screen, RocksScreen)
        statuses = {r.id: r.status for r in quarter(app).rocks}
        assert [statuses[r.id] for r in (first, second, third, fourth)] == [
            "not_done",
            "done",
            "dropped",
            "not_done",
        ]
        assert all(statuses[r.id] == r.status for r in open_rocks_before[4:])  # left open
        [copy] = quarter(app, "2027-Q1").rocks
        assert (copy.title, copy.rolled_from_quarter) == (first.title, "2026-Q4")
        assert (
            "Rolled over 2026-Q4: 1 Rock carried into 2027-Q1, 1 done, 1 not done, 1 dropped"
            " — u to undo"
        ) in notes(app)
        await pilot.press("u")  # the whole roll-over in one step
        assert (quarter(app), quarter(app, "2027-Q1")) == before


async def test_escape_leaves_the_roll_over_without_a_change(demo_db) -> None:
    app = app_at(demo_db, NEW_YEARS_EVE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_rocks(pilot)
        before = quarter(app)
        await pilot.press("R", "c", "c", "escape")
        assert isinstance(app.screen, RocksScreen)
        assert quarter(app) == before


async def test_g_groups_rocks_by_team(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        await pilot.press("g")
        table = app.screen.query_one(RecordTable)
        headings = [str(table.get_row_at(i)[0]) for i, rid in enumerate(table.ids) if rid < 0]
        assert "Leadership" in headings[0] or "Leadership" in headings
        assert "Sales" in headings


async def test_key_8_shows_goals_rocks_callouts_and_the_strategy_map(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        assert isinstance(app.screen, BigPictureScreen)
        view = big_picture(app.db, "2026-Q4", FROZEN_NOW)
        assert len(view.goals) == 4
        callouts = shown_text(app.screen.query_one("#callouts"))
        assert "Rocks without a goal" in callouts and "Goals without a Rock" in callouts
        strategy = shown_text(app.screen.query_one("#strategy-map"))
        assert "Financial" in strategy and "Learning and growth" in strategy and "→" in strategy
        rocks = shown_text(app.screen.query_one("#goal-rocks"))
        assert "Rocks serving" in rocks


async def test_key_8_adds_a_goal_and_links_it_on_the_strategy_map(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        await pilot.press("n", *"Hire 20 engineers", "enter", *"20 hires", "enter")
        await pilot.press(*"2027-09-30", "enter", *"learn", "enter")
        view = big_picture(app.db, "2026-Q4", FROZEN_NOW)
        added = next(g for g in view.goals if g.title == "Hire 20 engineers")
        assert added.perspective == "learning and growth"
        table = app.screen.query_one(RecordTable)
        while table.current_id != added.id:
            await pilot.press("j")
        await pilot.press("l", *"certify", "enter")
        view = big_picture(app.db, "2026-Q4", FROZEN_NOW)
        added = next(g for g in view.goals if g.title == "Hire 20 engineers")
        assert [g.title for g in view.goals if g.id in added.effects] == [
            "Certify every CSM on the onboarding playbook"
        ]


def cell(app: CeodeskApp, rock_id: int, column: int) -> str:
    """The text of one cell of a Rock's row on the Rocks screen."""
    return str(app.screen.query_one(RecordTable).get_row(str(rock_id))[column])


STATUS, GOAL = 2, 6


async def test_a_new_rock_shows_no_update_and_is_left_out_of_the_projection(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        before = shown_text(app.screen.query_one("#topbar"))
        projected = before.split("projected ")[1].split()[0]
        await pilot.press("n", *"Open the Berlin office", "enter", "enter", "enter", "enter")
        await pilot.press("enter", "enter", "enter")  # no goal, outcome or measure
        added = rock(app, "Open the Berlin office")
        assert cell(app, added.id, STATUS) == "no update"
        topbar = shown_text(app.screen.query_one("#topbar"))
        assert "1 no update" in topbar
        assert f"projected {projected}" in topbar  # not counted as on track
        await cursor_to(pilot, "Open the Berlin office")
        await pilot.press("enter")
        assert isinstance(app.screen, RockDetailScreen)
        assert "no update" in shown_text(app.screen.query_one("#rock-summary"))
        await pilot.press("escape", "space")  # its first update: on track
        assert cell(app, added.id, STATUS) == "on track"
        assert "no update" not in shown_text(app.screen.query_one("#topbar"))


async def test_a_rock_of_an_archived_goal_does_not_name_it_as_its_goal(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        goals = app.screen.query_one(RecordTable)
        assert app.screen.goals[goals.current_id].title == "Grow ARR to $18M"
        await pilot.press("d")
        await open_rocks(pilot)
        serving = [r for r in quarter(app).rocks if r.archived_goal == "Grow ARR to $18M"]
        assert serving and all(r.goal is None for r in serving)
        assert {cell(app, r.id, GOAL) for r in serving} == {"archived: Grow ARR to $18M"}
        await cursor_to(pilot, serving[0].title)
        await pilot.press("enter")
        summary = shown_text(app.screen.query_one("#rock-summary"))
        assert "no 1-year goal (its goal “Grow ARR to $18M” is archived)" in summary


async def test_L_removes_a_strategy_map_link_and_u_brings_it_back(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        view = big_picture(app.db, "2026-Q4", FROZEN_NOW)
        nps = next(g for g in view.goals if g.title == "Raise customer NPS to 50")
        revenue = next(g for g in view.goals if g.title == "Grow ARR to $18M")
        assert nps.effects == (revenue.id,)
        table = app.screen.query_one(RecordTable)
        while table.current_id != nps.id:
            await pilot.press("j")
        await pilot.press("L")
        assert isinstance(app.screen, PickScreen)
        await pilot.press("1")  # its first link: NPS -> ARR
        after = next(g for g in big_picture(app.db, "2026-Q4", FROZEN_NOW).goals if g.id == nps.id)
        assert after.effects == () and after.causes == nps.causes
        strategy = shown_text(app.screen.query_one("#strategy-map"))
        assert "[Raise customer NPS to 50] → Grow ARR" not in strategy
        await pilot.press("u")
        again = next(g for g in big_picture(app.db, "2026-Q4", FROZEN_NOW).goals if g.id == nps.id)
        assert again.effects == (revenue.id,)


def inside(widget, dialog) -> bool:
    outer, inner = dialog.region, widget.region
    return (
        outer.x <= inner.x
        and inner.right <= outer.right
        and outer.y <= inner.y
        and inner.bottom <= outer.bottom
    )


async def test_the_3_year_picture_edits_its_long_fields_in_text_areas(week_app) -> None:
    app = week_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        before = big_picture(app.db, "2026-Q4", FROZEN_NOW)
        await pilot.press("P")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter", "enter", "enter")  # date, revenue, profit
        measurables = app.screen.query_one("#f-measurables", TextArea)
        picture = app.screen.query_one("#f-picture", TextArea)
        assert measurables.has_focus
        assert measurables.text.splitlines() == list(before.measurables)
        assert picture.text == before.picture and len(picture.text.splitlines()) == 3
        await pilot.press("down", "down", "down", "end", "enter", *"Offices in Berlin")
        await pilot.press("tab")  # on to what it looks like
        assert picture.has_focus
        dialog = app.screen.query_one("#form")
        assert inside(picture, dialog) and inside(measurables, dialog)
        await pilot.press(*"Profitable every quarter.", "enter", "ctrl+s")
        assert isinstance(app.screen, BigPictureScreen)
        after = big_picture(app.db, "2026-Q4", FROZEN_NOW)
        assert after.measurables == (*before.measurables, "Offices in Berlin")
        assert after.picture == "Profitable every quarter.\n" + before.picture
        shown = shown_text(app.screen.query_one("#picture"))
        assert "Offices in Berlin" in shown and "Profitable every quarter." in shown


async def test_core_values_are_edited_one_per_line(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        before = big_picture(app.db, "2026-Q4", FROZEN_NOW).core_values
        await pilot.press("v")
        values = app.screen.query_one("#f-values", TextArea)
        assert len(values.text.splitlines()) == len(before)
        for _ in before:
            await pilot.press("down")
        await pilot.press("end", "enter", *"Ship weekly: small steps, often", "ctrl+s")
        after = big_picture(app.db, "2026-Q4", FROZEN_NOW).core_values
        assert after == (*before, ("Ship weekly", "small steps, often"))


async def test_a_rocks_notes_take_several_lines(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_rocks(pilot)
        await cursor_to(pilot, "Hire a VP of Engineering")
        await pilot.press("enter", "e")
        assert isinstance(app.screen, FormScreen)
        notes_area = app.screen.query_one("#f-notes", TextArea)
        while not notes_area.has_focus:
            await pilot.press("tab")
        await pilot.press(*"Two finalists.", "enter", *"Decide by Dec 10.", "ctrl+s")
        assert isinstance(app.screen, RockDetailScreen)
        assert rock(app, "Hire a VP of Engineering").description.endswith(
            "Two finalists.\nDecide by Dec 10."
        )
