"""Demo week plan: the CEO's current week in about thirty blocks, and a bit of last week.

Everything is placed relative to the Monday of the current ISO week, so it always
looks current. Blocks of days before today carry what really happened: most as
planned, one cut short, one skipped, one not recorded yet, and this week's leadership
meeting ran over.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ceodesk.core.domain.planner import write_occurrences
from ceodesk.core.kernel.dates import minutes_of_day, monday_of, shift_week, week_key
from ceodesk.core.store.models import (
    BlockSeries,
    Category,
    CategoryKind,
    FocusTask,
    Person,
    Task,
    TimeBlock,
)

PLANNED, SHORT, SKIP, OPEN, OVER = "planned", "short", "skip", "open", "over"
SHORT_BY_MINUTES = 30
OVER_BY_MINUTES = 20  # this week's leadership meeting ran over, for the Friday review
# Blocks name their category by kind, as the default categories carry them.
DEEP, MEET, ADMIN, PLAN, TEAM, PEOPLE, PERSONAL, BUFFER = (
    CategoryKind.DEEP_WORK,
    CategoryKind.MEETINGS,
    CategoryKind.ADMIN,
    CategoryKind.STRATEGIC_PLANNING,
    CategoryKind.TEAM_COLLABORATION,
    CategoryKind.PEOPLE,
    CategoryKind.PERSONAL,
    CategoryKind.BUFFER,
)
MEMO = "Write 2027 strategy memo"
BOARD_DECK = "Review board deck draft"
VP_LOOP = "Design VP Engineering interview loop"
ROCKS = "Draft Q1 company Rocks"
HIRING = "Finalize Q1 hiring plan"
ONBOARDING = "Map the customer onboarding journey"
CHURN = "Review churn analysis with customer success"
Row = tuple[int, str, str, str, str, str | None, str]
# (weekday, start, end, title, category, linked task or None, what happened). "{dana}"
# and friends are first names. Exactly one overlap: Tuesday's customer call runs into
# the 1:1 with Jordan.
THIS_WEEK: tuple[Row, ...] = (
    (0, "08:00", "10:00", MEMO, DEEP, MEMO, SHORT),
    (0, "10:30", "11:00", "1:1 {dana}", PEOPLE, None, PLANNED),
    (0, "11:00", "12:00", "Inbox and approvals", ADMIN, None, PLANNED),
    (0, "12:00", "13:00", "Lunch walk", PERSONAL, None, PLANNED),
    (0, "13:00", "15:00", "Q1 planning: pipeline review", PLAN, None, PLANNED),
    (0, "15:00", "16:00", "Product roadmap sync", TEAM, None, SKIP),
    (1, "07:30", "09:00", BOARD_DECK, DEEP, BOARD_DECK, PLANNED),
    (1, "11:00", "11:30", "1:1 {jordan}", PEOPLE, None, PLANNED),
    (1, "11:15", "11:45", "Customer call: Meridian Health", MEET, None, PLANNED),
    (1, "12:00", "13:00", "Lunch", PERSONAL, None, PLANNED),
    (1, "13:00", "15:00", "Pricing strategy", PLAN, None, PLANNED),
    (1, "16:00", "17:00", "Expenses and contracts", ADMIN, None, OPEN),
    (2, "08:00", "10:00", VP_LOOP, DEEP, VP_LOOP, PLANNED),
    (2, "10:00", "10:30", "1:1 {priya}", PEOPLE, None, PLANNED),
    (2, "11:00", "12:00", "Email and approvals", ADMIN, None, PLANNED),
    (2, "12:00", "13:00", "Lunch", PERSONAL, None, PLANNED),
    (2, "13:00", "14:30", "Sales pipeline review", TEAM, None, PLANNED),
    (2, "16:00", "16:30", "Buffer", BUFFER, None, PLANNED),
    (3, "08:00", "10:00", "Deep work", DEEP, None, PLANNED),
    (3, "10:00", "10:30", "1:1 {sam}", PEOPLE, None, PLANNED),
    (3, "11:00", "12:00", "Investor update call", MEET, None, PLANNED),
    (3, "12:00", "13:00", "Lunch", PERSONAL, None, PLANNED),
    (3, "14:00", "16:00", ROCKS, PLAN, ROCKS, PLANNED),
    (3, "16:00", "17:00", "Engineering demo day", TEAM, None, PLANNED),
    (4, "08:00", "10:00", "Deep work", DEEP, None, PLANNED),
    (4, "10:00", "11:00", "Friday review", PLAN, None, PLANNED),
    (4, "11:00", "12:00", "Admin catch-up", ADMIN, None, PLANNED),
    (4, "13:00", "14:00", "All-hands prep", TEAM, None, PLANNED),
    (4, "15:00", "16:00", "Buffer", BUFFER, None, PLANNED),
)
# Last week: deep work on two tasks that are still open, so carry-over has something.
LAST_WEEK: tuple[Row, ...] = (
    (0, "08:00", "10:00", ONBOARDING, DEEP, ONBOARDING, PLANNED),
    (0, "10:30", "11:00", "1:1 {dana}", PEOPLE, None, PLANNED),
    (2, "08:00", "10:00", CHURN, DEEP, CHURN, SHORT),
    (2, "10:00", "10:30", "1:1 {priya}", PEOPLE, None, PLANNED),
    (3, "08:00", "10:00", ONBOARDING, DEEP, ONBOARDING, PLANNED),
    (3, "13:00", "15:00", "Q1 planning: market sizing", PLAN, None, PLANNED),
    (4, "10:00", "11:00", "Friday review", PLAN, None, PLANNED),
)
LEADERSHIP_MEETING = ("Weekly leadership meeting", MEET, "FREQ=WEEKLY;BYDAY=TU")
LEADERSHIP_TIME = (time(9, 0), time(10, 30))
LEADERSHIP_SINCE_WEEKS = 12
# One focus task per weekday; Friday's has no block yet, so the planner warns about it.
FOCUS = (MEMO, BOARD_DECK, VP_LOOP, ROCKS, HIRING)


def _actual(block: TimeBlock, happened: str) -> None:
    planned = minutes_of_day(block.end) - minutes_of_day(block.start)
    if happened == PLANNED:
        block.actual_minutes = planned
    elif happened == SHORT:
        block.actual_minutes = planned - SHORT_BY_MINUTES
    elif happened == OVER:
        block.actual_minutes = planned + OVER_BY_MINUTES
    elif happened == SKIP:
        block.skipped = True


def _write_blocks(
    session: Session,
    monday: date,
    today: date,
    rows: tuple[Row, ...],
    categories: dict[str, int],
    tasks: dict[str, Task],
    names: dict[str, str],
) -> None:
    for weekday, start, end, title, category, task_title, happened in rows:
        block = TimeBlock(
            day=monday + timedelta(days=weekday),
            start=time.fromisoformat(start),
            end=time.fromisoformat(end),
            title=title.format(**names),
            category_id=categories[category],
            task_id=tasks[task_title].id if task_title else None,
        )
        if block.day < today:
            _actual(block, happened)
        session.add(block)


def build(
    session: Session, now_local: datetime, staff: dict[str, Person], tasks: dict[str, Task]
) -> None:
    """Plan the CEO's current and last week; ``now_local`` is aware, in the user's zone."""
    assert isinstance(now_local.tzinfo, ZoneInfo)
    zone = now_local.tzinfo
    today = now_local.date()
    week = week_key(today)
    monday = monday_of(today)
    categories = {c.kind: c.id or 0 for c in session.exec(select(Category))}
    names = {key: person.name.split()[0] for key, person in staff.items()}

    title, category, rule = LEADERSHIP_MEETING
    series = BlockSeries(
        title=title,
        category_id=categories[category],
        rule=rule,
        start=LEADERSHIP_TIME[0],
        end=LEADERSHIP_TIME[1],
        starts_on=monday - timedelta(weeks=LEADERSHIP_SINCE_WEEKS),
    )
    session.add(series)
    session.flush()
    for shown in (shift_week(week, -1), week):
        write_occurrences(session, shown, zone, only=series)
    for occurrence in session.exec(
        select(TimeBlock).where(col(TimeBlock.series_id) == series.id, TimeBlock.day < today)
    ):
        _actual(occurrence, OVER if occurrence.day >= monday else PLANNED)

    _write_blocks(session, monday, today, THIS_WEEK, categories, tasks, names)
    last_monday = monday - timedelta(weeks=1)
    _write_blocks(session, last_monday, today, LAST_WEEK, categories, tasks, names)
    for weekday, task_title in enumerate(FOCUS):
        day = monday + timedelta(days=weekday)
        session.add(FocusTask(day=day, task_id=tasks[task_title].id or 0, position=0))
    session.flush()
