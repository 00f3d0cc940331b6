"""Five years of the demo company, for measuring speed at size (issue 13).

``ceodesk demo --scale large`` writes the normal demo company, then this history before
it: finished tasks, planned and recorded time blocks, 100 measurables with five years of
weekly values, a weekly Leadership meeting with minutes, the issues it solved, its
to-dos, and five years of quarterly Rocks with weekly status. Everything is relative to
the demo's "now", seeded so two runs write the same rows, and written with bulk inserts
in the demo's one transaction.

``HistorySize`` says how much: totals including the normal demo (which is never made
smaller); ``LARGE.scaled(0.1)`` is a tenth of it, for tests.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from ceodesk.core.domain.meetings import (
    DEFAULT_AGENDA,
    Minutes,
    MinutesAttendee,
    MinutesIssue,
    MinutesRating,
    MinutesSection,
    MinutesTodo,
)
from ceodesk.core.domain.settings import leadership_team
from ceodesk.core.kernel.dates import quarter_bounds, quarter_key, shift_quarter, week_key
from ceodesk.core.store.models import (
    Category,
    Decision,
    Issue,
    Measurable,
    MeasurableGoal,
    MeasurableValue,
    Meeting,
    MeetingAttendee,
    MeetingRating,
    MeetingSection,
    Milestone,
    Person,
    Rock,
    RockWeek,
    Task,
    TimeBlock,
    Todo,
    new_uid,
)

_SEED = 20_261_201
LEADERS = ("alex", "dana", "jordan", "priya", "sam")


@dataclass(frozen=True)
class HistorySize:
    """Totals, the normal demo's rows included (a total below the demo's adds nothing)."""

    tasks: int = 10_000
    blocks: int = 15_000
    measurables: int = 100
    weeks: int = 260  # of scorecard values, meetings and Rocks
    meetings: int = 260
    issues: int = 3_000
    todos: int = 8_000
    rocks: int = 150

    def scaled(self, fraction: float) -> HistorySize:
        return HistorySize(
            **{f.name: max(1, round(getattr(self, f.name) * fraction)) for f in fields(self)}
        )


LARGE = HistorySize()

_VERBS = ("Launch", "Ship", "Hire", "Close", "Cut", "Raise", "Migrate", "Rebuild", "Win")
_THINGS = (
    "the partner program",
    "the EMEA sales team",
    "a head of marketing",
    "the Series A",
    "churn below 2%",
    "the data warehouse",
    "self-serve billing",
    "the mobile app",
    "ten enterprise logos",
    "the support playbook",
    "SOC 2 type II",
    "the pricing page",
)
_TASKS = (
    "Review {x} numbers",
    "Call {p} about {x}",
    "Prep 1:1 with {p}",
    "Read {p}'s memo on {x}",
    "Draft note on {x}",
    "Approve {x} budget",
    "Follow up on {x}",
    "Sign {x} contract",
)
_METRICS = (
    "New MRR",
    "Churned MRR",
    "Demos booked",
    "Trials started",
    "Tickets closed",
    "Tickets opened",
    "Deploys",
    "Incidents",
    "Hires",
    "Open roles",
    "Cash collected",
)
_SEGMENTS = ("EMEA", "NA", "APAC", "SMB", "Mid-market", "Enterprise", "Partners", "Online")
_ISSUES = (
    "{x} is behind plan",
    "Who owns {x}?",
    "{p} is overloaded by {x}",
    "Customers keep asking about {x}",
    "{x} costs more than budgeted",
)
_DAY = (  # one history weekday: (start, end, category kind), none overlapping
    ("08:00", "09:30", "deep_work"),
    ("09:30", "10:00", "admin"),
    ("10:00", "11:00", "meetings"),
    ("11:00", "11:30", "people"),
    ("11:30", "12:00", "admin"),
    ("13:00", "14:30", "strategic_planning"),
    ("14:30", "15:00", "buffer"),
    ("15:00", "16:00", "team_collaboration"),
    ("16:00", "16:30", "people"),
    ("16:30", "17:00", "admin"),
    ("17:00", "17:30", "buffer"),
    ("17:30", "18:00", "personal"),
)


def _count(session: Session, model: type) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def _bulk(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model), rows)


def _at(day: date, clock: time, zone) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _History:
    def __init__(self, session: Session, now_local: datetime, staff: dict[str, Person]) -> None:
        self.session = session
        self.zone = now_local.tzinfo
        self.today = now_local.date()
        self.now = now_local.astimezone(UTC)
        self.rng = random.Random(_SEED)
        self.staff = staff
        self.people = [p.id or 0 for p in staff.values() if p.active]
        self.names = [p.name.split()[0] for p in staff.values() if p.active]
        self.leaders = {key: staff[key] for key in LEADERS}
        self.team = leadership_team(session).id or 0
        self.monday = self.today - timedelta(days=self.today.weekday())

    def stamp(self) -> dict[str, Any]:
        return {"uid": new_uid(), "created_at": self.now, "updated_at": self.now}

    def text(self, pattern: str) -> str:
        rng = self.rng
        return pattern.format(x=rng.choice(_THINGS), p=rng.choice(self.names))

    # -- Rocks ---------------------------------------------------------------------

    def rocks(self, total: int, weeks: int) -> dict[str, list[int]]:
        """Closed Rocks in the quarters before the demo's; returns Rock ids by quarter."""
        extra = total - _count(self.session, Rock)
        oldest = min(self.session.exec(select(Rock.quarter)).all(), default=quarter_key(self.today))
        quarters = max(1, weeks // 13)
        keys = [shift_quarter(oldest, -n) for n in range(quarters, 0, -1)]
        by_quarter: dict[str, list[int]] = {k: [] for k in keys}
        if extra <= 0:
            return by_quarter
        first_id = (self.session.exec(select(func.max(Rock.id))).one() or 0) + 1
        rocks, rock_weeks, milestones = [], [], []
        leader_ids = [p.id or 0 for p in self.leaders.values()]
        for n in range(extra):
            quarter = keys[n % len(keys)]
            start, end = quarter_bounds(quarter)
            title = f"{self.rng.choice(_VERBS)} {self.rng.choice(_THINGS)}"
            rock_id = first_id + n
            status = self.rng.choice(("done", "done", "done", "not_done", "dropped"))
            rocks.append(
                {
                    "id": rock_id,
                    "slug": f"{_slug(title)}-{quarter.lower()}-{n}",
                    "title": title,
                    "owner_id": leader_ids[n % len(leader_ids)],
                    "is_company": n % 3 == 0,
                    "quarter": quarter,
                    "due": end,
                    "outcome": f"{title} by {end:%d %b %Y}",
                    "measure": "Signed off by the leadership team",
                    "final_status": status,
                    **self.stamp(),
                }
            )
            by_quarter[quarter].append(rock_id)
            day = start
            while day <= end:
                on_track = self.rng.random() < (0.85 if status == "done" else 0.5)
                rock_weeks.append(
                    {
                        "rock_id": rock_id,
                        "week": week_key(day),
                        "status": "on_track" if on_track else "off_track",
                    }
                )
                day += timedelta(weeks=1)
            for position, fraction in enumerate((0.3, 0.7)):
                due = start + (end - start) * fraction
                done = status == "done" or position == 0
                milestones.append(
                    {
                        "rock_id": rock_id,
                        "title": ("Plan agreed", "First result")[position],
                        "due": due,
                        "done_at": _at(due, time(17, 0), self.zone) if done else None,
                        "position": position,
                        "uid": new_uid(),
                    }
                )
        _bulk(self.session, Rock, rocks)
        # A quarter's weeks can repeat at its edges (an ISO week spans two quarters).
        unique = {(r["rock_id"], r["week"]): r for r in rock_weeks}
        _bulk(self.session, RockWeek, list(unique.values()))
        _bulk(self.session, Milestone, milestones)
        return by_quarter

    # -- tasks and time blocks -------------------------------------------------------

    def tasks(self, total: int, weeks: int, rocks: dict[str, list[int]]) -> list[int]:
        """Tasks captured over the years: nearly all done, some archived, a few still
        open (no due date, or due in the weeks ahead). Returns the done tasks' ids."""
        extra = total - _count(self.session, Task)
        if extra <= 0:
            return []
        first_id = (self.session.exec(select(func.max(Task.id))).one() or 0) + 1
        days = weeks * 7
        rows, done_ids = [], []
        for n in range(extra):
            created_day = self.monday - timedelta(days=days - (n * days) // extra)
            created = _at(created_day, time(8 + n % 9, 15), self.zone)
            important, urgent = self.rng.random() < 0.6, self.rng.random() < 0.4
            owner = self.rng.choice(self.people) if self.rng.random() < 0.2 else None
            kind = "open" if n % 50 == 7 else ("archived" if n % 40 == 3 else "done")
            due: date | None = created_day + timedelta(days=self.rng.randint(1, 20))
            if kind == "open":
                due = None if n % 2 else self.today + timedelta(days=7 + n % 60)
            quarter_rocks = rocks.get(quarter_key(created_day), [])
            finished = created + timedelta(days=self.rng.randint(0, 14), hours=3)
            task_id = first_id + n
            rows.append(
                {
                    "id": task_id,
                    "title": self.text(self.rng.choice(_TASKS)),
                    "important": important,
                    "urgent": urgent,
                    "due_date": due,
                    "estimate_minutes": self.rng.choice((None, 15, 30, 60, 90, 120)),
                    "owner_id": owner,
                    "follow_up": (due - timedelta(days=1)) if owner and due else None,
                    "tags": self.rng.choice(("", "", "customers", "hiring", "board", "finance")),
                    "notes": "",
                    "done_at": finished if kind == "done" else None,
                    "archived_at": finished if kind == "archived" else None,
                    "rock_id": (
                        self.rng.choice(quarter_rocks)
                        if quarter_rocks and self.rng.random() < 0.1
                        else None
                    ),
                    "unsorted": False,
                    **self.stamp(),
                }
            )
            if kind == "done":
                done_ids.append(task_id)
        _bulk(self.session, Task, rows)
        return done_ids

    def blocks(self, total: int, done_tasks: list[int]) -> None:
        """Past weekdays before the demo's two weeks, planned and recorded."""
        extra = total - _count(self.session, TimeBlock)
        if extra <= 0:
            return
        categories = {c.kind: c.id or 0 for c in self.session.exec(select(Category))}
        fallback = next(iter(categories.values()))
        oldest = self.session.exec(select(func.min(TimeBlock.day))).one() or self.monday
        day, rows = oldest, list[dict[str, Any]]()
        while len(rows) < extra:
            day -= timedelta(days=1)
            if day.weekday() >= 5:
                continue
            for start, end, kind in _DAY:
                if len(rows) == extra:
                    break
                begin, finish = time.fromisoformat(start), time.fromisoformat(end)
                planned = (finish.hour - begin.hour) * 60 + finish.minute - begin.minute
                roll = self.rng.random()
                task = self.rng.choice(done_tasks) if done_tasks and roll < 0.15 else None
                rows.append(
                    {
                        "day": day,
                        "start": begin,
                        "end": finish,
                        "title": kind.replace("_", " ").capitalize(),
                        "category_id": categories.get(kind, fallback),
                        "task_id": task,
                        "fixed": kind == "meetings",
                        "actual_minutes": None
                        if roll > 0.9
                        else max(0, planned - (roll > 0.7) * 15),
                        "skipped": roll > 0.9,
                        **self.stamp(),
                    }
                )
        _bulk(self.session, TimeBlock, rows)

    # -- scorecard -----------------------------------------------------------------

    def scorecard(self, total: int, weeks: int) -> None:
        """More measurables, and every typed one's weekly values back ``weeks`` weeks."""
        session = self.session
        existing = session.exec(select(Measurable)).all()
        position = len(existing)
        extra = total - len(existing)
        week_keys = [week_key(self.monday - timedelta(weeks=n)) for n in range(weeks, 0, -1)]
        names = [f"{m} ({s})" for s in _SEGMENTS for m in _METRICS]
        new_rows: list[dict[str, Any]] = []
        goals: list[dict[str, Any]] = []
        first_id = (session.exec(select(func.max(Measurable.id))).one() or 0) + 1
        for n in range(max(0, extra)):
            measurable_id = first_id + n
            formula = None
            if n % 12 == 11:  # a computed one now and then: a ratio of the two before it
                formula = f"{names[n - 1]} / {names[n - 2]}"
            new_rows.append(
                {
                    "id": measurable_id,
                    "uid": new_uid(),
                    "name": names[n],
                    "owner_id": self.rng.choice(self.people),
                    "team_id": self.team,
                    "unit": "percent" if formula else "number",
                    "leading": n % 2 == 0,
                    "definition": "",
                    "formula": formula,
                    "position": position + n,
                    "archived": False,
                    "combine": "average" if formula else "sum",
                }
            )
            goals.append(
                {
                    "measurable_id": measurable_id,
                    "from_week": week_keys[0],
                    "operator": ">=",
                    "value": 1.0 if formula else float(20 + n % 30),
                }
            )
        _bulk(session, Measurable, new_rows)
        _bulk(session, MeasurableGoal, goals)
        typed = [m.id or 0 for m in existing if m.formula is None]
        typed += [int(r["id"]) for r in new_rows if r["formula"] is None]
        have = {
            (m, w)
            for m, w in session.exec(select(MeasurableValue.measurable_id, MeasurableValue.week))
        }
        level = {m: float(self.rng.randint(10, 60)) for m in typed}
        known = {
            m: v
            for m, v in session.exec(select(MeasurableValue.measurable_id, MeasurableValue.value))
        }
        values = []
        for measurable_id in typed:
            base = known.get(measurable_id, level[measurable_id])
            for week in week_keys:
                if (measurable_id, week) in have:
                    continue
                value = round(base * self.rng.uniform(0.7, 1.3), 2)
                values.append({"measurable_id": measurable_id, "week": week, "value": value})
        _bulk(session, MeasurableValue, values)
        # Each older measurable's first goal now holds from its oldest value on.
        firsts = session.exec(
            select(MeasurableGoal.measurable_id, func.min(MeasurableGoal.from_week)).group_by(
                col(MeasurableGoal.measurable_id)
            )
        ).all()
        goals_table = MeasurableGoal.__table__  # type: ignore[attr-defined]
        for measurable_id, first in firsts:
            if first > week_keys[0]:
                session.execute(
                    goals_table.update()
                    .where(
                        goals_table.c.measurable_id == measurable_id,
                        goals_table.c.from_week == first,
                    )
                    .values(from_week=week_keys[0])
                )

    # -- meetings, issues, to-dos --------------------------------------------------

    def meetings(self, total: int, issues: int, todos: int) -> None:
        """Weekly Leadership meetings before the demo's, each with the issues it solved,
        their decisions and to-dos, and its minutes."""
        session = self.session
        extra = total - _count(session, Meeting)
        if extra <= 0:
            return
        extra_issues = max(0, issues - _count(session, Issue))
        extra_todos = max(0, todos - _count(session, Todo))
        oldest = session.exec(select(func.min(Meeting.day))).one() or (
            self.monday + timedelta(days=1)
        )
        ids = {key: person.id or 0 for key, person in self.leaders.items()}
        first_meeting = (session.exec(select(func.max(Meeting.id))).one() or 0) + 1
        first_issue = (session.exec(select(func.max(Issue.id))).one() or 0) + 1
        meetings, sections, attendees, ratings = [], [], [], []
        issue_rows, decisions, todo_rows = [], [], []
        planned = sum(m for _k, _t, m in DEFAULT_AGENDA)
        for n in range(extra):
            meeting_id = first_meeting + n
            day = oldest - timedelta(weeks=extra - n)
            started = _at(day, time(9, 0), self.zone)
            used = [m * 60 + self.rng.randint(-60, 120) for _k, _t, m in DEFAULT_AGENDA]
            ended = started + timedelta(seconds=sum(used))
            meetings.append(
                {
                    "id": meeting_id,
                    "uid": new_uid(),
                    "team_id": self.team,
                    "week": week_key(day),
                    "day": day,
                    "started_at": started,
                    "ended_at": ended,
                    "facilitator_id": ids["alex"],
                    "scribe_id": ids["dana"],
                    "section": len(DEFAULT_AGENDA) - 1,
                    "seen_at": ended,
                }
            )
            for position, ((kind, title, minutes), seconds) in enumerate(
                zip(DEFAULT_AGENDA, used, strict=True)
            ):
                sections.append(
                    {
                        "uid": new_uid(),
                        "meeting_id": meeting_id,
                        "position": position,
                        "kind": kind,
                        "title": title,
                        "minutes": minutes,
                        "used_seconds": seconds,
                    }
                )
            scores = []
            for key in LEADERS:
                attendees.append(
                    {"uid": new_uid(), "meeting_id": meeting_id, "person_id": ids[key]}
                )
                score = self.rng.choice((7, 8, 8, 9, 9, 10))
                why = "We ran long and skipped two issues." if score < 8 else ""
                ratings.append(
                    {
                        "uid": new_uid(),
                        "meeting_id": meeting_id,
                        "person_id": ids[key],
                        "score": score,
                        "why": why,
                    }
                )
                scores.append(MinutesRating(self.leaders[key].name, score, why))
            solved = []
            issue_range = range(n * extra_issues // extra, (n + 1) * extra_issues // extra)
            for k in issue_range:
                issue_id = first_issue + k
                title = self.text(self.rng.choice(_ISSUES))
                owner = LEADERS[k % len(LEADERS)]
                dropped = k % 9 == 4
                issue_rows.append(
                    {
                        "id": issue_id,
                        "uid": new_uid(),
                        "team_id": self.team,
                        "title": title,
                        "notes": "",
                        "owner_id": ids[owner],
                        "raised_by_id": ids[LEADERS[(k + 1) % len(LEADERS)]],
                        "raised_at": started - timedelta(days=1 + k % 20),
                        "term": "short",
                        "status": "dropped" if dropped else "solved",
                        "closed_at": ended,
                        "meeting_id": meeting_id,
                    }
                )
                if dropped:
                    continue
                decided = f"{self.leaders[owner].name.split()[0]} owns it; back in two weeks"
                decisions.append(
                    {
                        "uid": new_uid(),
                        "team_id": self.team,
                        "issue_id": issue_id,
                        "meeting_id": meeting_id,
                        "text": decided,
                        "decided_at": ended,
                    }
                )
                solved.append((issue_id, title, decided, owner))
            made: list[tuple[int, MinutesTodo]] = []
            todo_range = range(n * extra_todos // extra, (n + 1) * extra_todos // extra)
            for k in todo_range:
                owner = LEADERS[k % len(LEADERS)]
                issue = solved[k % len(solved)] if solved else None
                due = day + timedelta(days=7)
                done = k % 17 != 0
                title = self.text(self.rng.choice(_TASKS))
                todo_rows.append(
                    {
                        "uid": new_uid(),
                        "team_id": self.team,
                        "title": title,
                        "owner_id": ids[owner],
                        "due": due,
                        # Every old to-do is closed: done, or done late.
                        "done_at": _at(due + timedelta(days=0 if done else 6), time(16), self.zone),
                        "created_at": ended,
                        "meeting_id": meeting_id,
                        "issue_id": issue[0] if issue else None,
                    }
                )
                todo = MinutesTodo(title, self.leaders[owner].name, due.isoformat(), done)
                made.append((issue[0] if issue else 0, todo))
            record = Minutes(
                meeting_id=meeting_id,
                team="Leadership",
                week=week_key(day),
                day=day.isoformat(),
                started=f"{started.astimezone(self.zone):%H:%M}",
                ended=f"{ended.astimezone(self.zone):%H:%M}",
                length_minutes=round(sum(used) / 60),
                planned_minutes=planned,
                attendees=tuple(
                    MinutesAttendee(
                        self.leaders[k].name, {"alex": "facilitator", "dana": "scribe"}.get(k, "")
                    )
                    for k in LEADERS
                ),
                sections=tuple(
                    MinutesSection(title, m, s)
                    for (_k, title, m), s in zip(DEFAULT_AGENDA, used, strict=True)
                ),
                issues_solved=tuple(
                    MinutesIssue(title, decided, tuple(t for i, t in made if i == issue_id), "")
                    for issue_id, title, decided, _owner in solved
                ),
                ratings=tuple(scores),
            )
            meetings[-1]["minutes_json"] = record.to_json()
        _bulk(session, Meeting, meetings)
        _bulk(session, MeetingSection, sections)
        _bulk(session, MeetingAttendee, attendees)
        _bulk(session, MeetingRating, ratings)
        _bulk(session, Issue, issue_rows)
        _bulk(session, Decision, decisions)
        _bulk(session, Todo, todo_rows)


def build(
    session: Session, now_local: datetime, staff: dict[str, Person], size: HistorySize
) -> None:
    """Add ``size``'s history before the normal demo's (``now_local`` aware, local)."""
    history = _History(session, now_local, staff)
    rocks = history.rocks(size.rocks, size.weeks)
    done = history.tasks(size.tasks, size.weeks, rocks)
    history.blocks(size.blocks, done)
    history.scorecard(size.measurables, size.weeks)
    history.meetings(size.meetings, size.issues, size.todos)
    session.flush()
