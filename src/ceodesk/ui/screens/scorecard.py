"""Key 4: the scorecard — weekly measurables against their goals, 13 weeks at a glance."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Static
from textual.widgets.data_table import ColumnKey, RowKey

from ceodesk.core.domain.scorecard import (
    OPERATORS,
    TEMPLATES,
    TRAILING_WEEKS,
    UNITS,
    ScorecardRow,
    ScorecardView,
    add_measurable,
    add_template,
    archive_measurable,
    clear_value,
    edit_measurable,
    move_measurable,
    parse_goal,
    record_value,
    scorecard,
    scorecard_rows,
    set_goal,
)
from ceodesk.core.domain.settings import me
from ceodesk.core.kernel.dates import shift_week, week_key
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.views.team_lists import raise_measurable
from ceodesk.ui.screens.base import DeskScreen, when_saved
from ceodesk.ui.screens.form import (
    PERSPECTIVE_CHOICES,
    ChoiceField,
    FieldRefusal,
    FormScreen,
    FormValues,
    NumberField,
    TextField,
    WeekField,
)
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.screens.rock_detail import goal_choices, owner_choices
from ceodesk.ui.screens.trend import TrendScreen
from ceodesk.ui.theme import SCORECARD_EMPTY, SCORECARD_STATUS
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.topbar import TopBar
from ceodesk.ui.widgets.vim import VimDataTable

MIN_WEEKS = 4  # fewer weeks than this and the grid says little; it scrolls instead
COMBINE_LABEL = "Weeks combine by (sum, average, last)"
SPARK = "▁▂▃▄▅▆▇█"
FIRST_WEEK_COLUMN = 3  # owner, measurable, goal, then the weeks


@dataclass(frozen=True)
class GridLayout:
    """How the grid fits a terminal: every column's width (a leading space included),
    how many of the newest weeks show, and whether total and trend fit too."""

    owner: int
    name: int
    goal: int
    week: int
    average: int
    on_goal: int
    total: int  # 0: not shown
    trend: int  # 0: not shown
    weeks: int

    @property
    def width(self) -> int:
        return (
            self.owner
            + self.name
            + self.goal
            + self.week * self.weeks
            + self.average
            + self.on_goal
            + self.total
            + self.trend
        )


def grid_layout(
    available: int,
    *,
    owner: int,
    name: int,
    goal: int,
    week: int,
    average: int,
    total: int,
    weeks: int = TRAILING_WEEKS,
) -> GridLayout:
    """Fit the grid into ``available`` columns. The widths are what the content needs;
    space is given up in this order: the trend, the total, the name down to 16, older
    weeks down to MIN_WEEKS, the name down to 10. Owner, goal, average and weeks on goal
    always show. The newest weeks are the ones kept."""
    name = min(name, 26)
    layout = GridLayout(owner, name, goal, week, average, 8, total, weeks + 2, weeks)
    steps = [
        lambda g: replace(g, trend=0),
        lambda g: replace(g, total=0),
        *[lambda g, n=n: replace(g, name=min(g.name, n)) for n in range(name - 1, 15, -1)],
        *[lambda g, k=k: replace(g, weeks=k) for k in range(weeks - 1, MIN_WEEKS - 1, -1)],
        *[lambda g, n=n: replace(g, name=min(g.name, n)) for n in range(15, 9, -1)],
    ]
    for step in steps:
        if layout.width <= available:
            break
        layout = step(layout)
    return layout


def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` cells, cut with an ellipsis when longer."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _same(drawn: object, cell: object) -> bool:
    """Whether a cell drawn shows what ``cell`` would (Text's own == ignores its style)."""
    if isinstance(drawn, Text) and isinstance(cell, Text):
        return (drawn.plain, drawn.style, drawn.spans) == (cell.plain, cell.style, cell.spans)
    return type(drawn) is type(cell) and drawn == cell


def sparkline(values: list[float | None]) -> Text:
    """The trend of a row in eight heights; gaps stay blank."""
    known = [v for v in values if v is not None]
    if not known:
        return Text("")
    low, high = min(known), max(known)
    span = (high - low) or 1
    return Text(
        "".join(
            " " if v is None else SPARK[int((v - low) / span * (len(SPARK) - 1))] for v in values
        ),
        style="#4c9be8",
    )


class EntryInput(Input):
    """The fast-entry field. Enter saves and opens the next row before the next key is
    read, so keys typed quickly never land in the old row or on the old value."""

    async def action_submit(self) -> None:
        screen = self.screen
        if isinstance(screen, ScorecardScreen):
            screen.enter_typed(self.value)


def _discard(cache: LRUCache[Any, Any], stale: Callable[[Any], bool]) -> None:
    for key in [key for key in list(cache.keys()) if stale(key)]:
        cache.discard(key)


class SteadyScrollBar(ScrollBar):
    """A scrollbar drawn again only when what it shows changed. Textual refreshes a
    table's scrollbar several times on every screen switch, and each time draws every
    line of it anew (on five years of history the grid's bar cost more to draw than all
    its rows, which come from a cache)."""

    _drawn: tuple[object, list[Strip]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()  # a small description of the bar: sizes, position, colours
        look = (
            crop,
            self.size,
            type(bar),
            tuple(sorted(vars(bar).items())),
            self.app.theme,
            self.app.ansi_color,
            self.get_pseudo_class_state(),
        )
        if self._drawn is None or self._drawn[0] != look:
            self._drawn = (look, super().render_lines(crop))
        return self._drawn[1]

    def notify_style_update(self) -> None:
        self._drawn = None
        super().notify_style_update()


class ScorecardTable(VimDataTable):
    """The grid. Keys that reach it while entry is open (typed before the entry field
    had focus) go into the entry, in order, instead of moving the cursor."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        # As Widget makes its own (textual 8), a SteadyScrollBar.
        if self._vertical_scrollbar is None:
            bar = SteadyScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def _on_resize(self, event: events.Resize) -> None:
        # DataTable's own handler renders every cell again on a resize (the entry bar
        # opening or closing, a screen switch), though a cell's render depends on its
        # column's width, which the screen sets, never on the table's size; lines are
        # cached by the table's width already.
        event.prevent_default()

    # Per pseudo-class state (focus), the component styles (cursor, header, ...) that
    # the cached renders of cells, rows and lines were made with.
    _rendered_with: dict[object, tuple[object, ...]] | None = None
    _restyled = True  # since the component styles were last looked at

    def notify_style_update(self) -> None:
        # Textual restyles the table on every screen switch and DataTable then renders
        # every cell again. The renders are cached by base style and pseudo-classes
        # already; what else they depend on, the component styles, is only updated
        # after this call: it is checked when the table next draws (render_lines).
        Widget.notify_style_update(self)
        self._styles_cache.clear()
        self._get_styles_to_render_cell.cache_clear()
        self._restyled = True
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        state = self.get_pseudo_class_state()
        if self._restyled or self._rendered_with is None or state not in self._rendered_with:
            self._check_renders(state)
        return super().render_lines(crop)

    def _check_renders(self, state: object) -> None:
        """Drop the cached renders if the component styles of ``state`` are not those
        they were made with."""
        self._restyled = False
        names = sorted(self.COMPONENT_CLASSES)
        if all(name in self._component_styles for name in names):
            styles = tuple(self.get_component_rich_style(name) for name in names)
            rendered = self._rendered_with or {}
            if rendered.get(state, styles) != styles:
                rendered = {}
                self._clear_caches()
            self._rendered_with = {**rendered, state: styles}
        else:  # not styled yet
            self._rendered_with = None
            self._clear_caches()

    def replace_cells(self, cells: Mapping[tuple[str, str], object]) -> None:
        """New contents for some cells, by (row key, column key); only those are
        rendered again. (DataTable.update_cell renders every cell on screen again: its
        render caches are all keyed by one count of updates, which it moves.)"""
        if not cells:
            return
        for (row_key, column_key), value in cells.items():
            self._data[RowKey(row_key)][ColumnKey(column_key)] = value
        # The caches hold the table's own key objects: matched by identity, cheaply.
        rows = {RowKey(row) for row, _ in cells}
        indexes = {self._row_locations.get(row) for row in rows}
        row_ids = {id(self._row_locations.get_key(i)) for i in indexes if i is not None}
        stale = {(RowKey(row), ColumnKey(column)) for row, column in cells}
        _discard(
            self._cell_render_cache,
            lambda key: id(key[0]) in row_ids and (key[0], key[1]) in stale,
        )
        _discard(self._row_renderable_cache, lambda key: key[1] in indexes)
        _discard(self._row_render_cache, lambda key: id(key[0]) in row_ids)
        header = self.header_height if self.show_header else 0
        lines = {header + y for y, (row, _) in enumerate(self._y_offsets) if id(row) in row_ids}
        _discard(self._line_cache, lambda key: key[0] in lines)
        for index in indexes:
            if index is not None:
                self.refresh_row(index)

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        if not isinstance(screen, ScorecardScreen):
            await super()._on_key(event)
            return
        if not screen.type_into_entry(event) and not await self._run_binding_now(event):
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()

    async def _run_binding_now(self, event: events.Key) -> bool:
        """Run this table's or the screen's binding for the key at once, so that the
        keys after it see what it did (the cursor moved, entry opened) in order."""
        screen = self.screen
        if event.key == "enter" and isinstance(screen, ScorecardScreen):
            screen.select_cell()
            return True
        for node in (self, self.screen):
            for binding in node._bindings.key_to_bindings.get(event.key, []):
                await self.app.run_action(binding.action, node)
                return True
        return False


LEADING_CHOICES = [(True, "leading"), (False, "lagging")]


def _tolerance_field(percent: float | None) -> NumberField:
    return NumberField(
        "tolerance", "Tolerance (10%), or empty", percent, "10%", unit="percent", minimum=0
    )


def _share(percent: float | None) -> float | None:
    """A tolerance typed as a percentage, as the share of the goal the core keeps."""
    return None if percent is None else percent / 100


def _goal_of(values: FormValues, unit: str) -> tuple[str, float, float | None]:
    """The goal typed into a form's goal field, read in ``unit``; refused under it."""
    try:
        return parse_goal(values.text("goal"), unit)
    except CeodeskError as err:
        raise FieldRefusal("goal", str(err)) from err


class ScorecardScreen(DeskScreen):
    AREA = "scorecard"
    TITLE = "Scorecard"
    HELP = """\
## Scorecard — the team's weekly numbers against their goals

One row per measurable: owner, goal, the trailing 13 ISO weeks (newest on the right;
`h` adds or hides this week — the weekly meeting reviews last week), the average and
weeks on goal over the 13 weeks, then, if the terminal is wide enough, the total and a
trend. A narrower terminal shows fewer, newest, weeks. **✓** green is on goal (bold:
beyond it), **~** amber slightly behind (within the measurable's tolerance), **✗** red
off, **·** empty. The total only shows for measurables whose weeks add up: each says
how its weeks combine (sum, average or last; set it with enter on the name). **⚑**
marks a measurable off goal 3 weeks running: propose it as an issue (`i` drops the
focused measurable to its team's issues list, prefilled with its numbers). **↗** marks a
leading indicator, **ƒ** a formula. `g` draws its trend over 52 weeks, `T` adds a
template.

**Fast entry**: `e` or `enter` on a week starts entry; type the value and Enter — it
saves and moves to the next measurable, so a whole week is one value and one Enter
per row; esc stops. `12000`, `12k`, `$12,000`, `38%`, `y`/`n` and `1h30` are all
read; anything else is an inline error and nothing is stored. `x` clears a cell (undo
with `u`). Formula measurables (`won / leads`) are computed, never typed. Enter on a
name edits the measurable; `G` (or enter on the goal) changes the goal from a week
onward, and earlier weeks keep the goal they had.
"""

    BINDINGS = [
        Binding(
            "e",
            "enter_value",
            "Enter",
            id="scorecard-enter",
            tooltip="Enter values from this cell down, one Enter per row",
        ),
        Binding("x", "clear", "Clear", id="scorecard-clear", tooltip="Clear the cell (undo: u)"),
        Binding("n", "new", "New", id="scorecard-new", tooltip="Add a measurable"),
        Binding(
            "T",
            "template",
            "Template",
            id="scorecard-template",
            tooltip="Add a set of measurables from a template",
        ),
        Binding(
            "g",
            "trend",
            "Trend",
            id="scorecard-trend",
            tooltip="A larger trend chart of the measurable against its goal",
        ),
        Binding(
            "h",
            "toggle_this_week",
            "This week",
            id="scorecard-this-week",
            tooltip="Show or hide the current week",
        ),
        Binding(
            "d",
            "archive",
            "Archive",
            id="scorecard-archive",
            show=False,
            tooltip="Archive the measurable (its history stays)",
        ),
        Binding(
            "shift+up",
            "reorder(-1)",
            "Up",
            id="scorecard-move-up",
            show=False,
            tooltip="Move the measurable up",
        ),
        Binding(
            "shift+down",
            "reorder(1)",
            "Down",
            id="scorecard-move-down",
            show=False,
            tooltip="Move the measurable down",
        ),
        Binding(
            "G",
            "change_goal",
            "Goal",
            id="scorecard-goal",
            show=False,
            tooltip="Change the goal from a week onward (also enter on the goal)",
        ),
        Binding(
            "escape",
            "stop_entry",
            "Stop",
            id="scorecard-stop",
            show=False,
            tooltip="Stop entering values",
        ),
        Binding(
            "i",
            "raise_issue",
            "Issue",
            id="scorecard-issue",
            tooltip="Drop the measurable to its team's issues list",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.include_this_week = False
        self.view: ScorecardView | None = None
        self.grid: GridLayout | None = None
        self.shown_weeks: tuple[str, ...] = ()
        self.row_ids: list[int | None] = []  # None for perspective headings
        self.rows: dict[int, ScorecardRow] = {}
        # What the table was built for (layout, weeks, measurables in order): a view
        # of the same shape is drawn in place, cell by cell.
        self._shape: object = None
        self._column_keys: list[str] = []
        self._drawn: dict[int, list[object]] = {}  # each measurable's cells as drawn
        # Each measurable's widths (see _widths_of), with the row they were measured on.
        self._row_widths: dict[int, tuple[ScorecardRow, tuple[int, ...]]] = {}
        self._entry_error_shown = False
        # The measurables the next load and the one under way read (None: all of them).
        self._only_next: frozenset[int] | None = None
        self._loading_only: frozenset[int] | None = None

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield ScorecardTable(id="scorecard-table", cursor_type="cell")
        with Horizontal(id="entry-bar"):
            yield Label(id="entry-label")
            yield EntryInput(id="entry-input", classes="compact", select_on_focus=False)
        yield Static(id="entry-error")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.cell_padding = 0  # each column's width includes the space before it
        table.fixed_columns = 2  # owner and name stay if a very narrow grid scrolls
        self.refresh_data()
        self.when_drawn(self._to_last_week_column)
        self.query_one(DataTable).focus()

    # -- data -------------------------------------------------------------------------

    @property
    def end_week(self) -> str:
        this_week = week_key(self.desk.today())
        return this_week if self.include_this_week else shift_week(this_week, -1)

    def on_resize(self) -> None:
        if self.view is not None and self._layout(self.view) != self.grid:
            self.show(self.view)  # the same data, laid out for the new size

    def _layout(self, view: ScorecardView) -> GridLayout:
        rows = view.rows
        headers = (len("Owner"), len("Measurable"), len("Goal"), len("W00"), len("Avg"))
        # The widest of each column, a space before each: what a row needs is worked out
        # once per row (a redraw with nothing changed gets the very rows drawn).
        owner, name, goal, week, average, total = (
            max(widths) + 1
            for widths in zip((*headers, len("Total")), *map(self._widths_of, rows), strict=True)
        )
        # Columns have set widths, worked out here from what they show: the table's own
        # measuring happens later, when idle, and drew 4-character columns on first open.
        width, height = self.size if self.size.width else self.app.size
        lines = len(rows) + len(view.groups) + 1  # the header too
        # Topbar, footer and the entry bar and its error line take up to four lines.
        scrollbar = 2 if lines > height - 4 else 0
        available = width - scrollbar
        return grid_layout(
            available,
            owner=owner,
            name=name,
            goal=min(goal, 12),
            week=week,
            average=average,
            total=total,
            weeks=len(view.weeks),
        )

    def _widths_of(self, row: ScorecardRow) -> tuple[int, ...]:
        """How wide ``row``'s owner, name, goal, widest week, average and total are."""
        known = self._row_widths.get(row.id)
        if known is not None and known[0] is row:
            return known[1]
        widths = (
            len(row.owner.split()[0]) if row.owner else 0,
            len(self._name_text(row)),
            len(row.goal_text),
            max((len(c.formatted) + 1 for c in row.cells), default=0),  # and its glyph
            len(row.average_text),
            len(row.total_text),
        )
        self._row_widths[row.id] = (row, widths)
        return widths

    def load(self) -> ScorecardView:
        open_week = week_key(self.desk.today())  # today reads the settings: once
        end_week = open_week if self.include_this_week else shift_week(open_week, -1)
        only, view = self._loading_only, self.view
        if only and view is not None:
            rows = scorecard_rows(self.desk.db, view.end_week, only, open_week=open_week)
            if only <= rows.keys():
                return view.with_rows(rows)
        # Rows read from the same data as those drawn come back as they are: drawn as
        # they are, nothing to compare.
        return scorecard(self.desk.db, end_week, open_week=open_week, reuse=view)

    def refresh_rows(self, measurable_id: int) -> None:
        """Redraw after this app saved or cleared a value of ``measurable_id``: only its
        row and those of the formulas using it are read again, when nothing else can
        have changed since the grid was drawn (its own write is the only one since, and
        no other redraw is under way); else all of it."""
        view, drawn = self.view, self.drawn_revision
        if (
            view is not None
            and view.end_week == self.end_week
            and drawn is not None
            and self.desk.db.revision == drawn + 1
            and not self.load_under_way
        ):
            self._only_next = frozenset({measurable_id})
        self.refresh_data()

    def _starting_load(self) -> None:
        # On the event loop: what the load starting now reads (see refresh_rows).
        self._loading_only, self._only_next = self._only_next, None
        super()._starting_load()

    def show(self, view: ScorecardView) -> None:
        """Draw ``view``. When it has the same measurables, weeks and column widths as
        what is drawn (a value saved or cleared, an undo, another program's change), only
        the cells that changed are drawn again, in place: the cursor and the scroll stay
        where they are."""
        table = self.query_one(ScorecardTable)
        layout = self._layout(view)
        shown_weeks = view.weeks[len(view.weeks) - layout.weeks :]
        shape = (
            layout,
            shown_weeks,
            tuple((group.perspective, tuple(r.id for r in group.rows)) for group in view.groups),
        )
        self.view, self.grid, self.shown_weeks = view, layout, shown_weeks
        if shape == self._shape:
            self._update_in_place(table, view, layout)
        else:
            self._rebuild(table, view, layout)
            self._shape = shape
            self._row_widths = {
                r.id: self._row_widths[r.id] for r in view.rows if r.id in self._row_widths
            }
        self._update_topbar()

    def _update_in_place(
        self, table: ScorecardTable, view: ScorecardView, layout: GridLayout
    ) -> None:
        changed: dict[tuple[str, str], object] = {}
        for row in view.rows:
            old = self.rows.get(row.id)
            if old is row or old == row:
                continue  # the same measurable, the same weeks: nothing to draw
            self.rows[row.id] = row
            cells = self._cells(row, layout)
            drawn = self._drawn.get(row.id, [])
            for index, (key, cell) in enumerate(zip(self._column_keys, cells, strict=True)):
                if index >= len(drawn) or not _same(drawn[index], cell):
                    changed[(str(row.id), key)] = cell
            self._drawn[row.id] = cells
        table.replace_cells(changed)

    def _rebuild(self, table: ScorecardTable, view: ScorecardView, layout: GridLayout) -> None:
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        columns = [
            ("owner", "Owner", layout.owner, False),
            ("name", "Measurable", layout.name, False),
            ("goal", "Goal", layout.goal, False),
            *[(w, self._week_label(w), layout.week, True) for w in self.shown_weeks],
            ("average", "Avg", layout.average, True),
            ("on-goal", "On goal", layout.on_goal, True),
        ]
        if layout.total:
            columns.append(("total", "Total", layout.total, True))
        if layout.trend:
            columns.append(("trend", "Trend", layout.trend, False))
        for key, label, width, right in columns:
            table.add_column(self._pad(label, width, right), width=width, key=key)
        self._column_keys = [key for key, *_ in columns]
        self.row_ids, self.rows, self._drawn = [], {}, {}
        for group in view.groups:
            heading = (group.perspective or "other").capitalize()
            title = Text(" " + _fit(heading, layout.name - 1), style="bold #f0b429")
            table.add_row("", title, *([""] * (len(columns) - 2)), key=f"group {heading}")
            self.row_ids.append(None)
            for row in group.rows:
                self.rows[row.id] = row
                self.row_ids.append(row.id)
                self._drawn[row.id] = cells = self._cells(row, layout)
                table.add_row(*cells, key=str(row.id))
        if table.row_count:
            at, column = table.validate_cursor_coordinate(cursor)
            if self.row_ids[at] is None:  # a heading: go to the first measurable below it
                at = next((i for i in range(at, len(self.row_ids)) if self.row_ids[i]), at)
            if column < FIRST_WEEK_COLUMN:
                column = FIRST_WEEK_COLUMN + len(self.shown_weeks) - 1
            table.cursor_coordinate = Coordinate(at, column)

    @staticmethod
    def _pad(text: str, width: int, right: bool) -> str:
        text = _fit(text, width - 1)
        return text.rjust(width) if right else " " + text.ljust(width - 1)

    def _week_label(self, week: str) -> str:
        return f"W{week[-2:]}"

    @staticmethod
    def _name_text(row: ScorecardRow) -> Text:
        name = Text(row.name)
        if row.propose_as_issue:
            name = Text("⚑ ", style=SCORECARD_STATUS["off target"][1]) + name
        if row.computed:
            name.append(" ƒ", style="dim")
        if row.leading:
            name.append(" ↗", style="#72b7b2")  # a leading indicator
        return name

    def _cells(self, row: ScorecardRow, layout: GridLayout) -> list[object]:
        name = self._name_text(row)
        if len(name) > layout.name - 1:  # cut the name, keep the ⚑
            name.truncate(layout.name - 2)
            name.append("…")
        owner = row.owner.split()[0] if row.owner else ""
        cells: list[object] = [
            self._pad(owner, layout.owner, False),
            Text(" ") + name,
            Text(self._pad(row.goal_text, layout.goal, False), style="dim"),
        ]
        for cell in row.cells[len(row.cells) - layout.weeks :]:
            # A glyph per status, so the grid reads without its colours.
            glyph, style = SCORECARD_STATUS.get(cell.grade or "", (" ", ""))
            if cell.value is None:
                cells.append(Text("·".rjust(layout.week - 1) + " ", style=SCORECARD_EMPTY))
            else:
                cells.append(Text(cell.formatted.rjust(layout.week - 1) + glyph, style=style))
        on, counted = row.on_goal
        good = SCORECARD_STATUS["on target" if counted and on * 2 >= counted else "off target"]
        cells += [
            self._pad(row.average_text, layout.average, True),
            Text(self._pad(row.on_goal_text, layout.on_goal, True), style=good[1]),
        ]
        if layout.total:
            cells.append(self._pad(row.total_text, layout.total, True))
        if layout.trend:
            cells.append(Text(" ") + sparkline([c.value for c in row.cells]))
        return cells

    def _update_topbar(self) -> None:
        view = self.view
        assert view is not None
        shown = len(self.shown_weeks)
        weeks = f"{len(view.weeks)} weeks to {view.end_week}"
        if shown < len(view.weeks):  # a narrow terminal: the newest weeks
            weeks = f"{shown} of {weeks} (widen for all)"
        parts = [
            "[b]Scorecard[/b]",
            weeks,
            "this week shown (h)" if self.include_this_week else "last week on the right (h)",
            f"{len(view.rows)} measurables",
        ]
        parts += [f"[#f0b429]⚠ {w}[/]" for w in view.warnings]
        self.query_one(TopBar).say("  ·  ".join(parts))

    # -- where the cursor is ----------------------------------------------------------

    def _to_last_week_column(self) -> None:
        table = self.query_one(DataTable)
        if self.view and table.row_count:
            first_row = next((i for i, r in enumerate(self.row_ids) if r is not None), 0)
            table.cursor_coordinate = Coordinate(
                first_row, FIRST_WEEK_COLUMN + len(self.shown_weeks) - 1
            )

    def _cell(self) -> tuple[ScorecardRow, str] | None:
        """The measurable and week under the cursor, if it is a week cell."""
        table = self.query_one(DataTable)
        row_index, column = table.cursor_coordinate
        if row_index >= len(self.row_ids) or self.view is None:
            return None
        measurable = self.row_ids[row_index]
        week_index = column - FIRST_WEEK_COLUMN
        if measurable is None or not 0 <= week_index < len(self.shown_weeks):
            return None
        return self.rows[measurable], self.shown_weeks[week_index]

    def _current_row(self) -> ScorecardRow | None:
        table = self.query_one(DataTable)
        row_index = table.cursor_coordinate.row
        measurable = self.row_ids[row_index] if row_index < len(self.row_ids) else None
        if measurable is None:
            self.notify("Move onto a measurable first, or n to add one.", severity="warning")
            return None
        return self.rows[measurable]

    # -- fast entry -------------------------------------------------------------------

    def action_enter_value(self) -> None:
        target = self._cell()
        if target is None:
            self.notify("Move onto a week of a measurable to enter a value.", severity="warning")
            return
        row, week = target
        if row.computed:
            self._next_row()
            target = self._cell()
            if target is None or target[0].computed:
                self.notify(f"{row.name} is computed from a formula; it is never typed.")
                return
            row, week = target
        self._open_entry(row, week)

    def on_data_table_cell_selected(self) -> None:
        self.select_cell()

    def select_cell(self) -> None:
        """Enter on a cell: a week enters a value, the goal changes it, else edit."""
        column = self.query_one(DataTable).cursor_coordinate.column
        if self._cell() is not None:
            self.action_enter_value()
        elif column == FIRST_WEEK_COLUMN - 1:  # enter on the goal: change it
            self.action_change_goal()
        else:  # enter on the owner or the name: edit the measurable
            self.action_edit()

    def action_edit(self) -> None:
        row = self._current_row()
        if row is None:
            return
        db, now = self.desk.db, self.desk.now()

        def save(v: FormValues) -> None:
            edit_measurable(
                db,
                row.id,
                name=v.text("name"),
                owner_id=v.choice("owner"),
                perspective=v.choice("perspective"),
                leading=v.choice("kind"),
                goal_id=v.choice("objective"),
                definition=v.text("definition"),
                tolerance=_share(v.number("tolerance")),
                combine=v.text("combine").strip() or None,
            )

        self.app.push_screen(
            FormScreen(
                f"Edit {row.name} ({row.unit})",
                [
                    TextField("name", "Name", row.name),
                    ChoiceField(
                        "owner",
                        "Owner",
                        options=owner_choices(db, keep=row.owner_id),
                        value=row.owner_id,
                    ),
                    ChoiceField(
                        "perspective",
                        "Perspective",
                        options=PERSPECTIVE_CHOICES,
                        value=row.perspective,
                    ),
                    ChoiceField(
                        "kind", "Leading or lagging", options=LEADING_CHOICES, value=row.leading
                    ),
                    ChoiceField(
                        "objective",
                        "1-year goal it tracks",
                        options=goal_choices(db, self.desk.local_now().quarter, now),
                        value=row.goal_id,
                    ),
                    TextField("definition", "How it is counted", row.definition),
                    _tolerance_field(row.tolerance * 100 if row.tolerance else None),
                    TextField("combine", COMBINE_LABEL, row.combine),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def action_change_goal(self) -> None:
        row = self._current_row()
        if row is None:
            return
        week = self.end_week

        def save(v: FormValues) -> None:
            operator, goal, goal_high = _goal_of(v, row.unit)
            set_goal(self.desk.db, row.id, operator, goal, goal_high, v.week("from") or week)

        self.app.push_screen(
            FormScreen(
                f"Goal of {row.name}",
                [
                    TextField("goal", "Goal (>= 25, <= $180, between 92% 97%)", row.goal_text),
                    WeekField(
                        "from", "From week (earlier weeks keep their goal)", week, default=week
                    ),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def _open_entry(self, row: ScorecardRow, week: str) -> None:
        self.query_one("#entry-bar").add_class("visible")
        self.query_one("#entry-label", Label).update(
            f"{row.name} · {week} · goal {row.goal_text}: "
        )
        cell = next(c for c in row.cells if c.week == week)
        field = self.query_one("#entry-input", Input)
        # The old value is shown selected: typing replaces it, Enter keeps it.
        field.value = cell.formatted
        field.select_all()
        field.placeholder = {
            "yesno": "y / n",
            "duration": "1h30",
            "percent": "38%",
            "currency": "$12,000",
        }.get(row.unit, "12000 or 12k")
        self._show_entry_error("")
        field.focus()

    def _show_entry_error(self, error: Text | str) -> None:
        # Clearing what is already clear lays the screen out for nothing (each row
        # entered would repaint the whole grid).
        if error or self._entry_error_shown:
            self.query_one("#entry-error", Static).update(error)
            self._entry_error_shown = bool(error)

    @property
    def entry_open(self) -> bool:
        return self.query_one("#entry-bar").has_class("visible")

    def type_into_entry(self, event: events.Key) -> bool:
        """Apply a key meant for the open entry field; False when entry is closed or
        the key is not one the field takes."""
        if not self.entry_open:
            return False
        field = self.query_one("#entry-input", Input)
        if event.key == "enter":
            self.enter_typed(field.value)
        elif event.key == "escape":
            self.action_stop_entry()
        elif event.key == "backspace":
            field.action_delete_left()
        elif event.is_printable and event.character:
            start, end = sorted(field.selection)
            field.replace(event.character, start, end)
        else:
            return False
        return True

    def enter_typed(self, typed: str) -> None:
        """Save what was typed for the cell under the cursor and open the next row."""
        target = self._cell()
        if target is None:
            self.action_stop_entry()
            return
        row, week = target
        try:
            if typed.strip():
                record_value(self.desk.db, row.id, week, typed)
            else:
                clear_value(self.desk.db, row.id, week)
        except CeodeskError as err:
            self._show_entry_error(Text(f"✗ {err}", style="bold #e45756"))
            return
        self.refresh_rows(row.id)
        if not self._next_row():
            self.action_stop_entry()
            self.notify(f"{week} entered", timeout=3)
            return
        target = self._cell()
        if target is not None:
            self._open_entry(*target)

    def _next_row(self) -> bool:
        """Move down to the next typed measurable (headings and formulas are skipped)."""
        table = self.query_one(DataTable)
        row_index, column = table.cursor_coordinate
        for index in range(row_index + 1, len(self.row_ids)):
            measurable = self.row_ids[index]
            if measurable is not None and not self.rows[measurable].computed:
                table.cursor_coordinate = Coordinate(index, column)
                return True
        return False

    def action_stop_entry(self) -> None:
        self.query_one("#entry-bar").remove_class("visible")
        self._show_entry_error("")
        self.query_one(DataTable).focus()

    # -- other actions ----------------------------------------------------------------

    def action_clear(self) -> None:
        target = self._cell()
        if target is None:
            return
        row, week = target
        if row.computed:
            self.notify(f"{row.name} is computed from a formula: nothing to clear.")
            return
        with self.desk.reporting():
            if not clear_value(self.desk.db, row.id, week):
                self.notify(f"{row.name} has no value for {week}: nothing to clear.")
                return
            self.notify(f"Cleared {row.name} for {week} — u to undo", timeout=3)
            self.refresh_rows(row.id)

    def action_toggle_this_week(self) -> None:
        self.include_this_week = not self.include_this_week
        self.refresh_data()
        self.when_drawn(self._to_last_week_column)

    def action_reorder(self, step: int) -> None:
        row = self._current_row()
        if row is None:
            return
        moved = False
        with self.desk.reporting():
            moved = move_measurable(self.desk.db, row.id, step)
        if moved:
            table = self.query_one(DataTable)

            def follow() -> None:  # the cursor stays on the measurable moved
                column = table.cursor_coordinate.column
                table.cursor_coordinate = Coordinate(self.row_ids.index(row.id), column)

            self.refresh_data()
            self.when_drawn(follow)

    def action_archive(self) -> None:
        row = self._current_row()
        if row is None:
            return
        with self.desk.reporting():
            name = archive_measurable(self.desk.db, row.id)
            self.notify(f"Archived {name}; its history stays — u to undo", timeout=4)
            self.refresh_data()

    def action_raise_issue(self) -> None:
        row = self._current_row()
        if row is None:
            return
        with self.desk.reporting():
            raised = raise_measurable(self.desk.db, row.id, self.end_week, self.desk.now())
            self.notify(raised.sentence, timeout=5)

    def action_trend(self) -> None:
        row = self._current_row()
        if row is not None:
            self.app.push_screen(TrendScreen(row.id, row.name, row.unit, self.end_week))

    def action_template(self) -> None:
        options = [(str(i), name, name) for i, name in enumerate(TEMPLATES, 1)]

        def chosen(name: str | None) -> None:
            if name is None:
                return
            db = self.desk.db
            with db.session() as session:
                owner = me(session).id or 0
            with self.desk.reporting():
                count = add_template(db, name, owner, self.end_week)
                self.notify(f"Added {count} measurables from “{name}”", timeout=3)
                self.refresh_data()

        self.app.push_screen(PickScreen("Add a template", options), chosen)

    def action_new(self) -> None:
        db, now, week = self.desk.db, self.desk.now(), self.end_week

        def save(v: FormValues) -> None:
            unit = v.choice("unit")
            operator, goal, goal_high = _goal_of(v, unit)
            assert operator in OPERATORS
            add_measurable(
                db,
                v.text("name"),
                v.choice("owner"),
                unit,
                operator,
                goal,
                goal_high,
                perspective=v.choice("perspective"),
                leading=v.choice("kind"),
                goal_id=v.choice("objective"),
                definition=v.text("definition"),
                formula=v.text("formula").strip() or None,
                tolerance=_share(v.number("tolerance")),
                combine=v.text("combine").strip() or None,
                from_week=week,
            )

        self.app.push_screen(
            FormScreen(
                "New measurable",
                [
                    TextField("name", "Name", placeholder="Qualified leads"),
                    ChoiceField(
                        "owner",
                        "Owner",
                        options=owner_choices(db),
                        empty="Add team members first (ctrl+p, Team members).",
                    ),
                    ChoiceField("unit", "Unit", options=[(u, u) for u in UNITS], value="number"),
                    TextField("goal", "Goal (>= 25, <= $180, between 92% 97%)"),
                    ChoiceField("perspective", "Perspective", options=PERSPECTIVE_CHOICES),
                    ChoiceField("kind", "Leading or lagging", options=LEADING_CHOICES, value=False),
                    ChoiceField(
                        "objective",
                        "1-year goal it tracks (type words of its title)",
                        options=goal_choices(db, self.desk.local_now().quarter, now),
                    ),
                    TextField("definition", "How it is counted"),
                    TextField("formula", "Formula over other measurables (won / leads), or empty"),
                    _tolerance_field(None),
                    TextField("combine", COMBINE_LABEL + ", or empty for the unit's usual"),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )
