"""Key 5: the weekly meeting on the shared screen — the agenda with its timers, each
section's content editable in place, the issues solved into to-dos, and the minutes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Digits, Markdown, Static

from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.domain.meetings import (
    HeadlineView,
    MeetingState,
    MessageView,
    Minutes,
    RatingView,
    SectionClock,
    SegueLine,
)
from ceodesk.core.domain.people import list_teams
from ceodesk.core.domain.rocks import toggle_week_status
from ceodesk.core.domain.todos import TodoView
from ceodesk.core.kernel.dates import format_day
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.views import meeting as flow
from ceodesk.core.views import proposals as proposing
from ceodesk.core.views.meeting import (
    Attendee,
    ConcludeSection,
    HeadlinesSection,
    IssuesSection,
    MeetingView,
    RockLine,
    RockReview,
    ScorecardSection,
    ScoreLine,
    SegueSection,
    TodoLine,
    TodoReview,
)
from ceodesk.core.views.proposals import Proposal
from ceodesk.core.views.team_lists import team_after
from ceodesk.ui.screens.base import DeskScreen, when_saved
from ceodesk.ui.screens.form import (
    ChoiceField,
    DateField,
    FormScreen,
    FormValues,
    NumberField,
    TextAreaField,
    TextField,
)
from ceodesk.ui.screens.meeting_dialogs import StartDialog
from ceodesk.ui.screens.pick import PickScreen
from ceodesk.ui.theme import MEETING_PHASE, PRESENTER_PHASE, PRESENTER_THEME
from ceodesk.ui.widgets.footer import DeskFooter
from ceodesk.ui.widgets.meeting_parts import BigTimer, MeetingTable, Row, agenda_table
from ceodesk.ui.widgets.topbar import TopBar

TICK_SECONDS = 1.0
CHECKPOINT_SECONDS = 5  # a crash loses at most this much of a running timer
ASK_AWAY_SECONDS = 60  # a shorter absence (a quick restart) simply counts
ACCENT = "bold #f0b429"
OFF = "bold #ff6b6b"
ON = "#7bd88f"
DIM = "#8b93a1"


@dataclass(frozen=True)
class MeetingScreenView:
    """What the meeting screen draws: the running meeting and its current section, or
    (none running) this week's minutes and the team to start one with."""

    team_id: int
    team: str
    read_at: datetime
    people: tuple[tuple[int, str], ...]
    frame: MeetingView | None  # None: no meeting of this week is running
    content: object | None  # the current section's, from views.meeting.section_content
    minutes: Minutes | None  # the meeting that ended (this week's), when none runs
    minutes_markdown: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Rating:
    attendee: Attendee
    rating: RatingView | None


def _days_ago(then: datetime, now: datetime) -> str:
    days = (now - then).days
    return "today" if days < 1 else f"{days}d"


