"""Demo weekly meetings: eight past Leadership meetings with minutes, decisions and
ratings, an open issues list, the team's to-dos (some overdue, one stuck two meetings
running), headlines and shout-outs, and one Rock at risk from an overdue milestone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from ceodesk.core.domain.meetings import (
    DEFAULT_AGENDA,
    Minutes,
    MinutesAttendee,
    MinutesHeadline,
    MinutesIssue,
    MinutesRating,
    MinutesSection,
    MinutesTodo,
)
from ceodesk.core.domain.settings import leadership_team
from ceodesk.core.kernel.dates import monday_of, week_key
from ceodesk.core.store.models import (
    Decision,
    Headline,
    Issue,
    Meeting,
    MeetingAttendee,
    MeetingRating,
    MeetingSection,
    Milestone,
    Person,
    Rock,
    Todo,
)

PAST_MEETINGS = 8
LEADERS = ("alex", "dana", "jordan", "priya", "sam")
# Ratings per meeting, oldest first, one per leader (in LEADERS order).
RATINGS = (
    (8, 7, 8, 8, 7),
    (8, 8, 7, 8, 8),
    (9, 8, 8, 8, 8),
    (7, 7, 8, 7, 8),
    (8, 8, 9, 8, 8),
    (9, 8, 8, 9, 8),
    (8, 9, 8, 8, 9),
    (9, 8, 9, 8, 9),
)
WHY_LOW = "We ran long on one issue and never reached the rest."
# Seconds over (or under) each section's plan, per meeting: deterministic, believable.
DRIFT = (40, -30, 65, 10, -20, 300, 90)
HEADLINES = (
    ("customer", "jordan", "Harbor Freight renewed for three years", True),
    ("employee", "priya", "Nina shipped the export rewrite a week early", True),
    ("customer", "dana", "Two churned customers asked to come back", False),
    ("employee", "sam", "Maya ran the office move without a single lost day", True),
)
NEXT_HEADLINES = (
    ("customer", "dana", "Lumen Health went live in 21 days, our fastest onboarding yet", True),
    ("customer", "jordan", "Two enterprise pilots asked for the API v2 beta", False),
    ("employee", "priya", "Chloe's mentoring program has all six juniors on board", True),
)
# (meeting index from the oldest, issue, decision, to-dos (title, owner, done), review in days)
SOLVED = (
    (
        0,
        "Sales and CS disagree on who owns renewals",
        "CS owns renewals; sales owns expansion",
        (("Write the renewals hand-off in the playbook", "dana", True),),
        None,
    ),
    (
        1,
        "Hiring plan outruns the budget",
        "Hold two engineering roles until the round closes",
        (("Tell recruiting which two roles pause", "sam", True),),
        None,
    ),
    (
        2,
        "Demo environment breaks before big pitches",
        "Freeze the demo environment the day before a pitch",
        (("Add a demo freeze to the release calendar", "priya", True),),
        None,
    ),
    (
        3,
        "Pricing page confuses mid-market buyers",
        "Show three plans, not five",
        (
            ("Draft the three-plan page", "jordan", True),
            ("Check the plans against margin", "sam", True),
        ),
        None,
    ),
    (
        4,
        "Support tickets pile up on Mondays",
        "Shift one support engineer to a Monday-heavy rota",
        (("Publish the new rota", "dana", True),),
        21,
    ),
    (
        5,
        "Board pack takes a week to assemble",
        "Build the board pack from the scorecard",
        (("Template the board pack from the scorecard", "sam", True),),
        None,
    ),
    (
        6,
        "Leads from events never get a follow-up",
        "Every event lead gets a call within 48 hours",
        (
            ("Set up the 48-hour follow-up queue", "jordan", False),
            ("Report event follow-ups weekly", "jordan", True),
        ),
        None,
    ),
    (
        7,
        "Offsite agenda has no owner",
        "Dana owns the offsite agenda",
        (("Send the offsite agenda draft", "dana", False),),
        None,
    ),
)
# Open issues: (title, owner, term, days ago raised, rank)
OPEN_ISSUES = (
    ("Support is at capacity", "dana", "short", 9, 1),
    ("Enterprise deals stall in security review", "jordan", "short", 16, 2),
    ("API v2 migration guide is missing", "priya", "short", 6, 3),
    ("Finance close takes eight working days", "sam", "short", 12, None),
    ("Onboarding calls are booked three weeks out", "dana", "short", 4, None),
    ("Too many meetings on Wednesdays", "alex", "short", 2, None),
    ("Nobody owns the partner channel", "jordan", "short", 20, None),
    ("Engineering on-call burns people out", "priya", "short", 8, None),
    ("Do we open a European office?", "alex", "long", 60, None),
    ("Second product line for mid-market", "alex", "long", 45, None),
    ("Employer brand is unknown outside the city", "sam", "long", 30, None),
    ("Data platform will not scale past 2027", "priya", "long", 38, None),
)
# Open to-dos made last meeting, due by this one: (title, owner, done)
THIS_WEEK_TODOS = (
    ("Send the Q1 hiring plan to the board", "alex", True),
    ("Call the three at-risk accounts", "dana", True),
    ("Price the security review package", "jordan", False),
    ("Publish the API v2 changelog", "priya", True),
    ("Close the November books", "sam", True),
    ("Book the offsite venue", "alex", True),
    ("Share the churn cohort chart", "dana", True),
    ("Confirm the two pipeline reviews", "jordan", True),
    ("Draft the on-call policy", "priya", False),
    ("Renew the office lease option", "sam", True),
)
# Older to-dos, overdue and not done: (title, owner, meetings ago made)
OVERDUE_TODOS = (
    ("Write the partner channel one-pager", "jordan", 3),  # not done two meetings running
    ("Fix the invoice template's VAT line", "sam", 2),
)
# Your own to-dos due after this week's meeting (the Tasks screen's panel): (title, days)
MY_LATER_TODOS = (
    ("Draft the Q1 board meeting agenda", 3),
    ("Interview the two VP Sales finalists", 6),
)
AT_RISK_ROCK = "Map the customer onboarding journey"  # its first milestone is reopened: overdue


def _at(day: date, clock: time, zone) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def build(session: Session, now_local: datetime, staff: dict[str, Person]) -> None:
    """Add the meetings history; ``now_local`` is aware and local."""
    zone = now_local.tzinfo
    today = now_local.date()
    team = leadership_team(session)
    team_id = team.id or 0
    people = {key: staff[key] for key in LEADERS}
    ids = {key: person.id or 0 for key, person in people.items()}
    monday = monday_of(today)
    # Meetings are held on Tuesdays at 09:00, the last one the Tuesday before this week.
    days = [monday - timedelta(weeks=k) + timedelta(days=1) for k in range(PAST_MEETINGS, 0, -1)]
    meetings: list[Meeting] = []
    reviewed: tuple[MinutesTodo, ...] = ()  # the to-dos the previous meeting made
    for index, day in enumerate(days):
        started = _at(day, time(9, 0), zone)
        present = [k for k in LEADERS if not (index == 3 and k == "priya")]
        used = [
            minutes * 60 + (DRIFT[(index + pos) % len(DRIFT)] if kind != "conclude" else 0)
            for pos, (kind, _t, minutes) in enumerate(DEFAULT_AGENDA)
        ]
        ended = started + timedelta(seconds=sum(used))
        meeting = Meeting(
            team_id=team_id,
            week=week_key(day),
            day=day,
            started_at=started,
            ended_at=ended,
            facilitator_id=ids["alex"],
            scribe_id=ids["dana"],
            section=len(DEFAULT_AGENDA) - 1,
            seen_at=ended,
        )
        session.add(meeting)
        session.flush()
        meetings.append(meeting)
        mid = meeting.id or 0
        for pos, ((kind, title, minutes), seconds) in enumerate(
            zip(DEFAULT_AGENDA, used, strict=True)
        ):
            session.add(
                MeetingSection(
                    meeting_id=mid,
                    position=pos,
                    kind=kind,
                    title=title,
                    minutes=minutes,
                    used_seconds=seconds,
                )
            )
        for key in present:
            session.add(MeetingAttendee(meeting_id=mid, person_id=ids[key]))
        scores = []
        for key, score in zip(LEADERS, RATINGS[index], strict=True):
            if key in present:
                why = WHY_LOW if score < 8 else ""
                session.add(MeetingRating(meeting_id=mid, person_id=ids[key], score=score, why=why))
                scores.append(MinutesRating(people[key].name, score, why))
        told = [HEADLINES[(index + n) % len(HEADLINES)] for n in range(2)]
        for kind, key, text, shout in told:
            session.add(
                Headline(
                    team_id=team_id,
                    meeting_id=mid,
                    person_id=ids[key],
                    kind=kind,
                    text=text,
                    shout_out=shout,
                )
            )
        # The issue solved at this meeting, its decision and to-dos.
        solved = []
        for at, title, decided, made, review in SOLVED:
            if at != index:
                continue
            issue = Issue(
                team_id=team_id,
                title=title,
                owner_id=ids[made[0][1]],
                raised_by_id=ids["alex"],
                raised_at=started - timedelta(days=5),
                status="solved",
                closed_at=ended,
                meeting_id=mid,
            )
            session.add(issue)
            session.flush()
            review_on = day + timedelta(days=review) if review else None
            session.add(
                Decision(
                    team_id=team_id,
                    issue_id=issue.id,
                    meeting_id=mid,
                    text=decided,
                    decided_at=ended,
                    review_on=review_on,
                )
            )
            items = []
            for todo_title, owner, done in made:
                due = day + timedelta(days=7)
                session.add(
                    Todo(
                        team_id=team_id,
                        title=todo_title,
                        owner_id=ids[owner],
                        due=due,
                        done_at=_at(due - timedelta(days=1), time(16, 0), zone) if done else None,
                        created_at=ended,
                        meeting_id=mid,
                        issue_id=issue.id,
                    )
                )
                items.append(MinutesTodo(todo_title, people[owner].name, due.isoformat(), done))
            solved.append(
                MinutesIssue(
                    title, decided, tuple(items), review_on.isoformat() if review_on else ""
                )
            )
        record = Minutes(
            meeting_id=mid,
            team=team.name,
            week=meeting.week,
            day=day.isoformat(),
            started=f"{started.astimezone(zone):%H:%M}",
            ended=f"{ended.astimezone(zone):%H:%M}",
            length_minutes=round(sum(used) / 60),
            planned_minutes=sum(m for _k, _t, m in DEFAULT_AGENDA),
            attendees=tuple(
                MinutesAttendee(
                    people[k].name,
                    {"alex": "facilitator", "dana": "scribe"}.get(k, ""),
                )
                for k in present
            ),
            sections=tuple(
                MinutesSection(title, m, s)
                for (_k, title, m), s in zip(DEFAULT_AGENDA, used, strict=True)
            ),
            headlines=tuple(
                MinutesHeadline(kind, people[key].name, text, shout)
                for kind, key, text, shout in told
            ),
            todos=reviewed,
            issues_solved=tuple(solved),
            ratings=tuple(scores),
        )
        reviewed = tuple(t for issue in solved for t in issue.todos)
        meeting.minutes_json = record.to_json()
    last = meetings[-1]
    for title, owner, done in THIS_WEEK_TODOS:
        due = min(last.day + timedelta(days=7), today)  # due by this week's meeting
        session.add(
            Todo(
                team_id=team_id,
                title=title,
                owner_id=ids[owner],
                due=due,
                done_at=_at(last.day + timedelta(days=3), time(15, 0), zone) if done else None,
                created_at=last.ended_at or last.started_at,
                meeting_id=last.id,
            )
        )
    for title, owner, ago in OVERDUE_TODOS:
        made_at = meetings[-ago]
        session.add(
            Todo(
                team_id=team_id,
                title=title,
                owner_id=ids[owner],
                due=made_at.day + timedelta(days=7),
                created_at=made_at.ended_at or made_at.started_at,
                meeting_id=made_at.id,
            )
        )
    for title, ahead in MY_LATER_TODOS:
        session.add(
            Todo(
                team_id=team_id,
                title=title,
                owner_id=ids["alex"],
                due=today + timedelta(days=ahead),
                created_at=last.ended_at or last.started_at,
                meeting_id=last.id,
            )
        )
    for title, owner, term, ago, rank in OPEN_ISSUES:
        session.add(
            Issue(
                team_id=team_id,
                title=title,
                owner_id=ids[owner],
                raised_by_id=ids["alex"],
                raised_at=_at(today - timedelta(days=ago), time(11, 0), zone),
                term=term,
                rank=rank,
            )
        )
    for kind, key, text, shout in NEXT_HEADLINES:  # noted this week, for the next meeting
        session.add(
            Headline(team_id=team_id, person_id=ids[key], kind=kind, text=text, shout_out=shout)
        )
    _reopen_a_milestone(session, today)
    session.flush()


def _reopen_a_milestone(session: Session, today: date) -> None:
    """One running Rock is at risk: its first milestone passed its date undone."""
    rock = session.exec(
        select(Rock)
        .where(Rock.title == AT_RISK_ROCK, col(Rock.final_status).is_(None))
        .order_by(col(Rock.id).desc())
    ).first()
    if rock is None:
        return
    milestones = session.exec(
        select(Milestone).where(Milestone.rock_id == rock.id).order_by(col(Milestone.position))
    ).all()
    if not milestones:
        return
    first = milestones[0]
    first.done_at = None
    if first.due is None or first.due >= today:
        first.due = today - timedelta(days=5)
