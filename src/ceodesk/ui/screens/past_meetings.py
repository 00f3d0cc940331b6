"""Past meetings (palette "meeting: Past meetings"): date, length and rating of each, the
rating's trend as a small chart, and enter opens one's minutes read-only."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from ceodesk.core.kernel.dates import format_day
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.views.meeting import minutes_markdown
from ceodesk.core.views.team_lists import PastMeetings, past_meetings
from ceodesk.ui.screens.base import DIALOG_APP_KEYS
from ceodesk.ui.screens.form import Dialog
from ceodesk.ui.screens.list_modal import TeamListModal, list_keys
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.vim import RecordTable

BARS = " ▁▂▃▄▅▆▇█"
TREND_WORDS = {"up": "↑ rising", "down": "↓ falling", "flat": "→ steady", "": ""}
RATING_GOOD = 8  # the meeting domain's "asks why" line: below it reads amber


def rating_chart(averages: tuple[float | None, ...], trend: str) -> Text:
    """One bar per meeting, oldest left, from the lowest rating shown to the highest
    (the range is printed beside it), then the trend."""
    chart = Text("Rating ", style="bold")
    rated = [v for v in averages if v is not None]
    low, high = (min(rated), max(rated)) if rated else (0.0, 0.0)
    for value in averages:
        if value is None:
            chart.append("·", style="dim")
            continue
        share = (value - low) / (high - low) if high > low else 1.0
        level = 2 + round(share * (len(BARS) - 3))  # never an empty bar for a rating
        style = "#54a24b" if value >= RATING_GOOD else "#f0b429"
        chart.append(BARS[level], style=style)
    if rated:
        chart.append(f"  {rated[0]:.1f} → {rated[-1]:.1f}", style="bold")
        chart.append(f" (bars from {low:.1f} to {high:.1f})", style="dim")
    word = TREND_WORDS.get(trend, "")
    if word:
        chart.append(f"  {word}", style="bold")
    elif len(rated) < 2:
        chart.append("  (a trend needs two rated meetings)", style="dim")
    return chart


class PastMeetingsScreen(TeamListModal[PastMeetings]):
    AREA = "past meetings"
    TITLE = "Past meetings"
    HELP = """\
## Past meetings

The team's weekly meetings that ended, newest first: the day, how long it took
against its plan, and the average of the attendees' ratings (1-10; below 8 reads
amber). The chart above shows each meeting's rating, oldest left (the bars span the
lowest to the highest rating shown), and whether the last one is rising or falling
against the mean of the four before it.

Enter opens a meeting's minutes, read-only (the same Markdown as `ceodesk minutes
--meeting ID`). `T` shows the next team's meetings.
"""
    BINDINGS = [
        Binding("enter,e", "open", "Minutes", id="past-open", tooltip="Read the minutes"),
        *list_keys("past"),
    ]
    EMPTY = "No meeting has ended yet."

    def compose_list(self) -> ComposeResult:
        yield Static(id="rating-chart")
        yield RecordTable(id="team-list-table")

    def setup_table(self, table: RecordTable) -> None:
        table.add_columns("#", "Day", "Week", "Length", "Rating")

    def load(self) -> PastMeetings:
        assert self.team_id is not None
        return past_meetings(self.desk.db, self.team_id)

    def show(self, view: PastMeetings) -> None:
        rows = []
        for meeting in view.meetings:
            if meeting.average is None:
                rating = Text("not rated", style="dim")
            else:
                good = meeting.average >= RATING_GOOD
                rating = Text(f"{meeting.average:.1f}", style="" if good else "#f0b429")
            rows.append(
                (
                    meeting.id,
                    (
                        str(meeting.id),
                        format_day(meeting.day),
                        meeting.week,
                        f"{meeting.length_minutes} min",
                        rating,
                    ),
                )
            )
        self.table.show_rows(rows, keep=None)
        self.query_one("#rating-chart", Static).update(rating_chart(view.averages, view.trend))
        frame = self.query_one("#team-list")
        frame.border_title = f"Past meetings · {view.team}"
        frame.border_subtitle = f"{len(view.meetings)} held · enter reads the minutes"

    def on_data_table_row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        meeting_id = self.current()
        if meeting_id is not None:
            self.app.push_screen(MinutesScreen(meeting_id))


class MinutesScreen(Dialog[None]):
    """A past meeting's minutes, read-only."""

    TITLE = "Minutes"
    HELP = """\
## Minutes

What the meeting stored when it ended: attendees and roles, time per section, the
scorecard and Rocks as they stood, headlines, to-dos done and not done, issues solved
with their decisions and to-dos, cascading messages and ratings. Read-only. The shell
prints the same: `ceodesk minutes --meeting ID`.
"""
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="minutes-close", tooltip="Back to the list"),
        *DIALOG_APP_KEYS,
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id

    def compose(self) -> ComposeResult:
        with (
            Vertical(id="team-list", classes="team-list"),
            VerticalScroll(id="minutes-body"),
        ):
            yield Markdown(id="minutes")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        frame = self.query_one("#team-list")
        frame.border_title = f"Minutes · meeting {self.meeting_id}"
        frame.border_subtitle = "read-only · ↑↓ scroll · esc closes"
        try:
            text = minutes_markdown(self.desk.db, self.meeting_id)
        except CeodeskError as err:
            self.desk.report(err)
            self.app.call_later(self.answer, None)
            return
        self.query_one(Markdown).update(text)
        self.query_one("#minutes-body").focus()

    def action_close(self) -> None:
        self.answer(None)