class MeetingScreen(DeskScreen):
    AREA = "meeting"
    TITLE = "Weekly meeting"
    HELP = """\
## The weekly meeting — a timed agenda on the shared screen

Key 5 starts this week's meeting (pick who is present, the facilitator and the scribe)
or resumes the one that is running, in the section it was in. The agenda runs down the
side with each section's used and planned minutes and the meeting's total. The big timer
counts down the current section: **⚠ last minute** in amber, **▲ +2:10 over** in red.
`space` (or `t`) pauses and resumes; `tab`/`]` the next section, `shift+tab`/`[` the one
before. Closing the app keeps the meeting: reopening resumes it (a paused timer stays
paused; a running one asks whether the time away counts).

Each section lists its items: **Segue** `enter` notes each attendee's good news;
**Scorecard** last week's column, off goal first; **Rock review** `space` flips this
week's on/off track, ⚠ marks a Rock at risk with the reason; **Headlines** `n` adds one,
`s` marks a shout-out; **To-do list** `space` done / not done against the 90% target,
⚑ a to-do not done two meetings running; **Issues (IDS)** `r` marks the next of the top 3
(again unmarks), `shift+↑/↓` reorders them, `enter` notes the discussion, `s` solves into
a decision and to-dos (`title @owner fri`, one per line, due a week from today unless
given), `x` drops, `l` long-term, `n` a new issue; suggestions (◇) are accepted with `a`
or dismissed with `x` for the week; **Conclude** recaps the new to-dos, `n` adds a
cascading message, `enter` rates the meeting for the focused attendee (below 8 asks why),
`E` ends the meeting and stores the minutes.

`i` drops the focused item of any section to the issues list, linked back to it.
`P` is presenter mode for the projector: high contrast, a larger timer and item, and the
week planner and tasks (your own time and personal tasks) stay closed until `P` again.
Every change is one `u` undo step; timer moves are not changes.
"""

    BINDINGS = [
        Binding(
            "space",
            "rock_status",
            "On/off track",
            id="meeting-rock-status",
            tooltip="Flip this week's status of the focused Rock",
        ),
        Binding(
            "space",
            "todo_done",
            "Done",
            id="meeting-todo-done",
            tooltip="Mark the focused to-do done or not done",
        ),
        Binding(
            "space",
            "timer",
            "Pause",
            id="meeting-timer",
            tooltip="Pause or resume the section's timer",
        ),
        Binding(
            "t",
            "timer_here",
            "Pause",
            id="meeting-timer-here",
            tooltip="Pause or resume the timer (space flips the focused item here)",
        ),
        Binding(
            "t",
            "timer",
            "Timer",
            id="meeting-timer-t",
            show=False,
            tooltip="Pause or resume the section's timer",
        ),
        Binding(
            "tab,right_square_bracket",
            "section(1)",
            "Next",
            id="meeting-next",
            key_display="tab",
            tooltip="The next section of the agenda",
        ),
        Binding(
            "shift+tab,left_square_bracket",
            "section(-1)",
            "Prev",
            id="meeting-prev",
            key_display="⇧tab",
            tooltip="The section before",
        ),
        Binding("enter", "start", "Start", id="meeting-start", tooltip="Start this week's meeting"),
        Binding("T", "team", "Team", id="meeting-team", tooltip="The next team's meeting"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="meeting-edit",
            tooltip="Edit the focused item (segue, notes, rating)",
        ),
        Binding(
            "n",
            "new",
            "New",
            id="meeting-new",
            tooltip="Add a headline, an issue or a cascading message",
        ),
        Binding(
            "s",
            "shout_out",
            "Shout-out",
            id="meeting-shout-out",
            tooltip="Mark the focused headline a shout-out",
        ),
        Binding(
            "s",
            "solve",
            "Solve",
            id="meeting-solve",
            tooltip="Solve the issue: a decision and to-dos",
        ),
        Binding(
            "r",
            "top",
            "Top 3",
            id="meeting-top",
            tooltip="Mark the issue the next of the top 3 (again: unmark)",
        ),
        Binding(
            "shift+up",
            "move_top(-1)",
            "Up",
            id="meeting-top-up",
            show=False,
            tooltip="Move the issue up the top 3",
        ),
        Binding(
            "shift+down",
            "move_top(1)",
            "Down",
            id="meeting-top-down",
            show=False,
            tooltip="Move the issue down the top 3",
        ),
        Binding(
            "a",
            "accept",
            "Accept",
            id="meeting-accept",
            tooltip="Accept the suggested issue onto the list",
        ),
        Binding(
            "x",
            "drop",
            "Drop",
            id="meeting-drop",
            tooltip="Drop the issue, or dismiss the suggestion for the week",
        ),
        Binding(
            "l",
            "long_term",
            "Long-term",
            id="meeting-long-term",
            tooltip="Move the issue to the long-term list (or back)",
        ),
        Binding(
            "i",
            "to_issues",
            "To issues",
            id="meeting-to-issues",
            tooltip="Drop the focused item to the issues list",
        ),
        Binding(
            "E", "end", "End", id="meeting-end", tooltip="End the meeting and store the minutes"
        ),
        Binding(
            "P",
            "presenter",
            "Presenter",
            id="meeting-presenter",
            tooltip="Presenter mode: high contrast, large timer, private screens closed",
        ),
    ]

    # Which section kinds each action works in (None: any running section).
    ACTION_KINDS: dict[str, set[str] | None] = {
        "rock_status": {"rocks"},
        "todo_done": {"todos"},
        "timer_here": {"rocks", "todos"},
        "shout_out": {"headlines"},
        "solve": {"issues"},
        "top": {"issues"},
        "move_top": {"issues"},
        "accept": {"issues"},
        "drop": {"issues"},
        "long_term": {"issues"},
        "new": {"headlines", "issues", "conclude"},
        "edit": {"segue", "issues", "conclude"},
        "to_issues": {"segue", "scorecard", "rocks", "headlines", "todos", "conclude"},
        "timer": None,
        "section": None,
        "end": None,
    }

    def __init__(self) -> None:
        super().__init__()
        self.team_id: int | None = None
        self.meeting_id: int | None = None
        self.view: MeetingScreenView | None = None
        self.cursor: dict[int, str] = {}  # section position -> the row key it was on
        self.asked = False  # the first drawing offers to start, or asks about time away
        self.last_checkpoint: datetime | None = None
        self.previous_theme: str | None = None
        # Until the first drawing has asked about the time away, a checkpoint would
        # settle that question (it marks the time away as seen).
        self.asking_about_away = True
        self._minutes_shown: str | None = None  # the minutes' Markdown as shown now

    # -- drawing ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Horizontal(id="meeting-body"):
            with Vertical(id="agenda"):
                yield Static(id="agenda-list")
                yield Static(id="agenda-total")
            with Vertical(id="meeting-main"):
                with Horizontal(id="timer-row"):
                    yield Digits("", id="timer")
                    yield BigTimer(id="big-timer")
                    yield Static(id="timer-status")
                yield Static(id="section-head")
                yield Static(id="current-item")
                yield MeetingTable(id="section-table")
                with VerticalScroll(id="meeting-minutes"):
                    yield Static(id="no-meeting")
                    yield Markdown(id="minutes-text")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.set_interval(TICK_SECONDS, self.tick)
        self.refresh_data()  # show() focuses the section's table, or the minutes

    @property
    def presenting(self) -> bool:
        return self.desk.presenting

    def load(self) -> MeetingScreenView:
        db, now = self.desk.db, self.desk.now()
        team_id = self.team_id if self.team_id is not None else flow.default_team(db)
        meeting_id = self.meeting_id
        if meeting_id is None:
            meeting_id = flow.this_weeks_meeting(db, team_id, now)
        frame = None
        if meeting_id is not None:
            try:
                frame = flow.meeting_view(db, meeting_id, now)
            except CeodeskError:
                frame = None  # its start was undone, or it was removed elsewhere
        content = None
        minutes = None
        if frame is not None and not frame.state.ended:
            content = flow.section_content(db, frame.state.id, now)
        elif frame is not None:
            minutes = meetings.stored_minutes(db, frame.state.id)
        else:
            minutes = flow.minutes_this_week(db, team_id, now)
        text = meetings.minutes_markdown(minutes) if minutes is not None else ""
        people = flow.team_people(db, team_id)
        team = next((t.name for t in list_teams(db) if t.id == team_id), "team")
        return MeetingScreenView(team_id, team, now, people, frame, content, minutes, text)

    def show(self, view: MeetingScreenView) -> None:
        self.view = view
        self.team_id = view.team_id
        frame = view.frame
        running = frame is not None and not frame.state.ended
        self.meeting_id = frame.state.id if frame is not None else None
        self.set_class(self.presenting, "presenting")
        for selector in ("#agenda", "#timer-row", "#section-head", "#section-table"):
            self.query_one(selector).display = running
        self.query_one("#current-item").display = running
        self.query_one("#meeting-minutes").display = not running
        focus = self.query_one(MeetingTable) if running else self.query_one("#meeting-minutes")
        if self.is_current and self.focused is not focus:
            focus.focus()
        if running:
            assert frame is not None
            self._show_running(frame, view)
        else:
            self._show_minutes(view)
        self.refresh_bindings()
        if not self.asked:
            self.asked = True
            self.call_after_refresh(self._first_question)

    def _phases(self) -> dict[str, tuple[str, str]]:
        return PRESENTER_PHASE if self.presenting else MEETING_PHASE

    def _show_minutes(self, view: MeetingScreenView) -> None:
        names = ", ".join(name for _, name in view.people[:6])
        if view.minutes is not None:
            m = view.minutes
            head = (
                f"This week's meeting ended at {m.ended}. Its minutes are below (read-only); "
                "enter starts another meeting."
            )
        else:
            head = (
                "No weekly meeting is running this week. Press enter to start it: pick who "
                f"is present ({names}), the facilitator and the scribe. T: another team."
            )
        self.query_one(TopBar).say(
            Text.assemble(
                ("Weekly meeting", "bold"), f"  ·  {view.team}  ·  {self.desk.local_now().week}"
            )
        )
        self.show_static("#no-meeting", head)
        if view.minutes_markdown != self._minutes_shown:  # a Markdown rebuilds its widgets
            self._minutes_shown = view.minutes_markdown
            self.query_one("#minutes-text", Markdown).update(view.minutes_markdown)

    def _show_running(self, frame: MeetingView, view: MeetingScreenView) -> None:
        state = frame.state
        roles = [f"{a.name.split()[0]} ({a.role})" for a in frame.attendees if a.role]
        top = Text.assemble(
            ("Weekly meeting", "bold"),
            f"  ·  {frame.team}  ·  {state.week}  ·  {format_day(state.day)}",
            f"  ·  {len(frame.attendees)} present",
        )
        if roles:
            top.append("  ·  " + ", ".join(roles))
        if self.presenting:
            top.append("  ·  PRESENTER", style=ACCENT)
        self.query_one(TopBar).say(top)
        self._show_clock(state)
        columns, rows, head = self._section_rows(state.section, view.content, frame, view)
        self.show_static("#section-head", head)
        table = self.query_one(MeetingTable)
        table.display = bool(rows)
        keep = self.cursor.get(state.current)
        table.show_rows(columns, rows, keep)
        self._show_current()

    def _show_clock(self, state: MeetingState) -> None:
        section = state.section
        glyph, colour = self._phases()[section.phase]
        self.query_one("#agenda-list", Static).update(agenda_table(state, self._phases()))
        total = Text(f"Total {state.total_text}")
        if state.over_seconds:
            total.stylize(self._phases()["over"][1])
        self.query_one("#agenda-total", Static).update(total)
        timer = self.query_one("#timer", Digits)
        timer.update(section.timer_text)
        timer.set_class(section.phase == "last_minute", "-last-minute")
        timer.set_class(section.phase == "over", "-over")
        self.query_one(BigTimer).show(section.timer_text, colour)
        self.query_one("#timer-status", Static).update(self._timer_words(section, glyph, colour))

    def _timer_words(self, section: SectionClock, glyph: str, colour: str) -> Text:
        words = Text(section.title, style="bold")
        words.append("\n")
        if section.phase == "over":
            words.append(f"{glyph} {section.timer_text} over", style=colour)
        elif section.phase == "last_minute":
            words.append(f"{glyph} {section.status_text}", style=colour)
        else:
            words.append(section.status_text)
        words.append("\n")
        words.append("▶ running" if section.running else "⏸ paused — space resumes")
        words.append(f"  ·  {section.used_text}", style=DIM if not self.presenting else "")
        return words

    def tick(self) -> None:
        """The set_interval tick: the timer and agenda from the clock, no query; every few
        seconds the meeting is checkpointed so a crash loses at most those seconds."""
        view = self.view
        if view is None or view.frame is None or view.frame.state.ended:
            return
        if not view.frame.state.running or self.asking_about_away:
            return  # a checkpoint now would settle the question of the time away
        now = self.desk.now()
        state = meetings.state_at(view.frame.state, view.read_at, now)
        if self.is_attached:
            self._show_clock(state)
        last = self.last_checkpoint
        if last is None or (now - last).total_seconds() >= CHECKPOINT_SECONDS or now < last:
            self.last_checkpoint = now
            try:
                meetings.checkpoint(self.desk.db, view.frame.state.id, now)
            except CeodeskError as err:
                self.desk.report(err)

    # -- each section's rows ----------------------------------------------------------

    def _section_rows(
        self,
        section: SectionClock,
        content: object | None,
        frame: MeetingView,
        view: MeetingScreenView,
    ) -> tuple[list[str], list[Row], Text]:
        if isinstance(content, SegueSection):
            return self._segue(content)
        if isinstance(content, ScorecardSection):
            return self._scorecard(content)
        if isinstance(content, RockReview):
            return self._rocks(content)
        if isinstance(content, HeadlinesSection):
            return self._headlines(content)
        if isinstance(content, TodoReview):
            return self._todos(content)
        if isinstance(content, IssuesSection):
            return self._issues(content, view.read_at)
        if isinstance(content, ConcludeSection):
            return self._conclude(content, frame)
        head = Text.assemble((section.title, "bold"), "  ·  a section of the team's own agenda")
        return [], [], head

    def _head(self, title: str, facts: str, keys: str) -> Text:
        head = Text.assemble((title, "bold"), f"  ·  {facts}" if facts else "")
        if keys:
            head.append(f"\n{keys}", style=DIM if not self.presenting else "")
        head.no_wrap, head.overflow = True, "ellipsis"  # one line each, even at 80 columns
        return head

    def _segue(self, content: SegueSection) -> tuple[list[str], list[Row], Text]:
        rows = [
            Row(
                f"segue:{line.person_id}",
                line,
                (line.person, Text(line.text) if line.text else Text("—", style=DIM)),
            )
            for line in content.lines
        ]
        told = sum(bool(line.text) for line in content.lines)
        head = self._head(
            "Segue",
            f"good news, personal and business: {told} of {len(rows)} told",
            "enter notes the focused attendee's · i drops it to the issues list",
        )
        return ["Attendee", "Good news"], rows, head

    def _scorecard(self, content: ScorecardSection) -> tuple[list[str], list[Row], Text]:
        rows = []
        for line in content.rows:
            mark = Text("✗", style=OFF) if line.off_goal else Text("✓", style=ON)
            status = Text(line.status, style=OFF if line.off_goal else "")
            if line.off_goal_weeks > 1:
                status.append(f" · {line.off_goal_weeks} weeks")
            rows.append(
                Row(
                    f"measurable:{line.id}",
                    line,
                    (mark, line.name, line.owner.split()[0], line.value or "—", line.goal, status),
                )
            )
        off = sum(line.off_goal for line in content.rows)
        head = self._head(
            "Scorecard",
            f"week {content.week[-3:]} · {off} of {len(rows)} off goal",
            "off goal first · i drops the focused row to the issues list",
        )
        return ["", "Measurable", "Owner", "Value", "Goal", "Status"], rows, head

    def _rocks(self, content: RockReview) -> tuple[list[str], list[Row], Text]:
        rows = []
        for line in content.rows:
            if line.status == "off_track":
                mark = Text("✗ off track", style=OFF)
            elif line.at_risk:
                mark = Text("⚠ at risk", style=ACCENT)
            elif line.status == "on_track":
                mark = Text("✓ on track", style=ON)
            else:
                mark = Text(line.status_label.lower(), style=DIM)
            week = {"on_track": "on track", "off_track": "off track"}.get(
                line.this_week or "", "not yet"
            )
            risk = Text("; ".join(line.at_risk), style=ACCENT) if line.at_risk else Text("")
            rows.append(
                Row(f"rock:{line.id}", line, (mark, line.title, line.owner.split()[0], week, risk))
            )
        off = sum(line.status == "off_track" for line in content.rows)
        risky = sum(bool(line.at_risk) for line in content.rows)
        head = self._head(
            "Rock review",
            f"{content.week} · {off} off track · {risky} at risk",
            "space flips this week's on/off track · i drops to issues · t pauses the timer",
        )
        return ["Status", "Rock", "Owner", "This week", "At risk because"], rows, head

    def _headlines(self, content: HeadlinesSection) -> tuple[list[str], list[Row], Text]:
        rows = [
            Row(
                f"headline:{h.id}",
                h,
                (
                    Text("★ shout-out", style=ACCENT) if h.shout_out else "",
                    h.kind,
                    h.person.split()[0],
                    h.text,
                ),
            )
            for h in content.headlines
        ]
        customers = sum(h.kind == "customer" for h in content.headlines)
        shouts = sum(h.shout_out for h in content.headlines)
        head = self._head(
            "Customer & employee headlines",
            f"{customers} customer, {len(rows) - customers} employee, {shouts} shout-outs",
            "n adds a headline · s marks a shout-out · i drops to issues",
        )
        return ["", "About", "Who", "Headline"], rows, head

    def _todos(self, content: TodoReview) -> tuple[list[str], list[Row], Text]:
        rows = []
        for line in content.items:
            item = line.todo
            box = Text("[x] done", style=ON) if item.done else Text("[ ] not done")
            flag = Text("")
            if line.stuck:
                flag = Text(f"⚑ not done {line.missed_meetings} meetings: i", style=OFF)
            due = item.due_text if not item.done else format_day(item.due)[:10]
            rows.append(
                Row(f"todo:{item.id}", line, (box, item.title, item.owner.split()[0], due, flag))
            )
        rate = content.rate_text
        if content.meets_target is True:
            rate = f"✓ {rate}"
        elif content.meets_target is False:
            rate = f"✗ {rate} below target"
        head = self._head(
            "To-do list",
            f"{content.done} of {content.total} done · {rate}",
            "space done / not done · i raises a ⚑ stuck one as an issue",
        )
        return ["Done", "To-do", "Owner", "Due", ""], rows, head

    def _issues(self, content: IssuesSection, now: datetime) -> tuple[list[str], list[Row], Text]:
        rows: list[Row] = []

        def group(key: str, title: str, items: tuple[issues.IssueView, ...]) -> None:
            rows.append(Row(f"heading:{key}", None, ("", Text(title, style=ACCENT), "", "")))
            for issue in items:
                rank = Text(f"#{issue.rank}", style="bold") if issue.rank else Text("")
                title_text = Text(issue.title)
                if issue.notes:
                    title_text.append("  ✎", style=DIM)
                rows.append(
                    Row(
                        f"issue:{issue.id}",
                        issue,
                        (
                            rank,
                            title_text,
                            (issue.owner or "").split(" ")[0],
                            _days_ago(issue.raised_at, now),
                        ),
                    )
                )

        group("top", f"Top 3 ({len(content.top)} of 3) — r marks the next", content.top)
        group("short", f"Short-term ({len(content.short_term)})", content.short_term)
        group("long", f"Long-term ({len(content.long_term)})", content.long_term)
        if content.proposals:
            rows.append(
                Row(
                    "heading:proposals",
                    None,
                    (
                        "",
                        Text(
                            f"Suggested ({len(content.proposals)}) — a accepts, x dismisses",
                            style=ACCENT,
                        ),
                        "",
                        "",
                    ),
                )
            )
            for proposal in content.proposals:
                rows.append(
                    Row(
                        f"proposal:{proposal.kind}:{proposal.source_uid}",
                        proposal,
                        (Text("◇", style=ACCENT), proposal.title, "", "suggested"),
                    )
                )
        head = self._head(
            "Issues (IDS)",
            f"{len(content.top)} in the top 3 · {len(content.short_term)} short-term · "
            f"{len(content.long_term)} long-term",
            "r top 3 · ⇧↑↓ reorder · enter notes · s solve · x drop · l long-term · n new",
        )
        return ["#", "Issue", "Owner", "Raised"], rows, head

    def _conclude(
        self, content: ConcludeSection, frame: MeetingView
    ) -> tuple[list[str], list[Row], Text]:
        rows: list[Row] = []

        def heading(key: str, title: str) -> None:
            rows.append(Row(f"heading:{key}", None, ("", Text(title, style=ACCENT), "", "")))

        heading("todos", f"New to-dos ({len(content.new_todos)})")
        for item in content.new_todos:
            rows.append(
                Row(
                    f"new:{item.id}",
                    item,
                    ("☐", item.title, item.owner.split()[0], f"due {item.due_text}"),
                )
            )
        heading("messages", f"Cascading messages ({len(content.messages)}) — n adds one")
        for message in content.messages:
            by = f"by {format_day(message.by_when)[:10]}" if message.by_when else ""
            rows.append(
                Row(f"message:{message.id}", message, ("✉", message.text, message.to_whom, by))
            )
        average = "—" if content.average is None else f"{content.average:.1f}"
        rated = {r.person_id: r for r in content.ratings}
        heading(
            "ratings",
            f"Ratings — average {average} ({len(rated)} of {len(frame.attendees)})",
        )
        for attendee in frame.attendees:
            rating = rated.get(attendee.person_id)
            score = Text(str(rating.score), style="bold") if rating else Text("—", style=DIM)
            if rating and rating.score < meetings.RATING_GOOD:
                score.stylize(OFF)
            rows.append(
                Row(
                    f"rate:{attendee.person_id}",
                    Rating(attendee, rating),
                    ("★", attendee.name, score, rating.why if rating else "enter rates"),
                )
            )
        head = self._head(
            "Conclude",
            f"average rating {average}",
            "enter rates the focused attendee · n cascading message · E ends the meeting",
        )
        return ["", "What", "Who", ""], rows, head

    # -- the focused item -------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.view is None or self.view.frame is None:
            return
        row = self.query_one(MeetingTable).current
        if row is not None:
            self.cursor[self.view.frame.state.current] = row.key
        self._show_current()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()  # enter on a row: the table reports it rather than the binding

    def _show_current(self) -> None:
        row = self.query_one(MeetingTable).current
        detail = self.query_one("#current-item", Static)
        item = row.item if row is not None else None
        text = self._describe(item)
        detail.update(text)
        detail.display = bool(text.plain) and self.query_one("#section-table").display

    def _describe(self, item: object | None) -> Text:
        if isinstance(item, issues.IssueView):
            text = Text(item.title, style="bold")
            owner = f"  ·  {item.owner}" if item.owner else ""
            text.append(f"{owner}  ·  {'long' if item.long_term else 'short'}-term")
            if item.notes:
                text.append(f"\n{item.notes}")
            return text
        if isinstance(item, Proposal):
            return Text.assemble(("Suggested: ", ACCENT), (item.title, "bold"), f"\n{item.reason}")
        if isinstance(item, RockLine):
            text = Text(item.title, style="bold")
            text.append(f"  ·  {item.owner}  ·  {item.status_label}")
            if item.at_risk:
                text.append("\nAt risk: " + "; ".join(item.at_risk), style=ACCENT)
            return text
        if isinstance(item, ScoreLine):
            return Text.assemble(
                (item.name, "bold"),
                f"  ·  {item.owner}  ·  {item.value or 'no value'}"
                f" vs {item.goal}  ·  {item.status}",
            )
        if isinstance(item, TodoLine):
            t = item.todo
            return Text.assemble((t.title, "bold"), f"  ·  {t.owner}  ·  due {format_day(t.due)}")
        if isinstance(item, HeadlineView):
            return Text.assemble((item.text, "bold"), f"  ·  {item.person}, {item.kind}")
        if isinstance(item, SegueLine):
            return Text.assemble((item.person, "bold"), f"  ·  {item.text or 'not told yet'}")
        if isinstance(item, Rating):
            rated = item.rating
            if rated is None:
                said = "not rated yet: enter rates 1 to 10 (below 8 asks why)"
            else:
                said = f"rated {rated.score}" + (f": {rated.why}" if rated.why else "")
            return Text.assemble((item.attendee.name, "bold"), f"  ·  {said}")
        if isinstance(item, TodoView):
            return Text.assemble(
                (item.title, "bold"), f"  ·  {item.owner}  ·  due {format_day(item.due)}"
            )
        if isinstance(item, MessageView):
            to = f"  ·  to {item.to_whom}" if item.to_whom else ""
            by = f"  ·  by {format_day(item.by_when)}" if item.by_when else ""
            return Text.assemble((item.text, "bold"), to, by)
        return Text("")

    # -- which keys work where --------------------------------------------------------

    def _kind(self) -> str | None:
        frame = self.view.frame if self.view is not None else None
        if frame is None or frame.state.ended:
            return None
        return frame.state.section.kind

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "team"):
            return self._kind() is None
        if action not in self.ACTION_KINDS:
            return True
        kind = self._kind()
        if kind is None:
            return False
        kinds = self.ACTION_KINDS[action]
        return kinds is None or kind in kinds

    def action_team(self) -> None:
        """``T`` while no meeting runs: the next team's meeting (to start or read)."""
        if self.view is None:
            return
        with self.desk.reporting():
            self.team_id = team_after(self.desk.db, self.view.team_id).id
            self.meeting_id = None
            self.refresh_data()

    # -- small helpers ----------------------------------------------------------------

    def _item(self) -> object | None:
        row = self.query_one(MeetingTable).current
        return row.item if row is not None else None

    def _run(self, call: Callable[[], object], said: str | None = None) -> bool:
        """One core call for one key: its refusal is one sentence, then a redraw."""
        try:
            call()
        except CeodeskError as err:
            self.desk.report(err)
            self.refresh_data()
            return False
        if said:
            self.notify(said, timeout=3)
        self.refresh_data()
        return True

    def _need(self, wanted: type | tuple[type, ...], what: str) -> object | None:
        item = self._item()
        if not isinstance(item, wanted):
            self.notify(f"Move onto {what} first.", severity="warning", timeout=3)
            return None
        return item

    @property
    def _meeting(self) -> int:
        assert self.meeting_id is not None
        return self.meeting_id

    # -- the meeting ------------------------------------------------------------------

    def _first_question(self) -> None:
        view = self.view
        if view is None:
            self.asking_about_away = False
            return
        if view.frame is None:
            self.asking_about_away = False
            if view.minutes is None:
                self.action_start()
            return
        away = view.frame.away_seconds
        if not view.frame.state.running:
            self.asking_about_away = False
            return
        if away < ASK_AWAY_SECONDS:
            self.asking_about_away = False
            self._run(
                lambda: meetings.resume(
                    self.desk.db, self._meeting, self.desk.now(), count_away=True
                )
            )
            return
        meeting_id = view.frame.state.id
        spent = meetings.away_text(away)

        def answered(count: bool | None) -> None:
            self.asking_about_away = False
            self._run(
                lambda: meetings.resume(
                    self.desk.db, meeting_id, self.desk.now(), count_away=bool(count)
                )
            )

        self.app.push_screen(
            PickScreen(
                "Resume the meeting",
                [
                    ("y", True, f"count the {spent} away on the timer"),
                    ("n", False, "leave them out: the timer goes on from where it stopped"),
                ],
                subject=f"The meeting's timer was running while ceodesk was closed ({spent}).",
            ),
            answered,
        )

    def action_start(self) -> None:
        view = self.view
        if view is None or (view.frame is not None and not view.frame.state.ended):
            return
        db, team_id = self.desk.db, view.team_id

        def start(present: list[int], facilitator: int | None, scribe: int | None) -> int:
            return flow.start_or_resume(db, team_id, self.desk.now(), present, facilitator, scribe)

        def started(meeting_id: int | None) -> None:
            if meeting_id is not None:
                self.meeting_id = meeting_id
                self.cursor = {}
                self.refresh_data()

        self.app.push_screen(StartDialog(view.team, view.people, start), started)

    def action_timer(self) -> None:
        if self._kind() is None:
            return
        self.last_checkpoint = None
        self._run(lambda: meetings.toggle_timer(self.desk.db, self._meeting, self.desk.now()))

    def action_timer_here(self) -> None:
        self.action_timer()

    def action_section(self, step: int) -> None:
        if self._kind() is None:
            return
        self._run(lambda: meetings.step_section(self.desk.db, self._meeting, step, self.desk.now()))

    def action_end(self) -> None:
        view = self.view
        if view is None or view.frame is None or self._kind() is None:
            return
        meeting_id = self._meeting
        unrated = len(view.frame.attendees) - len(meetings.ratings(self.desk.db, meeting_id))
        note = f" {unrated} attendees have not rated it yet." if unrated > 0 else ""

        def chosen(end: bool | None) -> None:
            if end:
                self._run(
                    lambda: flow.end_meeting(self.desk.db, meeting_id, self.desk.now()),
                    "The meeting ended; its minutes are stored (u undoes).",
                )

        self.app.push_screen(
            PickScreen(
                "End the meeting?",
                [("y", True, "end it and store the minutes"), ("n", False, "keep going")],
                subject=f"Every timer stops and the minutes are stored.{note}",
            ),
            chosen,
        )

    def action_presenter(self) -> None:
        desk = self.desk
        desk.presenting = not desk.presenting
        if desk.presenting:
            if PRESENTER_THEME.name not in desk.available_themes:
                desk.register_theme(PRESENTER_THEME)
            self.previous_theme = desk.theme
            desk.theme = PRESENTER_THEME.name
            self.notify(
                "Presenter mode: P again leaves it; your week and tasks stay closed.", timeout=3
            )
        else:
            desk.theme = self.previous_theme or "ceodesk"
        self.refresh_data()

    # -- section actions --------------------------------------------------------------

    def action_rock_status(self) -> None:
        rock = self._need(RockLine, "a Rock")
        if isinstance(rock, RockLine):
            self._run(lambda: toggle_week_status(self.desk.db, rock.id, self.desk.now()))

    def action_todo_done(self) -> None:
        line = self._need(TodoLine, "a to-do")
        if isinstance(line, TodoLine):
            desk = self.desk
            self._run(lambda: todos.toggle_done(desk.db, line.todo.id, desk.now(), desk.today()))

    def action_shout_out(self) -> None:
        headline = self._need(HeadlineView, "a headline")
        if isinstance(headline, HeadlineView):
            self._run(lambda: meetings.toggle_shout_out(self.desk.db, headline.id))

    def action_top(self) -> None:
        issue = self._need(issues.IssueView, "an issue")
        if isinstance(issue, issues.IssueView):
            self._run(lambda: issues.mark_top(self.desk.db, issue.id))

    def action_move_top(self, step: int) -> None:
        issue = self._need(issues.IssueView, "an issue in the top 3")
        if isinstance(issue, issues.IssueView):
            self._run(lambda: issues.move_top(self.desk.db, issue.id, step))

    def action_long_term(self) -> None:
        issue = self._need(issues.IssueView, "an issue")
        if isinstance(issue, issues.IssueView):
            term = "short" if issue.long_term else "long"
            said = f"Moved to the {term}-term list: {issue.title}"
            self._run(lambda: issues.set_term(self.desk.db, issue.id, term), said)

    def action_drop(self) -> None:
        item = self._need((issues.IssueView, Proposal), "an issue or a suggestion")
        db, now = self.desk.db, self.desk.now()
        assert self.view is not None
        team = self.view.team_id
        if isinstance(item, issues.IssueView):
            self._run(
                lambda: issues.drop_issue(db, item.id, now), f"Dropped: {item.title} (u undoes)"
            )
        elif isinstance(item, Proposal):
            self._run(lambda: proposing.dismiss(db, team, item, now), "Dismissed for this week.")

    def action_accept(self) -> None:
        item = self._need(Proposal, "a suggested issue (◇)")
        if isinstance(item, Proposal):
            assert self.view is not None
            team = self.view.team_id
            self._run(
                lambda: proposing.accept(self.desk.db, team, item, self.desk.now()),
                f"On the issues list: {item.title}",
            )

    def action_solve(self) -> None:
        issue = self._need(issues.IssueView, "an issue")
        if not isinstance(issue, issues.IssueView):
            return
        db, meeting_id = self.desk.db, self._meeting
        owner = issue.owner or "you name with @"
        due = format_day(todos.default_due(self.desk.today()))

        def save(values: FormValues) -> None:
            now = self.desk.now()
            made = flow.parse_todo_lines(db, values.text("todos"), now, issue.owner_id)
            decision = values.text("decision")
            review = values.day("review")
            flow.solve_issue(
                db, issue.id, decision, made, now, meeting_id=meeting_id, review_on=review
            )

        self.app.push_screen(
            FormScreen(
                f"Solve · {issue.title}",
                [
                    TextField("decision", "Decision (one line)", placeholder="What we decided"),
                    TextAreaField(
                        "todos",
                        f"To-dos, one per line: title @owner due (owner {owner.split()[0]}, "
                        f"due {due} unless given)",
                        placeholder="Hire a support contractor @dana fri",
                    ),
                    DateField(
                        "review", "Review the decision on (optional)", placeholder="in 4 weeks"
                    ),
                ],
                save,
            ),
            when_saved(self.refresh_data),
        )

    def action_new(self) -> None:
        kind = self._kind()
        db = self.desk.db
        view = self.view
        assert view is not None and view.frame is not None
        meeting_id = self._meeting
        if kind == "headlines":
            people = [(a.person_id, a.name) for a in view.frame.attendees]

            def save_headline(values: FormValues) -> None:
                meetings.add_headline(
                    db,
                    meeting_id,
                    values.choice("who"),
                    values.choice("kind"),
                    values.text("text"),
                    shout_out=bool(values.choice("shout")),
                )

            self.app.push_screen(
                FormScreen(
                    "New headline",
                    [
                        ChoiceField(
                            "kind",
                            "About a customer or an employee",
                            options=[("customer", "customer"), ("employee", "employee")],
                            value="customer",
                        ),
                        ChoiceField(
                            "who",
                            "Who tells it",
                            options=people,
                            value=people[0][0] if people else None,
                            empty="Nobody is marked present.",
                        ),
                        TextField("text", "Headline", placeholder="Lumen Health went live"),
                        ChoiceField(
                            "shout",
                            "A shout-out?",
                            options=[(False, "no"), (True, "yes")],
                            value=False,
                        ),
                    ],
                    save_headline,
                ),
                when_saved(self.refresh_data),
            )
        elif kind == "issues":
            team = view.team_id

            def save_issue(values: FormValues) -> None:
                flow.add_issue_text(db, values.text("text"), self.desk.now(), team)

            self.app.push_screen(
                FormScreen(
                    "New issue",
                    [
                        TextField(
                            "text",
                            "Issue (@owner, #long for the long-term list)",
                            placeholder="Support is at capacity @dana",
                        )
                    ],
                    save_issue,
                ),
                when_saved(self.refresh_data),
            )
        elif kind == "conclude":

            def save_message(values: FormValues) -> None:
                meetings.add_message(
                    db, meeting_id, values.text("text"), values.text("to"), values.day("by")
                )

            self.app.push_screen(
                FormScreen(
                    "Cascading message",
                    [
                        TextField("text", "What to tell", placeholder="The round closed"),
                        TextField("to", "To whom", placeholder="all staff"),
                        DateField("by", "By when (optional)", placeholder="fri"),
                    ],
                    save_message,
                ),
                when_saved(self.refresh_data),
            )

    def action_edit(self) -> None:
        item = self._item()
        db = self.desk.db
        if self._kind() is None:
            return
        meeting_id = self._meeting
        if isinstance(item, SegueLine):

            def save_segue(values: FormValues) -> None:
                meetings.set_segue(db, meeting_id, item.person_id, values.text("text"))

            self.app.push_screen(
                FormScreen(
                    f"Segue · {item.person}",
                    [TextField("text", "Good news, personal and business", item.text)],
                    save_segue,
                ),
                when_saved(self.refresh_data),
            )
        elif isinstance(item, issues.IssueView):

            def save_notes(values: FormValues) -> None:
                issues.set_notes(db, item.id, values.text("notes"))

            self.app.push_screen(
                FormScreen(
                    f"Discuss · {item.title}",
                    [TextAreaField("notes", "Discussion notes", item.notes)],
                    save_notes,
                ),
                when_saved(self.refresh_data),
            )
        elif isinstance(item, Rating):
            rated = item.rating

            def save_rating(values: FormValues) -> None:
                score = int(values.number("score") or 0)
                meetings.set_rating(
                    db, meeting_id, item.attendee.person_id, score, values.text("why")
                )

            self.app.push_screen(
                FormScreen(
                    f"Rating · {item.attendee.name}",
                    [
                        NumberField(
                            "score",
                            "Rating, 1 to 10",
                            rated.score if rated else None,
                            whole=True,
                            minimum=1,
                            maximum=10,
                            required=True,
                        ),
                        TextField(
                            "why", "Why (one line; needed below 8)", rated.why if rated else ""
                        ),
                    ],
                    save_rating,
                ),
                when_saved(self.refresh_data),
            )
        elif isinstance(item, Proposal):
            self.action_accept()

    def action_to_issues(self) -> None:
        """``i``: the focused item becomes an issue, title prefilled, linked back to it."""
        item = self._item()
        source = self._issue_source(item)
        if source is None:
            self.notify("Move onto an item first.", severity="warning", timeout=3)
            return
        title, kind, uid, owner = source
        assert self.view is not None
        db, team = self.desk.db, self.view.team_id

        def save(values: FormValues) -> None:
            flow.drop_to_issues(
                db,
                team,
                values.text("title"),
                self.desk.now(),
                source_kind=kind,
                source_uid=uid,
                owner_id=owner,
            )

        def saved(done: bool | None) -> None:
            if done:
                self.notify("On the issues list.", timeout=3)
                self.refresh_data()

        self.app.push_screen(
            FormScreen("Drop to the issues list", [TextField("title", "Issue", title)], save), saved
        )

    def _issue_source(self, item: object | None) -> tuple[str, str, str | None, int | None] | None:
        """(title, source kind, source uid, owner) of what ``i`` raises from ``item``."""
        if isinstance(item, ScoreLine):
            return item.issue_title, "measurable", item.uid, item.owner_id
        if isinstance(item, RockLine):
            return item.issue_title, "rock", item.uid, item.owner_id
        if isinstance(item, TodoLine):
            t = item.todo
            title = f"Stuck to-do: {t.title} ({t.owner})" if item.stuck else f"To-do: {t.title}"
            return title, "todo", t.uid, t.owner_id
        if isinstance(item, TodoView):
            return f"To-do: {item.title}", "todo", item.uid, item.owner_id
        if isinstance(item, HeadlineView):
            return item.text, "headline", item.uid, item.person_id
        if isinstance(item, SegueLine) and item.text:
            return item.text, "segue", None, item.person_id
        if isinstance(item, MessageView):
            return item.text, "other", None, None
        return None
