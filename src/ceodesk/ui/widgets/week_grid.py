"""The week as a grid: days across, time slots down, blocks as coloured boxes.

The grid draws line by line (Textual's line API): a line is drawn when it comes into
view or when what is on it changed, and kept until then. A cursor move draws again the
rows the cursor left and the rows it reached, not the whole week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from ceodesk.core.domain.planner import BlockView, WeekPlan
from ceodesk.core.kernel.dates import MONTH_ABBR, WEEKDAY_ABBR, time_of_day
from ceodesk.core.kernel.dates import minutes_of_day as minutes_of

GUTTER = 6  # "08:30 "
WEEKEND_SHARE = 0.55  # weekend columns are narrower than weekdays


def clock(minutes: int) -> time:
    return time_of_day(max(0, min(minutes, 24 * 60 - 1)))


def _dim(colour: str, factor: float = 0.55) -> str:
    """A darker shade of a category colour, so white text on it stays readable."""
    red, green, blue = Color.parse(colour).get_truecolor()
    return f"#{int(red * factor):02x}{int(green * factor):02x}{int(blue * factor):02x}"


def _lanes(blocks: tuple[BlockView, ...], slot_of) -> dict[int, tuple[int, int]]:
    """Block id -> (its lane, lanes side by side there) for one day's blocks.

    Blocks sharing a grid row stand side by side, the outer (earlier, longer) one on the
    left, so a task scheduled into deep work is drawn next to it, never under it.
    """
    rows = {b.id: (slot_of(b.start), slot_of_end(b, slot_of)) for b in blocks}
    ordered = sorted(blocks, key=lambda b: (minutes_of(b.start), -b.planned_minutes, b.id))
    found: dict[int, tuple[int, int]] = {}
    cluster: list[int] = []
    lane_ends: list[int] = []
    reach = -1

    def close() -> None:
        for block_id in cluster:
            found[block_id] = (found[block_id][0], len(lane_ends))

    for block in ordered:
        first, last = rows[block.id]
        if first > reach and cluster:
            close()
            cluster, lane_ends = [], []
        lane = next((i for i, end in enumerate(lane_ends) if end < first), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(last)
        else:
            lane_ends[lane] = last
        found[block.id] = (lane, 1)
        cluster.append(block.id)
        reach = max(reach, last) if len(cluster) > 1 else last
    if cluster:
        close()
    return found


def slot_of_end(block: BlockView, slot_of) -> int:
    """The last grid row a block touches."""
    end = minutes_of(block.end) or 24 * 60
    return slot_of(clock(end - 1))


@dataclass(frozen=True)
class Cursor:
    day: int  # 0 = Monday
    slot: int  # row index from the first row
    lane: int = 0  # where blocks stand side by side, which one (0 = leftmost)


class WeekGrid(Widget, can_focus=True):
    """Draws a WeekPlan and keeps a cursor; the screen owns the keys and the data."""

    DEFAULT_CSS = """
    WeekGrid { height: auto; }
    """

    slot_minutes: reactive[int] = reactive(30)
    show_weekend: reactive[bool] = reactive(True)
    # The cursor and the selection repaint the rows they touch (their watchers).
    cursor: reactive[Cursor] = reactive(Cursor(0, 0), repaint=False)
    selection: reactive[int] = reactive(0, repaint=False)  # extra slots below the cursor

    class CursorMoved(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._plan: WeekPlan | None = None
        # Worked out once per plan and zoom (None: not yet): the grid's first and last
        # minute, the blocks on each row and their lanes, by day.
        self._bounds: tuple[int, int] | None = None
        self._blocks_by_slot: list[dict[int, list[BlockView]]] | None = None
        self._lanes_cache: dict[int, dict[int, tuple[int, int]]] | None = None
        # Lines drawn, by row: (what the cursor is on that row, the strip); valid for
        # the size, weekend and focus in _strips_key (and the plan and zoom).
        self._strips_key: tuple[object, ...] | None = None
        self._strips: dict[int, tuple[tuple[int, int] | None, Strip]] = {}
        self._base_style = Style()  # the widget's own style, under every line's
        self.lines_drawn = 0  # how many lines were drawn (tests count them)

    @property
    def plan(self) -> WeekPlan | None:
        return self._plan

    @plan.setter
    def plan(self, plan: WeekPlan | None) -> None:
        self._plan = plan
        self._forget()

    def watch_slot_minutes(self) -> None:
        self._forget()

    def _forget(self) -> None:
        """Forget what was worked out and drawn for the last plan and zoom."""
        self._bounds = self._blocks_by_slot = self._lanes_cache = None
        self._strips_key = None

    # -- geometry ---------------------------------------------------------------------

    @property
    def first_minute(self) -> int:
        """The grid starts at the day start, or earlier if a block does."""
        return self._minute_bounds()[0]

    @property
    def last_minute(self) -> int:
        return self._minute_bounds()[1]

    def _minute_bounds(self) -> tuple[int, int]:
        """(first, last) minute of the grid, worked out once per plan and zoom."""
        if self.plan is None:
            return 7 * 60, 19 * 60
        if self._bounds is None:
            starts = [minutes_of(b.start) for d in self.plan.days for b in d.blocks]
            first = min([minutes_of(self.plan.day_start), *starts])
            ends = [minutes_of(b.end) or 24 * 60 for d in self.plan.days for b in d.blocks]
            last = max([minutes_of(self.plan.day_end), *ends])
            self._bounds = (first - first % self.slot_minutes, last)
        return self._bounds

    @property
    def rows(self) -> int:
        span = self.last_minute - self.first_minute
        return max(1, -(-span // self.slot_minutes))

    @property
    def visible_days(self) -> list[int]:
        return list(range(7)) if self.show_weekend else list(range(5))

    def column_widths(self, width: int | None = None) -> list[int]:
        """Cells per visible day; weekend columns get a smaller share."""
        total = max(7, (width if width is not None else self.size.width) - GUTTER)
        shares = [WEEKEND_SHARE if day >= 5 else 1.0 for day in self.visible_days]
        unit = total / sum(shares)
        widths = [max(3, int(unit * share)) for share in shares]
        widths[-1] += max(0, total - sum(widths))
        return widths

    def slot_time(self, slot: int) -> time:
        return clock(self.first_minute + slot * self.slot_minutes)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.rows

    # -- what is where ----------------------------------------------------------------

    def day_date(self, day: int) -> date | None:
        return self.plan.days[day].day if self.plan else None

    def blocks_at(self, day: int, slot: int) -> list[BlockView]:
        if self.plan is None:
            return []
        if self._blocks_by_slot is None:
            self._blocks_by_slot = [self._slots_of(view.blocks) for view in self.plan.days]
        return self._blocks_by_slot[day].get(slot, [])

    def _slots_of(self, blocks: tuple[BlockView, ...]) -> dict[int, list[BlockView]]:
        """Row -> the blocks touching it, in the day's order, at this zoom."""
        first, size = self.first_minute, self.slot_minutes
        found: dict[int, list[BlockView]] = {}
        for block in blocks:
            begin = minutes_of(block.start) - first
            end = (minutes_of(block.end) or 24 * 60) - first
            # Rows whose span [row * size, row * size + size) meets [begin, end).
            for slot in range(begin // size, -(-end // size)):
                found.setdefault(slot, []).append(block)
        return found

    def lanes(self, day: int) -> dict[int, tuple[int, int]]:
        """Block id -> (lane, lanes side by side) for a day, at this zoom."""
        if self.plan is None:
            return {}
        if self._lanes_cache is None:
            self._lanes_cache = {
                d: _lanes(self.plan.days[d].blocks, self.slot_of) for d in range(7)
            }
        return self._lanes_cache[day]

    def lanes_at(self, day: int, slot: int) -> int:
        """How many blocks stand side by side in a cell (1 when none or one)."""
        lanes = self.lanes(day)
        return max((lanes[b.id][1] for b in self.blocks_at(day, slot)), default=1)

    def block_in_lane(self, day: int, slot: int, lane: int) -> BlockView | None:
        lanes = self.lanes(day)
        lane = min(lane, self.lanes_at(day, slot) - 1)
        return next((b for b in self.blocks_at(day, slot) if lanes[b.id][0] == lane), None)

    @property
    def current_block(self) -> BlockView | None:
        return self.block_in_lane(self.cursor.day, self.cursor.slot, self.cursor.lane)

    def select_block(self, block_id: int) -> bool:
        """Put the cursor on a block (its first row, its lane); False if it is not shown."""
        if self.plan is None:
            return False
        for day, view in enumerate(self.plan.days):
            for block in view.blocks:
                if block.id == block_id:
                    if day not in self.visible_days:
                        self.show_weekend = True
                    self.selection = 0
                    slot = max(0, min(self.rows - 1, self.slot_of(block.start)))
                    self.cursor = Cursor(day, slot, self.lanes(day)[block_id][0])
                    self.scroll_cursor_visible()
                    return True
        return False

    def slot_of(self, moment: time) -> int:
        return (minutes_of(moment) - self.first_minute) // self.slot_minutes

    # -- cursor -----------------------------------------------------------------------

    def move_cursor(self, days: int = 0, slots: int = 0, *, extend: bool = False) -> None:
        """Move by days and rows; left/right first step through blocks side by side."""
        visible = self.visible_days
        index = visible.index(self.cursor.day) if self.cursor.day in visible else 0
        day = visible[max(0, min(len(visible) - 1, index + days))]
        if extend:
            self.selection = max(0, min(self.rows - 1 - self.cursor.slot, self.selection + slots))
            self.scroll_cursor_visible()
            return
        self.selection = 0
        here = self.cursor
        lanes_here = self.lanes_at(here.day, here.slot)
        lane = min(here.lane, lanes_here - 1)
        if days == 1 and lane < lanes_here - 1:
            day, lane = here.day, lane + 1
        elif days == -1 and lane > 0:
            day, lane = here.day, lane - 1
        elif days == -1 and day != here.day:
            lane = self.lanes_at(day, here.slot) - 1
        elif days:
            lane = 0
        slot = max(0, min(self.rows - 1, here.slot + slots))
        self.cursor = Cursor(day, slot, min(lane, self.lanes_at(day, slot) - 1))
        self.scroll_cursor_visible()

    def put_cursor(self, day: int, moment: time) -> None:
        self.selection = 0  # lane 0: the outer block where blocks stand side by side
        self.cursor = Cursor(day, max(0, min(self.rows - 1, self.slot_of(moment))))
        self.scroll_cursor_visible()

    def scroll_cursor_visible(self) -> None:
        """Scroll the surrounding container so the cursor (and selection) can be seen."""
        container = self.parent
        if isinstance(container, Widget):
            region = Region(0, self.cursor.slot, self.size.width or 1, self.selection + 1)
            container.scroll_to_region(region, animate=False, immediate=True)

    def watch_cursor(self, old: Cursor, new: Cursor) -> None:
        self._refresh_rows(old.slot, old.slot + self.selection)
        self._refresh_rows(new.slot, new.slot + self.selection)
        self.post_message(self.CursorMoved())

    def watch_selection(self, old: int, new: int) -> None:
        self._refresh_rows(self.cursor.slot, self.cursor.slot + max(old, new))

    def _refresh_rows(self, first: int, last: int) -> None:
        """Repaint rows first to last (their lines are drawn again if they changed)."""
        self.refresh(Region(0, first, self.size.width, last - first + 1))

    def selected_span(self) -> tuple[date, time, time] | None:
        day = self.day_date(self.cursor.day)
        if day is None:
            return None
        start = self.first_minute + self.cursor.slot * self.slot_minutes
        end = start + (self.selection + 1) * self.slot_minutes
        return day, clock(start), clock(end) if end < 24 * 60 else time(23, 59)

    # -- drawing ----------------------------------------------------------------------

    def render(self) -> Text:
        """The whole grid as text (what the lines show, one per row)."""
        if self.plan is None:
            return Text("")
        widths = self.column_widths()
        now_slot = self.slot_of(self.plan.now_time)
        lines = [
            Text.assemble(
                *((s.text, s.style or _PLAIN) for s in self._line(slot, widths, now_slot))
            )
            for slot in range(self.rows)
        ]
        return Text("\n").join(lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self.plan is None or not 0 <= y < self.rows:
            return Strip.blank(width, self.visual_style.rich_style)
        key = (width, self.show_weekend, self.has_focus)
        if self._strips_key != key:
            self._strips_key, self._strips = key, {}
            self._base_style = self.visual_style.rich_style
        cursor = self.cursor
        on_row = (
            (cursor.day, cursor.lane) if cursor.slot <= y <= cursor.slot + self.selection else None
        )
        drawn = self._strips.get(y)
        if drawn is not None and drawn[0] == on_row:
            return drawn[1]
        # Segments straight from the plan: a line is some 30 runs of one style each, so
        # it skips Rich's Text and Textual's Content on the way to a strip (issue 13).
        base = self._base_style
        segments = [
            Segment(text, base + style)
            for text, style, _control in self._line(
                y, self.column_widths(), self.slot_of(self.plan.now_time)
            )
        ]
        strip = Strip(segments).crop_extend(0, width, base)
        self._strips[y] = (on_row, strip)
        self.lines_drawn += 1
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips_key = None  # new colours or text style: every line drawn again

    def _line(self, slot: int, widths: list[int], now_slot: int) -> list[Segment]:
        """A row's runs of text, each with its own style."""
        assert self.plan is not None
        moment = self.slot_time(slot)
        on_hour = moment.minute == 0
        is_now_row = slot == now_slot and any(d.is_today for d in self.plan.days)
        gutter_style = _NOW_GUTTER if is_now_row else (_PLAIN if on_hour else _DIM)
        gutter = "now▸ " if is_now_row else (f"{moment:%H:%M} " if on_hour else "  ·   ")
        line = [Segment(gutter.ljust(GUTTER)[:GUTTER], gutter_style)]
        cursor = self.cursor  # reactives read once a line, not once a cell
        on_row = self.has_focus and cursor.slot <= slot <= cursor.slot + self.selection
        for day, width in zip(self.visible_days, widths, strict=True):
            selected = on_row and day == cursor.day
            self._cell(line, day, slot, width, is_now_row, on_hour, selected)
        return line

    def _cell(
        self,
        line: list[Segment],
        day: int,
        slot: int,
        width: int,
        is_now_row: bool,
        on_hour: bool,
        selected: bool,
    ) -> None:
        """Add a day's cell on a row to ``line``."""
        assert self.plan is not None
        day_view = self.plan.days[day]
        blocks = self.blocks_at(day, slot)
        text_width = width - 1  # one cell of gap between columns
        if not blocks:
            if day_view.is_today and is_now_row:
                text, style = "─" * text_width, _NOW_LINE
            else:
                text = ("·" if on_hour else " ").ljust(text_width)
                style = _EMPTY_TODAY if day_view.is_today else _EMPTY
            line.append(Segment(text, style + _REVERSE if selected else style))
            line.append(Segment(" ", style))  # the gap in the day's colour
            return
        count = self.lanes_at(day, slot)
        lanes = self.lanes(day)
        sizes = [text_width // count] * count
        sizes[-1] += text_width - sum(sizes)
        chosen = min(self.cursor.lane, count - 1)
        for lane, size in enumerate(sizes):
            block = next((b for b in blocks if lanes[b.id][0] == lane), None)
            reverse = selected and (count == 1 or lane == chosen)
            if block is None:
                line.append(Segment(" " * size, _GAP + _REVERSE if reverse else _GAP))
            else:
                start = len(line)
                self._block_text(line, block, slot, size, edge=lane > 0)
                if reverse:
                    line[start:] = [
                        Segment(s.text, (s.style or _PLAIN) + _REVERSE) for s in line[start:]
                    ]
        line.append(Segment(" "))

    def _block_text(
        self, line: list[Segment], block: BlockView, slot: int, width: int, *, edge: bool = False
    ) -> None:
        """Add a block's cell to ``line``: its title on its first row, its times on the
        second. ``edge`` draws a bar on the left where it stands next to another block."""
        first = max(0, self.slot_of(block.start))
        style = _block_style(block.colour)
        if edge and width > 1:
            line.append(Segment("▏", _bar_style(block.colour)))
            width -= 1
        if slot == first:
            marks = ""
            if block.overlaps:
                marks += "⚠"
            if block.skipped:
                marks += "✗"
            elif block.actual_minutes is not None:
                marks += "✓"
            label = (f"{marks}{block.title}" if marks else block.title)[:width].ljust(width)
            bold = style + _BOLD
            if block.overlaps and label:
                line.append(Segment(label[0], bold + _OVERLAP))
                label = label[1:]
            line.append(Segment(label, bold))
        elif slot == first + 1:
            span = f"{block.start:%H:%M}–{block.end:%H:%M}"
            if block.rock:
                span += " ◆"
            if block.task_title:
                span += " ↳ task"
            line.append(Segment(span[:width].ljust(width), style + _DIM))
        else:
            line.append(Segment(" " * width, style))


# The grid's styles, made once (a line is drawn from some 30 of them).
_PLAIN = Style()
_DIM = Style(dim=True)
_BOLD = Style(bold=True)
_REVERSE = Style(reverse=True)
_OVERLAP = Style(color="#ffb4b4")
_NOW_GUTTER = Style(bold=True, color="#e45756")
_NOW_LINE = Style(color="#e45756", bgcolor="#1f242c")
_EMPTY = Style(color="#3a404a", bgcolor="#181b21")
_EMPTY_TODAY = Style(color="#3a404a", bgcolor="#1f242c")
_GAP = Style(bgcolor="#181b21")


@lru_cache(maxsize=256)
def _block_style(colour: str) -> Style:
    return Style(color="#ffffff", bgcolor=_dim(colour))


@lru_cache(maxsize=256)
def _bar_style(colour: str) -> Style:
    return Style(color="#0e1014", bgcolor=_dim(colour))


def week_title(plan: WeekPlan) -> str:
    """The week key and its dates, e.g. 2026-W48 and 23 to 29 Nov 2026."""
    monday, sunday = plan.days[0].day, plan.days[-1].day

    def day_month(d: date) -> str:
        return f"{d.day} {MONTH_ABBR[d.month - 1]}"

    if monday.year != sunday.year:
        span = f"{day_month(monday)} {monday.year}–{day_month(sunday)} {sunday.year}"
    elif monday.month != sunday.month:
        span = f"{day_month(monday)}–{day_month(sunday)} {sunday.year}"
    else:
        span = f"{monday.day}–{day_month(sunday)} {sunday.year}"
    return f"{plan.week} · {span}"


class DayHeader(Widget):
    """Day names over the grid's columns, today highlighted, then each day's focus tasks."""

    DEFAULT_CSS = """
    DayHeader { height: 3; }
    """

    def __init__(self, grid: WeekGrid, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grid = grid

    def render(self) -> Text:
        plan = self.grid.plan
        if plan is None:
            return Text("")
        widths = self.grid.column_widths(self.size.width)
        names = Text(" " * GUTTER)
        focus_lines = [Text("focus ".ljust(GUTTER), style="dim"), Text(" " * GUTTER)]
        for day, width in zip(self.grid.visible_days, widths, strict=True):
            view = plan.days[day]
            name = WEEKDAY_ABBR[view.day.weekday()]
            label = f"{name} {view.day.day}"
            if len(label) >= width:  # a narrow weekend column: "Sa28"
                label = f"{name[:2]}{view.day.day}"
            if view.warnings:
                label += " ⚠"
            style = "bold reverse #f0b429" if view.is_today else "bold"
            names.append(label[: width - 1].ljust(width - 1), style=style)
            names.append(" ")
            for index, line in enumerate(focus_lines):
                if index < len(view.focus):
                    task = view.focus[index]
                    mark = "✓" if task.done else ("★" if task.has_block else "☆")
                    cell = f"{mark}{task.title}"[: width - 1].ljust(width - 1)
                    line.append(cell, style="dim strike" if task.done else "#f0b429")
                else:
                    line.append(" " * (width - 1))
                line.append(" ")
        return Text("\n").join([names, *focus_lines])
