"""The week as a grid: days across, time slots down, blocks as coloured boxes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ceodesk.core.dates import MONTH_ABBR, WEEKDAY_ABBR
from ceodesk.core.planner import BlockView, WeekPlan

GUTTER = 6  # "08:30 "
WEEKEND_SHARE = 0.55  # weekend columns are narrower than weekdays


def minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def clock(minutes: int) -> time:
    minutes = max(0, min(minutes, 24 * 60 - 1))
    return time(minutes // 60, minutes % 60)


def _dim(colour: str, factor: float = 0.55) -> str:
    """A darker shade of a category colour, so white text on it stays readable."""
    red, green, blue = Color.parse(colour).get_truecolor()
    return f"#{int(red * factor):02x}{int(green * factor):02x}{int(blue * factor):02x}"


def _on_top(blocks: list[BlockView]) -> BlockView | None:
    """Where blocks share a slot, the one that starts latest (then the shortest) is drawn
    and picked: a task scheduled into a deep-work block shows over it."""
    if not blocks:
        return None
    return max(blocks, key=lambda b: (minutes_of(b.start), -b.planned_minutes))


@dataclass(frozen=True)
class Cursor:
    day: int  # 0 = Monday
    slot: int  # row index from the first row


class WeekGrid(Widget, can_focus=True):
    """Draws a WeekPlan and keeps a cursor; the screen owns the keys and the data."""

    DEFAULT_CSS = """
    WeekGrid { height: auto; }
    """

    slot_minutes: reactive[int] = reactive(30)
    show_weekend: reactive[bool] = reactive(True)
    cursor: reactive[Cursor] = reactive(Cursor(0, 0))
    selection: reactive[int] = reactive(0)  # extra slots selected below the cursor

    class CursorMoved(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plan: WeekPlan | None = None

    # -- geometry ---------------------------------------------------------------------

    @property
    def first_minute(self) -> int:
        """The grid starts at the day start, or earlier if a block does."""
        if self.plan is None:
            return 7 * 60
        starts = [minutes_of(b.start) for d in self.plan.days for b in d.blocks]
        first = min([minutes_of(self.plan.day_start), *starts])
        return first - first % self.slot_minutes

    @property
    def last_minute(self) -> int:
        if self.plan is None:
            return 19 * 60
        ends = [minutes_of(b.end) or 24 * 60 for d in self.plan.days for b in d.blocks]
        return max([minutes_of(self.plan.day_end), *ends])

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
        begin = self.first_minute + slot * self.slot_minutes
        end = begin + self.slot_minutes
        return [
            b
            for b in self.plan.days[day].blocks
            if minutes_of(b.start) < end and (minutes_of(b.end) or 24 * 60) > begin
        ]

    @property
    def current_block(self) -> BlockView | None:
        return _on_top(self.blocks_at(self.cursor.day, self.cursor.slot))

    def slot_of(self, moment: time) -> int:
        return (minutes_of(moment) - self.first_minute) // self.slot_minutes

    # -- cursor -----------------------------------------------------------------------

    def move_cursor(self, days: int = 0, slots: int = 0, *, extend: bool = False) -> None:
        visible = self.visible_days
        index = visible.index(self.cursor.day) if self.cursor.day in visible else 0
        day = visible[max(0, min(len(visible) - 1, index + days))]
        if extend:
            self.selection = max(0, min(self.rows - 1 - self.cursor.slot, self.selection + slots))
        else:
            self.selection = 0
            slot = max(0, min(self.rows - 1, self.cursor.slot + slots))
            self.cursor = Cursor(day, slot)
        self.scroll_cursor_visible()

    def put_cursor(self, day: int, moment: time) -> None:
        self.selection = 0
        self.cursor = Cursor(day, max(0, min(self.rows - 1, self.slot_of(moment))))
        self.scroll_cursor_visible()

    def scroll_cursor_visible(self) -> None:
        """Scroll the surrounding container so the cursor (and selection) can be seen."""
        container = self.parent
        if isinstance(container, Widget):
            region = Region(0, self.cursor.slot, self.size.width or 1, self.selection + 1)
            container.scroll_to_region(region, animate=False, immediate=True)

    def watch_cursor(self) -> None:
        self.post_message(self.CursorMoved())

    def selected_span(self) -> tuple[date, time, time] | None:
        day = self.day_date(self.cursor.day)
        if day is None:
            return None
        start = self.first_minute + self.cursor.slot * self.slot_minutes
        end = start + (self.selection + 1) * self.slot_minutes
        return day, clock(start), clock(end) if end < 24 * 60 else time(23, 59)

    # -- drawing ----------------------------------------------------------------------

    def render(self) -> Text:
        if self.plan is None:
            return Text("")
        widths = self.column_widths()
        now_slot = self.slot_of(self.plan.now_time)
        lines = [self._line(slot, widths, now_slot) for slot in range(self.rows)]
        return Text("\n").join(lines)

    def _line(self, slot: int, widths: list[int], now_slot: int) -> Text:
        assert self.plan is not None
        moment = self.slot_time(slot)
        on_hour = moment.minute == 0
        is_now_row = slot == now_slot and any(d.is_today for d in self.plan.days)
        gutter_style = "bold #e45756" if is_now_row else ("" if on_hour else "dim")
        gutter = "now▸ " if is_now_row else (f"{moment:%H:%M} " if on_hour else "  ·   ")
        line = Text(gutter.ljust(GUTTER)[:GUTTER], style=gutter_style)
        for day, width in zip(self.visible_days, widths, strict=True):
            line.append_text(self._cell(day, slot, width, is_now_row))
        return line

    def _cell(self, day: int, slot: int, width: int, is_now_row: bool) -> Text:
        assert self.plan is not None
        day_view = self.plan.days[day]
        blocks = self.blocks_at(day, slot)
        selected = (
            day == self.cursor.day
            and self.cursor.slot <= slot <= self.cursor.slot + self.selection
            and self.has_focus
        )
        text_width = width - 1  # one cell of gap between columns
        if not blocks:
            base = "#1f242c" if day_view.is_today else "#181b21"
            if day_view.is_today and is_now_row:
                body = Text("─" * text_width, style=Style(color="#e45756", bgcolor=base))
            else:
                mark = "·" if self.slot_time(slot).minute == 0 else " "
                body = Text(mark.ljust(text_width), style=Style(color="#3a404a", bgcolor=base))
        else:
            block = _on_top(blocks)
            assert block is not None
            body = self._block_text(block, blocks, slot, text_width)
        if selected:
            body.stylize("reverse")
        return body + Text(" ")

    def _block_text(self, block: BlockView, here: list[BlockView], slot: int, width: int) -> Text:
        first = max(0, self.slot_of(block.start))
        background = _dim(block.colour)
        style = Style(color="#ffffff", bgcolor=background)
        if slot == first:
            marks = ""
            if block.overlaps:
                marks += "⚠"
            if block.skipped:
                marks += "✗"
            elif block.actual_minutes is not None:
                marks += "✓"
            label = f"{marks}{block.title}" if marks else block.title
            text = Text(label[:width].ljust(width), style=style + Style(bold=True))
            if block.overlaps:
                text.stylize(Style(color="#ffb4b4"), 0, 1)
        elif slot == first + 1:
            span = f"{block.start:%H:%M}–{block.end:%H:%M}"
            if block.rock:
                span += " ◆"
            if block.task_title:
                span += " ↳ task"
            text = Text(span[:width].ljust(width), style=style + Style(dim=True))
        else:
            text = Text(" " * width, style=style)
        return text


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
