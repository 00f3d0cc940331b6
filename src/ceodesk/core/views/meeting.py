"""The weekly meeting as a flow: start or resume this week's meeting, each section's
content as plain objects, dropping anything to the issues list, solving an issue into a
decision and to-dos, and ending with the minutes stored.

It composes the meetings, issues and to-dos domains with the scorecard and the Rocks;
a screen renders what these functions return and calls them for every key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select

from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.domain.issues import DecisionView, IssueView
from ceodesk.core.domain.meetings import (
    HeadlineView,
    MeetingState,
    MessageView,
    Minutes,
    RatingView,
)
from ceodesk.core.domain.people import find_person
from ceodesk.core.domain.settings import leadership_team, local_now
from ceodesk.core.domain.todos import TodoView
from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.kernel.quickadd import parse_quick_add
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import Measurable, Person, Rock, Team, TeamMember
from ceodesk.core.views import proposals as proposing
from ceodesk.core.views.proposals import Proposal

# --------------------------------------------------------------- plain views


@dataclass(frozen=True)
class Attendee:
    person_id: int
    name: str
    role: str  # "facilitator", "scribe", "facilitator and scribe" or ""


@dataclass(frozen=True)
class MeetingView:
    """The meeting's frame: who, which week, the agenda with its timers."""

    state: MeetingState
    team: str
    attendees: tuple[Attendee, ...]
    away_seconds: int  # > 0: ask whether the time away counts (``resume``)


@dataclass(frozen=True)
class ScoreLine:
    id: int
    uid: str
    name: str
    owner: str
    value: str  # last week's, "" when none
    goal: str
    status: str  # the grade, or "no value"
    off_goal: bool
    off_goal_weeks: int
    issue_title: str  # what ``i`` prefills
    owner_id: int | None = None


@dataclass(frozen=True)
class RockLine:
    id: int
    uid: str
    title: str
    owner: str
    status: str  # on_track, off_track, no_update, done, ...
    status_label: str
    this_week: str | None
    off_track_weeks: int
    at_risk: tuple[str, ...]  # reasons, empty when not at risk
    issue_title: str
    owner_id: int | None = None


@dataclass(frozen=True)
class TodoLine:
    todo: TodoView
    missed_meetings: int  # not done at this many meetings running (this one included)
    stuck: bool  # offered to the issues list


@dataclass(frozen=True)
class SegueSection:
    lines: tuple[meetings.SegueLine, ...]  # one per attendee, in attendance order


@dataclass(frozen=True)
class ScorecardSection:
    week: str  # the column shown: last week
    rows: tuple[ScoreLine, ...]  # off goal first


@dataclass(frozen=True)
class RockReview:
    week: str
    rows: tuple[RockLine, ...]  # off track and at risk first


@dataclass(frozen=True)
class HeadlinesSection:
    headlines: tuple[HeadlineView, ...]


@dataclass(frozen=True)
class TodoReview:
    items: tuple[TodoLine, ...]
    done: int
    total: int
    rate: float | None
    rate_text: str  # "83% (target 90%)"
    meets_target: bool | None


@dataclass(frozen=True)
class IssuesSection:
    top: tuple[IssueView, ...]  # ranked 1-3
    short_term: tuple[IssueView, ...]  # the rest, oldest first
    long_term: tuple[IssueView, ...]
    proposals: tuple[Proposal, ...]

    @property
    def issues(self) -> tuple[IssueView, ...]:
        return self.top + self.short_term + self.long_term


@dataclass(frozen=True)
class ConcludeSection:
    new_todos: tuple[TodoView, ...]
    messages: tuple[MessageView, ...]
    ratings: tuple[RatingView, ...]
    average: float | None
    unrated: tuple[Attendee, ...]


@dataclass(frozen=True)
class NewTodo:
    """A to-do to make while solving an issue; ``due`` None means a week from today."""

    title: str
    owner_id: int
    due: date | None = None


@dataclass(frozen=True)
class Solved:
    issue: IssueView
    decision: DecisionView
    todos: tuple[TodoView, ...]


@dataclass(frozen=True)
class DecisionEntry:
    """A line of the decisions log: the decision, its issue and the to-dos it made."""

    decision: DecisionView
    todos: tuple[TodoView, ...]


