"""The review screen's redraw after another program wrote (issue 13): it reads the week
again, and repaints only the panels whose lines changed. Tables filled, texts replaced and
chart plots are counted, never timed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from demo_files import demo_copy
from test_change_feed import counted, desk_on
from test_large_history import drawn
from textual.widget import Widget
from textual.widgets import Static
from textual_plotext import PlotextPlot
from ui_support import FROZEN_NOW

from ceodesk.core.store.db import open_database
from ceodesk.core.views.capture import add_task
from ceodesk.ui.screens.review import LineTable, ReviewScreen
from ceodesk.ui.widgets.vim import RecordTable


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return demo_copy(tmp_path / "demo.db", FROZEN_NOW)


@contextmanager
def repaints(
    screen: ReviewScreen, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, list[str]]]:
    """The tables given rows, the texts replaced, the chart plots and the panels asked to
    repaint while the block runs (a panel's scrollbar, placed again when the layout
    changes, is Textual's)."""
    seen: dict[str, list[str]] = {"tables": [], "texts": [], "plots": [], "repaints": []}
    show_rows, update, refresh = RecordTable.show_rows, Static.update, Widget.refresh
    panels = {"topbar", "review-headline", "review-chart", "review-scorecard"}
    panels |= {table.id or "" for table in screen.query(LineTable)}

    def counted_refresh(widget: Widget, *args, **kwargs):
        if widget.id in panels:
            seen["repaints"].append(widget.id)
        return refresh(widget, *args, **kwargs)

    def counted_rows(table: RecordTable, *args, **kwargs) -> None:
        seen["tables"].append(str(table.id))
        show_rows(table, *args, **kwargs)

    def counted_update(static: Static, *args, **kwargs) -> None:
        if static.screen is screen:
            seen["texts"].append(str(static.id))
        update(static, *args, **kwargs)

    plt = screen.query_one(PlotextPlot).plt
    clear_data = plt.clear_data

    def counted_plot() -> None:
        seen["plots"].append("chart")
        clear_data()

    with monkeypatch.context() as patched:
        patched.setattr(RecordTable, "show_rows", counted_rows)
        patched.setattr(Static, "update", counted_update)
        patched.setattr(Widget, "refresh", counted_refresh)
        patched.setattr(plt, "clear_data", counted_plot)
        yield seen


def another_program_adds(path: Path, text: str) -> None:
    other = open_database(path)
    try:
        add_task(other, text, FROZEN_NOW)
    finally:
        other.close()


async def test_a_redraw_that_brings_the_same_review_repaints_nothing(
    demo_path, monkeypatch
) -> None:
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("6")
            screen = await drawn(pilot, app, "review")
            assert isinstance(screen, ReviewScreen) and screen.data is not None
            before = screen.data
            # A task without a due day, in no block: nothing the review shows.
            another_program_adds(demo_path, "An idea for next year")
            with repaints(screen, monkeypatch) as seen:
                app.check_for_changes()  # what the poll does every second
                await drawn(pilot, app, "review")
            assert screen.data is not before  # read again...
            assert screen.data == before  # ...the same review...
            # ...nothing given again, nothing repainted
            assert seen == {"tables": [], "texts": [], "plots": [], "repaints": []}
    finally:
        app.db.close()


async def test_after_another_programs_task_the_review_reads_only_what_reads_tasks(
    demo_path,
) -> None:
    """The feed says which tables the other program wrote: the scorecard, the Rocks'
    own rows and the team's to-dos are kept; the task lines are read again."""
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("6")
            await drawn(pilot, app, "review")
            another_program_adds(demo_path, "Sign the lease due 27 nov")
            with counted(app.db) as statements:
                app.check_for_changes()  # what the poll does every second
                screen = await drawn(pilot, app, "review")
            read = " ".join(statements)
            assert "FROM task" in read
            for kept in ("measurablevalue", "rockweek", "milestone", "FROM todo"):
                assert kept not in read, kept
            assert isinstance(screen, ReviewScreen) and screen.data is not None
            assert "Sign the lease" in [c.title for c in screen.data.review.carry_over]
    finally:
        app.db.close()


async def test_a_redraw_repaints_only_the_panels_that_changed(demo_path, monkeypatch) -> None:
    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("6")
            screen = await drawn(pilot, app, "review")
            assert isinstance(screen, ReviewScreen)
            carry = screen.query_one("#review-carry", LineTable)
            rows_before = carry.row_count
            # Due on the review's Friday and not done: one more task to carry over.
            another_program_adds(demo_path, "Sign the lease due 27 nov")
            with repaints(screen, monkeypatch) as seen:
                app.check_for_changes()
                await drawn(pilot, app, "review")
            assert seen["tables"] == ["review-carry"]
            assert seen["texts"] == [] and seen["plots"] == []
            assert set(seen["repaints"]) == {"review-carry"}
            assert carry.row_count == rows_before + 1
            shown = [str(carry.get_row_at(i)[0]) for i in range(carry.row_count)]
            assert any(line.startswith("Sign the lease · due Fri 27 Nov") for line in shown)
    finally:
        app.db.close()


async def test_after_a_value_typed_on_the_scorecard_the_review_reads_only_the_scorecard(
    demo_path,
) -> None:
    """The Friday flow: values typed on the scorecard (4), then the review (6). Its redraw
    reads the scorecard's tables again and shows the new value; the Rocks, the time and
    the tasks it read before are kept (no statement reads them), as nothing changed them."""
    from test_change_feed import counted

    from ceodesk.ui.screens.scorecard import ScorecardScreen

    app = desk_on(demo_path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("6")
            screen = await drawn(pilot, app, "review")
            assert isinstance(screen, ReviewScreen) and screen.data is not None
            before = screen.data.review
            await pilot.press("4")
            card = await drawn(pilot, app, "scorecard")
            assert isinstance(card, ScorecardScreen)
            first = card.view.rows[0]  # the cursor's row, last week's column
            assert not first.computed
            await pilot.press("e", *"321", "enter", "escape")
            await drawn(pilot, app, "scorecard")
            with counted(app.db) as statements:
                await pilot.press("6")
                await drawn(pilot, app, "review")
            assert screen.data is not None
            line = next(k for k in screen.data.review.scorecard.lines if k.id == first.id)
            assert line.last_week_text == "$321"  # the value typed, in its unit
            assert screen.data.review.rocks is before.rocks  # kept, not read again
            read = " ".join(statements)
            assert "FROM measurablevalue" in read
            assert "FROM task" not in read and "FROM rock" not in read
            assert "FROM timeblock" not in read
    finally:
        app.db.close()
