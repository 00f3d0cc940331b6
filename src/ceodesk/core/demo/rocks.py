"""Demo Rocks and the big picture: two quarters of Rocks for the leadership team.

This quarter: six company Rocks and three per leader, with milestones and a weekly
status for every week so far. Mostly on track; one Rock has been off track for the
last three weeks (so it is proposed as an issue), one slipped this week only, and one
finished early. Last quarter is closed at 15 of 20 done (one more dropped): 75%, and
its unfinished company Rock was rolled over. Above them: a 3-year picture, four 1-year
goals linked cause -> effect across the four perspectives, and four core values. One
company Rock serves no goal, and the learning goal has no Rock this quarter.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from ceodesk.core.demo.planner import BOARD_DECK, MEMO, VP_LOOP
from ceodesk.core.domain.rocks import unique_slug
from ceodesk.core.kernel.dates import (
    monday_of,
    quarter_bounds,
    quarter_key,
    shift_quarter,
    shift_week,
    week_key,
)
from ceodesk.core.store.models import (
    BigPicture,
    CoreValue,
    Goal,
    GoalLink,
    Milestone,
    Person,
    Rock,
    RockWeek,
    Task,
    TimeBlock,
)

# (key, title, measurable, perspective), top to bottom of the strategy map.
GOALS = (
    ("revenue", "Grow ARR to $18M", "ARR of $18M or more", "financial"),
    ("nps", "Raise customer NPS to 50", "NPS of 50 or more", "customer"),
    (
        "onboarding",
        "Onboard new customers in 30 days",
        "Median onboarding time of 30 days or less",
        "internal process",
    ),
    (
        "training",
        "Certify every CSM on the onboarding playbook",
        "100% of customer success managers certified",
        "learning and growth",
    ),
)
# Cause -> effect: training -> faster onboarding -> happier customers -> revenue.
GOAL_LINKS = (("training", "onboarding"), ("onboarding", "nps"), ("nps", "revenue"))

PICTURE = {
    "revenue": "$40M ARR",
    "profit": "18% EBITDA",
    "measurables": (
        "250 enterprise customers\n"
        "Net revenue retention of 120%\n"
        "NPS of 60\n"
        "150 people in three countries"
    ),
    "picture": (
        "The analytics platform mid-market operations teams run their week on.\n"
        "Customers live in 30 days and never want to leave.\n"
        "A team that hires, trains and promotes from within."
    ),
}
CORE_VALUES = (
    ("Customers first", "We win when our customers win."),
    ("Own it", "Say what you will do, then do it."),
    ("Straight talk", "Kind, direct and early."),
    ("Keep learning", "A little better every week, together."),
)

# Weekly-status scripts for this quarter's running Rocks.
ON, OFF_3, OFF_1, BLIP_5, BLIP_7, DONE_EARLY = "on", "off3", "off1", "blip5", "blip7", "done"
# Milestones at these fractions of the quarter unless a Rock says otherwise.
PLAN = (0.25, 0.55, 0.9)
EARLY_PLAN = (0.1, 0.3, 0.5)

Milestones = tuple[str, ...]
# (title, owner, company, goal, script, milestone titles, outcome, measure)
THIS_QUARTER: tuple[tuple[str, str, bool, str | None, str, Milestones, str, str], ...] = (
    (
        "Close the Series B round",
        "alex",
        True,
        "revenue",
        ON,
        ("Data room ready", "Term sheet signed", "Money in the bank"),
        "$25M raised from a lead investor who knows vertical SaaS",
        "Wire received and the board approves the round",
    ),
    (
        "Launch self-serve onboarding",
        "dana",
        True,
        "onboarding",
        ON,
        ("Guided setup in beta", "Ten customers through it", "Open to every new customer"),
        "New customers set themselves up without a call",
        "Every new customer starts in self-serve onboarding",
    ),
    (
        "Hire a VP of Engineering",
        "alex",
        True,
        None,
        ON,
        ("Interview loop designed", "Final-round candidates", "Offer accepted"),
        "A VP of Engineering who can grow the team to 40",
        "Signed offer letter",
    ),
    (
        "Sign 12 new enterprise customers",
        "jordan",
        True,
        "revenue",
        BLIP_7,
        ("Four signed", "Eight signed", "Twelve signed"),
        "",
        "",
    ),
    (
        "Ship the analytics API v2",
        "priya",
        True,
        "nps",
        OFF_3,
        ("Public beta", "Three customers live on it", "General availability"),
        "Customers pull every report through a documented API",
        "v2 generally available with three customers live",
    ),
    (
        "Approve next year's operating plan",
        "sam",
        True,
        "revenue",
        ON,
        ("Department budgets in", "Leadership review", "Board approval"),
        "",
        "",
    ),
    (
        "Write the three-year strategy memo",
        "alex",
        False,
        "revenue",
        ON,
        ("Outline", "First draft", "Shared with the board"),
        "",
        "",
    ),
    (
        "Set up a customer advisory board",
        "alex",
        False,
        "nps",
        ON,
        ("Eight members invited", "First meeting held"),
        "",
        "",
    ),
    (
        "Run the leadership offsite",
        "alex",
        False,
        None,
        ON,
        ("Venue booked", "Agenda sent"),
        "",
        "",
    ),
    (
        "Cut monthly churn below 1%",
        "dana",
        False,
        "nps",
        BLIP_5,
        ("Churn analysis done", "Save playbook in use", "Three months under 1%"),
        "",
        "",
    ),
    (
        "Map the customer onboarding journey",
        "dana",
        False,
        "onboarding",
        ON,
        ("Interviews with ten customers", "Journey map reviewed"),
        "",
        "",
    ),
    (
        "Roll out the support SLA",
        "dana",
        False,
        "nps",
        DONE_EARLY,
        ("SLA drafted", "Tooling set up", "SLA live for every customer"),
        "",
        "",
    ),
    (
        "Build 3x pipeline coverage",
        "jordan",
        False,
        "revenue",
        OFF_1,
        ("Pipeline review cadence", "2x coverage", "3x coverage"),
        "",
        "",
    ),
    (
        "Launch the new sales compensation plan",
        "jordan",
        False,
        "revenue",
        ON,
        ("Plan modelled", "Plan signed off"),
        "",
        "",
    ),
    (
        "Hire two senior account executives",
        "jordan",
        False,
        "revenue",
        ON,
        ("Interviews scheduled", "Two offers accepted"),
        "",
        "",
    ),
    (
        "Migrate to the Atlas data center",
        "priya",
        False,
        "onboarding",
        ON,
        ("Decision made", "Staging migrated", "Production migrated"),
        "",
        "",
    ),
    (
        "Renew SOC 2 Type II",
        "priya",
        False,
        "nps",
        ON,
        ("Auditor engaged", "Evidence collected", "Report issued"),
        "",
        "",
    ),
    (
        "Cut dashboard load time to 2 seconds",
        "priya",
        False,
        "nps",
        BLIP_7,
        ("Slowest ten found", "Caching shipped"),
        "",
        "",
    ),
    (
        "Collect all overdue invoices",
        "sam",
        False,
        "revenue",
        ON,
        ("Every account contacted", "Under $50k overdue"),
        "",
        "",
    ),
    (
        "Close the books in 5 days",
        "sam",
        False,
        None,
        ON,
        ("Close checklist", "First 5-day close"),
        "",
        "",
    ),
    (
        "Finalize next year's hiring plan",
        "sam",
        False,
        "revenue",
        ON,
        ("Headcount by team", "Plan approved"),
        "",
        "",
    ),
)
# The company Rock rolled over from last quarter's unfinished one of the same title.
ROLLED_OVER = "Hire a VP of Engineering"

# (title, owner, company, goal, final status, milestone titles) — last quarter, closed.
LAST_QUARTER: tuple[tuple[str, str, bool, str | None, str, tuple[str, ...]], ...] = (
    ("Launch the partner program", "alex", True, "revenue", "done", ("Terms", "First partner")),
    (
        "Hire a VP of Engineering",
        "alex",
        True,
        None,
        "not_done",
        ("Search firm hired", "Shortlist"),
    ),
    ("Release dashboards 3.0", "priya", True, "nps", "done", ("Beta", "Release")),
    ("Reach $14M ARR", "jordan", True, "revenue", "done", ("$13M", "$14M")),
    (
        "Write the CSM onboarding playbook",
        "dana",
        True,
        "training",
        "done",
        ("Draft", "Published"),
    ),
    ("Run the board strategy day", "alex", False, "revenue", "done", ("Agenda", "Held")),
    ("Publish the company values", "alex", False, "training", "done", ("Draft", "All-hands")),
    ("Interview 20 customers", "alex", False, "nps", "done", ("Ten done", "Twenty done")),
    (
        "Set up an executive coaching program",
        "alex",
        False,
        "training",
        "dropped",
        ("Coaches shortlisted",),
    ),
    ("Cut the support backlog under 50", "dana", False, "nps", "done", ("Triage", "Under 50")),
    ("Hire a customer success lead", "dana", False, "nps", "done", ("Shortlist", "Hired")),
    (
        "Document the top 10 support processes",
        "dana",
        False,
        "onboarding",
        "done",
        ("Five written", "Ten written"),
    ),
    ("Hire four account executives", "jordan", False, "revenue", "not_done", ("Two hired",)),
    ("Launch the reseller channel", "jordan", False, "revenue", "done", ("Contract", "Launch")),
    ("Update the sales playbook", "jordan", False, "revenue", "done", ("Draft", "Trained")),
    ("Finish the SOC 2 Type I audit", "priya", False, "nps", "done", ("Evidence", "Report")),
    ("Migrate billing to Stripe", "priya", False, "onboarding", "not_done", ("Design", "Cut-over")),
    ("Cut cloud costs by 15%", "priya", False, "revenue", "not_done", ("Audit", "Savings")),
    ("Close the books in 7 days", "sam", False, "revenue", "done", ("Checklist", "First close")),
    ("Renegotiate the cloud contract", "sam", False, "revenue", "done", ("Offers", "Signed")),
    ("Roll out expense software", "sam", False, "onboarding", "not_done", ("Pick", "Rollout")),
)

# Demo tasks that serve a Rock (task title -> Rock title).
TASK_ROCKS = {
    "Answer Series B lead investor questions": "Close the Series B round",
    BOARD_DECK: "Close the Series B round",
    VP_LOOP: "Hire a VP of Engineering",
    MEMO: "Write the three-year strategy memo",
    "Map the customer onboarding journey": "Map the customer onboarding journey",
    "Review churn analysis with customer success": "Cut monthly churn below 1%",
    "Set up a customer advisory board": "Set up a customer advisory board",
    "Define 2027 sales compensation plan": "Launch the new sales compensation plan",
    "Schedule senior AE interviews": "Hire two senior account executives",
    "Renew SOC 2 auditor engagement": "Renew SOC 2 Type II",
    "Decide on the Atlas data-center migration": "Migrate to the Atlas data center",
    "Chase overdue Q3 invoices": "Collect all overdue invoices",
    "Finalize Q1 hiring plan": "Finalize next year's hiring plan",
    "Plan the leadership offsite agenda": "Run the leadership offsite",
}
# This week's generic deep-work blocks (weekday -> Rock title); the other deep-work
# blocks serve a Rock through their task.
BLOCK_ROCKS = {3: "Launch self-serve onboarding", 4: "Ship the analytics API v2"}


def _weeks(first: date, last: date) -> list[str]:
    """The ISO week keys from the week of ``first`` to the week of ``last``."""
    weeks, current = [], week_key(first)
    while current <= week_key(last):
        weeks.append(current)
        current = shift_week(current, 1)
    return weeks


def _on(first: date, last: date, fraction: float) -> date:
    return first + timedelta(days=round(fraction * (last - first).days))


def _at(day: date, now_local: datetime) -> datetime:
    """Late afternoon of a local day, as the UTC instant stored for a ticked milestone."""
    return datetime.combine(day, time(17, 0), tzinfo=now_local.tzinfo).astimezone(UTC)


def _script(script: str, weeks: list[str]) -> dict[str, str]:
    statuses = dict.fromkeys(weeks, "on_track")
    if script == OFF_3:
        statuses.update(dict.fromkeys(weeks[-3:], "off_track"))
    elif script == OFF_1:
        statuses[weeks[-1]] = "off_track"
    elif script in (BLIP_5, BLIP_7):
        back = 5 if script == BLIP_5 else 7
        if len(weeks) >= back + 1:
            statuses[weeks[-back]] = "off_track"
    return statuses


def _rock(
    session: Session,
    title: str,
    owner: Person,
    *,
    company: bool,
    quarter: str,
    due: date,
    goal: Goal | None,
) -> Rock:
    rock = Rock(
        slug=unique_slug(session, title),
        title=title,
        owner_id=owner.id or 0,
        is_company=company,
        quarter=quarter,
        due=due,
        goal_id=goal.id if goal else None,
    )
    session.add(rock)
    session.flush()
    return rock


def _big_picture(session: Session, today: date, quarter: str) -> dict[str, Goal]:
    session.add(BigPicture(id=1, horizon=date(today.year + 3, 12, 31), **PICTURE))
    for position, (name, description) in enumerate(CORE_VALUES):
        session.add(CoreValue(name=name, description=description, position=position))
    due = quarter_bounds(shift_quarter(quarter, 3))[1]  # about a year out
    goals = {}
    for position, (key, title, measurable, perspective) in enumerate(GOALS):
        goals[key] = Goal(
            title=title, measurable=measurable, due=due, perspective=perspective, position=position
        )
        session.add(goals[key])
    session.flush()
    for cause, effect in GOAL_LINKS:
        session.add(GoalLink(cause_id=goals[cause].id or 0, effect_id=goals[effect].id or 0))
    return goals


def _last_quarter(
    session: Session,
    quarter: str,
    now_local: datetime,
    staff: dict[str, Person],
    goals: dict[str, Goal],
) -> dict[str, Rock]:
    first, last = quarter_bounds(quarter)
    weeks = _weeks(first, last)
    rocks = {}
    for title, owner, company, goal, final, steps in LAST_QUARTER:
        rock = _rock(
            session,
            title,
            staff[owner],
            company=company,
            quarter=quarter,
            due=last,
            goal=goals[goal] if goal else None,
        )
        rock.final_status = final
        rocks[title] = rock
        recorded = weeks[:5] if final == "dropped" else weeks  # dropped a month in
        statuses = dict.fromkeys(recorded, "on_track")
        if final == "not_done":
            statuses.update(dict.fromkeys(recorded[-4:], "off_track"))
        for week, status in statuses.items():
            session.add(RockWeek(rock_id=rock.id or 0, week=week, status=status))
        for position, step in enumerate(steps):
            due = _on(first, last, (position + 1) / (len(steps) + 1))
            done = final == "done" or (final == "not_done" and position == 0)
            session.add(
                Milestone(
                    rock_id=rock.id or 0,
                    title=step,
                    due=due,
                    done_at=_at(due, now_local) if done else None,
                    position=position,
                )
            )
    return rocks


def _this_quarter(
    session: Session,
    quarter: str,
    now_local: datetime,
    staff: dict[str, Person],
    goals: dict[str, Goal],
    rolled_from: Rock,
) -> dict[str, Rock]:
    first, last = quarter_bounds(quarter)
    today = now_local.date()
    weeks = _weeks(first, today)
    if len(weeks) < 3:  # early in a quarter: keep three weeks of history anyway
        weeks = [shift_week(week_key(today), n) for n in (-2, -1, 0)]
    rocks = {}
    for title, owner, company, goal, script, steps, outcome, measure in THIS_QUARTER:
        rock = _rock(
            session,
            title,
            staff[owner],
            company=company,
            quarter=quarter,
            due=last,
            goal=goals[goal] if goal else None,
        )
        rock.outcome, rock.measure = outcome, measure
        if title == ROLLED_OVER:
            rock.rolled_from_id = rolled_from.id
        if script == DONE_EARLY:
            rock.final_status = "done"
        rocks[title] = rock
        for week, status in _script(script, weeks).items():
            session.add(RockWeek(rock_id=rock.id or 0, week=week, status=status))
        fractions = EARLY_PLAN if script == DONE_EARLY else PLAN
        for position, (step, fraction) in enumerate(zip(steps, fractions, strict=False)):
            due = _on(first, last, fraction)
            if script == DONE_EARLY:
                done_on: date | None = min(due, today)
            elif due < today and (script != OFF_3 or position == 0):
                done_on = due
            else:
                done_on = None
            session.add(
                Milestone(
                    rock_id=rock.id or 0,
                    title=step,
                    due=due,
                    done_at=_at(done_on, now_local) if done_on else None,
                    position=position,
                )
            )
    return rocks


def _link_work(
    session: Session, now_local: datetime, tasks: dict[str, Task], rocks: dict[str, Rock]
) -> None:
    for task_title, rock_title in TASK_ROCKS.items():
        tasks[task_title].rock_id = rocks[rock_title].id
    today = now_local.date()
    monday = monday_of(today)
    for weekday, rock_title in BLOCK_ROCKS.items():
        for block in session.exec(
            select(TimeBlock).where(
                TimeBlock.day == monday + timedelta(days=weekday), TimeBlock.title == "Deep work"
            )
        ):
            block.rock_id = rocks[rock_title].id


def build(
    session: Session, now_local: datetime, staff: dict[str, Person], tasks: dict[str, Task]
) -> None:
    """Add the big picture and two quarters of Rocks; ``now_local`` is aware, local."""
    today = now_local.date()
    quarter = quarter_key(today)
    goals = _big_picture(session, today, quarter)
    last = _last_quarter(session, shift_quarter(quarter, -1), now_local, staff, goals)
    rocks = _this_quarter(session, quarter, now_local, staff, goals, rolled_from=last[ROLLED_OVER])
    _link_work(session, now_local, tasks, rocks)
    session.flush()