# ------------------------------------------------------------------ frame


def default_team(db: Database) -> int:
    """The leadership team's id."""
    with db.session() as session:
        return leadership_team(session).id or 0


def team_people(db: Database, team_id: int) -> tuple[tuple[int, str], ...]:
    """(id, name) of the team's active members, you first, for the "who is here" pick."""
    with db.session() as session:
        people = session.exec(
            select(Person)
            .join(TeamMember, col(TeamMember.person_id) == col(Person.id))
            .where(TeamMember.team_id == team_id, col(Person.active))
        ).all()
    ordered = sorted(people, key=lambda p: (not p.is_me, p.name.lower()))
    return tuple((p.id or 0, p.name) for p in ordered)


def this_weeks_meeting(db: Database, team_id: int, now: datetime) -> int | None:
    """The team's meeting of this week that is still running, if any (to resume)."""
    return meetings.open_meeting(db, team_id, local_now(db, now).week)


def start_or_resume(
    db: Database,
    team_id: int,
    now: datetime,
    attendee_ids: Sequence[int] = (),
    facilitator_id: int | None = None,
    scribe_id: int | None = None,
) -> int:
    """This week's running meeting, or a new one with the people given (all the team's
    active members when none are given)."""
    running = this_weeks_meeting(db, team_id, now)
    if running is not None:
        return running
    here = local_now(db, now)
    present = list(attendee_ids) or [pid for pid, _ in team_people(db, team_id)]
    return meetings.start_meeting(
        db, team_id, here.week, here.today, now, present, facilitator_id, scribe_id
    )


def _role(state: MeetingState, person_id: int) -> str:
    roles = [
        name
        for name, holder in (("facilitator", state.facilitator_id), ("scribe", state.scribe_id))
        if holder == person_id
    ]
    return " and ".join(roles)


def meeting_view(db: Database, meeting_id: int, now: datetime) -> MeetingView:
    state = meetings.meeting_state(db, meeting_id, now)
    with db.session() as session:
        team = session.get(Team, state.team_id)
        names = {p.id: p.name for p in session.exec(select(Person))}
    attendees = tuple(
        Attendee(pid, names.get(pid, ""), _role(state, pid)) for pid in state.attendee_ids
    )
    away = 0 if state.ended else meetings.away_seconds(state, now)
    return MeetingView(state, team.name if team else "", attendees, away)


# --------------------------------------------------------------- sections


def segue_section(db: Database, meeting_id: int, now: datetime) -> SegueSection:
    frame = meeting_view(db, meeting_id, now)
    told = {line.person_id: line for line in meetings.segues(db, meeting_id)}
    lines = tuple(
        told.get(a.person_id, meetings.SegueLine(a.person_id, a.name, "")) for a in frame.attendees
    )
    return SegueSection(lines)


def scorecard_section(db: Database, team_id: int, now: datetime) -> ScorecardSection:
    rows = proposing.team_scorecard(db, team_id, now)
    uids = proposing._uids(db, Measurable, [r.id for r in rows])
    lines = []
    for row in rows:
        cell = row.cells[-1] if row.cells else None
        lines.append(
            ScoreLine(
                id=row.id,
                uid=uids.get(row.id, ""),
                name=row.name,
                owner=row.owner,
                value=cell.formatted if cell else "",
                goal=row.goal_text,
                status=(cell.grade if cell and cell.grade else "no value"),
                off_goal=bool(cell and cell.on_goal is False),
                off_goal_weeks=row.off_goal_weeks,
                issue_title=proposing.measurable_issue_title(row),
                owner_id=row.owner_id,
            )
        )
    ordered = sorted(lines, key=lambda s: (not s.off_goal, -s.off_goal_weeks))
    week = rows[0].cells[-1].week if rows and rows[0].cells else ""
    return ScorecardSection(week, tuple(ordered))


