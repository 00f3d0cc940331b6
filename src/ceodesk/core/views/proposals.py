"""What to raise: issues the data proposes to a team, to accept or dismiss for the week.

Proposed: Rocks off track three weeks running, or at risk before that (a milestone
overdue, no status update for two weeks, no time-block hours in the last three weeks);
measurables off goal three weeks running; to-dos not done two meetings running; and
decisions whose review date has come. Something already on the open issues list is
not proposed again; a dismissed proposal stays away for the rest of that ISO week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.domain.planner import block_rocks
from ceodesk.core.domain.rocks import OFF_TRACK_WEEKS_TO_PROPOSE, RockView, quarter_rocks
from ceodesk.core.domain.scorecard import ScorecardRow, scorecard
from ceodesk.core.domain.settings import local_now
from ceodesk.core.kernel.dates import minutes_of_day, quarter_bounds, shift_week, week_key
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import Measurable, Person, Rock, Task, Team, TeamMember, TimeBlock
from ceodesk.core.store.plain import PlainQuery, of_ids

NO_BLOCKS_DAYS = 21  # no time-block hours in the last three weeks
NO_UPDATE_WEEKS = 2

ROCK_OFF_TRACK = "rock_off_track"
ROCK_AT_RISK = "rock_at_risk"
MEASURABLE_OFF_GOAL = "measurable_off_goal"
TODO_STUCK = "todo_stuck"
DECISION_REVIEW = "decision_review"
KINDS = (ROCK_OFF_TRACK, ROCK_AT_RISK, MEASURABLE_OFF_GOAL, TODO_STUCK, DECISION_REVIEW)


@dataclass(frozen=True)
class Proposal:
    """A suggested issue: ``title`` prefills it, ``reason`` says why it is proposed."""

    kind: str  # one of KINDS
    source_kind: str  # rock, measurable, todo, decision
    source_uid: str
    source_id: int
    title: str
    reason: str
    owner_id: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.source_uid)


# ------------------------------------------------------------------ pure rules


def at_risk_reasons(
    *,
    today: date,
    quarter_start: date,
    open_milestone_dues: Sequence[date | None],
    statuses: Sequence[str | None],
    block_minutes: int | None,
) -> tuple[str, ...]:
    """Why a running Rock is at risk, in words (empty when it is not).

    ``statuses`` are its weekly statuses, oldest first, ending with this week;
    ``block_minutes`` the time-block minutes serving it in the last three weeks, or
    None when its owner plans no time here (only your own calendar lives in ceodesk).
    """
    reasons = []
    overdue = [d for d in open_milestone_dues if d is not None and d < today]
    if overdue:
        days = (today - min(overdue)).days
        reasons.append(f"a milestone is {days} day{'s' if days != 1 else ''} overdue")
    this_week = week_key(today)
    started_weeks_ago = week_key(quarter_start) <= shift_week(this_week, -NO_UPDATE_WEEKS)
    recent = list(statuses[-NO_UPDATE_WEEKS:])
    if started_weeks_ago and len(recent) == NO_UPDATE_WEEKS and all(s is None for s in recent):
        reasons.append("no status update for two weeks")
    long_running = quarter_start <= today - timedelta(days=NO_BLOCKS_DAYS)
    if long_running and block_minutes is not None and block_minutes <= 0:
        reasons.append("no time-block hours in the last three weeks")
    return tuple(reasons)


def measurable_issue_title(row: ScorecardRow) -> str:
    """ "Leads off goal 3 weeks: 35 vs >= 40"."""
    value = row.cells[-1].formatted if row.cells else ""
    weeks = row.off_goal_weeks
    if weeks:
        head = f"{row.name} off goal {weeks} week{'s' if weeks != 1 else ''}"
    else:
        head = f"{row.name} on the scorecard"
    return f"{head}: {value or 'no value'} vs {row.goal_text}"


def rock_issue_title(rock: RockView, reasons: Sequence[str] = ()) -> str:
    if rock.off_track_weeks >= OFF_TRACK_WEEKS_TO_PROPOSE:
        return f"{rock.title}: off track {rock.off_track_weeks} weeks"
    if reasons:
        return f"{rock.title}: at risk, {reasons[0]}"
    return f"Rock: {rock.title} ({rock.status_label})"


def fresh(found: Sequence[Proposal], open_sources: set[str], dismissed: set[tuple[str, str]]):
    """Proposals not already on the issues list and not dismissed this week."""
    return tuple(p for p in found if p.source_uid not in open_sources and p.key not in dismissed)


# ------------------------------------------------------------------ queries


def team_member_ids(db: Database, team_id: int) -> set[int]:
    with db.session() as session:
        return set(session.exec(select(TeamMember.person_id).where(TeamMember.team_id == team_id)))


def is_leadership(db: Database, team_id: int) -> bool:
    with db.session() as session:
        team = session.get(Team, team_id)
        return bool(team and team.is_leadership)


def team_rocks(db: Database, team_id: int, now: datetime) -> tuple[RockView, ...]:
    """This quarter's Rocks the team reviews: its members' own, plus the company Rocks
    for the leadership team."""
    quarter = local_now(db, now).quarter
    members = team_member_ids(db, team_id)
    leadership = is_leadership(db, team_id)
    return tuple(
        r
        for r in quarter_rocks(db, quarter, now).rocks
        if r.owner_id in members or (leadership and r.is_company)
    )


def rock_block_minutes(db: Database, rock_ids: Sequence[int], today: date) -> dict[int, int]:
    """Planned minutes of the blocks in the three weeks up to ``today`` serving each
    Rock (directly or through their task); skipped blocks count nothing."""
    return rock_block_minutes_at(db, rock_ids, [today])[0]


class _RockBlock(NamedTuple):
    id: int | None
    day: date
    start: time
    end: time
    skipped: bool
    rock_id: int | None
    task_id: int | None


# Read on each review and Rocks redraw, built once and read past the ORM (store.plain).
_TASKS_OF_ROCKS = of_ids(col(Task.id), key=col(Task.rock_id))
_ROCK_BLOCKS = PlainQuery(
    sa_select(*(col(getattr(TimeBlock, name)) for name in _RockBlock._fields)).where(
        col(TimeBlock.day) >= bindparam("first"),
        col(TimeBlock.day) <= bindparam("last"),
        col(TimeBlock.rock_id).in_(bindparam("ids", expanding=True))
        | col(TimeBlock.task_id).in_(bindparam("task_ids", expanding=True)),
    )
)


def rock_block_minutes_at(
    db: Database, rock_ids: Sequence[int], days: Sequence[date]
) -> list[dict[int, int]]:
    """``rock_block_minutes`` up to each of ``days``, read in one go (the review looks
    at its day and the same day a week earlier)."""
    if not rock_ids or not days:
        return [{} for _ in days]
    start = min(days) - timedelta(days=NO_BLOCKS_DAYS - 1)
    with db.session() as session:
        ids = sorted(rock_ids)
        task_ids = [task_id for (task_id,) in _TASKS_OF_ROCKS.rows(session, ids=ids)]
        blocks = [
            _RockBlock._make(row)
            for row in _ROCK_BLOCKS.rows(
                session, first=start, last=max(days), ids=ids, task_ids=task_ids
            )
        ]
        serving = block_rocks(session, blocks)
    found = []
    for today in days:
        first = today - timedelta(days=NO_BLOCKS_DAYS - 1)
        minutes: dict[int, int] = {r: 0 for r in rock_ids}
        for block in blocks:
            rock_id = serving.get(block.id or 0)
            if rock_id in minutes and not block.skipped and first <= block.day <= today:
                length = minutes_of_day(block.end) - minutes_of_day(block.start)
                minutes[rock_id] += max(0, length)
        found.append(minutes)
    return found


def rock_risks(
    db: Database, rocks: Sequence[RockView], now: datetime
) -> dict[int, tuple[str, ...]]:
    """Rock id -> why it is at risk, for running Rocks not yet off track three weeks.
    The time-block rule applies to your own Rocks: the planner holds only your time."""
    today = local_now(db, now).today
    running = [r for r in rocks if not r.finished]
    with db.session() as session:
        mine = set(session.exec(select(Person.id).where(col(Person.is_me))))
    minutes = rock_block_minutes(db, [r.id for r in running if r.owner_id in mine], today)
    risks = {}
    for rock in running:
        if rock.off_track_weeks >= OFF_TRACK_WEEKS_TO_PROPOSE:
            continue
        reasons = at_risk_reasons(
            today=today,
            quarter_start=quarter_bounds(rock.quarter)[0],
            open_milestone_dues=[m.due for m in rock.milestones if not m.done],
            statuses=rock.strip,
            block_minutes=minutes.get(rock.id),
        )
        if reasons:
            risks[rock.id] = reasons
    return risks


def team_scorecard(db: Database, team_id: int, now: datetime) -> tuple[ScorecardRow, ...]:
    """The team's measurables with last week as the newest column (the leadership team
    also reviews measurables of no team)."""
    week = shift_week(local_now(db, now).week, -1)
    leadership = is_leadership(db, team_id)
    with db.session() as session:
        teams = dict(session.exec(select(Measurable.id, Measurable.team_id)).all())
    return tuple(
        row
        for row in scorecard(db, week).rows
        if teams.get(row.id) == team_id or (leadership and teams.get(row.id) is None)
    )


def _uids(db: Database, model: Any, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    with db.session() as session:
        return dict(session.exec(select(model.id, model.uid).where(col(model.id).in_(ids))).all())


def find_proposals(db: Database, team_id: int, now: datetime) -> tuple[Proposal, ...]:
    """Everything the data proposes, before open issues and dismissals are taken out."""
    here = local_now(db, now)
    found: list[Proposal] = []
    rocks = team_rocks(db, team_id, now)
    risks = rock_risks(db, rocks, now)
    rock_uids = _uids(db, Rock, [r.id for r in rocks])
    for rock in rocks:
        if rock.finished:
            continue
        if rock.off_track_weeks >= OFF_TRACK_WEEKS_TO_PROPOSE:
            reason = f"off track {rock.off_track_weeks} weeks running"
            kind = ROCK_OFF_TRACK
        elif rock.id in risks:
            reason = "at risk: " + "; ".join(risks[rock.id])
            kind = ROCK_AT_RISK
        else:
            continue
        found.append(
            Proposal(
                kind,
                "rock",
                rock_uids[rock.id],
                rock.id,
                rock_issue_title(rock, risks.get(rock.id, ())),
                reason,
                rock.owner_id,
            )
        )
    rows = [r for r in team_scorecard(db, team_id, now) if r.propose_as_issue]
    measurable_uids = _uids(db, Measurable, [r.id for r in rows])
    for row in rows:
        found.append(
            Proposal(
                MEASURABLE_OFF_GOAL,
                "measurable",
                measurable_uids[row.id],
                row.id,
                measurable_issue_title(row),
                f"off goal {row.off_goal_weeks} weeks running",
                row.owner_id,
            )
        )
    held = list(meetings.ended_meeting_times(db, team_id))
    running = meetings.open_meeting(db, team_id, here.week)
    if running is not None:
        held.append((meetings.meeting_state(db, running, now).day, now))
    for item in todos.todos(db, here.today, team_id=team_id):
        missed = todos.meetings_missed(item.due, item.done_at, held)
        if missed >= todos.MISSED_MEETINGS_TO_PROPOSE:
            found.append(
                Proposal(
                    TODO_STUCK,
                    "todo",
                    item.uid,
                    item.id,
                    f"Stuck to-do: {item.title} ({item.owner})",
                    f"not done {missed} meetings running",
                    item.owner_id,
                )
            )
    for decision in issues.decisions_due_for_review(db, team_id, here.today):
        found.append(
            Proposal(
                DECISION_REVIEW,
                "decision",
                decision.uid,
                decision.id,
                f"Review the decision: {decision.text}",
                f"decided {decision.decided_at:%d %b}; its review date has come",
            )
        )
    return tuple(found)


def proposals(db: Database, team_id: int, now: datetime) -> tuple[Proposal, ...]:
    """What to raise this week: found, minus open issues' sources and this week's dismissals."""
    week = local_now(db, now).week
    return fresh(
        find_proposals(db, team_id, now),
        issues.open_sources(db, team_id),
        issues.dismissed(db, team_id, week),
    )


def accept(
    db: Database, team_id: int, proposal: Proposal, now: datetime, raised_by_id: int | None = None
) -> issues.IssueView:
    """The proposal becomes an open issue that links back to what it came from."""
    return issues.add_issue(
        db,
        team_id,
        proposal.title,
        now,
        owner_id=proposal.owner_id,
        raised_by_id=raised_by_id,
        source_kind=proposal.source_kind,
        source_uid=proposal.source_uid,
    )


def dismiss(db: Database, team_id: int, proposal: Proposal, now: datetime) -> None:
    """Dismissed for the rest of this ISO week; it may come back next week."""
    issues.dismiss(db, team_id, local_now(db, now).week, proposal.kind, proposal.source_uid)
