"""What a screen switch and a keystroke cost on the Textual side, counted (issue 13):
a switch back with nothing changed builds, removes and restyles (almost) nothing; the
footer keeps its keys while they are the same; a cursor move on the week draws the two
rows it touched. Counts, never times."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from textual.color import Color
from textual.widgets import Static
from textual.widgets._footer import FooterKey
from ui_support import settled, shown, shown_again_after_a_write

from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.meeting_dialogs import StartDialog
from ceodesk.ui.screens.week_dialogs import ConfirmScreen
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.week_grid import WeekGrid


@contextmanager
def counting_restyles(app: CeodeskApp) -> Iterator[list[object]]:
    """Every node the stylesheet applies its rules to meanwhile."""
    styled: list[object] = []
    apply = app.stylesheet.apply

    def counted(node, *args, **kwargs):
        styled.append(node)
        return apply(node, *args, **kwargs)

    app.stylesheet.apply = counted  # type: ignore[method-assign]
    try:
        yield styled
    finally:
        app.stylesheet.apply = apply  # type: ignore[method-assign]


def widgets_of(app: CeodeskApp) -> set[int]:
    return {id(widget) for widget in app.screen.walk_children()}


async def test_a_switch_back_with_nothing_changed_builds_and_restyles_nothing(
    week_app: CeodeskApp,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await settled(pilot)
        for key in ("2", "3", "1"):  # each screen shown once
            await pilot.press(key)
            await settled(pilot)
        for key in ("2", "3", "1"):
            await pilot.press(key)
            await settled(pilot)
            before = widgets_of(app)
            footer = app.screen.query_one(DeskFooter)
            compositions = footer.compositions
            await pilot.press({"1": "2", "2": "3", "3": "1"}[key])
            await settled(pilot)
            with counting_restyles(app) as styled:
                await pilot.press(key)
                await settled(pilot)
            assert widgets_of(app) == before  # nothing mounted, nothing removed
            assert footer.compositions == compositions
            # Before: every node of the screen (hundreds), and forty new footer keys.
            assert len(styled) < 20, {type(node).__name__ for node in styled}


async def test_the_footer_keeps_its_keys_while_they_stay_the_same(week_app: CeodeskApp) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await settled(pilot)
        keys = list(app.screen.query(FooterKey))
        assert keys
        for key in ("2", "1", "3", "1"):
            await pilot.press(key)
            await settled(pilot)
        assert list(app.screen.query(FooterKey)) == keys  # the very same widgets


async def test_the_footer_still_changes_when_the_keys_do(week_app: CeodeskApp) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("5")
        await settled(pilot)
        assert isinstance(app.screen, StartDialog)
        meeting = app.screen_stack[-2]
        footer = meeting.query_one(DeskFooter)
        before = {key.key for key in footer.query(FooterKey)}
        await pilot.press("enter")  # starts the meeting: its keys come in
        await settled(pilot)
        after = {key.key for key in app.screen.query_one(DeskFooter).query(FooterKey)}
        assert after != before


async def test_a_screen_under_a_dialog_shows_its_keys_as_they_are(
    week_app: CeodeskApp,
) -> None:
    """A screen under a dialog is on show: when its keys change there (the meeting opens
    its start dialog as its data comes in, and enter to start comes with the data), its
    footer follows at once, not when the dialog has closed."""
    app = week_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        week = app.screen
        footer = week.query_one(DeskFooter)
        app.push_screen(ConfirmScreen("Carry on?"))
        await settled(pilot)
        before = footer.compositions
        footer._shown_keys = ()  # as if the week's keys had changed under the dialog
        week.refresh_bindings()
        await settled(pilot)
        assert footer.compositions == before + 1
        assert footer.query(FooterKey)


async def test_a_theme_changed_on_another_screen_shows_when_coming_back(
    week_app: CeodeskApp,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await settled(pilot)
        await pilot.press("2")
        await settled(pilot)
        app.theme = "textual-light"
        await settled(pilot)
        await pilot.press("1")
        await settled(pilot)
        panel = Color.parse(app.theme_variables["panel"])
        assert app.screen.query_one("#day-header").styles.background == panel


async def test_a_cursor_move_on_the_week_draws_only_the_rows_it_touched(
    week_app: CeodeskApp,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await settled(pilot)
        grid = app.screen.query_one(WeekGrid)
        for key in ("down", "down", "up", "left", "down", "right"):
            drawn = grid.lines_drawn
            await pilot.press(key)
            await settled(pilot)
            assert grid.lines_drawn - drawn <= 2  # the row left and the row reached
        # What the kept lines show is what drawing them afresh shows.
        kept = [grid.render_line(y) for y in range(grid.rows)]
        grid.plan = grid.plan  # forgets every line drawn
        assert [grid.render_line(y) for y in range(grid.rows)] == kept
        assert grid.render().plain.splitlines() == [strip.text for strip in kept]


async def test_a_cursor_move_redraws_the_side_panel_only_where_it_changed(
    week_app: CeodeskApp,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await settled(pilot)
        totals = app.screen.query_one("#week-totals", Static)
        block = app.screen.query_one("#week-block", Static)
        grid = app.screen.query_one(WeekGrid)
        drawn_totals = totals.content
        seen = set()
        for _ in range(12):  # from Wed 09:30 down through blocks and empty rows
            drawn_block = block.content
            under = grid.current_block
            await pilot.press("down")
            await settled(pilot)
            if grid.current_block is under:
                assert block.content is drawn_block  # the same block, or none: not redrawn
            else:
                assert block.content is not drawn_block
                seen.add(grid.current_block.title if grid.current_block else None)
            assert totals.content is drawn_totals  # the totals never
        assert None in seen and len(seen) > 1  # onto empty cells and onto blocks


async def test_a_redraw_of_the_big_picture_with_nothing_new_draws_none_of_its_panels(
    week_app: CeodeskApp,
) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await shown(pilot, "8")
        panels = ("#picture", "#goal-rocks", "#callouts", "#strategy-map")
        drawn = {name: app.screen.query_one(name, Static).content for name in panels}
        await shown_again_after_a_write(pilot, "8", "big-picture")
        assert app.screen.drawn_revision is not None  # it did load again
        for name in panels:
            assert app.screen.query_one(name, Static).content is drawn[name], name


async def test_a_redraw_of_the_meeting_screen_with_nothing_new_keeps_the_minutes_widgets(
    week_app: CeodeskApp,
) -> None:
    """A Markdown rebuilds every widget of its document on each update."""
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await shown(pilot, "5")  # no meeting running: its start dialog closed
        minutes = app.screen.query_one("#minutes-text")
        head = app.screen.query_one("#no-meeting", Static)
        built = list(minutes.children)
        drawn = head.content
        await shown_again_after_a_write(pilot, "5", "meeting")
        assert app.screen.drawn_revision is not None  # it did load again
        assert app.screen.query_one("#minutes-text") is minutes
        assert list(minutes.children) == built
        assert head.content is drawn