def rock_review(db: Database, team_id: int, now: datetime) -> RockReview:
    rocks = proposing.team_rocks(db, team_id, now)
    risks = proposing.rock_risks(db, rocks, now)
    uids = proposing._uids(db, Rock, [r.id for r in rocks])
    lines = [
        RockLine(
            id=r.id,
            uid=uids.get(r.id, ""),
            title=r.title,
            owner=r.owner,
            status=r.status,
            status_label=r.status_label,
            this_week=r.this_week,
            off_track_weeks=r.off_track_weeks,
            at_risk=risks.get(r.id, ()),
            issue_title=proposing.rock_issue_title(r, risks.get(r.id, ())),
            owner_id=r.owner_id,
        )
        for r in rocks
    ]
    ordered = sorted(
        lines, key=lambda r: (r.status != "off_track", not r.at_risk, r.owner.lower(), r.id)
    )
    return RockReview(local_now(db, now).week, tuple(ordered))


def headlines_section(db: Database, meeting_id: int) -> HeadlinesSection:
    return HeadlinesSection(meetings.headlines(db, meeting_id))


def _previous_end(db: Database, state: MeetingState) -> datetime | None:
    held = meetings.ended_meeting_times(db, state.team_id, before=state.started_at)
    return held[-1][1] if held else None


def todo_review(db: Database, meeting_id: int, now: datetime) -> TodoReview:
    """The team's to-dos due by this meeting, done or not, with the completion rate."""
    state = meetings.meeting_state(db, meeting_id, now)
    today = local_now(db, now).today
    items = todos.review_list(db, state.team_id, state.day, _previous_end(db, state), today)
    held = [
        t
        for t in meetings.ended_meeting_times(db, state.team_id)
        if t[1] <= (state.ended_at or now)
    ]
    if not state.ended:
        held.append((state.day, now))
    lines = []
    for item in items:
        missed = todos.meetings_missed(item.due, item.done_at, held)
        lines.append(TodoLine(item, missed, missed >= todos.MISSED_MEETINGS_TO_PROPOSE))
    rate = todos.completion_rate([i.done for i in items])
    return TodoReview(
        tuple(lines),
        sum(i.done for i in items),
        len(items),
        rate,
        todos.rate_text(rate),
        todos.meets_target(rate),
    )


def issues_section(db: Database, team_id: int, now: datetime) -> IssuesSection:
    listed = issues.open_issues(db, team_id)
    top = tuple(i for i in listed if i.rank is not None)
    rest = [i for i in listed if i.rank is None]
    return IssuesSection(
        top,
        tuple(i for i in rest if not i.long_term),
        tuple(i for i in rest if i.long_term),
        proposing.proposals(db, team_id, now),
    )


def conclude_section(db: Database, meeting_id: int, now: datetime) -> ConcludeSection:
    frame = meeting_view(db, meeting_id, now)
    rated = meetings.ratings(db, meeting_id)
    done = {r.person_id for r in rated}
    return ConcludeSection(
        todos.made_in(db, meeting_id, local_now(db, now).today),
        meetings.messages(db, meeting_id),
        rated,
        meetings.rating_average([r.score for r in rated]),
        tuple(a for a in frame.attendees if a.person_id not in done),
    )


def section_content(db: Database, meeting_id: int, now: datetime, kind: str | None = None):
    """The content of a section kind (default: the current one); None for a custom one."""
    state = meetings.meeting_state(db, meeting_id, now)
    kind = kind or state.section.kind
    builders = {
        "segue": lambda: segue_section(db, meeting_id, now),
        "scorecard": lambda: scorecard_section(db, state.team_id, now),
        "rocks": lambda: rock_review(db, state.team_id, now),
        "headlines": lambda: headlines_section(db, meeting_id),
        "todos": lambda: todo_review(db, meeting_id, now),
        "issues": lambda: issues_section(db, state.team_id, now),
        "conclude": lambda: conclude_section(db, meeting_id, now),
    }
    build = builders.get(kind)
    return build() if build else None


# ---------------------------------------------------------------- actions


def drop_to_issues(
    db: Database,
    team_id: int,
    title: str,
    now: datetime,
    *,
    source_kind: str | None = None,
    source_uid: str | None = None,
    owner_id: int | None = None,
    raised_by_id: int | None = None,
) -> IssueView:
    """``i`` on anything: a new short-term issue that links back to what it came from."""
    return issues.add_issue(
        db,
        team_id,
        title,
        now,
        owner_id=owner_id,
        raised_by_id=raised_by_id,
        source_kind=source_kind,
        source_uid=source_uid,
    )


