"""Demo tasks: about forty, spread over the four quadrants and the unsorted tray,
relative to today."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from ceodesk.core.kernel.dates import monday_of
from ceodesk.core.store.models import Person, Task

# (title, important, urgent, due in days or None, due time, estimate minutes, owner, tags)
OPEN_TASKS: tuple[
    tuple[str, bool, bool, int | None, str | None, int | None, str | None, str], ...
] = (
    # Q1 Do
    ("Call Meridian Health about renewal risk", True, True, -1, None, 30, None, "customers"),
    ("Approve revised enterprise pricing", True, True, 0, "16:00", 30, None, "pricing"),
    ("Finalize Q1 hiring plan", True, True, 1, None, 90, None, "hiring"),
    ("Answer Series B lead investor questions", True, True, 2, None, 45, None, "fundraising"),
    ("Review board deck draft", True, True, 2, "10:00", 120, None, "board"),
    ("Prepare all-hands talking points", True, True, 3, None, 60, None, ""),
    ("Decide on the Atlas data-center migration", True, True, 4, None, 60, None, ""),
    # Q2 Schedule
    ("1:1 prep: Priya's career plan", True, False, 1, "14:00", 30, None, "people"),
    ("Review churn analysis with customer success", True, False, 5, None, 60, None, "customers"),
    ("Design VP Engineering interview loop", True, False, 7, None, 120, None, "hiring"),
    ("Write 2027 strategy memo", True, False, 10, None, 240, None, "strategy"),
    ("Map the customer onboarding journey", True, False, 12, None, 180, None, "customers"),
    ("Draft Q1 company Rocks", True, False, 14, None, 120, None, "strategy"),
    ("Define 2027 sales compensation plan", True, False, 16, None, 120, None, ""),
    ("Plan the leadership offsite agenda", True, False, 20, None, 120, None, ""),
    ("Set up a customer advisory board", True, False, 30, None, 60, None, "customers"),
    ("Outline succession plan for key roles", True, False, None, None, 120, None, "people"),
    ("Read High Output Management, ch. 4-6", True, False, None, None, 120, None, "learning"),
    # Q3 Delegate
    ("Send signed NDA to Acme legal", False, True, 1, None, 15, "dana", ""),
    ("Chase overdue Q3 invoices", False, True, 2, None, None, "sam", "finance"),
    ("Schedule senior AE interviews", False, True, 2, None, None, "jordan", "hiring"),
    ("Renew SOC 2 auditor engagement", False, True, 4, None, None, "priya", ""),
    ("Book venue for the January offsite", False, True, 6, None, None, "maya", ""),
    ("Update investor CRM after this week's calls", False, True, 3, None, 30, "leo", "fundraising"),
    ("Reply to the SaaS Connect speaking invite", False, True, 1, None, 15, "zoe", ""),
    ("File October expense report", False, True, 0, None, 20, "leo", "finance"),
    ("Collect quotes for the office move", False, True, 9, None, None, "maya", ""),
    # Q4 Drop
    ("Reorganize shared drive folders", False, False, None, None, 60, None, ""),
    ("Triage 40 newsletter subscriptions", False, False, None, None, 30, None, ""),
    ("Try the new note-taking app", False, False, None, None, 30, None, ""),
    ("Attend optional vendor webinar", False, False, 3, "11:00", 60, None, ""),
    ("Archive old Slack channels", False, False, None, None, 30, None, ""),
    ("Redesign personal website", False, False, None, None, 240, None, ""),
)
# Captured on the go with neither flag: they wait in the unsorted tray.
# (title, estimate minutes, tags)
UNSORTED_TASKS: tuple[tuple[str, int | None, str], ...] = (
    ("Read the Sunday Times piece on AI pricing", 20, "pricing"),
    ("Ask Priya about a Berlin office", None, "people"),
)
# Completed earlier today (shown with the done toggle) and last week (not shown).
DONE_TASKS: tuple[tuple[str, bool, bool, str | None, int], ...] = (
    ("Approve Q4 marketing budget", True, True, None, 1),
    ("Send thank-you notes to pilot customers", True, False, None, 2),
    ("Confirm board meeting date", False, True, "dana", 3),
    ("Unsubscribe from vendor mailing lists", False, False, None, 4),
    ("Sign October payroll", True, True, "sam", 24 * 8),
    ("Kick off pricing research", True, False, None, 24 * 9),
    ("Hand over Midwest accounts", False, True, "kevin", 24 * 30),
)
# Delegated work keeps a follow-up date a couple of days before it is due.
FOLLOW_UP_DAYS_BEFORE_DUE = 1


def _owner(staff: dict[str, Person], key: str | None) -> int | None:
    return staff[key].id if key else None


def build(session: Session, now_local: datetime, staff: dict[str, Person]) -> dict[str, Task]:
    """Add the demo tasks; ``now_local`` is aware, in the user's time zone.

    Returns the tasks by title, for the other demo modules to link to.
    """
    today = now_local.date()
    by_title: dict[str, Task] = {}
    for title, important, urgent, due_in, at, estimate, owner, tags in OPEN_TASKS:
        due = today + timedelta(days=due_in) if due_in is not None else None
        follow_up = None
        if owner and due:
            follow_up = max(today, due - timedelta(days=FOLLOW_UP_DAYS_BEFORE_DUE))
        by_title[title] = Task(
            title=title,
            important=important,
            urgent=urgent,
            due_date=due,
            due_time=time.fromisoformat(at) if at else None,
            estimate_minutes=estimate,
            owner_id=_owner(staff, owner),
            follow_up=follow_up,
            tags=tags,
        )
        session.add(by_title[title])
    for title, estimate, tags in UNSORTED_TASKS:
        by_title[title] = Task(title=title, estimate_minutes=estimate, tags=tags, unsorted=True)
        session.add(by_title[title])
    week_start = datetime.combine(monday_of(today), time(), tzinfo=now_local.tzinfo)
    for title, important, urgent, owner, hours_ago in DONE_TASKS:
        done_local = now_local - timedelta(hours=hours_ago)
        if hours_ago < 24:
            # "Earlier this week" must stay in this week even early on a Monday.
            done_local = max(done_local, week_start)
        by_title[title] = Task(
            title=title,
            important=important,
            urgent=urgent,
            owner_id=_owner(staff, owner),
            done_at=done_local.astimezone(UTC),
        )
        session.add(by_title[title])
    session.flush()
    return by_title


def summary(session: Session) -> str:
    people = session.exec(select(func.count()).select_from(Person).where(col(Person.active))).one()
    tasks = session.exec(select(func.count()).select_from(Task)).one()
    return f"{people} people, {tasks} tasks"
