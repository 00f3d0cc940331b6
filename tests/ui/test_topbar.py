"""The top bar says what changed without laying the screen out, and a count going up or
down repaints only its own cells (not the line across the screen, which made Textual
draw the quadrant beside a completed task again)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region

from ceodesk.ui.widgets.topbar import TopBar, changed_cells


def test_a_count_changed_in_place_is_those_cells_only() -> None:
    before = Content.from_markup("[b]Tasks[/b]  ·  34 open")
    after = Content.from_markup("[b]Tasks[/b]  ·  33 open")
    assert changed_cells(before, after) == (11, 12)
    assert changed_cells(before, before) == (0, 0)
    # Longer, or styled differently: the whole line.
    assert changed_cells(before, Content.from_markup("[b]Tasks[/b]  ·  100 open")) is None
    assert changed_cells(before, Content.from_markup("Tasks  ·  34 open")) is None
    # Cells, not characters: a wide character before the change moves it right.
    assert changed_cells(Content("週 1"), Content("週 2")) == (3, 4)


@given(st.text(alphabet="ab·1 ", max_size=12), st.text(alphabet="ab·1 ", max_size=12))
def test_the_cells_named_are_all_that_differ(old: str, new: str) -> None:
    cells = changed_cells(Content(old), Content(new))
    if len(old) != len(new):
        assert cells is None
        return
    assert cells is not None
    first, last = cells
    assert old[:first] == new[:first] and old[last:] == new[last:]
    assert first == last or (old[first] != new[first] and old[last - 1] != new[last - 1])


class Bar(App[None]):
    CSS = "TopBar { height: 1; padding: 0 1; }"

    def compose(self) -> ComposeResult:
        yield TopBar()


async def test_saying_a_new_count_repaints_its_cells_and_no_layout() -> None:
    app = Bar()
    async with app.run_test(size=(60, 5)) as pilot:
        bar = app.query_one(TopBar)
        bar.say("[b]Tasks[/b]  ·  34 open")
        await pilot.pause()
        layouts = bar._layout_updates
        bar.say("[b]Tasks[/b]  ·  33 open")
        # The digit's cell, after the one cell of padding; no layout asked for.
        assert bar._repaint_regions == {Region(1 + 11, 0, 1, 1)}
        assert bar._layout_updates == layouts
        await pilot.pause()
        assert str(bar.render()) == "Tasks  ·  33 open"
        assert "Tasks  ·  33 open" in "".join(
            segment.text for segment in app.screen._compositor.render_strips()[0]
        )
        bar.say("[b]Tasks[/b]  ·  33 open")  # the same: nothing to repaint
        assert bar._repaint_regions == set()
        bar.say("[b]Tasks[/b]  ·  [i]33 open[/i]")  # a style changed: the whole line
        assert bar._repaint_regions == {Region(0, 0, 60, 1)}