def add_issue_text(db: Database, text: str, now: datetime, team_id: int | None = None) -> IssueView:
    """The quick grammar: "Support is at capacity @dana #long" on the team's list
    (Leadership by default); you raise it."""
    parsed = issues.parse_issue(text)
    team = team_id if team_id is not None else default_team(db)
    with db.session() as session:
        owner = find_person(session, parsed.owner_ref).id if parsed.owner_ref else None
        me = session.exec(select(Person.id).where(col(Person.is_me))).first()
    return issues.add_issue(
        db, team, parsed.title, now, owner_id=owner, raised_by_id=me, term=parsed.term
    )


def person_id(db: Database, ref: str) -> int:
    """The active team member a name points to (the rules of ``@name`` in quick add)."""
    with db.session() as session:
        return find_person(session, ref).id or 0


def parse_todo_lines(
    db: Database, text: str, now: datetime, default_owner_id: int | None = None
) -> tuple[NewTodo, ...]:
    """The to-dos a solution makes, one per line: "Call the bank @sam fri".

    ``@name`` is the owner (``default_owner_id`` when none is written) and a date phrase
    the due date (none: a week from today). Flags, estimates, Rocks and tags have no
    place in a to-do, so they are refused rather than dropped.
    """
    wall = local_now(db, now).wall
    made = []
    lines = [line for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        where = f"To-do {number}" if len(lines) > 1 else "The to-do"
        try:
            read = parse_quick_add(line, wall)
        except InputError as err:
            raise InputError(f"{where}: {err}") from None
        if read.flags_given or read.estimate_minutes or read.rock_ref or read.tags:
            raise InputError(f"{where} is a title, an @owner and a due date, nothing more.")
        if read.owner_ref:
            with db.session() as session:
                try:
                    owner = find_person(session, read.owner_ref).id or 0
                except InputError as err:
                    raise InputError(f"{where}: {err}") from None
        elif default_owner_id is not None:
            owner = default_owner_id
        else:
            raise InputError(f"{where} needs an owner: add @name.")
        made.append(NewTodo(read.title, owner, read.due_date))
    return tuple(made)


def solve_issue(
    db: Database,
    issue_id: int,
    decision: str,
    new_todos: Sequence[NewTodo],
    now: datetime,
    *,
    meeting_id: int | None = None,
    review_on: date | None = None,
) -> Solved:
    """``s``: one transaction records the decision and makes its to-dos (each due a week
    from today unless given), owned by the issue's team."""
    today = local_now(db, now).today
    if review_on is not None and review_on <= today:
        raise InputError("A decision's review date lies after today.")
    if not new_todos:
        raise InputError("Solving an issue makes at least one to-do with an owner.")
    for item in new_todos:
        todos.clean_title(item.title)
        if item.due is not None and item.due < today:
            raise InputError("A to-do cannot be due before today.")
    with db.action("Solved an issue") as session:
        row = issues.record_solution(
            session, issue_id, decision, now, meeting_id=meeting_id, review_on=review_on
        )
        made = [
            todos.create_todo(
                session,
                row.team_id,
                item.title,
                item.owner_id,
                item.due or todos.default_due(today),
                now,
                meeting_id=meeting_id,
                issue_id=issue_id,
            )
            for item in new_todos
        ]
        decision_id, todo_ids = row.id or 0, [t.id or 0 for t in made]
    made_views = tuple(todos.todo(db, tid, today) for tid in todo_ids)
    [decided] = [d for d in issues.decisions(db) if d.id == decision_id]
    return Solved(issues.issue(db, issue_id), decided, made_views)


def decisions_log(
    db: Database, team_id: int | None, now: datetime, search: str = ""
) -> tuple[DecisionEntry, ...]:
    """Every decision, newest first, with the to-dos its issue produced."""
    today = local_now(db, now).today
    return tuple(
        DecisionEntry(d, todos.from_issue(db, d.issue_id, today) if d.issue_id else ())
        for d in issues.decisions(db, team_id, search=search)
    )


# ---------------------------------------------------------------- minutes


def build_minutes(db: Database, meeting_id: int, now: datetime) -> Minutes:
    """The minutes as they stand at ``now`` (what ending the meeting stores)."""
    frame = meeting_view(db, meeting_id, now)
    state = frame.state
    here = local_now(db, now)
    zone = here.zone
    end = state.ended_at or now
    today = here.today
    score = scorecard_section(db, state.team_id, now)
    review = rock_review(db, state.team_id, now)
    checked = todo_review(db, meeting_id, now)
    solved = []
    for issue in issues.issues_solved_in(db, meeting_id):
        decided = [d for d in issues.decisions(db, meeting_id=meeting_id) if d.issue_id == issue.id]
        made = todos.from_issue(db, issue.id, today)
        solved.append(
            meetings.MinutesIssue(
                issue.title,
                decided[0].text if decided else "",
                tuple(
                    meetings.MinutesTodo(t.title, t.owner, t.due.isoformat(), t.done) for t in made
                ),
                decided[0].review_on.isoformat() if decided and decided[0].review_on else "",
            )
        )
    return Minutes(
        meeting_id=meeting_id,
        team=frame.team,
        week=state.week,
        day=state.day.isoformat(),
        started=f"{state.started_at.astimezone(zone):%H:%M}",
        ended=f"{end.astimezone(zone):%H:%M}",
        length_minutes=round((end - state.started_at).total_seconds() / 60),
        planned_minutes=state.planned_seconds // 60,
        attendees=tuple(meetings.MinutesAttendee(a.name, a.role) for a in frame.attendees),
        sections=tuple(
            meetings.MinutesSection(s.title, s.minutes, s.used_seconds) for s in state.sections
        ),
        scorecard=tuple(
            meetings.MinutesMeasurable(r.name, r.owner, r.value, r.goal, r.status)
            for r in score.rows
        ),
        rocks=tuple(
            meetings.MinutesRock(r.title, r.owner, r.status_label, "; ".join(r.at_risk))
            for r in review.rows
        ),
        headlines=tuple(
            meetings.MinutesHeadline(h.kind, h.person, h.text, h.shout_out)
            for h in meetings.headlines(db, meeting_id)
        ),
        todos=tuple(
            meetings.MinutesTodo(i.todo.title, i.todo.owner, i.todo.due.isoformat(), i.todo.done)
            for i in checked.items
        ),
        issues_solved=tuple(solved),
        messages=tuple(
            meetings.MinutesMessage(m.text, m.to_whom, m.by_when.isoformat() if m.by_when else "")
            for m in meetings.messages(db, meeting_id)
        ),
        ratings=tuple(
            meetings.MinutesRating(r.person, r.score, r.why)
            for r in meetings.ratings(db, meeting_id)
        ),
        segues=tuple(f"{s.person}: {s.text}" for s in meetings.segues(db, meeting_id)),
    )


def end_meeting(db: Database, meeting_id: int, now: datetime) -> Minutes:
    """Stop every timer and store the minutes; returns them."""
    state = meetings.meeting_state(db, meeting_id, now)
    if state.ended:
        raise InputError("That meeting has already ended.")
    minutes = build_minutes(db, meeting_id, now)
    return meetings.end_meeting(db, meeting_id, now, minutes)


def minutes_of(db: Database, meeting_id: int | None = None) -> Minutes:
    """A past meeting's stored minutes; without an id, the last meeting that ended."""
    if meeting_id is None:
        meeting_id = meetings.last_ended_meeting(db)
        if meeting_id is None:
            raise NotFoundError("No meeting has ended yet, so there are no minutes.")
    return meetings.stored_minutes(db, meeting_id)


def minutes_this_week(db: Database, team_id: int, now: datetime) -> Minutes | None:
    """The minutes of the team's meeting that ended this week (the last one), if any."""
    week = local_now(db, now).week
    ended = meetings.ended_meeting_in_week(db, team_id, week)
    return meetings.stored_minutes(db, ended) if ended is not None else None


def minutes_markdown(db: Database, meeting_id: int | None = None) -> str:
    return meetings.minutes_markdown(minutes_of(db, meeting_id))
