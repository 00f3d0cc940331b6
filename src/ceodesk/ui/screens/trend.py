"""`g` on the scorecard: one measurable over up to 52 weeks, against its goal line."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ceodesk.core.domain.scorecard import TrendPoint, format_value, trend
from ceodesk.ui.screens.base import DeskModal

CHART_ROWS = 12


def draw_trend(points: list[TrendPoint], unit: str, rows: int = CHART_ROWS) -> Text:
    """Bars per week (█, in eighths at the top), the goal as an amber line, a scale left."""
    values = [p.value for p in points if p.value is not None]
    if not values:
        return Text("No values recorded in these weeks yet.", style="dim")
    low = min([*values, *(p.goal for p in points), 0.0])
    high = max([*values, *(p.goal for p in points)])
    span = (high - low) or 1.0
    step = span / rows
    label_width = max(len(format_value(high, unit)), len(format_value(low, unit))) + 1
    chart = Text()
    for row in range(rows, 0, -1):
        top, bottom = low + row * step, low + (row - 1) * step
        label = format_value(top, unit) if row in (rows, rows // 2) else ""
        chart.append(label.rjust(label_width) + " ┤", style="dim")
        for point in points:
            on_goal_line = bottom <= point.goal < top
            if point.value is None:
                chart.append("─" if on_goal_line else " ", style="#f0b429")
            elif point.value >= top:
                chart.append("█", style="#4c9be8")
            elif point.value > bottom:
                eighths = int((point.value - bottom) / step * 8)
                chart.append(" ▁▂▃▄▅▆▇█"[eighths], style="#4c9be8")
            else:
                chart.append("─" if on_goal_line else " ", style="#f0b429")
        chart.append("\n")
    chart.append(" " * label_width + " └" + "─" * len(points) + "\n", style="dim")
    first, last = points[0].week, points[-1].week
    chart.append(
        " " * (label_width + 2) + first.ljust(max(len(points) - len(last), 0)) + last, style="dim"
    )
    return chart


class TrendScreen(DeskModal):
    BINDINGS = [Binding("escape,g,q", "dismiss", "Close", id="trend-close")]

    def __init__(self, measurable_id: int, name: str, unit: str, end_week: str) -> None:
        super().__init__()
        self.measurable_id = measurable_id
        self.measurable_name = name
        self.unit = unit
        self.end_week = end_week

    def compose(self) -> ComposeResult:
        with Vertical(id="trend", classes="dialog wide"):
            yield Static(id="trend-chart")
            yield Static(
                "bars: the weekly value · amber line: the goal that week · esc closes",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#trend").border_title = f"{self.measurable_name} · 52 weeks"
        self.refresh_data()

    def load(self) -> list[TrendPoint]:
        return trend(self.desk.db, self.measurable_id, self.end_week, weeks=52)

    def show(self, view: list[TrendPoint]) -> None:
        self.query_one("#trend-chart", Static).update(draw_trend(view, self.unit))
